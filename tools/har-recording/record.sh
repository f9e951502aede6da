#!/usr/bin/env bash
# Re-record the Chromium HAR samples in samples/har/ against the local Kling mock.
#   tools/har-recording/record.sh            (ports: MOCK_PORT, default 8787, and MOCK_PORT+1)
# Installs Debian's chromium if missing (needs root or sudo) and playwright-core from the lockfile.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT_DIR:-$root/samples/har}"
api_port="${MOCK_PORT:-8787}"
page_port="${MOCK_PAGE_PORT:-$((api_port + 1))}"
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$chromium_bin" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y chromium
fi
command -v node >/dev/null || { echo "record.sh: Node.js 18+ is required" >&2; exit 2; }

cd "$here"
npm ci --no-audit --no-fund

node mock_kling.js "$api_port" "$page_port" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT

# wait for the mock to answer
node -e '
  const url = process.argv[1];
  const until = Date.now() + 10000;
  (async function poll() {
    try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
    if (Date.now() > until) { console.error("record.sh: the mock did not start"); process.exit(1); }
    setTimeout(poll, 100);
  })();' "http://127.0.0.1:$api_port/__mock/health"

node record.js --api-port "$api_port" --page-port "$page_port" --out-dir "$out" --chromium "$chromium_bin"

# stop the mock politely; the trap is the fallback
node -e 'fetch(process.argv[1], {method: "POST"}).catch(() => {})' "http://127.0.0.1:$api_port/__mock/shutdown"
wait "$mock_pid" 2>/dev/null || true
trap - EXIT

# every HAR parses and has one expected line per entry
if command -v python3 >/dev/null; then
  for har in "$out"/chromium-recorded*.har; do
    python3 - "$har" <<'PY'
import json, sys
har = sys.argv[1]
entries = json.load(open(har))["log"]["entries"]
lines = open(har[:-4] + ".expected.tsv").read().splitlines()
assert len(entries) == len(lines), (har, len(entries), len(lines))
print(f"{har}: {len(entries)} entries, {len(lines)} expected lines: ok")
PY
  done
fi
