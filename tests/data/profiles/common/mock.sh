# mock.sh: sourced by the recording scripts. Starts tools/har-recording/mock_kling.js on free
# ports of 127.0.0.1, exports MOCK_BASE, MOCK_PORT and CLOSED_PORT (a port nothing listens on),
# and stops the mock on exit.   . "$(dirname "$0")/../common/mock.sh"; start_mock
profiles_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$profiles_dir/../../.." && pwd)"
mock_js="$repo_root/tools/har-recording/mock_kling.js"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

start_mock() {
  command -v node >/dev/null || { echo "mock.sh: Node.js 18+ is required" >&2; exit 2; }
  MOCK_PORT="${MOCK_PORT:-$(free_port)}"
  local page_port; page_port="$(free_port)"
  CLOSED_PORT="${CLOSED_PORT:-$(free_port)}"
  node "$mock_js" "$MOCK_PORT" "$page_port" >"${MOCK_LOG:-/dev/null}" 2>&1 &
  MOCK_PID=$!
  trap stop_mock EXIT
  MOCK_BASE="http://127.0.0.1:$MOCK_PORT"
  export MOCK_PORT CLOSED_PORT MOCK_BASE
  node -e '
    const url = process.argv[1], until = Date.now() + 10000;
    (async function poll() {
      try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
      if (Date.now() > until) { console.error("mock.sh: the mock did not start"); process.exit(1); }
      setTimeout(poll, 100);
    })();' "$MOCK_BASE/__mock/health"
}

# Fails when the mock's own request check disagreed with a scenario (e.g. a JWT it rejected).
check_mock() {
  node -e '
    fetch(process.argv[1]).then(r => r.json()).then(j => {
      if (j.mismatches.length) { console.error("mock mismatches:", JSON.stringify(j.mismatches)); process.exit(1); }
    });' "$MOCK_BASE/__mock/mismatches"
}

stop_mock() {
  if [ -n "${MOCK_PID:-}" ]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=""
  fi
}
