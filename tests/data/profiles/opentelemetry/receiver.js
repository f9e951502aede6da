#!/usr/bin/env node
// A local OTLP/HTTP JSON receiver standing in for the Collector's otlphttp receiver + file
// exporter: every export request body (ExportTraceServiceRequest on /v1/traces,
// ExportLogsServiceRequest on /v1/logs) is written as one line, verbatim, as the SDK's OTLP JSON
// serializer produced it. Plain Node, bound to 127.0.0.1.
//   node receiver.js PORT TRACES_FILE LOGS_FILE        (POST /__shutdown stops it)
'use strict';
const fs = require('fs');
const http = require('http');

const [port, tracesFile, logsFile] = process.argv.slice(2);
for (const f of [tracesFile, logsFile]) fs.writeFileSync(f, '');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/__shutdown') { res.end('bye'); server.close(); return; }
    const file = req.url === '/v1/traces' ? tracesFile : req.url === '/v1/logs' ? logsFile : null;
    const type = req.headers['content-type'] || '';
    const body = Buffer.concat(chunks).toString('utf8');
    if (!file || req.method !== 'POST' || !type.startsWith('application/json') || body.includes('\n')) {
      console.error(`receiver: refused ${req.method} ${req.url} (${type})`);
      res.writeHead(400); res.end(); return;
    }
    JSON.parse(body); // must be JSON
    fs.appendFileSync(file, body + '\n');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(Number(port), '127.0.0.1');
