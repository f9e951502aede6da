// kling_calls.js: the seven calls every profile recording makes, and their ground truth.
// Plain Node (CommonJS, no dependencies). Used by the Node recording scripts; kling_calls.py is
// the same list for the Python ones. The mock is tools/har-recording/mock_kling.js: it answers
// the scenario named by the X-Scenario header and really checks the JWT (HS256, exp, nbf).
'use strict';
const crypto = require('crypto');

// Fake credentials, the same as the mock's (nothing here is a real Kling key).
const ACCESS_KEY = 'AK-FAKE-0000-DEMO';
const SECRET_KEY = 'fake-secret-for-har-samples-only';

function b64url(obj) {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}
// A real HS256 JWT with Kling's claims (iss, exp, nbf).
function mintJwt(claims, secret = SECRET_KEY) {
  const head = b64url({ alg: 'HS256', typ: 'JWT' }) + '.' + b64url(claims);
  return head + '.' + crypto.createHmac('sha256', secret).update(head).digest('base64url');
}
function tokens(nowS = Math.floor(Date.now() / 1000)) {
  return {
    good: mintJwt({ iss: ACCESS_KEY, exp: nowS + 1800, nbf: nowS - 5 }),
    expired: mintJwt({ iss: ACCESS_KEY, exp: nowS - 120, nbf: nowS - 1925 }),
  };
}

const CREATE_BODY = { model_name: 'kling-v1-6', prompt: 'a red fox running through fresh snow, cinematic',
  duration: '5', aspect_ratio: '16:9', mode: 'std' };

// The calls, in order. `path` may contain {task} (the task id of the create named by `task_of`).
// `cause` is what happened on the wire (the error reference's cause id, or ok).
const CALLS = [
  { name: 'create_ok', method: 'POST', path: '/v1/videos/text2video', scenario: 'create_ok', token: 'good', body: CREATE_BODY, cause: 'ok' },
  { name: 'task_succeed', method: 'GET', path: '/v1/videos/text2video/{task}', task_of: 'create_ok', scenario: 'task_succeed', token: 'good', cause: 'ok' },
  { name: 'billing_1102', method: 'POST', path: '/v1/videos/text2video', scenario: 'billing_1102', token: 'good', body: CREATE_BODY, cause: 'billing.insufficient_credits' },
  { name: 'auth_token_expired', method: 'POST', path: '/v1/videos/text2video', scenario: 'auth_token_expired', token: 'expired', body: CREATE_BODY, cause: 'auth.token_expired' },
  { name: 'create_ok_2', method: 'POST', path: '/v1/videos/text2video', scenario: 'create_ok', token: 'good', body: Object.assign({}, CREATE_BODY, { prompt: 'a crowded night market, handheld camera' }), cause: 'ok' },
  { name: 'gen_risk_control', method: 'GET', path: '/v1/videos/text2video/{task}', task_of: 'create_ok_2', scenario: 'gen_risk_control', token: 'good', cause: 'generation.content_policy' },
  { name: 'closed_port', method: 'POST', path: '/v1/videos/text2video', scenario: 'create_ok', token: 'good', body: CREATE_BODY, closed: true, cause: 'network.connection' },
];

// Environment given by common/mock.sh: MOCK_BASE (http://127.0.0.1:PORT) and CLOSED_PORT.
function env() {
  const base = process.env.MOCK_BASE;
  const closed = process.env.CLOSED_PORT;
  if (!base || !closed) throw new Error('MOCK_BASE and CLOSED_PORT must be set (see common/mock.sh)');
  return { base, closedBase: `http://127.0.0.1:${closed}` };
}

// Resolve one call into {url, method, headers, body (string or undefined)}. taskIds: name -> id.
function prepare(call, { base, closedBase }, toks, taskIds) {
  let path = call.path;
  if (call.task_of) {
    const id = taskIds[call.task_of];
    if (!id) throw new Error(`no task id from ${call.task_of}`);
    path = path.replace('{task}', id);
  }
  const headers = { 'Authorization': 'Bearer ' + toks[call.token], 'X-Scenario': call.scenario };
  let body;
  if (call.body !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(call.body); }
  return { url: (call.closed ? closedBase : base) + path, method: call.method, headers, body };
}

// After a create's answer: remember its task id.
function noteAnswer(call, bodyText, taskIds) {
  if (call.method !== 'POST' || !bodyText) return;
  try {
    const j = typeof bodyText === 'string' ? JSON.parse(bodyText) : bodyText;
    if (j && j.data && j.data.task_id) taskIds[call.name] = j.data.task_id;
  } catch { /* not JSON */ }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { ACCESS_KEY, SECRET_KEY, mintJwt, tokens, CALLS, env, prepare, noteAnswer, sleep };

// expected.tsv: one line per record of the output, `<line>\t<call>\t<expected>\t<true cause>`.
// <expected> is what a correct reading of that record gives (error-reference.md section 3: only
// the evidence the record carries); <true cause> is what happened on the wire. A record that is
// not a call (e.g. a "request sent" line) has call `-` and expected `-`.
function writeExpected(file, rows) {
  require('fs').writeFileSync(file, rows.map((r) => [r.line, r.call, r.expected, r.cause].join('\t')).join('\n') + '\n');
}
// One record per call, in CALLS order; `degrade` maps a call name to what the format still supports.
function oneRecordPerCall(degrade = {}) {
  return CALLS.map((c, i) => ({ line: i + 1, call: c.name, expected: degrade[c.name] || c.cause, cause: c.cause }));
}
module.exports.writeExpected = writeExpected;
module.exports.oneRecordPerCall = oneRecordPerCall;
