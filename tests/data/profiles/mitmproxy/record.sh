#!/usr/bin/env bash
# Re-record mitmproxy.har: installs Debian's mitmproxy (8.1.1 in Debian 12; its HAR writer is the
# har_dump.py addon shipped in /usr/share/doc/mitmproxy/examples/contrib, the `hardump` option
# came with mitmproxy 10) and python3-requests, starts the Kling mock, then mitmdump as a plain
# HTTP proxy on a free port of 127.0.0.1 with that addon, makes the seven calls through it with
# client.py, and stops mitmdump (the addon writes the HAR when mitmdump exits).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/apt.sh"
. "$here/../common/mock.sh"
need_debs mitmproxy python3-requests
addon=/usr/share/doc/mitmproxy/examples/contrib/har_dump.py
[ -f "$addon" ] || { echo "record.sh: $addon not found" >&2; exit 2; }
start_mock
conf="$(mktemp -d)"
port="$(free_port)"
rm -f "$here/mitmproxy.har"
mitmdump --listen-host 127.0.0.1 --listen-port "$port" --set confdir="$conf" \
  -s "$addon" --set hardump="$here/mitmproxy.har" >"$conf/mitmdump.out" 2>&1 &
mpid=$!
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
PROXY_URL="http://127.0.0.1:$port" /usr/bin/python3 "$here/client.py"
kill -INT "$mpid"; wait "$mpid" || true
sed 's/^/mitmdump: /' "$conf/mitmdump.out" | grep -iE "error|refused|har" || true
rm -rf "$conf"
check_mock
/usr/bin/python3 "$here/expected.py" "$here/mitmproxy.har"
