#!/usr/bin/env bash
# Re-record nginx-upstream.jsonl, nginx-body.jsonl and nginx-resp-body.jsonl: installs Debian's
# nginx and libnginx-mod-http-lua, starts the Kling
# mock, then nginx (foreground, its own prefix in a temp folder, two servers on free ports of
# 127.0.0.1: one proxying to the mock, one to a port nothing listens on), makes the seven calls
# through it with client.js, stops nginx.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/apt.sh"
. "$here/../common/mock.sh"
need_debs nginx libnginx-mod-http-lua
start_mock
prefix="$(mktemp -d)"
port="$(free_port)"; port_down="$(free_port)"
rm -f "$here"/nginx-*.jsonl
sed -e "s|@PREFIX@|$prefix|g" -e "s|@OUT@|$here|g" -e "s|@PORT@|$port|g" -e "s|@PORT_DOWN@|$port_down|g" \
    -e "s|@MOCK_PORT@|$MOCK_PORT|g" -e "s|@CLOSED_PORT@|$CLOSED_PORT|g" "$here/nginx.conf.in" >"$prefix/nginx.conf"
/usr/sbin/nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" &
nginx_pid=$!
sleep 1
NGINX_BASE="http://127.0.0.1:$port" NGINX_DOWN_BASE="http://127.0.0.1:$port_down" node "$here/client.js"
kill -QUIT "$nginx_pid"; wait "$nginx_pid" || true
grep -h "connect()" "$prefix/error.log" | sed 's/^/nginx error.log: /' || true
rm -rf "$prefix"
check_mock
wc -l "$here"/nginx-*.jsonl
