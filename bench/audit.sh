#!/usr/bin/env bash
# What the audit costs: `analyze --audit` against a plain run on one log
# file (a day of bench/gen_logs.py logs, issue 13's target: at most +20 %).
#
#   bench/audit.sh [--bin PATH] [--runs N] [--threads N] FILE
#
# Runs `analyze -j N -f json -o /dev/null FILE` and the same with --audit,
# alternated, N runs each (default 3); prints each pair and the fastest of
# each (wall and CPU = user + sys), their ratios, the peak RSS of the
# audited run (the 256 MiB budget) and its phases (--stats). Needs GNU time
# (/usr/bin/time, Debian package `time`). Quote ratios from one run: the
# machines are shared and noisy.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${KLING_TRIAGE:-$root/build/release/kling-triage}
runs=3
threads=2
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) file=$1; shift ;;
  esac
done
[[ -n $file ]] || { echo "audit.sh: give a log file (bench/gen_logs.py --size 1GB -o ...)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1764000000
cat "$file" > /dev/null  # warm the page cache

: > "$tmp/off"; : > "$tmp/on"
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$bin" analyze -j "$threads" -f json -o /dev/null "$file" 2> /dev/null
  cat "$tmp/t" >> "$tmp/off"; read -r w u s m < "$tmp/t"
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$bin" analyze --audit -j "$threads" -f json -o /dev/null "$file" 2> /dev/null
  cat "$tmp/t" >> "$tmp/on"; read -r w2 u2 s2 m2 < "$tmp/t"
  awk -v w="$w" -v c="$(awk "BEGIN{print $u+$s}")" -v w2="$w2" -v c2="$(awk "BEGIN{print $u2+$s2}")" -v i="$i" \
    'BEGIN { printf "pair %d: off %.2f s wall %.2f s cpu | on %.2f s wall %.2f s cpu | on/off wall %.3f cpu %.3f\n", i + 1, w, c, w2, c2, w2 / w, c2 / c }'
done
best() { awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 } $4 > m { m = $4 } END { print w, c, m }' "$1"; }
read -r ow oc om < <(best "$tmp/off")
read -r nw nc nm < <(best "$tmp/on")
awk -v ow="$ow" -v oc="$oc" -v om="$om" -v nw="$nw" -v nc="$nc" -v nm="$nm" 'BEGIN {
  printf "fastest: off %.2f s wall, %.2f s cpu, %.0f MB | --audit %.2f s wall, %.2f s cpu, %.0f MB\n", ow, oc, om / 1024, nw, nc, nm / 1024
  printf "audit overhead: wall %+.1f %%, cpu %+.1f %% (target: at most +20 %%)\n", (nw / ow - 1) * 100, (nc / oc - 1) * 100 }'
"$bin" analyze --audit --stats -j "$threads" -f json -o /dev/null "$file" 2>&1 | grep -E "phases|peak memory"
