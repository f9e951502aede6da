#!/usr/bin/env node
// The app: calls Kling with axios, traced by @opentelemetry/instrumentation-http (CLIENT spans,
// default options) and logging one OTLP log record per call through @opentelemetry/sdk-logs.
// Both are exported with the OTLP/HTTP JSON exporters to OTLP_BASE (receiver.js); the SDK's
// batch processors are flushed after calls 2, 4 and 7, so one export line holds several spans or
// log records.
// SEMCONV=stable: instrumentation-http 0.223.0, which emits only the stable HTTP semantic
//   conventions (http.request.method, url.full, http.response.status_code, error.type);
// SEMCONV=old: instrumentation-http 0.220.0 (the last with the old default) with no opt-in:
//   semantic conventions v1.7.0 (http.method, http.url, http.status_code, net.peer.name);
// SEMCONV=dup: instrumentation-http 0.220.0 with OTEL_SEMCONV_STABILITY_OPT_IN=http/dup: both.
// The log records' attributes follow the same convention.
// Needs MOCK_BASE, CLOSED_PORT, OTLP_BASE, SEMCONV.
'use strict';
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const semconv = process.env.SEMCONV;
if (!['old', 'dup', 'stable'].includes(semconv)) throw new Error('SEMCONV must be old, dup or stable');
process.env.OTEL_SEMCONV_STABILITY_OPT_IN = semconv === 'dup' ? 'http/dup' : '';
const { HttpInstrumentation } = require(semconv === 'stable' ? '@opentelemetry/instrumentation-http' : 'instrumentation-http-0.220');
const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { logs, SeverityNumber } = require('@opentelemetry/api-logs');

const otlp = process.env.OTLP_BASE;
const resource = resourceFromAttributes({ 'service.name': 'video-worker', 'service.version': '1.4.2', 'deployment.environment.name': 'staging' });
const tp = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlp + '/v1/traces' }))] });
tp.register();
const lp = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: otlp + '/v1/logs' }) })] });
logs.setGlobalLoggerProvider(lp);
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

const axios = require('axios'); // after the instrumentation is registered
const K = require('../common/kling_calls.js');
const logger = logs.getLogger('kling.client', '1.4.2');

const OLD = { method: 'http.method', url: 'http.url', status: 'http.status_code' };
const NEW = { method: 'http.request.method', url: 'url.full', status: 'http.response.status_code' };
const NAMES = { old: [OLD], dup: [OLD, NEW], stable: [NEW] }[semconv];
// {method, url, status} -> attributes under the names of this run's convention(s)
function named(values) {
  const out = {};
  for (const n of NAMES) for (const [k, v] of Object.entries(values)) if (v !== undefined) out[n[k]] = v;
  return out;
}

(async () => {
  const api = axios.create({ timeout: 10000 });
  const e = K.env();
  const toks = K.tokens();
  const taskIds = {};
  for (const [i, call] of K.CALLS.entries()) {
    const r = K.prepare(call, e, toks, taskIds);
    const start = Date.now();
    try {
      const res = await api.request({ method: r.method, url: r.url, headers: r.headers, data: r.body, validateStatus: () => true });
      const text = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
      K.noteAnswer(call, res.data, taskIds);
      logger.emit({
        severityNumber: res.status >= 400 ? SeverityNumber.WARN : SeverityNumber.INFO,
        severityText: res.status >= 400 ? 'WARN' : 'INFO',
        body: 'kling response',
        attributes: Object.assign(named({ method: r.method, url: r.url, status: res.status }), { 'http.response.body': text, 'duration_ms': Date.now() - start }),
      });
    } catch (err) {
      const attrs = Object.assign(named({ method: r.method, url: r.url }), { 'exception.type': err.name, 'exception.message': err.message, 'duration_ms': Date.now() - start });
      if (semconv !== 'old') attrs['error.type'] = err.code || err.name;
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'kling request failed', attributes: attrs });
    }
    if (i === 1 || i === 3 || i === K.CALLS.length - 1) { await tp.forceFlush(); await lp.forceFlush(); }
    await K.sleep(20);
  }
  await tp.shutdown();
  await lp.shutdown();
})().catch((err) => { console.error(err); process.exit(1); });
