#!/usr/bin/env python3
"""kt-dask on a real (local) Dask cluster equals a plain analyze.

Starts `scripts/kt-dask --local-workers 2` (Debian's python3-distributed: a
LocalCluster of two worker processes on 127.0.0.1) on the labelled corpus
and samples/, with shards small enough that the corpus is cut into byte
ranges, and compares its JSON report with `analyze`'s, byte for byte
(generated_at pinned): once plain, once with a relative --since (resolved
by kt-dask before dispatch) and a gate, once audited (an audit gate and a
threshold: every shard audited, the audit run on the merge). Skipped (77) without
python3-distributed.

    check_dask.py BINARY PROJECT_ROOT
"""
import os
import subprocess
import sys

DEBIAN_PYTHON = "/usr/bin/python3"


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import distributed"], capture_output=True)
    if probe.returncode != 0:
        print("skipped: python3-distributed is not installed (apt-get install python3-distributed)")
        return 77
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200", TZ="UTC")  # 2025-12-01
    inputs = ["tests/corpus/labelled.jsonl", "samples/"]
    failed = 0
    for extra in ([], ["--since", "400d", "--fail-on", "failure-rate>40%"],
                  ["--fail-on", "audit:retry_non_retryable>0", "--audit-grace", "10m"]):
        want = subprocess.run([binary, "analyze", "-f", "json"] + extra + inputs,
                              capture_output=True, cwd=root, env=env)
        got = subprocess.run([DEBIAN_PYTHON, "scripts/kt-dask", "--local-workers", "2",
                              "--bin", binary, "--shard-bytes", "300KB", "-f", "json"]
                             + extra + inputs, capture_output=True, cwd=root, env=env)
        ok = got.returncode == want.returncode and got.stdout == want.stdout and want.stdout
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} kt-dask {' '.join(extra + inputs)}: exit "
              f"{got.returncode} (analyze {want.returncode}), reports "
              f"{'equal' if got.stdout == want.stdout else 'differ'}")
        if not ok:
            sys.stderr.write(got.stderr.decode(errors="replace")[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
