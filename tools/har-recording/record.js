#!/usr/bin/env node
// record.js: drive Debian's Chromium (through playwright-core) against mock_kling.js and record
// HAR files whose every entry has a known expected cause.
//
//   node record.js --api-port 8787 --page-port 8788 --out-dir ../../samples/har
//
// The mock must already be running (record.sh starts it). For each variant it opens a fresh
// browser context with recordHar, loads the mock's page and runs the PLAN below as fetch calls
// from the page, one after the other. When the context closes Playwright writes the HAR; this
// script then reads it back, maps every entry to its scenario (by the request's X-Scenario
// header; CORS preflights by method and status) and writes <name>.expected.tsv beside it.
'use strict';

const fs = require('fs');
const path = require('path');
const net = require('net');
const crypto = require('crypto');
const { chromium } = require('playwright-core');
const { FAKE_ACCESS_KEY, FAKE_SECRET_KEY, FAKE_API_KEY } = require('./mock_kling.js');

function arg(name, dflt) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const API_PORT = Number(arg('api-port', process.env.MOCK_PORT || 8787));
const PAGE_PORT = Number(arg('page-port', process.env.MOCK_PAGE_PORT || API_PORT + 1));
const OUT_DIR = path.resolve(arg('out-dir', path.join(__dirname, '..', '..', 'samples', 'har')));
const CHROMIUM = arg('chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const MAX_HAR_BYTES = 200 * 1024;

const API = `http://127.0.0.1:${API_PORT}`;
const PAGE = `http://127.0.0.1:${PAGE_PORT}/index.html`;

// ---------------------------------------------------------------- expected causes
// full: the cause with the whole HAR (request + embedded response body).
// minimal: the cause that the evidence left in the content-less variant supports (status, request
// headers and body, transport error); see README.md.
const EXPECT = {
  create_ok: ['ok'],
  task_submitted: ['ok'],
  task_processing: ['ok'],
  task_succeed: ['ok'],
  create2026_ok: ['ok'],
  task2026_processing: ['ok'],
  task2026_succeeded: ['ok'],

  auth_missing_header: ['auth.missing_header'],
  auth_bad_scheme_no_prefix: ['auth.bad_scheme'],
  auth_bad_scheme_token: ['auth.bad_scheme'],
  auth_token_expired: ['auth.token_expired'],
  auth_token_not_yet_valid: ['auth.token_not_yet_valid'],
  auth_bad_signature: ['auth.invalid_token'],
  auth_garbage_token: ['auth.invalid_token'],
  auth_wrong_credential_type: ['auth.wrong_credential_type', 'auth.wrong_credential_type'],
  auth_invalid_api_key: ['auth.invalid_token'],

  billing_1102: ['billing.insufficient_credits', 'rate_limit.requests'],
  billing_402_generic: ['billing.insufficient_credits'],
  billing_arrears_1101: ['billing.account_in_arrears', 'rate_limit.requests'],
  account_exception_1100: ['account.exception', 'rate_limit.requests'],
  account_no_permission_1103: ['account.no_permission', 'unclassified.unknown'],
  account_no_permission_403_generic: ['account.no_permission', 'unclassified.unknown'],
  account_ip_1304: ['account.ip_not_whitelisted', 'rate_limit.requests'],
  account_region_403: ['account.region_restricted', 'unclassified.unknown'],

  content_policy_1301: ['content_policy.prompt_rejected', 'bad_request.invalid_parameter'],
  content_policy_403_generic: ['content_policy.prompt_rejected', 'unclassified.unknown'],
  platform_strategy_1300: ['content_policy.platform_strategy', 'bad_request.invalid_parameter'],

  // content: 'omit' drops request bodies too (postData.text is ""), so body evidence is gone
  missing_prompt: ['bad_request.missing_prompt', 'bad_request.invalid_parameter'],
  invalid_duration: ['bad_request.invalid_duration', 'bad_request.invalid_parameter'],
  invalid_aspect_ratio: ['bad_request.invalid_aspect_ratio', 'bad_request.invalid_parameter'],
  malformed_json: ['bad_request.malformed_json', 'bad_request.invalid_parameter'],
  invalid_model: ['bad_request.invalid_model', 'bad_request.not_found'],
  invalid_model_discontinued_generic: ['bad_request.invalid_model', 'bad_request.invalid_parameter'],
  invalid_cfg_scale: ['bad_request.invalid_parameter'],
  invalid_mode: ['bad_request.invalid_parameter'],
  unprocessable_422_generic: ['bad_request.invalid_parameter'],
  task_not_found_1203: ['bad_request.not_found'],
  bad_path_1202: ['bad_request.not_found'],

  rate_limit_1302: ['rate_limit.requests'],
  rate_limit_429_text: ['rate_limit.requests'],
  concurrency_1303: ['rate_limit.concurrency', 'rate_limit.requests'],

  server_5000: ['server.internal'],
  server_500_generic: ['server.internal'],
  bad_gateway_html: ['server.bad_gateway'],
  // a 502 without CORS headers: Chromium hides it from the page AND from the HAR (status -1,
  // net::ERR_FAILED): no response is all that is left, so it reads as a connection failure
  bad_gateway_nocors: ['network.connection'],
  unavailable_5001: ['server.unavailable'],
  unavailable_503_text: ['server.unavailable'],
  timeout_5002: ['server.timeout'],
  timeout_504_empty: ['server.timeout'],

  gen_risk_control: ['generation.content_policy', 'ok'],
  gen_timeout: ['generation.timeout', 'ok'],
  gen_complexity: ['generation.complexity', 'ok'],
  gen_input_image: ['generation.input_image', 'ok'],
  gen_failed_other: ['generation.failed', 'ok'],
  gen2026_failed_other: ['generation.failed', 'ok'],
  gen2026_failed_policy: ['generation.content_policy', 'ok'],

  slow_answer_abort: ['network.timeout'],
  slow_answer_timeout_signal: ['network.timeout'],
  drop_connection: ['network.connection'],
  closed_port: ['network.connection'],
};

// ---------------------------------------------------------------- fake JWTs
function b64url(obj) { return Buffer.from(JSON.stringify(obj)).toString('base64url'); }
function mintJwt(claims, secret = FAKE_SECRET_KEY) {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url(claims);
  const sig = crypto.createHmac('sha256', secret).update(head + '.' + body).digest('base64url');
  return `${head}.${body}.${sig}`;
}
function tokens() {
  const now = Math.floor(Date.now() / 1000);
  return {
    // valid for the whole recording (Kling's usual: exp = now + 1800, nbf = now - 5)
    good: mintJwt({ iss: FAKE_ACCESS_KEY, exp: now + 1800, nbf: now - 5 }),
    // expired two minutes before the recording started
    expired: mintJwt({ iss: FAKE_ACCESS_KEY, exp: now - 120, nbf: now - 1925 }),
    // minted by a client whose clock runs 10 minutes fast
    notYet: mintJwt({ iss: FAKE_ACCESS_KEY, exp: now + 600 + 1800, nbf: now + 600 - 5 }),
    // right claims, signed with another secret
    badSig: mintJwt({ iss: FAKE_ACCESS_KEY, exp: now + 1800, nbf: now - 5 }, 'not-the-secret-key'),
  };
}

// ---------------------------------------------------------------- the plan
const J = (o) => JSON.stringify(o);
const T2V = (extra = {}) => J(Object.assign({ model_name: 'kling-v1-6', prompt: 'a red fox running through fresh snow', duration: '5', aspect_ratio: '16:9', mode: 'std' }, extra));
const I2V = (extra = {}) => J(Object.assign({ model_name: 'kling-v1-6', image: 'https://cdn.example.invalid/in/cat.png', prompt: 'the cat waves', duration: '5' }, extra));
const V26 = (extra = {}) => J(Object.assign({ prompt: 'a paper boat on a rainy street', duration: '5', aspect_ratio: '9:16' }, extra));

// Every step: { scenario, method, url, auth ('good'|'expired'|...|'apikey'|raw string|null),
//   body, taskFrom (use the task id of an earlier step with that label), label, abortAfterMs, timeoutMs }
function buildPlan(closedPort) {
  const legacy = (scenario, extra = {}) => Object.assign({ scenario, method: 'POST', url: `${API}/v1/videos/text2video`, auth: 'good', body: T2V() }, extra);
  const ltask = (scenario, from, kind = 'text2video', extra = {}) => Object.assign({ scenario, method: 'GET', url: `${API}/v1/videos/${kind}/{task}`, auth: 'good', taskFrom: from }, extra);
  const v26 = (scenario, extra = {}) => Object.assign({ scenario, method: 'POST', url: `${API}/text-to-video/kling-2.6`, auth: 'apikey', body: V26() }, extra);
  const t26 = (scenario, from, extra = {}) => Object.assign({ scenario, method: 'GET', url: `${API}/tasks?task_ids={task}`, auth: 'apikey', taskFrom: from }, extra);
  return [
    // a healthy session first: create, poll, done (legacy text2video, image2video, 2026 standard)
    legacy('create_ok', { label: 'A' }),
    ltask('task_submitted', 'A'),
    ltask('task_processing', 'A'),
    ltask('task_succeed', 'A'),
    Object.assign(legacy('create_ok', { label: 'B', body: I2V() }), { url: `${API}/v1/videos/image2video` }),
    ltask('task_processing', 'B', 'image2video'),
    ltask('task_succeed', 'B', 'image2video'),
    v26('create2026_ok', { label: 'C' }),
    t26('task2026_processing', 'C'),
    t26('task2026_succeeded', 'C'),

    // authentication
    legacy('auth_missing_header', { auth: null }),
    legacy('auth_bad_scheme_no_prefix', { auth: 'raw:good' }),
    legacy('auth_bad_scheme_token', { auth: 'Token:good' }),
    legacy('auth_token_expired', { auth: 'expired' }),
    legacy('auth_token_not_yet_valid', { auth: 'notYet' }),
    legacy('auth_bad_signature', { auth: 'badSig' }),
    legacy('auth_garbage_token', { auth: 'Bearer:not-a-jwt-0000' }),
    v26('auth_wrong_credential_type', { auth: 'good' }),
    v26('auth_invalid_api_key', { auth: 'Bearer:kling-fake-api-key-revoked' }),

    // billing and account (Kling answers 429/403 with business codes; gateways 402/403 + text)
    legacy('billing_1102'),
    legacy('billing_402_generic'),
    legacy('billing_arrears_1101'),
    legacy('account_exception_1100'),
    legacy('account_no_permission_1103', { body: T2V({ model_name: 'kling-v2-master' }) }),
    legacy('account_no_permission_403_generic', { body: T2V({ model_name: 'kling-v2-master' }) }),
    legacy('account_ip_1304'),
    legacy('account_region_403'),

    // content policy at create time
    legacy('content_policy_1301', { body: T2V({ prompt: 'a graphic violent scene' }) }),
    legacy('content_policy_403_generic', { body: T2V({ prompt: 'a graphic violent scene' }) }),
    legacy('platform_strategy_1300'),

    // bad requests
    legacy('missing_prompt', { body: J({ model_name: 'kling-v1-6', duration: '5', aspect_ratio: '16:9' }) }),
    legacy('invalid_duration', { body: T2V({ duration: '7' }) }),
    legacy('invalid_aspect_ratio', { body: T2V({ aspect_ratio: '4:3' }) }),
    legacy('malformed_json', { body: '{"model_name": "kling-v1-6", "prompt": "a red fox", "duration": "5",}' }),
    legacy('invalid_model', { body: T2V({ model_name: 'kling-v0-9' }) }),
    legacy('invalid_model_discontinued_generic', { body: T2V({ model_name: 'kling-v0-9' }) }),
    legacy('invalid_cfg_scale', { body: T2V({ cfg_scale: 1.5 }) }),
    legacy('invalid_mode', { body: T2V({ mode: 'ultra' }) }),
    legacy('unprocessable_422_generic', { body: T2V({ callback_url: 'hooks/kling' }) }),
    ltask('task_not_found_1203', null, 'text2video', { url: `${API}/v1/videos/text2video/860099999999999` }),
    legacy('bad_path_1202', { url: `${API}/v1/videos/txt2video` }),

    // a few more healthy calls between the failures
    legacy('create_ok', { label: 'D' }),
    ltask('task_processing', 'D'),

    // rate limiting and concurrency
    legacy('rate_limit_1302'),
    legacy('rate_limit_429_text'),
    legacy('concurrency_1303'),

    // server side (Kling envelope and gateway shapes)
    legacy('server_5000'),
    legacy('server_500_generic'),
    legacy('bad_gateway_html'),
    legacy('bad_gateway_nocors'),
    ltask('unavailable_5001', 'D'),
    legacy('unavailable_503_text'),
    legacy('timeout_5002'),
    ltask('timeout_504_empty', 'D'),
    ltask('task_succeed', 'D'),

    // failed generations: HTTP 200, code 0, data.task_status "failed"
    legacy('create_ok', { label: 'E' }),
    ltask('gen_risk_control', 'E'),
    legacy('create_ok', { label: 'F' }),
    ltask('gen_timeout', 'F'),
    legacy('create_ok', { label: 'G' }),
    ltask('gen_complexity', 'G'),
    Object.assign(legacy('create_ok', { label: 'H', body: I2V({ image: 'https://cdn.example.invalid/in/tiny-120x90.png' }) }), { url: `${API}/v1/videos/image2video` }),
    ltask('gen_input_image', 'H', 'image2video'),
    legacy('create_ok', { label: 'I' }),
    ltask('gen_failed_other', 'I'),
    v26('create2026_ok', { label: 'J' }),
    t26('task2026_processing', 'J'),
    t26('gen2026_failed_other', 'J'),
    v26('create2026_ok', { label: 'K' }),
    t26('gen2026_failed_policy', 'K'),

    // transport failures
    legacy('slow_answer_abort', { abortAfterMs: 1500 }),
    legacy('slow_answer_timeout_signal', { timeoutMs: 1500 }),
    legacy('drop_connection'),
    legacy('closed_port', { url: `http://127.0.0.1:${closedPort}/v1/videos/text2video` }),
  ];
}

function authHeader(auth, tok) {
  if (auth === null) return null;
  if (auth === 'apikey') return 'Bearer ' + FAKE_API_KEY;
  if (auth.startsWith('raw:')) return tok[auth.slice(4)];            // token without "Bearer "
  if (auth.startsWith('Token:')) return 'Token ' + tok[auth.slice(6)]; // another scheme
  if (auth.startsWith('Bearer:')) return 'Bearer ' + auth.slice(7);   // literal opaque token
  return 'Bearer ' + tok[auth];
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function getJson(url) {
  const r = await fetch(url);
  return r.json();
}

// ---------------------------------------------------------------- recording
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function recordVariant(browser, harPath, harOptions, closedPort) {
  const context = await browser.newContext({ recordHar: Object.assign({ path: harPath }, harOptions) });
  const page = await context.newPage();
  // Playwright's HAR leaves CORS preflights out (they belong to no frame); count what Chromium
  // really sent through a CDP session of our own, for the report.
  const preflights = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => { if (e.initiator && e.initiator.type === 'preflight') preflights.push(e.request.url); });
  await page.goto(PAGE, { waitUntil: 'load' });
  const tok = tokens();
  const tasks = {};
  const seen = [];
  for (const step of buildPlan(closedPort)) {
    let url = step.url;
    if (step.taskFrom) {
      if (!tasks[step.taskFrom]) throw new Error(`no task id for label ${step.taskFrom}`);
      url = url.replace('{task}', encodeURIComponent(tasks[step.taskFrom]));
    }
    const headers = {};
    const a = authHeader(step.auth, tok);
    if (a !== null) headers['Authorization'] = a;
    if (step.body !== undefined) headers['Content-Type'] = 'application/json';
    headers['X-Scenario'] = step.scenario; // tells the mock what to answer; maps the HAR entry back
    const result = await page.evaluate((spec) => window.klingCall(spec),
      { scenario: step.scenario, method: step.method, url, headers, body: step.body, abortAfterMs: step.abortAfterMs, timeoutMs: step.timeoutMs });
    if (step.label) {
      const m = /"(?:task_id|id)":"([^"]+)"/.exec(result.text || '');
      if (!m) throw new Error(`step ${step.scenario}: no task id in ${JSON.stringify(result)}`);
      tasks[step.label] = m[1];
    }
    seen.push({ scenario: step.scenario, result });
  }
  await cdp.detach();
  await page.close();
  await context.close(); // writes the HAR
  return { seen, preflights };
}

// ---------------------------------------------------------------- mapping the HAR back
function headerValue(headers, name) {
  const h = (headers || []).find((x) => x.name.toLowerCase() === name.toLowerCase());
  return h ? h.value : undefined;
}

function expectedFor(entry, variantIndex) {
  const req = entry.request;
  const u = new URL(req.url);
  const failed = entry.response.status <= 0 || entry.response._failureText || entry._error || entry.response._error;
  if (req.method === 'GET' && u.pathname === '/index.html') return { scenario: 'page', cause: failed ? null : 'ok' };
  const scenario = headerValue(req.headers, 'X-Scenario');
  const apiOrigin = Number(u.port) === API_PORT;
  if (req.method === 'OPTIONS') {
    // a CORS preflight: fine when answered 2xx; one that never got an answer fails like its request
    if (!failed && entry.response.status >= 200 && entry.response.status < 300) return { scenario: 'preflight', cause: 'ok' };
    if (!apiOrigin) return { scenario: 'preflight(closed_port)', cause: EXPECT.closed_port[0] };
    return { scenario: 'preflight(?)', cause: null };
  }
  const e = EXPECT[scenario];
  if (!e) return { scenario: scenario || '?', cause: null };
  return { scenario, cause: e[Math.min(variantIndex, e.length - 1)] };
}

function writeExpected(harPath, variantIndex) {
  const text = fs.readFileSync(harPath, 'utf8');
  const har = JSON.parse(text);
  const lines = [];
  const problems = [];
  har.log.entries.forEach((entry, i) => {
    const u = new URL(entry.request.url);
    const { scenario, cause } = expectedFor(entry, variantIndex);
    if (!cause) problems.push(`entry ${i}: ${entry.request.method} ${entry.request.url} status ${entry.response.status}: no expected cause (scenario ${scenario})`);
    lines.push(`${i}\t${entry.request.method} ${u.pathname}\t${cause || 'UNMAPPED'}`);
  });
  const tsv = harPath.replace(/\.har$/, '.expected.tsv');
  fs.writeFileSync(tsv, lines.join('\n') + '\n');
  const options = har.log.entries.filter((e) => e.request.method === 'OPTIONS').length;
  return { entries: har.log.entries.length, bytes: Buffer.byteLength(text), tsv, problems, options };
}

function scrubCheck(harPath) {
  // The only credentials allowed in the HAR are the fake ones minted here.
  const text = fs.readFileSync(harPath, 'utf8');
  const problems = [];
  for (const m of text.matchAll(/eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g)) {
    let claims = {};
    try { claims = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')); } catch { /* not ours */ }
    if (claims.iss !== FAKE_ACCESS_KEY) problems.push(`a JWT not minted by record.js: iss=${claims.iss}`);
  }
  if (/api(-singapore)?\.klingai\.com/.test(text)) problems.push('a real Kling host appears');
  return problems;
}

async function main() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const health = await getJson(`${API}/__mock/health`).catch((e) => { throw new Error(`mock not reachable on ${API}: ${e.message}`); });
  if (!health.ok) throw new Error('mock unhealthy');
  const closedPort = await freePort();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  const variants = [
    { file: 'chromium-recorded.har', options: { content: 'embed' } },
    { file: 'chromium-recorded-minimal.har', options: { mode: 'minimal', content: 'omit' } },
  ];
  let failed = false;
  try {
    for (const [vi, v] of variants.entries()) {
      const harPath = path.join(OUT_DIR, v.file);
      const { seen, preflights } = await recordVariant(browser, harPath, v.options, closedPort);
      const r = writeExpected(harPath, vi);
      const problems = r.problems.concat(scrubCheck(harPath));
      if (r.bytes > MAX_HAR_BYTES) problems.push(`HAR is ${r.bytes} bytes (> ${MAX_HAR_BYTES})`);
      console.log(`${v.file}: ${r.entries} entries, ${r.bytes} bytes, ${seen.length} page calls, ` +
        `${preflights.length} CORS preflights sent (${r.options} OPTIONS entries in the HAR) -> ${path.basename(r.tsv)}`);
      for (const p of problems) { console.error(`  PROBLEM: ${p}`); failed = true; }
      if (process.env.RECORD_VERBOSE) for (const s of seen) console.log('   ', s.scenario, JSON.stringify(s.result).slice(0, 160));
    }
  } finally {
    await browser.close();
  }
  const mm = await getJson(`${API}/__mock/mismatches`);
  for (const m of mm.mismatches) { console.error(`  PROBLEM: mock check disagrees with scenario: ${JSON.stringify(m)}`); failed = true; }
  if (failed) process.exit(1);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
