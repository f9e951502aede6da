#!/usr/bin/env bash
# Benchmark kling-triage against the streaming floor and two everyday baselines: every row of
# issue 14's table from ONE run, side by side (the host is shared: read the ratios, not the times).
#
#   bench/run.sh [options] FILE
#
# FILE is plain JSON Lines (gen_logs.py --size 1GB --malformed-rate 0: the shared floor's
# iterate_many stops at the first malformed line, so a file with some cannot be its input).
# Runs, one after the other (page cache warmed first):
#   simdjson_floor FILE        the streaming floor (bench/simdjson_floor.cpp, built here with g++)
#   kling-triage analyze -f json -j 2 FILE, -j 1 FILE, -j 2 --no-builtin-rules FILE (bundled rules)
#   kling-triage -j 2 on FILE.gz, and zcat FILE.gz; kling-triage -j 2 on FILE.zst, and zstdcat
#   kling-triage -j 2 on a HAR file (--har), on a mapped-profile file (--shape, against --shape-base)
#   jq -R -n -f bench/tally.jq FILE, python3 bench/tally.py FILE
#   start-up: analyze of an empty file, --startup-runs times, the median (wall and CPU)
# and prints wall, user and sys CPU (GNU time), MB/s (10^6 bytes of uncompressed input per
# second of wall time) and peak RSS for each, then the ratios that issue 14's targets name.
#
# Options:
#   --bin PATH       kling-triage binary (default: $KLING_TRIAGE or build/release/kling-triage)
#   --old-bin PATH   a previous build: -j 2 on FILE, .gz, .zst and HAR beside the current one
#   --gz FILE.gz     FILE gzipped (default: made here with gzip -6 into a temporary folder)
#   --zst FILE.zst   FILE zstd-compressed (default: made here with zstd -3)
#   --no-compressed  skip the gzip and zstd rows
#   --har FILE       a HAR document (gen_logs.py --format har)
#   --shape FILE     the same calls as --shape-base in another logger's shape
#                    (gen_logs.py --profile canonical --shape pino-http)
#   --shape-base F   the canonical-shape file of the same calls (default FILE)
#   --runs N         run each tool N times and keep the fastest (default 1)
#   --startup-runs N (default 41)
#   --skip-jq, --skip-python, --skip-floor
#   -h, --help
#
# Needs GNU time (/usr/bin/time; Debian package `time`), g++ and libsimdjson-dev (the floor),
# jq, python3, gzip, zstd.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

bin=${KLING_TRIAGE:-$root/build/release/kling-triage}
runs=1 startup_runs=41
skip_jq=0 skip_py=0 skip_floor=0 no_comp=0
file="" shape_file="" shape_base="" old_bin="" gz_file="" zst_file="" har_file=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --old-bin) old_bin=$2; shift 2 ;;
    --gz) gz_file=$2; shift 2 ;;
    --zst) zst_file=$2; shift 2 ;;
    --no-compressed) no_comp=1; shift ;;
    --har) har_file=$2; shift 2 ;;
    --shape) shape_file=$2; shift 2 ;;
    --shape-base) shape_base=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --startup-runs) startup_runs=$2; shift 2 ;;
    --skip-jq) skip_jq=1; shift ;;
    --skip-python) skip_py=1; shift ;;
    --skip-floor) skip_floor=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [[ -z $file ]] || { echo "run.sh: one FILE only" >&2; exit 2; }; file=$1; shift ;;
  esac
done
[[ -n $file ]] || { usage >&2; exit 2; }
for f in "$file" $gz_file $zst_file $har_file $shape_file $shape_base; do
  [[ -r $f ]] || { echo "run.sh: cannot read $f" >&2; exit 2; }
done
[[ -x $bin ]] || { echo "run.sh: no kling-triage at $bin (build it, or pass --bin PATH)" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  echo "run.sh: GNU time is needed for CPU time and peak RSS: apt-get install time" >&2
  exit 2
fi
case "$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')" in
  1f8b*|28b52ffd) echo "run.sh: FILE must be plain JSON Lines (pass compressed copies with --gz / --zst)" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kling-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bytes=$(stat -c %s "$file")

# ---- the floor: built here, as its header says -------------------------------------------------
floor=""
if [[ $skip_floor = 0 ]]; then
  flags=(-O3 -std=c++17)
  [[ $(uname -m) == x86_64 ]] && flags+=(-mavx2 -mbmi -mbmi2 -mpclmul -mlzcnt -mpopcnt)
  if g++ "${flags[@]}" "$here/simdjson_floor.cpp" -o "$tmp/simdjson_floor" -lsimdjson 2>"$tmp/floor-build.err"; then
    floor=$tmp/simdjson_floor
  else
    echo "note:  the floor did not build (g++, libsimdjson-dev?): $(head -c 300 "$tmp/floor-build.err")"
  fi
fi

# ---- compressed copies ---------------------------------------------------------------------------
if [[ $no_comp = 0 ]]; then
  if [[ -z $gz_file ]]; then
    echo "making a gzip -6 copy of FILE in $tmp (pass --gz to reuse one)"
    gzip -6 -c "$file" >"$tmp/input.gz"; gz_file=$tmp/input.gz
  fi
  if [[ -z $zst_file ]]; then
    echo "making a zstd -3 copy of FILE in $tmp (pass --zst to reuse one)"
    zstd -q -3 -c "$file" >"$tmp/input.zst"; zst_file=$tmp/input.zst
  fi
fi

echo "file:  $file ($(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1e6}'))"
echo "tools: kling-triage=$bin${old_bin:+ old=$old_bin} floor=${floor:-none}"
echo "host:  $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
for f in "$file" $gz_file $zst_file $har_file $shape_file $shape_base; do cat "$f" >/dev/null; done  # warm the page cache

# ---- runner -------------------------------------------------------------------------------------
declare -A WALL USER SYS RSS RC NOTE BYTES
order=()

# run NAME BYTES OUTFILE CMD...: best of $runs (wall; CPU the least of the runs too)
run() {
  local name=$1 b=$2 out=$3; shift 3
  local i t r u s rc=0
  order+=("$name"); BYTES[$name]=$b
  for ((i = 0; i < runs; i++)); do
    rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$out" 2>"$tmp/err" || rc=$?
    read -r t r u s < <(tail -n 1 "$tmp/time")
    if [[ -z ${WALL[$name]:-} ]] || awk -v a="$t" -v b="${WALL[$name]}" 'BEGIN{exit !(a<b)}'; then
      WALL[$name]=$t; RSS[$name]=$r
    fi
    if [[ -z ${USER[$name]:-} ]] || awk -v a="$u" -v b="$s" -v c="${USER[$name]}" -v d="${SYS[$name]}" 'BEGIN{exit !(a+b<c+d)}'; then
      USER[$name]=$u; SYS[$name]=$s
    fi
  done
  RC[$name]=$rc
  [[ $rc == 0 ]] || NOTE[$name]="exit $rc: $(tail -n 2 "$tmp/err" | tr '\n' ' ' | cut -c1-120)"
}
have() { [[ -n ${WALL[$1]:-} && ${RC[$1]:-1} == 0 ]]; }

[[ -n $floor ]] && run "floor" "$bytes" "$tmp/floor.out" "$floor" "$file"
run "analyze -j2" "$bytes" /dev/null "$bin" analyze -f json -o "$tmp/report.json" -j 2 "$file"
run "analyze -j1" "$bytes" /dev/null "$bin" analyze -f json -o /dev/null -j 1 "$file"
run "analyze -j2 no rules" "$bytes" /dev/null "$bin" analyze -f json -o /dev/null -j 2 --no-builtin-rules "$file"
[[ -n $old_bin ]] && run "old -j2" "$bytes" /dev/null "$old_bin" analyze -f json -o "$tmp/report-old.json" -j 2 "$file"
if [[ $no_comp = 0 ]]; then
  run "analyze -j2 .gz" "$bytes" /dev/null "$bin" analyze -f json -o "$tmp/report-gz.json" -j 2 "$gz_file"
  run "zcat .gz" "$bytes" /dev/null gzip -dc "$gz_file"
  [[ -n $old_bin ]] && run "old -j2 .gz" "$bytes" /dev/null "$old_bin" analyze -f json -o /dev/null -j 2 "$gz_file"
  run "analyze -j2 .zst" "$bytes" /dev/null "$bin" analyze -f json -o "$tmp/report-zst.json" -j 2 "$zst_file"
  run "zstdcat .zst" "$bytes" /dev/null zstd -q -dc "$zst_file"
  [[ -n $old_bin ]] && run "old -j2 .zst" "$bytes" /dev/null "$old_bin" analyze -f json -o /dev/null -j 2 "$zst_file"
fi
if [[ -n $har_file ]]; then
  hb=$(stat -c %s "$har_file")
  run "analyze -j2 HAR" "$hb" /dev/null "$bin" analyze -f json -o /dev/null -j 2 "$har_file"
  [[ -n $old_bin ]] && run "old -j2 HAR" "$hb" /dev/null "$old_bin" analyze -f json -o /dev/null -j 2 "$har_file"
fi
if [[ -n $shape_file ]]; then
  base=${shape_base:-$file}
  run "analyze -j2 base" "$(stat -c %s "$base")" /dev/null "$bin" analyze -f json -o "$tmp/report-base.json" -j 2 "$base"
  run "analyze -j2 shape" "$(stat -c %s "$shape_file")" /dev/null "$bin" analyze -f json -o "$tmp/report-shape.json" -j 2 "$shape_file"
fi
if [[ $skip_jq = 0 ]] && command -v jq >/dev/null; then
  run "jq" "$bytes" "$tmp/jq.json" jq -R -n -c -S -f "$here/tally.jq" "$file"
fi
[[ $skip_py = 0 ]] && run "python" "$bytes" "$tmp/py.json" python3 "$here/tally.py" "$file"

# ---- start-up: the median of many runs on an empty file (rules and profiles loaded) -------------
: >"$tmp/empty.jsonl"
python3 - "$startup_runs" "$tmp/startup" "$bin" "$tmp/empty.jsonl" "$old_bin" <<'PY'
import os, subprocess, sys, time
n, out, binary, empty, old = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def median(xs):
    xs = sorted(xs); return xs[len(xs) // 2]
rows = []
runs = [("start-up (analyze, empty file)", [binary, "analyze", "-f", "json", "-o", os.devnull, empty])]
if old:
    runs.append(("old build's start-up", [old, "analyze", "-f", "json", "-o", os.devnull, empty]))
runs.append(("process start (--version)", [binary, "--version"]))
for label, argv in runs:
    wall, cpu = [], []
    for _ in range(n):
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall.append(time.perf_counter() - t)
        cpu.append(ru.ru_utime + ru.ru_stime)
    rows.append("%s\t%.2f\t%.2f\t%.2f" % (label, median(wall) * 1e3, median(cpu) * 1e3, min(wall) * 1e3))
open(out, "w").write("\n".join(rows) + "\n")
PY

# ---- table ----------------------------------------------------------------------------------------
echo
printf '%-22s %8s %8s %7s %9s %8s  %s\n' "run" "wall s" "user s" "sys s" "MB/s" "RSS MB" "note"
for n in "${order[@]}"; do
  awk -v n="$n" -v w="${WALL[$n]}" -v u="${USER[$n]}" -v s="${SYS[$n]}" -v r="${RSS[$n]}" \
      -v b="${BYTES[$n]}" -v note="${NOTE[$n]:-}" 'BEGIN{
    printf "%-22s %8.2f %8.2f %7.2f %9.0f %8.1f  %s\n", n, w, u, s, (w > 0 ? b / 1e6 / w : 0), r / 1024, note }'
done
echo
printf '%-32s %10s %10s %10s\n' "start-up ($startup_runs runs)" "median ms" "cpu ms" "fastest ms"
while IFS=$'\t' read -r l a b c; do printf '%-32s %10s %10s %10s\n' "$l" "$a" "$b" "$c"; done <"$tmp/startup"

# ---- ratios against issue 14's targets -----------------------------------------------------------
f() { awk "BEGIN{printf \"%.2f\", $1}"; }
cpu() { awk -v u="${USER[$1]}" -v s="${SYS[$1]}" 'BEGIN{print u + s}'; }
line() { printf '  %-50s %-26s %s\n' "$1" "$2" "$3"; }
echo
echo "ratios (one run; wall unless named):"
if have floor && have "analyze -j2"; then
  line "-j2 wall / floor wall" "x$(f "${WALL[analyze -j2]} / ${WALL[floor]}")" "target <= 0.70"
  line "-j2 user CPU / floor user CPU (same bytes)" "x$(f "${USER[analyze -j2]} / ${USER[floor]}")" "target <= 1.60"
  line "-j2 user+sys CPU / floor user+sys CPU" "x$(f "$(cpu "analyze -j2") / $(cpu floor)")" ""
fi
have floor && have "analyze -j1" && line "-j1 wall / floor wall" "x$(f "${WALL[analyze -j1]} / ${WALL[floor]}")" "target <= 1.30"
have "analyze -j1" && have "analyze -j2" && line "-j2 speed-up over -j1" "x$(f "${WALL[analyze -j1]} / ${WALL[analyze -j2]}")" "target >= 1.70"
have "analyze -j2" && have "analyze -j2 no rules" &&
  line "rules' share (-j2, CPU, rules vs none)" "$(f "($(cpu "analyze -j2") / $(cpu "analyze -j2 no rules") - 1) * 100") %" ""
if have "analyze -j2 .gz"; then
  line "gzip: decompressed MB/s" "$(f "$bytes / 1e6 / ${WALL[analyze -j2 .gz]}")" "target >= 1500"
  have "zcat .gz" && line "gzip: analyze / zcat (wall)" "x$(f "${WALL[analyze -j2 .gz]} / ${WALL[zcat .gz]}")" ""
  have "old -j2 .gz" && line "gzip: this build / old build (wall, CPU)" "x$(f "${WALL[analyze -j2 .gz]} / ${WALL[old -j2 .gz]}"), x$(f "$(cpu "analyze -j2 .gz") / $(cpu "old -j2 .gz")")" ""
fi
if have "analyze -j2 .zst"; then
  line "zstd: decompressed MB/s" "$(f "$bytes / 1e6 / ${WALL[analyze -j2 .zst]}")" ""
  have "old -j2 .zst" && line "zstd: this build / old build (wall, CPU)" "x$(f "${WALL[analyze -j2 .zst]} / ${WALL[old -j2 .zst]}"), x$(f "$(cpu "analyze -j2 .zst") / $(cpu "old -j2 .zst")")" "target <= 1 (as fast as today)"
fi
if have "analyze -j2 HAR"; then
  line "HAR: MB/s" "$(f "${BYTES[analyze -j2 HAR]} / 1e6 / ${WALL[analyze -j2 HAR]}")" ""
  have "old -j2 HAR" && line "HAR: this build / old build (wall, CPU)" "x$(f "${WALL[analyze -j2 HAR]} / ${WALL[old -j2 HAR]}"), x$(f "$(cpu "analyze -j2 HAR") / $(cpu "old -j2 HAR")")" "target <= 1"
fi
if have "analyze -j2 shape" && have "analyze -j2 base"; then
  line "mapped profile vs canonical, same records (wall)" "$(f "${WALL[analyze -j2 base]} / ${WALL[analyze -j2 shape]} * 100") %" "target >= 85 %"
  line "mapped profile vs canonical, same records (CPU)" "$(f "$(cpu "analyze -j2 base") / $(cpu "analyze -j2 shape") * 100") %" ""
fi
have "old -j2" && line "this build / old build (-j2, wall, CPU)" "x$(f "${WALL[analyze -j2]} / ${WALL[old -j2]}"), x$(f "$(cpu "analyze -j2") / $(cpu "old -j2")")" ""
have jq && line "-j2 vs jq" "$(f "${WALL[jq]} / ${WALL[analyze -j2]}")x faster" ""
have python && line "-j2 vs Python" "$(f "${WALL[python]} / ${WALL[analyze -j2]}")x faster" ""
maxrss=0; for n in "${order[@]}"; do [[ $n == analyze* ]] && (( ${RSS[$n]} > maxrss )) && maxrss=${RSS[$n]}; done
line "peak RSS, largest kling-triage run" "$(f "$maxrss / 1024") MB" "target <= 256 MiB"
line "start-up (median, analyze of an empty file)" "$(cut -f2 "$tmp/startup" | head -1) ms" "target <= 20 ms"

# ---- cross-checks ---------------------------------------------------------------------------------
echo
python3 - "$tmp" <<'PY'
import json, os, re, sys
tmp = sys.argv[1]
def load(f):
    p = os.path.join(tmp, f)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) else None
def key(d):
    return ({k: v for k, v in d["totals"].items() if k in ("records", "ok", "failures", "malformed")},
            sorted((c["id"], c["count"]) for c in d["causes"]))
base = load("report.json")
for label, f, ref in (("gzip input", "report-gz.json", base), ("zstd input", "report-zst.json", base),
                      ("old build", "report-old.json", base), ("shape file", "report-shape.json", load("report-base.json"))):
    other = load(f)
    if ref is not None and other is not None:
        print("check: %s: totals and causes %s" % (label, "equal" if key(ref) == key(other) else "DIFFER"))
fp = os.path.join(tmp, "floor.out")
if base is not None and os.path.exists(fp):
    m = dict(re.findall(r"(\w+)=(\d+)", open(fp).read()))
    recs, errs = int(m.get("records", -1)), int(m.get("errors", -1))
    t = base["totals"]
    ok = recs == t["records"] and errs == 0
    print("check: floor read %d records (%d errors), kling-triage %d: %s" % (recs, errs, t["records"],
          "equal" if ok else "DIFFER: the floor's figure is not a floor for this file (a malformed line stops iterate_many)"))
for name in ("jq.json", "py.json"):
    t = load(name)
    if t is not None and base is not None:
        same = t["records"] == base["totals"]["records"] and t["malformed"] == base["totals"]["malformed"]
        print("check: %s: records %d, malformed %d: %s" % (name, t["records"], t["malformed"], "equal" if same else "DIFFER"))
PY
