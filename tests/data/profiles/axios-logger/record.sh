#!/usr/bin/env bash
# Re-record axios-logger.log and axios-logger-headers.log: installs axios and axios-logger from
# the lockfile, starts the Kling mock on free ports of 127.0.0.1, runs record.js.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
node record.js
check_mock
wc -l axios-logger.log axios-logger-headers.log
