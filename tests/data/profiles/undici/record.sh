#!/usr/bin/env bash
# Re-record undici.jsonl: installs undici and pino from the lockfile, starts the Kling mock on
# free ports of 127.0.0.1, runs record.js.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
node record.js
check_mock
wc -l undici.jsonl
