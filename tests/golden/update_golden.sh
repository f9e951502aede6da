#!/usr/bin/env bash
# Re-bless every golden case (or the ones named) with the current binary.
# Review the diff with `git diff tests/golden` before committing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${KT:-$root/build/release/kling-triage}
cd "$root"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(tests/golden/*/)
for c in "${cases[@]}"; do
  UPDATE_GOLDEN=1 python3 tests/golden/run_golden.py "$bin" "${c%/}"
done
