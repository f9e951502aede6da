#!/usr/bin/env bash
# The Debian package installs a working kling-triage and removes cleanly.
#   tests/package/check_deb.sh PATH/kling-triage_<version>_<arch>.deb
# Needs root (or sudo): it installs the package on this machine with
# `apt-get install ./….deb`, uses it as a user would (from another folder:
# analyze samples/, man, whatis, completions found by each shell, the
# systemd example with its man pages), then purges it and checks that
# nothing it installed is left. Run by `scripts/kt package`.
set -euo pipefail
deb=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
failed=0
fail() { echo "check_deb: FAIL $*" >&2; failed=1; }
step() { echo "check_deb: $*" >&2; }

# --- The package itself.
name=$(dpkg-deb --field "$deb" Package)
arch=$(dpkg-deb --field "$deb" Architecture)
version=$(dpkg-deb --field "$deb" Version)
depends=$(dpkg-deb --field "$deb" Depends)
[ "$name" = kling-triage ] || fail "Package is $name"
[ "$arch" = "$(dpkg --print-architecture)" ] || fail "Architecture is $arch"
[ "$(basename "$deb")" = "kling-triage_${version}_${arch}.deb" ] || fail "file name $(basename "$deb")"
[ -n "$depends" ] || fail "no Depends"
step "$name $version $arch; Depends: $depends"

if dpkg-query -W -f='${Status}' kling-triage 2>/dev/null | grep -q installed; then
  step "removing an earlier kling-triage first"
  "${sudo[@]}" apt-get purge -y -qq kling-triage >/dev/null
fi

# --- Install it the way the README says.
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
bin=$(command -v kling-triage) || { fail "kling-triage is not on PATH"; exit 1; }
[ "$bin" = /usr/bin/kling-triage ] || fail "kling-triage is $bin, not /usr/bin/kling-triage"
mapfile -t files < <(dpkg -L kling-triage)
step "installed ${#files[@]} paths"

# Every shared library the binary loads comes from a package Depends names.
while read -r lib; do
  pkg=$(dpkg -S "$(realpath "$lib")" 2>/dev/null | head -n1 | cut -d: -f1) ||
    pkg=$(dpkg -S "$lib" 2>/dev/null | head -n1 | cut -d: -f1) || true
  [ -n "$pkg" ] || { fail "no package owns $lib"; continue; }
  [[ ", $depends" == *", $pkg "* || ", $depends," == *", $pkg,"* ]] || fail "Depends lacks $pkg (for $lib)"
done < <(ldd "$bin" | awk '$3 ~ /^\// {print $3}')

# --- Use it from another folder.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
out=$(kling-triage analyze "$root/samples/" --color never) || fail "analyze samples/ exited $?"
grep -q "Top causes" <<<"$out" || fail "analyze samples/ printed no causes"
kling-triage analyze -f json -o report.json --fail-on 'failure-rate>99%' "$root/samples/api-2026-11-24.jsonl" ||
  fail "analyze -f json exited $?"
kling-triage rules check /usr/share/kling-triage/rules >/dev/null || fail "the installed rule files do not check"
kling-triage --version
digest=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import check_install as c; print(c.pack_digest(sys.argv[2])[0])' \
  "$root/tests/install" /usr/share/kling-triage/rules)
kling-triage --version | grep -qx "bundled rules: $digest" ||
  fail "/usr/share/kling-triage/rules ($digest) is not the embedded pack"
step "analyze, rules check and the rule pack digest: ok"

# Man pages: found, rendered without warnings, known to whatis (man-db's
# trigger indexed them).
[ "$(man -w kling-triage)" = /usr/share/man/man1/kling-triage.1.gz ] || fail "man -w kling-triage: $(man -w kling-triage 2>&1)"
for page in $(cd "$root/docs/man" && ls ./*.1.md | sed 's|^\./||; s|\.1\.md$||'); do
  warnings=$(MANWIDTH=80 man --warnings "$page" 2>&1 >/dev/null) || fail "man $page exited $?"
  [ -z "$warnings" ] || fail "man --warnings $page: $warnings"
  whatis "$page" >/dev/null 2>&1 || fail "whatis $page finds nothing"
done
step "man pages: ok"

# kling-triage-dask (scripts/kt-dask): on PATH, its --help runs (Dask itself
# is only suggested), and it finds the installed kling-triage beside it.
if [ -f "$root/scripts/kt-dask" ]; then
  [ "$(command -v kling-triage-dask)" = /usr/bin/kling-triage-dask ] ||
    fail "kling-triage-dask is not /usr/bin/kling-triage-dask"
  kling-triage-dask --help | grep -q -- '--local-workers' || fail "kling-triage-dask --help"
  if python3 -c 'import distributed' 2>/dev/null; then
    kling-triage-dask --local-workers 1 -f json -o dask.json "$root/samples/api-2026-11-24.jsonl" ||
      fail "kling-triage-dask --local-workers 1 exited $?"
    kling-triage analyze -f json -o plain.json "$root/samples/api-2026-11-24.jsonl" || true
    python3 -c 'import json, sys; a, b = (json.load(open(p)) for p in sys.argv[1:]); [d.pop("generated_at") for d in (a, b)]; sys.exit(a != b)' \
      dask.json plain.json || fail "kling-triage-dask's report differs from analyze's"
  fi
  step "kling-triage-dask: ok"
fi

# Completions, loaded the way each shell finds installed ones.
python3 "$root/tests/completion/check_completion.py" "$bin" "$root" --installed || fail "completions"
# The systemd example, Documentation= man pages included.
python3 "$root/tests/systemd/check_units.py" "$bin" "$root" --installed /usr/share/doc/kling-triage/examples/systemd ||
  fail "systemd example"

# --- Remove it: nothing it installed is left.
cd /
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq kling-triage >/dev/null
if dpkg-query -W -f='${Status}' kling-triage 2>/dev/null | grep -q "ok installed"; then
  fail "kling-triage is still installed"
fi
hash -r
command -v kling-triage >/dev/null && fail "kling-triage is still on PATH"
left=0
for f in "${files[@]}"; do
  if [ -e "$f" ] && [ ! -d "$f" ]; then fail "left after purge: $f"; left=1; fi
done
for d in /usr/share/kling-triage /usr/share/doc/kling-triage; do
  [ -e "$d" ] && { fail "left after purge: $d"; left=1; }
done
[ $left -eq 0 ] && step "purged: none of its ${#files[@]} paths is left"

if [ $failed -ne 0 ]; then
  echo "check_deb: the package check failed" >&2
  exit 1
fi
echo "check_deb: $(basename "$deb") installs, works from another folder, and removes cleanly" >&2
