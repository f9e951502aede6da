#!/usr/bin/env bash
# Re-record bruno-report.json: installs the Bruno CLI (@usebruno/cli) from the lockfile, starts the
# Kling mock on free ports of 127.0.0.1, mints the JWTs (common/kling_calls.js) and runs the
# collection in collection/ with `bru run --reporter-json`. The Bruno CLI writes no HAR: its JSON
# report (one results[] entry per request, with request and response) is what a team running
# Bruno in CI keeps.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/mock.sh"
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
read -r good expired < <(node -e 'const t=require("../common/kling_calls.js").tokens(); console.log(t.good, t.expired)')
rm -f "$here/bruno-report.json"
# --sandbox developer: the default QuickJS sandbox is sometimes not ready for the first
# post-response var (seen here: "Cannot read properties of undefined (reading 'newContext')"),
# and the next request then goes out with a literal {{task_a}} in its URL.
(cd collection && node "$here/node_modules/@usebruno/cli/bin/bru.js" run --sandbox developer \
   --env-var "base=$MOCK_BASE" --env-var "closed_base=http://127.0.0.1:$CLOSED_PORT" \
   --env-var "good_token=$good" --env-var "expired_token=$expired" \
   --reporter-json "$here/bruno-report.json") || true   # bru exits 1 when a request fails
check_mock
node "$here/expected.js" "$here/bruno-report.json"
