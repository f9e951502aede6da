#!/usr/bin/env node
// Records what an undici interceptor logs (with pino, default options) for the seven Kling calls:
// a logging interceptor composed onto an undici Agent (`agent.compose(...)`, undici's documented
// interceptor API) writes one record per dispatch with undici's own dispatch options and
// response values: opts.origin + opts.path, opts.method, opts.headers, statusCode, the response
// headers, the body text and the duration; on onResponseError the error as `err`.
// Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock). Writes undici.jsonl here.
'use strict';
const path = require('path');
const pino = require('pino');
const { Agent, request } = require('undici');
const K = require('../common/kling_calls.js');

const here = __dirname;
const dest = pino.destination({ dest: path.join(here, 'undici.jsonl'), sync: true, append: false });
const log = pino(dest);

function logging(dispatch) {
  return (opts, handler) => {
    const start = Date.now();
    let statusCode = 0;
    let headers = {};
    const chunks = [];
    const base = { origin: String(opts.origin), path: opts.path, method: opts.method, requestHeaders: opts.headers };
    return dispatch(opts, {
      onRequestStart(controller, context) { return handler.onRequestStart && handler.onRequestStart(controller, context); },
      onRequestUpgrade(controller, sc, h, socket) { return handler.onRequestUpgrade && handler.onRequestUpgrade(controller, sc, h, socket); },
      onResponseStart(controller, sc, h, statusMessage) {
        statusCode = sc; headers = h;
        return handler.onResponseStart && handler.onResponseStart(controller, sc, h, statusMessage);
      },
      onResponseData(controller, chunk) {
        chunks.push(Buffer.from(chunk));
        return handler.onResponseData && handler.onResponseData(controller, chunk);
      },
      onResponseEnd(controller, trailers) {
        log.info(Object.assign({}, base, { statusCode, headers, body: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - start }), 'kling response');
        return handler.onResponseEnd && handler.onResponseEnd(controller, trailers);
      },
      onResponseError(controller, err) {
        log.error(Object.assign({}, base, { err, durationMs: Date.now() - start }), 'kling request failed');
        return handler.onResponseError && handler.onResponseError(controller, err);
      },
    });
  };
}

(async () => {
  const dispatcher = new Agent().compose(logging);
  const e = K.env();
  const toks = K.tokens();
  const taskIds = {};
  for (const call of K.CALLS) {
    const r = K.prepare(call, e, toks, taskIds);
    try {
      const res = await request(r.url, { method: r.method, headers: r.headers, body: r.body, dispatcher });
      K.noteAnswer(call, await res.body.text(), taskIds);
    } catch { /* logged by the interceptor */ }
    await K.sleep(20);
  }
  dest.flushSync();
  K.writeExpected(path.join(here, 'undici.expected.tsv'), K.oneRecordPerCall());
  await dispatcher.close();
})().catch((err) => { console.error(err); process.exit(1); });
