#!/usr/bin/env bash
# Re-record kling-api.jsonl: installs kling-api from the lockfile (and Debian's openssl for the
# throw-away certificate), starts the Kling mock and recording_proxy.mjs on free ports of
# 127.0.0.1, and runs drive.mjs. Takes about 40 s (the library's own 3 s poll interval and 2 s /
# 4 s retry delays). Writes kling-api.jsonl, kling-api.scenarios.tsv and drive.out.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../profiles/common/apt.sh"
. "$here/../../profiles/common/mock.sh"
need_debs openssl
cd "$here"
npm ci --no-audit --no-fund >/dev/null
start_mock
tmp="$(mktemp -d)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
port="$(free_port)"
node recording_proxy.mjs "$port" "$MOCK_BASE" "$tmp/key.pem" "$tmp/cert.pem" kling-api.jsonl kling-api.scenarios.tsv &
ppid=$!
sleep 0.5
NODE_EXTRA_CA_CERTS="$tmp/cert.pem" PROXY_BASE="https://127.0.0.1:$port" node drive.mjs | tee drive.out
errs="$(NODE_EXTRA_CA_CERTS="$tmp/cert.pem" node -e 'fetch(process.argv[1]).then(r=>r.json()).then(j=>console.log(JSON.stringify(j.errors)))' "https://127.0.0.1:$port/__errors")"
kill "$ppid"; wait "$ppid" 2>/dev/null || true
rm -rf "$tmp"
check_mock
[ "$errs" = "[]" ] || { echo "record.sh: calls the plan did not foresee: $errs" >&2; exit 1; }
wc -l kling-api.jsonl
