#!/usr/bin/env bash
# Re-record winston.jsonl: installs winston and got from the lockfile, starts the Kling mock on
# free ports of 127.0.0.1, runs record.mjs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
node record.mjs
check_mock
wc -l winston.jsonl
