#!/usr/bin/env bash
# Re-record python-json-logger.jsonl: installs Debian's python3-pythonjsonlogger and
# python3-requests, starts the Kling mock on free ports of 127.0.0.1, runs record.py with
# Debian's /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/apt.sh"
. "$here/../common/mock.sh"
need_debs python3 python3-pythonjsonlogger python3-requests
start_mock
TZ=UTC /usr/bin/python3 "$here/record.py"   # asctime is local time with no zone: pin it
check_mock
wc -l "$here/python-json-logger.jsonl"
