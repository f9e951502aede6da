#!/usr/bin/env bash
# Re-record the OTLP/JSON exports: installs the @opentelemetry packages from the lockfile, starts
# the Kling mock and receiver.js on free ports of 127.0.0.1, runs app.js three times (old, both
# (dup) and stable HTTP semantic conventions) and writes one expected.tsv per export file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
for conv in old dup stable; do
  port="$(free_port)"
  node receiver.js "$port" "otel-$conv-spans.jsonl" "otel-$conv-logs.jsonl" &
  rpid=$!
  sleep 0.5
  OTLP_BASE="http://127.0.0.1:$port" SEMCONV="$conv" node app.js
  node -e 'fetch(process.argv[1], {method: "POST"}).catch(() => {})' "http://127.0.0.1:$port/__shutdown"
  wait "$rpid" || true
  node expected.js "otel-$conv-spans.jsonl" spans
  node expected.js "otel-$conv-logs.jsonl" logs
done
check_mock
wc -l otel-*.jsonl
