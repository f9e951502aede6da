#!/usr/bin/env python3
"""The generated audit traffic is what its generator writes, and what it says of causes
is what the real binary says.

  check_generated.py KLING_TRIAGE ROOT

1. Runs tests/audit/gen_traffic.py into a temporary folder and compares the three
   files with tests/data/audit/generated/ byte for byte (the committed data cannot
   drift from the script that documents it).
2. Runs `KLING_TRIAGE analyze --events` on the traffic and compares every record's
   cause with traffic.causes.tsv (the unit tests take causes from that file).
"""

import filecmp
import json
import os
import subprocess
import sys
import tempfile


def main():
    binary, root = sys.argv[1], sys.argv[2]
    data = os.path.join(root, "tests", "data", "audit", "generated")
    prefix = os.path.join(data, "traffic")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "traffic")
        subprocess.run([sys.executable, os.path.join(root, "tests", "audit", "gen_traffic.py"),
                        "-o", out], check=True)
        for ext in (".jsonl", ".causes.tsv", ".expected.json"):
            if not filecmp.cmp(out + ext, prefix + ext, shallow=False):
                problems.append("traffic%s differs from what gen_traffic.py writes "
                                "(regenerate: python3 tests/audit/gen_traffic.py -o %s)" % (ext, prefix))
        events = os.path.join(tmp, "events.jsonl")
        subprocess.run([binary, "analyze", "-o", os.devnull, "--events", events, prefix + ".jsonl"],
                       check=True)
        with open(prefix + ".causes.tsv", encoding="utf-8") as f:
            want = {int(line.split("\t")[0]): line.rstrip("\n").split("\t")[1] for line in f}
        got = {}
        with open(events, encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                got[e["line"]] = e["cause"]
        if set(got) != set(want):
            problems.append("the events name lines %s, the causes file %s" % (sorted(got), sorted(want)))
        for line in sorted(want):
            if got.get(line) != want[line]:
                problems.append("line %d: the rules say %s, traffic.causes.tsv says %s"
                                % (line, got.get(line), want[line]))
    for p in problems:
        print("check_generated: " + p, file=sys.stderr)
    if not problems:
        print("check_generated: %d records, files and causes as generated" % len(want))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
