#!/usr/bin/env bash
# Re-record structlog.jsonl: installs Debian's python3-structlog and python3-httpx, starts the
# Kling mock on free ports of 127.0.0.1, runs record.py with Debian's /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/apt.sh"
. "$here/../common/mock.sh"
need_debs python3 python3-structlog python3-httpx
start_mock
/usr/bin/python3 "$here/record.py"
check_mock
wc -l "$here/structlog.jsonl"
