#!/usr/bin/env node
// Records what winston writes (JSON format with timestamps, File transport) when an app logs its
// Kling calls from got hooks: `afterResponse` logs every answer (any status: method, url,
// statusCode, response headers, body, timings), `beforeError` logs the calls that got no answer
// (error.code, error.message). got's HTTPError for a 4xx is not logged twice.
// Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock). Writes winston.jsonl here.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import got from 'got';
import winston from 'winston';

const require = createRequire(import.meta.url);
const K = require('../common/kling_calls.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, 'winston.jsonl');
fs.rmSync(file, { force: true });

const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { service: 'video-worker' },
  transports: [new winston.transports.File({ filename: file })],
});

const kling = got.extend({
  timeout: { request: 10000 },
  hooks: {
    afterResponse: [(response) => {
      const o = response.request.options;
      logger.info('kling response', {
        method: o.method, url: response.url, requestHeaders: o.headers, requestBody: o.body,
        statusCode: response.statusCode, headers: response.headers, body: response.body,
        durationMs: response.timings.phases.total,
      });
      return response;
    }],
    beforeError: [(error) => {
      if (!error.response) {
        logger.error('kling request failed', {
          method: error.options.method, url: error.options.url && error.options.url.href,
          code: error.code, error: error.message,
        });
      }
      return error;
    }],
  },
});

const e = K.env();
const toks = K.tokens();
const taskIds = {};
for (const call of K.CALLS) {
  const r = K.prepare(call, e, toks, taskIds);
  try {
    const res = await kling(r.url, { method: r.method, headers: r.headers, body: r.body });
    K.noteAnswer(call, res.body, taskIds);
  } catch { /* logged by the hooks */ }
  await K.sleep(20);
}
await new Promise((resolve) => { logger.on('finish', resolve); logger.end(); });
// Every record carries the request headers and the response body (a string holding JSON).
K.writeExpected(path.join(here, 'winston.expected.tsv'), K.oneRecordPerCall());
