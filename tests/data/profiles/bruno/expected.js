#!/usr/bin/env node
// Writes bruno-report.expected.tsv: `<results index>\t<call>\t<expected>\t<true cause>`, the
// report's results[] (of its first and only collection run) matched to the calls by name.
'use strict';
const fs = require('fs');
const K = require('../common/kling_calls.js');
const file = process.argv[2];
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const runs = Array.isArray(report) ? report : [report];
const results = runs[0].results;
const rows = results.map((r, i) => {
  const name = (r.test && r.test.filename ? r.test.filename : r.name || '').replace(/^\d+-/, '').replace(/\.bru$/, '');
  const c = K.CALLS.find((x) => x.name === name);
  if (!c) throw new Error(`result ${i}: no call named ${name}`);
  if (r.request.url.includes('{{')) throw new Error(`result ${i}: unresolved variable in ${r.request.url}`);
  return { line: i, call: c.name, expected: c.cause, cause: c.cause };
});
K.writeExpected(file.replace(/\.json$/, '.expected.tsv'), rows);
console.log(`${file}: ${results.length} results`);
