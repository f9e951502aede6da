#!/usr/bin/env node
// The app: makes the seven Kling calls through the nginx proxy (NGINX_BASE; NGINX_DOWN_BASE is the
// server whose upstream is down, for the refused connection) with Node's fetch.
'use strict';
const K = require('../common/kling_calls.js');
(async () => {
  const g = { base: process.env.NGINX_BASE, closedBase: process.env.NGINX_DOWN_BASE };
  const toks = K.tokens();
  const taskIds = {};
  for (const call of K.CALLS) {
    const r = K.prepare(call, g, toks, taskIds);
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    K.noteAnswer(call, await res.text(), taskIds);
    await K.sleep(20);
  }
  // No response bodies in either log. json_body has the Authorization header (the expired JWT).
  const common = { billing_1102: 'rate_limit.requests', gen_risk_control: 'ok' };
  K.writeExpected(__dirname + '/nginx-upstream.expected.tsv', K.oneRecordPerCall(Object.assign({ auth_token_expired: 'auth.invalid_token' }, common)));
  K.writeExpected(__dirname + '/nginx-body.expected.tsv', K.oneRecordPerCall(common));
  // json_resp_body: everything but the response headers (Content-Type and Retry-After only).
  K.writeExpected(__dirname + '/nginx-resp-body.expected.tsv', K.oneRecordPerCall());
})().catch((err) => { console.error(err); process.exit(1); });
