#!/usr/bin/env bash
# Re-record pino-axios.jsonl and pino-http.jsonl: installs pino, pino-http and axios from the
# lockfile, starts the Kling mock on free ports of 127.0.0.1, runs record.js.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
node record.js
check_mock
wc -l pino-axios.jsonl pino-http.jsonl
