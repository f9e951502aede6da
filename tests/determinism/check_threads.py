#!/usr/bin/env python3
"""The report and --events must not depend on --threads.

Generates a ~24 MB log with every record shape and a ~12 MB HAR (seeded,
so the input is fixed), gzips a copy of the log, and runs the real binary
with -j 1, 2 and 4 on each, and on samples/ (every input kind at once):
JSON reports (minus generated_at; audited, so the audit too) and --events
files must be identical,
and the totals must reconcile (records = ok + failures + malformed).

    check_threads.py BINARY PROJECT_ROOT
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile


def run(binary, args, env):
    out = subprocess.run([binary] + args, capture_output=True, env=env)
    if out.returncode not in (0,):
        sys.stderr.write(out.stderr.decode())
        raise SystemExit(f"{args}: exit {out.returncode}")
    return out.stdout


def main():
    binary, root = sys.argv[1], sys.argv[2]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    failures = 0
    passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "logs.jsonl")
        subprocess.run([sys.executable, os.path.join(root, "bench/gen_logs.py"),
                        "--size", "24MB", "--seed", "42", "--no-large", "-o", log], check=True)
        with open(log, "rb") as f, gzip.open(log + ".gz", "wb", compresslevel=1) as g:
            g.write(f.read())
        har = os.path.join(tmp, "capture.har")
        subprocess.run([sys.executable, os.path.join(root, "bench/gen_logs.py"),
                        "--size", "12MB", "--seed", "43", "--format", "har", "-o", har], check=True)
        # samples/: every input kind at once (was the json_samples_j1 golden).
        for path in (log, log + ".gz", har, os.path.join(root, "samples")):
            reports, events = {}, {}
            for j in (1, 2, 4):
                ev = os.path.join(tmp, f"events-{j}.jsonl")
                rep = json.loads(run(binary, ["analyze", "-f", "json", "--audit", "-j", str(j),
                                              "--events", ev, path], env))
                rep.pop("generated_at")
                reports[j] = rep
                with open(ev, "rb") as f:
                    events[j] = f.read()
            t = reports[1]["totals"]
            checks = [
                ("reports -j1 == -j2", reports[1] == reports[2]),
                ("reports -j1 == -j4", reports[1] == reports[4]),
                ("events -j1 == -j2", events[1] == events[2]),
                ("events -j1 == -j4", events[1] == events[4]),
                ("records = ok + failures + malformed",
                 t["records"] == t["ok"] + t["failures"] + t["malformed"]),
                ("one event per record",
                 events[1].count(b"\n") == t["records"]),
                ("records > 4000", t["records"] > 4000),
            ]
            for name, ok in checks:
                print(f"{'ok  ' if ok else 'FAIL'} {os.path.basename(path.rstrip('/'))}: {name}")
                passed += ok
                failures += not ok
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
