#!/usr/bin/env node
// drive.mjs: uses the kling-api package (npm, 1.0.0) the way its README shows, against the
// recording proxy (PROXY_BASE, https), with the mock's fake credentials. Each scenario first
// tells the proxy what the mock will answer, then calls the library and lets it do what it does by
// itself (retries, polling); nothing here retries or waits between calls except where noted.
// Every scenario has its own KlingAPI instance with its own access key (AK-FAKE-0000-DEMO-<n>, the
// same fake secret), so each is its own client in the audit and one scenario's calls never count
// against another's.
// Prints one line per scenario with what the library returned or threw and how long it took.
import { KlingAPI } from 'kling-api';

const base = process.env.PROXY_BASE;
let api;
let n = 0;
const params = { prompt: 'a red fox running through fresh snow, cinematic', model_name: 'kling-v1-6', duration: '5', aspect_ratio: '16:9', mode: 'std' };

async function setPlan(label, create, query = []) {
  const r = await fetch(base + '/__plan', { method: 'POST', body: JSON.stringify({ label, create, query }) });
  if (!r.ok) throw new Error('plan refused');
}

async function scenario(label, create, query, fn) {
  n += 1;
  api = new KlingAPI({ accessKey: `AK-FAKE-0000-DEMO-${n}`, secretKey: 'fake-secret-for-har-samples-only', baseUrl: base });
  await setPlan(label, create, query);
  const t0 = Date.now();
  let outcome;
  try { outcome = 'returned ' + JSON.stringify(await fn()).slice(0, 120); } catch (e) { outcome = `threw ${e.name}: ${e.message} (code ${e.code}, http ${e.httpStatus})`; }
  console.log(`${label} (client AK-FAKE-0000-DEMO-${n}): ${outcome} after ${Date.now() - t0} ms`);
}

// waitForVideoResult(taskId, queryFn = the text2video query, options): the default query function
const wait = (taskId, opts = {}) => api.waitForVideoResult(taskId, undefined, Object.assign({ showSpinner: false }, opts));

// 1. the README's flow: create, then wait (default poll interval) until succeed
await scenario('happy_path', ['create_ok'], ['task_submitted', 'task_processing', 'task_processing', 'task_succeed'], async () => {
  const t = await api.textToVideo(params);
  return (await wait(t.data.task_id)).data.task_status;
});
// 2. the task fails (HTTP 200, code 0, task_status failed)
await scenario('task_failed', ['create_ok'], ['task_processing', 'gen_risk_control'], async () => {
  const t = await api.textToVideo(params);
  return (await wait(t.data.task_id)).data.task_status;
});
// 3. create answered 429 / 1302 with Retry-After: 5
await scenario('rate_limited_create', ['rate_limit_1302', 'create_ok'], [], () => api.textToVideo(params));
// 4. create answered 429 / 1102 (resource pack empty)
await scenario('billing_1102', ['billing_1102', 'billing_1102', 'billing_1102'], [], () => api.textToVideo(params));
// 5. create answered 503 with Retry-After: 120 twice, then accepted; then wait for the result
await scenario('unavailable_then_ok', ['unavailable_503_text', 'unavailable_503_text', 'create_ok'], ['task_succeed'], async () => {
  const t = await api.textToVideo(params);
  return (await wait(t.data.task_id)).data.task_status;
});
// 6. 503 on every attempt: what the library gives up after
await scenario('unavailable_always', ['unavailable_503_text', 'unavailable_503_text', 'unavailable_503_text', 'unavailable_503_text'], [], () => api.textToVideo(params));
// 7. a poll answered 429 / 1302 while waiting: does the poller back off or give up?
await scenario('rate_limited_poll', ['create_ok'], ['task_processing', 'rate_limit_1302', 'task_succeed'], async () => {
  const t = await api.textToVideo(params);
  return (await wait(t.data.task_id)).data.task_status;
});
// 8. the caller passes { interval: 500 } to waitForVideoResult (the option the README documents)
await scenario('fast_poll_option', ['create_ok'], ['task_submitted', 'task_processing', 'task_processing', 'task_processing', 'task_processing', 'task_succeed'], async () => {
  const t = await api.textToVideo(params);
  return (await wait(t.data.task_id, { interval: 500 })).data.task_status;
});
