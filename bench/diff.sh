#!/usr/bin/env bash
# diff of two one-day partials, against the analyze that made one of them
# and a merge of the same two partials (bench/README.md, "Diff").
#
#   bench/diff.sh [--size 1GB] [--runs 5] [--data DIR]
#
# Generates two days of logs (gen_logs.py, seeds 1 and 2, the second with an
# incident), analyzes each into a partial, then times `diff` (text and json),
# `merge` of the two partials, and `analyze` of day 2, each best of --runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${KT:-$root/build/release/kling-triage}
size=1GB runs=5 data=$root/bench/data
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "usage: $0 [--size 1GB] [--runs N] [--data DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$data"
d1=$data/day1-$size.jsonl d2=$data/day2-$size.jsonl
[ -s "$d1" ] || python3 "$root/bench/gen_logs.py" -q --size "$size" --seed 1 --start 2026-11-24T00:00:00Z --span 24h -o "$d1"
[ -s "$d2" ] || python3 "$root/bench/gen_logs.py" -q --size "$size" --seed 2 --start 2026-11-25T00:00:00Z --span 24h \
  --incident 2026-11-25T14:10:00Z,40m,0.40 -o "$d2"
"$bin" analyze --partial "$data/day1.partial" "$d1"
"$bin" analyze --partial "$data/day2.partial" "$d2"

best() {  # best wall time in seconds of `runs` runs of "$@"
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    best = min(best or 1e9, time.perf_counter() - t)
print(f"{best:.4f}")
PY
}
printf 'inputs: %s (%s bytes), %s (%s bytes); partials %s and %s bytes\n' \
  "$d1" "$(stat -c %s "$d1")" "$d2" "$(stat -c %s "$d2")" \
  "$(stat -c %s "$data/day1.partial")" "$(stat -c %s "$data/day2.partial")"
t_diff=$(best "$bin" diff "$data/day1.partial" "$data/day2.partial")
t_json=$(best "$bin" diff -f json "$data/day1.partial" "$data/day2.partial")
t_html=$(best "$bin" diff -f html "$data/day1.partial" "$data/day2.partial")
t_merge=$(best "$bin" merge "$data/day1.partial" "$data/day2.partial")
t_version=$(best "$bin" --version)
t_analyze=$(best "$bin" analyze -o /dev/null "$d2")
python3 - "$t_diff" "$t_json" "$t_html" "$t_merge" "$t_version" "$t_analyze" <<'PY'
import sys
d, j, h, m, v, a = map(float, sys.argv[1:])
print(f"diff (text) {d*1000:.1f} ms, json {j*1000:.1f} ms, html {h*1000:.1f} ms; merge {m*1000:.1f} ms; "
      f"--version (process start) {v*1000:.1f} ms; analyze of day 2 {a:.2f} s")
print(f"diff / analyze of one day: 1/{a/d:.0f}; diff / merge: {d/m:.2f}; diff - process start: {(d-v)*1000:.1f} ms")
PY
