#!/usr/bin/env bash
# What partials cost: run on one log file (a day of bench/gen_logs.py logs).
#
#   bench/partial.sh [--bin PATH] [--runs N] [--old-bin PATH] FILE
#
# 1. --partial against a plain run: `analyze -f json -o /dev/null FILE` and
#    `analyze --partial /dev/null FILE`, alternated, N runs each (default 3),
#    fastest kept; wall and CPU (user + sys) time, and their ratios. With
#    --old-bin, the plain run of another build too (the engine's cost).
# 2. The partial's size against the input's.
# 3. Merging 100 partials: FILE cut into 100 byte ranges (as kt-dask cuts
#    it), each analyzed into a partial, then `merge -f json` of all 100
#    timed (and checked equal to the plain run's report).
#
# Needs GNU time (/usr/bin/time, Debian package `time`). Quote ratios from
# one run: the machines are shared and noisy.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${KLING_TRIAGE:-$root/build/release/kling-triage}
runs=3
old_bin=""
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --old-bin) old_bin=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) file=$1; shift ;;
  esac
done
[[ -n $file ]] || { echo "partial.sh: give a log file (bench/gen_logs.py --size 1GB -o ...)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1764000000

# "wall cpu" of the fastest of $runs runs of a command.
measure() {
  : > "$tmp/times"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" > /dev/null
    cat "$tmp/t" >> "$tmp/times"
  done
  awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 } END { print w, c }' "$tmp/times"
}
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }

cat "$file" > /dev/null  # warm the page cache
size=$(stat -c %s "$file")
echo "input: $file, $size bytes; $runs runs each, fastest kept"
read -r plain_w plain_c < <(measure "$bin" analyze -f json -o /dev/null "$file")
read -r part_w part_c < <(measure "$bin" analyze --partial /dev/null "$file")
printf '%-34s wall %6.2f s  cpu %6.2f s\n' "analyze -f json (plain)" "$plain_w" "$plain_c"
printf '%-34s wall %6.2f s  cpu %6.2f s\n' "analyze --partial" "$part_w" "$part_c"
printf '%-34s wall x%.3f   cpu x%.3f\n' "--partial / plain" "$(calc "$part_w / $plain_w")" \
  "$(calc "$part_c / $plain_c")"
if [[ -n $old_bin ]]; then
  read -r old_w old_c < <(measure "$old_bin" analyze -f json -o /dev/null "$file")
  printf '%-34s wall %6.2f s  cpu %6.2f s\n' "old build, analyze -f json" "$old_w" "$old_c"
  printf '%-34s wall x%.3f   cpu x%.3f\n' "plain / old build" "$(calc "$plain_w / $old_w")" \
    "$(calc "$plain_c / $old_c")"
fi

"$bin" analyze --partial "$tmp/day.partial" "$file"
psize=$(stat -c %s "$tmp/day.partial")
printf 'partial: %d bytes = %.4f%% of the input\n' "$psize" "$(calc "100 * $psize / $size")"

step=$(( (size + 99) / 100 ))
for ((k = 0; k < 100; k++)); do
  "$bin" analyze -j 1 --partial "$tmp/shard-$k.partial" --byte-range $((k * step)):$(((k + 1) * step)) "$file"
done
shard_bytes=$(cat "$tmp"/shard-*.partial | wc -c)
read -r merge_w merge_c < <(measure "$bin" merge -f json -o "$tmp/merged.json" "$tmp"/shard-*.partial)
printf 'merge of 100 partials (%d bytes): wall %.2f s  cpu %.2f s\n' "$shard_bytes" "$merge_w" "$merge_c"
"$bin" analyze -f json -o "$tmp/plain.json" "$file"
if cmp -s "$tmp/plain.json" "$tmp/merged.json"; then
  echo "the merged report equals the plain run's"
else
  echo "MISMATCH: the merged report differs from the plain run's" >&2
  exit 1
fi
