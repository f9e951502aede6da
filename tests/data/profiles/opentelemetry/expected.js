#!/usr/bin/env node
// Writes <file>.expected.tsv for an OTLP export file: one line per span or log record, named
// `<line>/<index>` (the index counts the records of that line in document order:
// resource*/scope*/spans or logRecords). Records are matched to the calls by start time.
//   node expected.js FILE spans|logs
'use strict';
const fs = require('fs');
const K = require('../common/kling_calls.js');
const [file, kind] = process.argv.slice(2);
const items = [];
fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).forEach((text, li) => {
  const j = JSON.parse(text);
  let k = 0;
  const rs = kind === 'spans' ? j.resourceSpans : j.resourceLogs;
  for (const r of rs) for (const s of (kind === 'spans' ? r.scopeSpans : r.scopeLogs)) {
    for (const rec of (kind === 'spans' ? s.spans : s.logRecords)) {
      items.push({ id: `${li + 1}/${k++}`, t: BigInt(kind === 'spans' ? rec.startTimeUnixNano : rec.timeUnixNano) });
    }
  }
});
if (items.length !== K.CALLS.length) throw new Error(`${file}: ${items.length} records for ${K.CALLS.length} calls`);
const byTime = [...items].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
// Spans carry no bodies and no headers: status and the error only.
const degrade = kind === 'spans' ? { billing_1102: 'rate_limit.requests', auth_token_expired: 'auth.invalid_token', gen_risk_control: 'ok' } : {};
const callOf = new Map(byTime.map((it, i) => [it.id, K.CALLS[i]]));
K.writeExpected(file.replace(/\.jsonl$/, '.expected.tsv'), items.map((it) => {
  const c = callOf.get(it.id);
  return { line: it.id, call: c.name, expected: degrade[c.name] || c.cause, cause: c.cause };
}));
