#!/usr/bin/env node
// mock_kling.js: a small, deterministic imitation of the Kling AI video API, for recording HAR
// samples with known expected causes. Plain Node, no dependencies.
//
//   node mock_kling.js [API_PORT] [PAGE_PORT]
//   (or MOCK_PORT / MOCK_PAGE_PORT in the environment; defaults 8787 and API_PORT + 1)
//
// Both ports serve the same handler on 127.0.0.1. The recorder opens the page on PAGE_PORT and
// calls the API on API_PORT, so every API call is cross-origin (like a web app calling
// api-singapore.klingai.com) and Chromium sends CORS preflights.
//
// What a call gets answered is chosen by the request header `X-Scenario: <name>` (or the query
// parameter `scenario=<name>`); see SCENARIOS below. With no scenario, or a scenario of kind
// "validate", the mock checks the request the way the real API would (Authorization, JWT
// signature / exp / nbf, JSON body, parameters) and answers with the matching business code.
// A "validate" scenario also names the code it expects; if the check gives another code the
// mismatch is logged and listed at GET /__mock/mismatches, so the recorder can prove that the
// request evidence in the HAR really is what the scenario claims.
//
// Other control endpoints: GET /__mock/health, POST /__mock/shutdown.
'use strict';

const http = require('http');
const crypto = require('crypto');
const { URL } = require('url');

const API_PORT = Number(process.argv[2] || process.env.MOCK_PORT || 8787);
const PAGE_PORT = Number(process.argv[3] || process.env.MOCK_PAGE_PORT || API_PORT + 1);
const HOST = '127.0.0.1';

// Fake credentials. Nothing here is a real Kling key.
const FAKE_ACCESS_KEY = 'AK-FAKE-0000-DEMO';
const FAKE_SECRET_KEY = 'fake-secret-for-har-samples-only';
const FAKE_API_KEY = 'kling-fake-api-key-0000-demo'; // 2026 standard: opaque API key

const LEGACY_MODELS = new Set(['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master',
  'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo']);
const MODELS_2026 = new Set(['kling-2.6', 'kling-2.5-turbo']);
const DURATIONS = new Set(['5', '10']);
const ASPECTS = new Set(['16:9', '9:16', '1:1']);
const MODES = new Set(['std', 'pro']);

// HTTP status of each business code (error-reference.md section 5).
const CODE_STATUS = {
  0: 200, 1000: 401, 1001: 401, 1002: 401, 1003: 401, 1004: 401,
  1100: 429, 1101: 429, 1102: 429, 1103: 403,
  1200: 400, 1201: 400, 1202: 404, 1203: 404,
  1300: 400, 1301: 400, 1302: 429, 1303: 429, 1304: 429,
  5000: 500, 5001: 503, 5002: 504,
};

// ---------------------------------------------------------------- deterministic ids
let requestCounter = 0;
function nextRequestId() {
  requestCounter += 1;
  const h = crypto.createHash('sha1').update('req-' + requestCounter).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
let taskCounter = 0;
function nextTaskId() {
  taskCounter += 1;
  return '8600' + String(100000000000 + taskCounter * 7919);
}

// ---------------------------------------------------------------- scenarios
// kind "envelope": Kling's envelope with `code` (status from CODE_STATUS unless given).
// kind "raw": status + content type + body text as given (gateway / generic shapes).
// kind "validate": answer what the request check says; `expect` is the code it must give.
// kind "task": a 200 / code 0 legacy task query answer with the given task_status (+ msg).
// kind "task2026": a 200 / code 0 2026-standard task answer with data.status (+ message).
// kind "create": a successful create.
// kind "delay": answer (success) only after `delayMs`; used to make the client abort.
// kind "destroy": close the socket without any answer.
const SCENARIOS = {
  // successes
  create_ok: { kind: 'create' },
  task_submitted: { kind: 'task', status: 'submitted' },
  task_processing: { kind: 'task', status: 'processing' },
  task_succeed: { kind: 'task', status: 'succeed' },
  create2026_ok: { kind: 'create' },
  task2026_processing: { kind: 'task2026', status: 'processing' },
  task2026_succeeded: { kind: 'task2026', status: 'succeeded' },

  // auth: the mock really checks the request
  auth_missing_header: { kind: 'validate', expect: 1001 },
  auth_bad_scheme_no_prefix: { kind: 'validate', expect: 1002 },
  auth_bad_scheme_token: { kind: 'validate', expect: 1002 },
  auth_token_expired: { kind: 'validate', expect: 1004 },
  auth_token_not_yet_valid: { kind: 'validate', expect: 1003 },
  auth_bad_signature: { kind: 'validate', expect: 1000 },
  auth_garbage_token: { kind: 'validate', expect: 1002 },
  auth_wrong_credential_type: { kind: 'validate', expect: 'wrong_credential' },
  auth_invalid_api_key: { kind: 'validate', expect: 'invalid_api_key' },

  // billing / account: Kling's envelope (429 for billing and account problems)
  billing_1102: { kind: 'envelope', code: 1102, message: 'Account balance not enough' },
  billing_402_generic: { kind: 'raw', status: 402, json: { error: { message: 'Insufficient credits: your resource pack is empty. Please top up to continue.', type: 'insufficient_quota' } } },
  billing_arrears_1101: { kind: 'envelope', code: 1101, message: 'Account is in arrears, please recharge' },
  account_exception_1100: { kind: 'envelope', code: 1100, message: 'Account exception' },
  account_no_permission_1103: { kind: 'envelope', code: 1103, message: 'No permission to access the requested resource' },
  account_no_permission_403_generic: { kind: 'raw', status: 403, json: { error: { message: 'Access denied: this model is not available on your plan' } } },
  account_ip_1304: { kind: 'envelope', code: 1304, message: 'IP whitelist policy triggered' },
  account_region_403: { kind: 'raw', status: 403, json: { error: { message: 'This service is not available in your country or region' } } },

  // content policy at create time
  content_policy_1301: { kind: 'envelope', code: 1301, message: 'Content security policy triggered: the prompt contains sensitive content' },
  content_policy_403_generic: { kind: 'raw', status: 403, json: { error: { message: 'Your request was rejected because it violates our content policy' } } },
  platform_strategy_1300: { kind: 'envelope', code: 1300, message: 'Platform strategy triggered' },

  // bad requests: the mock really checks the body
  missing_prompt: { kind: 'validate', expect: 1201 },
  invalid_duration: { kind: 'validate', expect: 1201 },
  invalid_aspect_ratio: { kind: 'validate', expect: 1201 },
  malformed_json: { kind: 'validate', expect: 1200 },
  invalid_model: { kind: 'validate', expect: 1203 },
  invalid_model_discontinued_generic: { kind: 'raw', status: 400, json: { error: { message: "The model 'kling-v0-9' has been discontinued" } } },
  invalid_cfg_scale: { kind: 'validate', expect: 1201 },
  invalid_mode: { kind: 'validate', expect: 1200 },
  unprocessable_422_generic: { kind: 'raw', status: 422, json: { error: { message: 'Unprocessable request: callback_url must be an absolute https URL' } } },
  task_not_found_1203: { kind: 'envelope', code: 1203, message: 'Requested resource does not exist: task not found' },
  bad_path_1202: { kind: 'validate', expect: 1202 },

  // rate limits
  rate_limit_1302: { kind: 'envelope', code: 1302, message: 'Requests too fast, please slow down', headers: { 'Retry-After': '5' } },
  rate_limit_429_text: { kind: 'raw', status: 429, type: 'text/plain; charset=utf-8', text: 'Too Many Requests', headers: { 'Retry-After': '30' } },
  concurrency_1303: { kind: 'envelope', code: 1303, message: 'parallel task over resource pack limit' },

  // server side
  server_5000: { kind: 'envelope', code: 5000, message: 'Server internal error' },
  server_500_generic: { kind: 'raw', status: 500, json: { error: { message: 'Internal Server Error' } } },
  bad_gateway_html: { kind: 'raw', status: 502, type: 'text/html', text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' },
  bad_gateway_nocors: { kind: 'raw', status: 502, type: 'text/html', cors: false, text: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n' },
  unavailable_5001: { kind: 'envelope', code: 5001, message: 'Server temporarily unavailable, under maintenance' },
  unavailable_503_text: { kind: 'raw', status: 503, type: 'text/plain', text: 'Service Unavailable', headers: { 'Retry-After': '120' } },
  timeout_5002: { kind: 'envelope', code: 5002, message: 'Server internal timeout, please try again later' },
  timeout_504_empty: { kind: 'raw', status: 504, type: null, text: '' },

  // failed generations: HTTP 200, code 0, reason only in task_status_msg / data.message
  gen_risk_control: { kind: 'task', status: 'failed', msg: 'Failure to pass the risk control system' },
  gen_timeout: { kind: 'task', status: 'failed', msg: 'Video generation timeout, please try again later' },
  gen_complexity: { kind: 'task', status: 'failed', msg: 'Scene complexity too high, please simplify the description' },
  gen_input_image: { kind: 'task', status: 'failed', msg: 'Image pixel is invalid' },
  gen_failed_other: { kind: 'task', status: 'failed', msg: 'Video generation failed' },
  gen2026_failed_other: { kind: 'task2026', status: 'failed', msg: 'Video generation failed' },
  gen2026_failed_policy: { kind: 'task2026', status: 'failed', msg: 'The input did not pass content moderation' },

  // transport
  slow_answer_abort: { kind: 'delay', delayMs: 8000 },          // the page aborts it (AbortController)
  slow_answer_timeout_signal: { kind: 'delay', delayMs: 8000 }, // the page gives up (AbortSignal.timeout)
  drop_connection: { kind: 'destroy' },
};

// ---------------------------------------------------------------- JWT / request checks
function b64urlDecode(s) {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}
function looksLikeJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try { return typeof JSON.parse(b64urlDecode(parts[0])).alg === 'string'; } catch { return false; }
}

// Legacy standard: Authorization must be `Bearer <HS256 JWT signed with the secret key>`.
function checkLegacyAuth(req) {
  const h = req.headers['authorization'];
  if (h === undefined || h === '') return { code: 1001, message: 'Authorization is empty' };
  const m = /^Bearer (\S+)$/.exec(h);
  if (!m) return { code: 1002, message: 'Authorization is invalid' };
  const token = m[1];
  if (!looksLikeJwt(token)) return { code: 1002, message: 'Authorization is invalid' };
  const [h64, p64, s64] = token.split('.');
  const expected = crypto.createHmac('sha256', FAKE_SECRET_KEY).update(h64 + '.' + p64).digest('base64url');
  if (expected !== s64) return { code: 1000, message: 'Authentication failed' };
  let claims;
  try { claims = JSON.parse(b64urlDecode(p64)); } catch { return { code: 1002, message: 'Authorization is invalid' }; }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.nbf === 'number' && claims.nbf > now) return { code: 1003, message: 'Authorization is not yet valid' };
  if (typeof claims.exp === 'number' && claims.exp <= now) return { code: 1004, message: 'Authorization has expired' };
  // The fake access key, or the same with a suffix (one client identity per audit scenario).
  if (typeof claims.iss !== 'string' || !(claims.iss === FAKE_ACCESS_KEY || claims.iss.startsWith(FAKE_ACCESS_KEY + '-'))) {
    return { code: 1000, message: 'Authentication failed' };
  }
  return null;
}

// 2026 standard: a plain API key in the same header; an AK/SK JWT is refused.
function check2026Auth(req) {
  const h = req.headers['authorization'];
  if (h === undefined || h === '') return { code: 1001, message: 'Authorization is empty' };
  const m = /^Bearer (\S+)$/.exec(h);
  if (!m) return { code: 1002, message: 'Authorization is invalid' };
  if (looksLikeJwt(m[1])) {
    return { verdict: 'wrong_credential', status: 401,
      json: { error: { code: 'unsupported_credential', message: 'This API does not support AK/SK authentication, please use an API key' } } };
  }
  if (m[1] !== FAKE_API_KEY) {
    return { verdict: 'invalid_api_key', status: 401, json: { error: { code: 'invalid_api_key', message: 'Invalid API key' } } };
  }
  return null;
}

function checkCreateBody(rawBody, { textToVideo, legacy, pathModel }) {
  let body;
  try { body = JSON.parse(rawBody); } catch {
    return { code: 1200, message: 'Invalid request parameters: request body is not valid JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { code: 1200, message: 'Invalid request parameters: request body must be a JSON object' };
  }
  if (legacy) {
    const model = body.model_name === undefined ? 'kling-v1' : body.model_name;
    if (!LEGACY_MODELS.has(model)) return { code: 1203, message: `Requested resource does not exist: model '${model}'` };
  } else if (!MODELS_2026.has(pathModel)) {
    return { code: 1203, message: `Requested resource does not exist: model '${pathModel}'` };
  }
  if (textToVideo && (typeof body.prompt !== 'string' || body.prompt.trim() === '')) {
    return { code: 1201, message: 'Invalid parameter: prompt is required' };
  }
  if (typeof body.prompt === 'string' && body.prompt.length > 2500) {
    return { code: 1201, message: 'Invalid parameter: prompt is too long' };
  }
  if (!textToVideo && typeof body.image !== 'string') {
    return { code: 1201, message: 'Invalid parameter: image is required' };
  }
  if (body.duration !== undefined && !DURATIONS.has(String(body.duration))) {
    return { code: 1201, message: `Invalid parameter: duration '${body.duration}' is not supported` };
  }
  if (body.aspect_ratio !== undefined && !ASPECTS.has(body.aspect_ratio)) {
    return { code: 1201, message: `Invalid parameter: aspect_ratio '${body.aspect_ratio}' is not supported` };
  }
  if (body.cfg_scale !== undefined && !(typeof body.cfg_scale === 'number' && body.cfg_scale >= 0 && body.cfg_scale <= 1)) {
    return { code: 1201, message: 'Invalid parameter: cfg_scale must be between 0 and 1' };
  }
  if (body.mode !== undefined && !MODES.has(body.mode)) {
    return { code: 1200, message: 'Invalid request parameters' };
  }
  return null;
}

// ---------------------------------------------------------------- responses
const mismatches = [];

// Actual responses carry only what the browser needs to hand them to the page; the preflight
// answer (OPTIONS, 204) also lists the allowed methods and headers and is cached for 10 minutes.
function corsHeaders(req) {
  return { 'Access-Control-Allow-Origin': req.headers.origin || '*', 'Access-Control-Expose-Headers': 'Retry-After', 'Vary': 'Origin' };
}
function preflightHeaders(req) {
  return Object.assign(corsHeaders(req), {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Scenario',
    'Access-Control-Max-Age': '600',
  });
}

function send(req, res, status, headers, body, { cors = true } = {}) {
  const h = Object.assign({}, cors ? corsHeaders(req) : {}, headers);
  const buf = Buffer.from(body || '', 'utf8');
  h['Content-Length'] = String(buf.length);
  res.writeHead(status, h);
  res.end(buf);
}

function sendJson(req, res, status, obj, extraHeaders = {}, opts) {
  send(req, res, status, Object.assign({ 'Content-Type': 'application/json; charset=utf-8' }, extraHeaders),
    JSON.stringify(obj), opts);
}

function sendEnvelope(req, res, code, message, data, extraHeaders = {}, status) {
  sendJson(req, res, status || CODE_STATUS[code] || 400,
    { code, message, request_id: nextRequestId(), data: data === undefined ? null : data }, extraHeaders);
}

function sendCheck(req, res, failure) {
  if (failure.json) {
    sendJson(req, res, failure.status, Object.assign({}, failure.json, { request_id: nextRequestId() }));
  } else {
    sendEnvelope(req, res, failure.code, failure.message);
  }
}

function legacyTask(taskId, status, msg, kind) {
  const t = 1764000000000 + taskCounter * 1000;
  const d = { task_id: taskId, task_status: status, created_at: t, updated_at: t + 42000 };
  if (msg) d.task_status_msg = msg;
  if (status === 'succeed') {
    d.task_result = { videos: [{ id: 'v-' + taskId, url: `https://cdn.example.invalid/kling/${kind}/${taskId}.mp4`, duration: '5' }] };
  }
  return d;
}

function task2026(taskId, status, msg) {
  const d = { id: taskId, status, created_at: '2026-11-24T03:12:45Z' };
  if (msg) d.message = msg;
  if (status === 'succeeded') d.outputs = [{ type: 'video', url: `https://cdn.example.invalid/kling/${taskId}.mp4` }];
  return d;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>kling-triage HAR recorder</title>
<link rel="icon" href="data:,"></head>
<body><p id="log">ready</p>
<script>
// window.klingCall(spec): one fetch as an app would make it; returns what the page saw.
window.klingCall = async function (spec) {
  const init = { method: spec.method, headers: spec.headers || {} };
  if (spec.body !== undefined) init.body = spec.body;
  let timer = null;
  if (spec.abortAfterMs) {
    const ac = new AbortController();
    init.signal = ac.signal;
    timer = setTimeout(() => ac.abort(), spec.abortAfterMs);
  } else if (spec.timeoutMs) {
    init.signal = AbortSignal.timeout(spec.timeoutMs);
  }
  try {
    const r = await fetch(spec.url, init);
    const text = await r.text();
    return { status: r.status, text: text.slice(0, 300) };
  } catch (e) {
    return { status: 0, error: String(e && e.name) + ': ' + String(e && e.message) };
  } finally {
    if (timer) clearTimeout(timer);
    document.getElementById('log').textContent = spec.scenario;
  }
};
</script></body></html>
`;

function handleApi(req, res, url, rawBody) {
  const scenarioName = req.headers['x-scenario'] || url.searchParams.get('scenario') || 'auto';
  const sc = SCENARIOS[scenarioName] || (scenarioName === 'auto' ? { kind: 'validate' } : null);
  if (!sc) {
    sendJson(req, res, 400, { error: { message: `mock: unknown scenario '${scenarioName}'` } });
    return;
  }
  const p = url.pathname;
  const route =
    (req.method === 'POST' && p === '/v1/videos/text2video') ? { kind: 'legacy-create', textToVideo: true, legacy: true, video: 'text2video' } :
    (req.method === 'POST' && p === '/v1/videos/image2video') ? { kind: 'legacy-create', textToVideo: false, legacy: true, video: 'image2video' } :
    (req.method === 'GET' && /^\/v1\/videos\/(text2video|image2video)\/[^/]+$/.test(p)) ? { kind: 'legacy-task', legacy: true, video: p.split('/')[3], taskId: decodeURIComponent(p.split('/')[4]) } :
    (req.method === 'POST' && /^\/text-to-video\/[^/]+$/.test(p)) ? { kind: 'create2026', textToVideo: true, legacy: false, pathModel: decodeURIComponent(p.split('/')[2]) } :
    (req.method === 'GET' && p === '/tasks') ? { kind: 'task2026', legacy: false, taskId: (url.searchParams.get('task_ids') || '').split(',')[0] } :
    null;

  // transport scenarios first
  if (sc.kind === 'destroy') { req.socket.destroy(); return; }

  if (sc.kind === 'validate') {
    let failure = null;
    if (!route) failure = { code: 1202, message: 'Requested method is invalid' };
    if (!failure) failure = route.legacy ? checkLegacyAuth(req) : check2026Auth(req);
    if (!failure && (route.kind === 'legacy-create' || route.kind === 'create2026')) failure = checkCreateBody(rawBody, route);
    if (sc.expect !== undefined) {
      const got = failure ? (failure.verdict || failure.code) : 0;
      if (got !== sc.expect) {
        const m = { scenario: scenarioName, method: req.method, path: p, expected: sc.expect, got };
        mismatches.push(m);
        console.error('mock: MISMATCH', JSON.stringify(m));
      }
    }
    if (failure) { sendCheck(req, res, failure); return; }
    // valid request with no scenario: fall through to a success
  }

  // Canned answers assume an otherwise valid request: prove the credentials were good.
  if (sc.kind !== 'validate' && route) {
    const authFailure = route.legacy ? checkLegacyAuth(req) : check2026Auth(req);
    if (authFailure) {
      const m = { scenario: scenarioName, method: req.method, path: p, expected: 0, got: authFailure.verdict || authFailure.code };
      mismatches.push(m);
      console.error('mock: MISMATCH', JSON.stringify(m));
    }
  }

  if (sc.kind === 'envelope') { sendEnvelope(req, res, sc.code, sc.message, null, sc.headers || {}, sc.status); return; }
  if (sc.kind === 'raw') {
    const headers = Object.assign({}, sc.headers || {});
    let text = sc.text;
    if (sc.json) { text = JSON.stringify(sc.json); headers['Content-Type'] = 'application/json'; } else if (sc.type) headers['Content-Type'] = sc.type;
    send(req, res, sc.status, headers, text, { cors: sc.cors !== false });
    return;
  }

  if (!route) { sendEnvelope(req, res, 1202, 'Requested method is invalid'); return; }

  const succeed = () => {
    if (route.kind === 'legacy-create') {
      const id = nextTaskId();
      sendEnvelope(req, res, 0, 'SUCCEED', { task_id: id, task_status: 'submitted', created_at: 1764000000000, updated_at: 1764000000000 });
    } else if (route.kind === 'legacy-task') {
      const st = sc.kind === 'task' ? sc.status : 'processing';
      sendEnvelope(req, res, 0, 'SUCCEED', legacyTask(route.taskId, st, sc.msg, route.video));
    } else if (route.kind === 'create2026') {
      sendEnvelope(req, res, 0, 'SUCCEED', task2026(nextTaskId(), 'submitted'));
    } else {
      const st = sc.kind === 'task2026' ? sc.status : 'processing';
      sendEnvelope(req, res, 0, 'SUCCEED', task2026(route.taskId, st, sc.msg));
    }
  };

  if (sc.kind === 'delay') {
    const timer = setTimeout(() => { if (!res.writableEnded && !req.socket.destroyed) succeed(); }, sc.delayMs);
    req.socket.on('close', () => clearTimeout(timer));
    return;
  }
  succeed();
}

function handler(req, res) {
  const url = new URL(req.url, `http://${req.headers.host || HOST}`);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(req));
      res.end();
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      send(req, res, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, PAGE, { cors: false });
      return;
    }
    if (url.pathname === '/__mock/health') { sendJson(req, res, 200, { ok: true, api_port: API_PORT, page_port: PAGE_PORT }); return; }
    if (url.pathname === '/__mock/mismatches') { sendJson(req, res, 200, { mismatches }); return; }
    if (url.pathname === '/__mock/shutdown' && req.method === 'POST') {
      sendJson(req, res, 200, { ok: true });
      setTimeout(() => process.exit(0), 50);
      return;
    }
    handleApi(req, res, url, rawBody);
  });
}

if (require.main === module) {
  for (const port of [API_PORT, PAGE_PORT]) {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 30000;
    server.listen(port, HOST, () => console.log(`mock_kling: listening on http://${HOST}:${port}`));
  }
}

module.exports = { FAKE_ACCESS_KEY, FAKE_SECRET_KEY, FAKE_API_KEY };
