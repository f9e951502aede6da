#!/usr/bin/env bash
# Benchmark kling-triage against its floor and two everyday baselines on one log file.
#
#   bench/run.sh [options] FILE
#
# Runs, one after the other (page cache warmed first):
#   kling-triage analyze -f json -j 1          (bundled rules)
#   kling-triage analyze -f json -j 2          (bundled rules)
#   kling-triage analyze -f json -j 2 --no-builtin-rules   (ingest only)
#   bench_floor            (simdjson, whole file loaded into one padded_string)
#   bench_floor --stream   (simdjson, 8 MiB reused read buffer)
#   jq -R -n -f bench/tally.jq
#   python3 bench/tally.py
# and prints wall time, MB/s (MB = 10^6 bytes of uncompressed input) and peak RSS of each, then
# the ratios. Tools that are missing are skipped with a note. The tallies of the floor, jq and
# Python are compared with each other and with the totals of kling-triage's JSON report.
#
# Options:
#   --bin PATH       kling-triage binary (default: $KLING_TRIAGE or build/release/kling-triage)
#   --floor PATH     bench_floor binary (default: build/release/bench/bench_floor, else build/*/bench/)
#   --runs N         run each tool N times and keep the fastest (default 1)
#   --shape FILE     the same calls in another logger's shape (bench/gen_logs.py --shape pino-http):
#                    kling-triage -j2 on it too, and its speed as a share of FILE's (same records)
#   --old-bin PATH   a previous kling-triage build: -j2 on FILE beside the current one (a regression check)
#   --skip-jq, --skip-python, --skip-triage, --skip-floor
#   -h, --help
#
# Needs GNU time (/usr/bin/time; Debian package `time`), jq (package `jq`), python3; gzip and
# zstd only for compressed inputs (the baselines get a decompressed temporary copy).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

bin=${KLING_TRIAGE:-$root/build/release/kling-triage}
floor=""
runs=1
skip_jq=0 skip_py=0 skip_triage=0 skip_floor=0
file=""
shape_file=""
old_bin=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --floor) floor=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --shape) shape_file=$2; shift 2 ;;
    --old-bin) old_bin=$2; shift 2 ;;
    --skip-jq) skip_jq=1; shift ;;
    --skip-python) skip_py=1; shift ;;
    --skip-triage) skip_triage=1; shift ;;
    --skip-floor) skip_floor=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [[ -z $file ]] || { echo "run.sh: one FILE only" >&2; exit 2; }; file=$1; shift ;;
  esac
done
[[ -n $file ]] || { usage >&2; exit 2; }
[[ -r $file ]] || { echo "run.sh: cannot read $file" >&2; exit 2; }

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  echo "run.sh: GNU time is needed for wall time and peak RSS: install it with 'apt-get install time'" >&2
  exit 2
fi

if [[ -z $floor ]]; then
  floor=$root/build/release/bench/bench_floor
  if [[ ! -x $floor ]]; then
    for f in "$root"/build/*/bench/bench_floor; do
      if [[ -x $f ]]; then
        floor=$f
        echo "note:  using $f (not a release build? build/release/bench/bench_floor is missing)"
        break
      fi
    done
  fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kling-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- input: detect compression; the baselines need plain JSON Lines / HAR -----------------------
magic=$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')
plain=$file
case "$magic" in
  1f8b*)
    command -v gzip >/dev/null || { echo "run.sh: gzip input but no gzip (apt-get install gzip)" >&2; exit 2; }
    echo "input is gzip: decompressing a copy for the baselines into $tmp"
    plain=$tmp/input; gzip -dc "$file" >"$plain" ;;
  28b52ffd)
    command -v zstd >/dev/null || { echo "run.sh: zstd input but no zstd (apt-get install zstd)" >&2; exit 2; }
    echo "input is zstd: decompressing a copy for the baselines into $tmp"
    plain=$tmp/input; zstd -q -dc "$file" >"$plain" ;;
esac
bytes=$(stat -c %s "$plain")
is_har=0
if head -c 256 "$plain" | LC_ALL=C grep -qaE '^(\xef\xbb\xbf)?[[:space:]]*\{[[:space:]]*"log"[[:space:]]*:'; then is_har=1; fi

echo "file:  $file ($(awk -v b="$bytes" 'BEGIN{printf "%.1f MB uncompressed", b/1e6}')$([[ $is_har = 1 ]] && echo ", HAR"))"
echo "tools: kling-triage=$bin floor=$floor"
echo "host:  $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
cat "$file" >/dev/null; [[ $plain == "$file" ]] || cat "$plain" >/dev/null   # warm the page cache

# ---- runner -------------------------------------------------------------------------------------
declare -A WALL RSS RC NOTE CPU
order=()

# run NAME OUTFILE CMD...: best of $runs; stdout to OUTFILE, stderr kept in $tmp/NAME.err
run() {
  local name=$1 out=$2; shift 2
  local best="" best_rss="" best_cpu="" rc=0 i t r u s c
  order+=("$name")
  for ((i = 0; i < runs; i++)); do
    rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >"$out" 2>"$tmp/$name.err" || rc=$?
    # GNU time prefixes "Command exited with non-zero status N" on failures: keep the last line
    read -r t r u s < <(tail -n 1 "$tmp/time")
    if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; best_rss=$r; fi
    # CPU seconds (user + sys): steadier than wall time on a machine others are loading
    c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
    if [[ -z $best_cpu ]] || awk -v a="$c" -v b="$best_cpu" 'BEGIN{exit !(a<b)}'; then best_cpu=$c; fi
  done
  WALL[$name]=$best; RSS[$name]=$best_rss; RC[$name]=$rc; CPU[$name]=$best_cpu
  if [[ $rc != 0 ]]; then
    NOTE[$name]="exit $rc: $(tail -n 2 "$tmp/$name.err" | tr '\n' ' ' | cut -c1-160)"
  fi
}

skip() { order+=("$1"); NOTE[$1]=$2; }

# ---- kling-triage ---------------------------------------------------------------------------------
if [[ $skip_triage = 1 ]]; then
  skip "triage -j1" "skipped (--skip-triage)"
elif [[ ! -x $bin ]]; then
  echo "note:  kling-triage not found at $bin (build it, or pass --bin PATH); running the others"
  for n in "triage -j1" "triage -j2" "triage -j2 no-rules"; do skip "$n" "missing binary"; done
else
  run "triage -j1" "$tmp/triage1.out" "$bin" analyze -f json -o /dev/null -j 1 "$file"
  run "triage -j2" "$tmp/triage2.out" "$bin" analyze -f json -o "$tmp/report.json" -j 2 "$file"
  run "triage -j2 no-rules" "$tmp/triage3.out" "$bin" analyze -f json -o "$tmp/report-norules.json" -j 2 --no-builtin-rules "$file"
  if [[ -n $shape_file ]]; then
    cat "$shape_file" >/dev/null
    shape_bytes=$(stat -c %s "$shape_file")
    run "triage -j2 shape" "$tmp/triage4.out" "$bin" analyze -f json -o "$tmp/report-shape.json" -j 2 "$shape_file"
  fi
  if [[ -n $old_bin ]]; then
    run "old triage -j2" "$tmp/triage5.out" "$old_bin" analyze -f json -o "$tmp/report-old.json" -j 2 "$file"
  fi
fi

# ---- floor ----------------------------------------------------------------------------------------
if [[ $skip_floor = 1 ]]; then
  skip "floor (load)" "skipped (--skip-floor)"; skip "floor (stream)" "skipped (--skip-floor)"
elif [[ ! -x $floor ]]; then
  echo "note:  bench_floor not found (cmake --build build/release --target bench_floor, or --floor PATH)"
  skip "floor (load)" "missing binary"; skip "floor (stream)" "missing binary"
else
  run "floor (load)" "$tmp/floor.json" "$floor" "$plain"
  if [[ $is_har = 1 ]]; then
    skip "floor (stream)" "n/a for HAR (one document)"
  else
    run "floor (stream)" "$tmp/floor-stream.json" "$floor" --stream "$plain"
  fi
fi

# ---- jq / python ----------------------------------------------------------------------------------
if [[ $skip_jq = 1 ]]; then
  skip "jq" "skipped (--skip-jq)"
elif ! command -v jq >/dev/null; then
  skip "jq" "jq not installed (apt-get install jq)"
elif [[ $is_har = 1 ]]; then
  run "jq" "$tmp/jq.json" jq -n -c -S --arg format har -f "$here/tally.jq" "$plain"
else
  run "jq" "$tmp/jq.json" jq -R -n -c -S -f "$here/tally.jq" "$plain"
fi
if [[ $skip_py = 1 ]]; then
  skip "python" "skipped (--skip-python)"
else
  run "python" "$tmp/py.json" python3 "$here/tally.py" "$plain"
fi

# ---- table ----------------------------------------------------------------------------------------
echo
printf '%-22s %9s %9s %8s %12s  %s\n' "tool" "wall s" "MB/s" "cpu s" "peak RSS MB" "note"
for n in "${order[@]}"; do
  if [[ -n ${WALL[$n]:-} ]]; then
    awk -v n="$n" -v w="${WALL[$n]}" -v r="${RSS[$n]}" -v b="$bytes" -v rc="${RC[$n]}" -v c="${CPU[$n]}" \
        -v note="$(printf '%s' "${NOTE[$n]:-}" | cut -c1-110)" 'BEGIN{
      if (rc != 0) { printf "%-22s %9.2f %9s %8.2f %12.1f  %s\n", n, w, "failed", c, r / 1024, note; exit }
      mbs = (w > 0) ? b / 1e6 / w : 0
      printf "%-22s %9.2f %9.1f %8.2f %12.1f  %s\n", n, w, mbs, c, r / 1024, note }'
  else
    printf '%-22s %9s %9s %8s %12s  %s\n' "$n" "-" "-" "-" "-" "${NOTE[$n]:-}"
  fi
done

# ---- ratios ---------------------------------------------------------------------------------------
have() { [[ -n ${WALL[$1]:-} && ${RC[$1]:-1} == 0 ]]; }
ratio() { # ratio LABEL A B: how many times faster A is than B (B's time / A's time)
  if have "$2" && have "$3"; then
    awk -v l="$1" -v a="${WALL[$2]}" -v b="${WALL[$3]}" 'BEGIN{
      if (a <= 0) a = 0.005
      x = b / a
      if (x >= 1) printf "  %-44s %6.2fx faster\n", l, x; else printf "  %-44s %6.2fx slower\n", l, 1 / x }'
  fi
}
echo
echo "ratios (wall time):"
ratio "kling-triage -j2 vs floor (stream)" "triage -j2" "floor (stream)"
ratio "kling-triage -j2 vs floor (load)" "triage -j2" "floor (load)"
ratio "kling-triage -j2 vs jq" "triage -j2" "jq"
ratio "kling-triage -j2 vs python" "triage -j2" "python"
ratio "kling-triage -j2 vs -j1" "triage -j2" "triage -j1"
ratio "kling-triage -j2 no rules vs floor (stream)" "triage -j2 no-rules" "floor (stream)"
ratio "kling-triage -j2 no rules vs floor (load)" "triage -j2 no-rules" "floor (load)"
if have "triage -j2" && have "triage -j2 no-rules"; then
  awk -v a="${WALL[triage -j2]}" -v b="${WALL[triage -j2 no-rules]}" 'BEGIN{
    if (b <= 0) b = 0.005
    printf "  %-44s %+6.1f%%\n", "rules overhead (-j2, rules vs no rules)", (a - b) / b * 100 }'
fi
if have "triage -j2" && have "triage -j2 shape"; then
  awk -v a="${WALL[triage -j2]}" -v b="${WALL[triage -j2 shape]}" -v ca="${CPU[triage -j2]}" \
      -v cb="${CPU[triage -j2 shape]}" -v ba="$bytes" -v bb="$shape_bytes" 'BEGIN{
    if (b <= 0) b = 0.005
    if (cb <= 0) cb = 0.005
    printf "  %-44s %6.1f%% of FILE'"'"'s records/s by wall time, %.1f%% by CPU time (%.2fx the bytes)\n",
           "shape file vs FILE (-j2, same records)", a / b * 100, ca / cb * 100, bb / ba }'
fi
ratio "kling-triage -j2 vs the old build (-j2, FILE)" "triage -j2" "old triage -j2"
if have "triage -j2" && have "old triage -j2"; then
  awk -v a="${CPU[triage -j2]}" -v b="${CPU[old triage -j2]}" 'BEGIN{
    if (a <= 0) a = 0.005
    printf "  %-44s %6.2fx the old build'"'"'s CPU time\n", "kling-triage -j2 vs the old build, CPU", a / b }'
fi
ratio "floor (stream) vs floor (load)" "floor (stream)" "floor (load)"
ratio "floor (load) vs python" "floor (load)" "python"
ratio "python vs jq" "python" "jq"

# ---- cross-checks ---------------------------------------------------------------------------------
echo
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
# The same calls in another shape, and the old build, must give the same totals and causes.
def load(f):
    p = os.path.join(tmp, f)
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) else None
base = load("report.json")
for label, f in (("shape file", "report-shape.json"), ("old build", "report-old.json")):
    other = load(f)
    if base is None or other is None:
        continue
    key = lambda d: ({k: v for k, v in d["totals"].items() if k in ("records", "ok", "failures", "malformed")},
                     sorted((c["id"], c["count"]) for c in d["causes"]))
    same = key(base) == key(other)
    print("check: %s: totals and causes %s FILE's" % (label, "equal" if same else "DIFFER from"))
tallies = {}
for name, f in (("floor", "floor.json"), ("floor --stream", "floor-stream.json"), ("jq", "jq.json"), ("python", "py.json")):
    p = os.path.join(tmp, f)
    if os.path.exists(p) and os.path.getsize(p):
        try:
            tallies[name] = json.loads(open(p).read())
        except ValueError:
            print("check: %s printed no valid JSON" % name)
names = list(tallies)
if len(names) >= 2:
    ref = tallies[names[0]]
    diff = [n for n in names[1:] if tallies[n] != ref]
    if diff:
        print("check: tallies DIFFER between %s and %s" % (names[0], ", ".join(diff)))
        for n in names:
            t = tallies[n]
            print("   %-15s records=%s malformed=%s blank=%s" % (n, t["records"], t["malformed"], t["blank"]))
        print("   (jq reads invalid UTF-8 as U+FFFD; On-Demand does not validate values it skips)")
    else:
        print("check: tallies of %s agree (%d records, %d malformed, %d blank lines)"
              % (", ".join(names), ref["records"], ref["malformed"], ref["blank"]))
rp = os.path.join(tmp, "report.json")
if not (os.path.exists(rp) and os.path.getsize(rp)):
    rp = os.path.join(tmp, "report-norules.json")  # the rules run failed: check ingest at least
if names and os.path.exists(rp) and os.path.getsize(rp):
    ref = tallies.get("python") or tallies[names[0]]
    try:
        rep = json.load(open(rp))
        tot = rep.get("totals", {})
        bad = []
        if tot.get("records") != ref["records"]:
            bad.append("records %s vs %s" % (tot.get("records"), ref["records"]))
        if tot.get("malformed") != ref["malformed"]:
            bad.append("malformed %s vs %s" % (tot.get("malformed"), ref["malformed"]))
        st = {k: v for k, v in (rep.get("statuses") or {}).items()}
        want = {k: v for k, v in ref["statuses"].items() if k not in ("none", "0", "-1")}
        got = {k: v for k, v in st.items() if k in want or k not in ("none", "0", "-1")}
        if got and got != want:
            bad.append("statuses differ: report %s, tally %s" % (json.dumps(got, sort_keys=True), json.dumps(want, sort_keys=True)))
        if bad:
            print("check: kling-triage report (%s) vs tally: %s" % (os.path.basename(rp), "; ".join(bad)))
        else:
            print("check: kling-triage report (%s) matches the tally (%s records, %s malformed, %s failures)"
                  % (os.path.basename(rp), tot.get("records"), tot.get("malformed"), tot.get("failures")))
    except (ValueError, KeyError) as e:
        print("check: could not read kling-triage's report: %s" % e)
PY
