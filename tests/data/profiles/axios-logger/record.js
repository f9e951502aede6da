#!/usr/bin/env node
// Records axios-logger's text lines for the seven Kling calls, wired as its README says:
//   instance.interceptors.request.use(AxiosLogger.requestLogger, AxiosLogger.errorLogger);
//   instance.interceptors.response.use(AxiosLogger.responseLogger, AxiosLogger.errorLogger);
// with the default options plus a timestamp (dateFormat: 'isoDateTime'; without it the lines
// carry no time at all), the `logger` option writing each message as one line to a file.
//   axios-logger.log          defaults (method, url, status, statusText, data; no headers)
//   axios-logger-headers.log  the same with headers: true
// Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock).
'use strict';
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const AxiosLogger = require('axios-logger');
const K = require('../common/kling_calls.js');

const here = __dirname;

async function record(name, extra) {
  const file = path.join(here, name + '.log');
  const lines = [];
  const config = Object.assign({ dateFormat: 'isoDateTime', logger: (msg) => lines.push(String(msg)) }, extra);
  const api = axios.create({ timeout: 10000 });
  api.interceptors.request.use((req) => AxiosLogger.requestLogger(req, config), (err) => AxiosLogger.errorLogger(err, config));
  api.interceptors.response.use((res) => AxiosLogger.responseLogger(res, config), (err) => AxiosLogger.errorLogger(err, config));
  const e = K.env();
  const toks = K.tokens();
  const taskIds = {};
  const rows = [];
  for (const call of K.CALLS) {
    const r = K.prepare(call, e, toks, taskIds);
    const before = lines.length;
    try {
      const res = await api.request({ method: r.method, url: r.url, headers: r.headers, data: r.body });
      K.noteAnswer(call, res.data, taskIds);
    } catch { /* logged by errorLogger */ }
    // The first line of a call is the request line; the next one holds its outcome.
    for (let i = before; i < lines.length; i++) {
      const first = i === before;
      rows.push({ line: i + 1, call: first ? '-' : call.name, expected: first ? '-' : call.cause, cause: first ? '-' : call.cause });
    }
    await K.sleep(20);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return rows;
}

(async () => {
  const plain = await record('axios-logger', {});
  const withHeaders = await record('axios-logger-headers', { headers: true });
  // Without headers the expired JWT is not in the log, but the 401's body (code 1004) is.
  K.writeExpected(path.join(here, 'axios-logger.expected.tsv'), plain);
  K.writeExpected(path.join(here, 'axios-logger-headers.expected.tsv'), withHeaders);
})().catch((err) => { console.error(err); process.exit(1); });
