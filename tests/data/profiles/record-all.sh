#!/usr/bin/env bash
# Re-record every tool's output in this folder (and the audit recording in ../audit/). Needs
# Node.js 18+, the npm registry and Debian's packages (apt-get as root or through sudo). Not part
# of the test suite. Each script starts its own mock on free ports of 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for d in pino winston undici axios-logger python-json-logger structlog urllib3 opentelemetry nginx mitmproxy bruno; do
  echo "== $d" >&2
  "$here/$d/record.sh"
done
echo "== audit/kling-api" >&2
"$here/../audit/kling-api/record.sh"
