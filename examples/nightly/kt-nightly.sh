#!/bin/sh
# The nightly recipe (README, "What changed since yesterday"): analyze one UTC
# day of logs, keep its partial, and gate on what changed since the day before.
#
#   kt-nightly.sh LOGS STATE REPORTS
#
# LOGS     the log files or folder (read recursively)
# STATE    where the daily partials are kept (STATE/2026-11-24.partial, ...)
# REPORTS  where the HTML report of each day goes (REPORTS/2026-11-24.html)
#
# KT_DAY (default: yesterday, UTC) is the day analyzed; KT_KEEP_DAYS (default
# 35) how many days of partials are kept; KT_FAIL_ON (default: "new-cause>0
# regressed>0") the diff's conditions, space-separated. Exit status: kling-
# triage's (1: a condition was met, 2: an input or the baseline was unreadable).
set -eu
logs=$1 state=$2 reports=$3
day=${KT_DAY:-$(date -u -d yesterday +%F)}
next=$(date -u -d "$day + 1 day" +%F)
before=$(date -u -d "$day - 1 day" +%F)
mkdir -p "$state" "$reports"

set -- analyze -f html -o "$reports/$day.html" --partial "$state/$day.partial.tmp" \
  --since "${day}T00:00:00Z" --until "${next}T00:00:00Z"
if [ -f "$state/$before.partial" ]; then
  set -- "$@" --baseline "$state/$before.partial"
  for cond in ${KT_FAIL_ON:-new-cause>0 regressed>0}; do set -- "$@" --fail-on "$cond"; done
fi
status=0
kling-triage "$@" "$logs" || status=$?
# A partial is kept even when the gate fails: it is tomorrow's baseline.
if [ -s "$state/$day.partial.tmp" ]; then mv "$state/$day.partial.tmp" "$state/$day.partial"; fi
find "$state" -name '*.partial' -mtime +"${KT_KEEP_DAYS:-35}" -delete
exit "$status"
