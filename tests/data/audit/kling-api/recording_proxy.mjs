#!/usr/bin/env node
// recording_proxy.mjs: the HTTPS front the client library talks to (kling-api insists on an
// https:// base URL). It terminates TLS with a throw-away self-signed certificate, forwards every
// call to the Kling mock (tools/har-recording/mock_kling.js) over HTTP, and writes each call as
// one canonical JSON line (contract.md "Input records"): ts (request start, RFC 3339 with ms),
// request {method, url, headers, body}, response {status, headers, body}, duration_ms.
//
// What the mock answers is chosen here, not by the client: the driver posts a plan to
// POST /__plan {"label": "...", "create": [scenario...], "query": [scenario...]} and each create
// (POST /v1/videos/...) or task query (GET /v1/videos/<kind>/<id>) takes the next scenario of its
// queue (X-Scenario on the forwarded request only; the recorded headers are the client's). An empty
// queue is an error (the call is answered 599 and listed at GET /__errors). Control calls are not
// recorded. A sidecar TSV names, per recorded line, the plan label, the mock scenario and its cause.
//
//   node recording_proxy.mjs PORT MOCK_BASE KEY CERT OUT_JSONL OUT_TSV
import fs from 'node:fs';
import https from 'node:https';

const [port, mockBase, keyFile, certFile, outJsonl, outTsv] = process.argv.slice(2);
fs.writeFileSync(outJsonl, '');
fs.writeFileSync(outTsv, '');

// The error reference's cause for each mock scenario used by drive.mjs.
const CAUSE = {
  create_ok: 'ok', task_submitted: 'ok', task_processing: 'ok', task_succeed: 'ok',
  rate_limit_1302: 'rate_limit.requests', billing_1102: 'billing.insufficient_credits',
  unavailable_503_text: 'server.unavailable', gen_risk_control: 'generation.content_policy',
};
let plan = { label: '-', create: [], query: [] };
const errors = [];
let line = 0;

function parseBody(text, type) {
  if (text === '') return undefined;
  if (/json/i.test(type || '') || /^[[{]/.test(text)) { try { return JSON.parse(text); } catch { /* keep text */ } }
  return text;
}
function routeOf(method, path) {
  if (method === 'POST' && /^\/v1\/(videos|images)\/[^/]+$/.test(path)) return 'create';
  if (method === 'GET' && /^\/v1\/(videos|images)\/[^/]+\/[^/]+$/.test(path)) return 'query';
  return null;
}

const server = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (req, res) => {
  const start = Date.now();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url.split('?')[0];
    if (path === '/__plan' && req.method === 'POST') {
      plan = JSON.parse(raw);
      res.end('{}');
      return;
    }
    if (path === '/__errors') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ errors })); return; }
    const route = routeOf(req.method, path);
    const scenario = route ? plan[route].shift() : undefined;
    if (!scenario) {
      errors.push({ label: plan.label, method: req.method, url: req.url, route });
      res.writeHead(599); res.end();
      return;
    }
    const fwd = {};
    for (const [k, v] of Object.entries(req.headers)) if (!['host', 'connection', 'content-length'].includes(k)) fwd[k] = v;
    fwd['x-scenario'] = scenario;
    const up = await fetch(mockBase + req.url, { method: req.method, headers: fwd, body: raw === '' ? undefined : raw });
    const text = await up.text();
    const headers = {};
    up.headers.forEach((v, k) => { headers[k] = v; });
    res.writeHead(up.status, headers);
    res.end(text);
    res.on('finish', () => {
      const rec = {
        ts: new Date(start).toISOString(),
        request: { method: req.method, url: `https://${req.headers.host}${req.url}`, headers: req.headers, body: parseBody(raw, req.headers['content-type']) },
        response: { status: up.status, headers, body: parseBody(text, headers['content-type']) },
        duration_ms: Date.now() - start,
      };
      if (rec.request.body === undefined) delete rec.request.body;
      if (rec.response.body === undefined) delete rec.response.body;
      line += 1;
      fs.appendFileSync(outJsonl, JSON.stringify(rec) + '\n');
      fs.appendFileSync(outTsv, [line, plan.label, `${req.method} ${path}`, scenario, CAUSE[scenario] || '?'].join('\t') + '\n');
    });
  });
});
server.listen(Number(port), '127.0.0.1');
