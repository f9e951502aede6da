#!/usr/bin/env bash
# Re-record urllib3.log: installs Debian's python3-requests (and its python3-urllib3), starts the
# Kling mock on free ports of 127.0.0.1, runs record.py with Debian's /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../common/apt.sh"
. "$here/../common/mock.sh"
need_debs python3 python3-requests python3-urllib3
start_mock
TZ=UTC /usr/bin/python3 "$here/record.py"   # asctime is local time with no zone: pin it
check_mock
wc -l "$here/urllib3.log"
