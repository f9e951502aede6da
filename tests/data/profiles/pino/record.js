#!/usr/bin/env node
// Records what pino writes for the seven Kling calls of common/kling_calls.js, two ways:
//
//  pino-axios.jsonl  an app calling Kling with axios, logging every call with pino (default
//                    options) from axios interceptors: {req, res} on an answer, and on an axios
//                    error the AxiosError itself as `err` (pino's standard err serializer writes
//                    err.config, err.response, err.code ...).
//  pino-http.jsonl   the team's own small Kling gateway (node:http + pino-http middleware, default
//                    options): the app calls the gateway, the gateway forwards to Kling with fetch;
//                    pino-http logs each request it served. An upstream failure is handed to
//                    pino-http as res.err (its documented way) and answered 502.
//
// Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock). Writes into this folder.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const pino = require('pino');
const pinoHttp = require('pino-http');
const axios = require('axios');
const K = require('../common/kling_calls.js');

const here = __dirname;

async function recordAxios(e, toks) {
  const file = path.join(here, 'pino-axios.jsonl');
  const dest = pino.destination({ dest: file, sync: true, append: false });
  const log = pino(dest);
  const api = axios.create({ timeout: 10000 });
  api.interceptors.request.use((config) => { config.metadata = { start: Date.now() }; return config; });
  api.interceptors.response.use((res) => {
    log.info({
      req: { method: res.config.method.toUpperCase(), url: res.config.url, headers: res.config.headers, body: res.config.data },
      res: { statusCode: res.status, headers: res.headers, body: res.data },
      responseTime: Date.now() - res.config.metadata.start,
    }, 'kling request completed');
    return res;
  }, (err) => {
    const start = err.config && err.config.metadata ? err.config.metadata.start : Date.now();
    log.error({ err, responseTime: Date.now() - start }, 'kling request failed');
    return Promise.reject(err);
  });

  const taskIds = {};
  for (const call of K.CALLS) {
    const r = K.prepare(call, e, toks, taskIds);
    try {
      const res = await api.request({ method: r.method, url: r.url, headers: r.headers, data: r.body });
      K.noteAnswer(call, res.data, taskIds);
    } catch { /* logged by the interceptor */ }
    await K.sleep(20);
  }
  dest.flushSync();
}

// The gateway: every request is forwarded to `upstream` with fetch; pino-http logs it.
function startGateway(logger, upstream) {
  const mw = pinoHttp({ logger });
  const server = http.createServer((req, res) => {
    mw(req, res);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) if (!['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      try {
        const up = await fetch(upstream + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        const body = Buffer.from(await up.arrayBuffer());
        res.statusCode = up.status;
        res.setHeader('content-type', up.headers.get('content-type') || 'application/octet-stream');
        res.end(body);
      } catch (err) {
        res.err = err;
        res.statusCode = 502;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { message: 'upstream unavailable' } }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function recordHttp(e, toks) {
  const file = path.join(here, 'pino-http.jsonl');
  const dest = pino.destination({ dest: file, sync: true, append: false });
  const logger = pino(dest);
  const gw = await startGateway(logger, e.base);
  const gwClosed = await startGateway(logger, e.closedBase);
  const g = { base: `http://127.0.0.1:${gw.address().port}`, closedBase: `http://127.0.0.1:${gwClosed.address().port}` };
  const taskIds = {};
  for (const call of K.CALLS) {
    const r = K.prepare(call, g, toks, taskIds);
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    K.noteAnswer(call, await res.text(), taskIds);
    await K.sleep(20);
  }
  await K.sleep(100);
  dest.flushSync();
  gw.close(); gwClosed.close();
}

(async () => {
  const e = K.env();
  const toks = K.tokens();
  await recordAxios(e, toks);
  await recordHttp(e, toks);
  // pino-axios: every call carries request headers, the response (or err.response) body.
  K.writeExpected(path.join(here, 'pino-axios.expected.tsv'), K.oneRecordPerCall());
  // pino-http: no response body; the gateway's own upstream failure is a 502 with err.
  K.writeExpected(path.join(here, 'pino-http.expected.tsv'), K.oneRecordPerCall({
    billing_1102: 'rate_limit.requests', gen_risk_control: 'ok' }));
})().catch((err) => { console.error(err); process.exit(1); });
