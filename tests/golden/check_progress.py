#!/usr/bin/env python3
"""--progress and --stats write only to stderr and leave the report alone.

    check_progress.py BINARY        (run from the project root)

`--progress always` draws at least one `\\r` line (bytes, records, MB/s) and
clears it; `never` and `auto` with stderr not a terminal draw nothing;
`--stats` appends its block. stdout is byte-identical in every case.
"""
import os
import re
import subprocess
import sys

SAMPLE = "samples/api-2026-11-24.jsonl"


def run(binary, *flags):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_COLOR="1", TZ="UTC")
    p = subprocess.run([binary, "analyze", "-f", "json", *flags, SAMPLE],
                       capture_output=True, env=env, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def main():
    binary = sys.argv[1]
    problems = []
    code, baseline, err = run(binary)
    if code != 0 or err:
        problems.append(f"plain run: exit {code}, stderr {err!r}")

    code, out, err = run(binary, "--progress", "always")
    if code != 0 or out != baseline:
        problems.append(f"--progress always changed the report (exit {code})")
    if not re.search(r"\rread [0-9.]+ MB of [0-9.]+ MB \d+%  [0-9,]+ records  [0-9.]+ MB/s", err):
        problems.append(f"--progress always drew no progress line: {err!r}")
    if not re.search(r"\r +\r$", err):
        problems.append(f"--progress always did not clear its line at the end: {err!r}")

    for flags in (["--progress", "never"], ["--progress", "auto"]):
        code, out, err = run(binary, *flags)
        if code != 0 or out != baseline or err:
            problems.append(f"{' '.join(flags)}: exit {code}, stderr {err!r}, "
                            f"report {'same' if out == baseline else 'changed'}")

    code, out, err = run(binary, "--stats", "--progress", "always", "-j", "2")
    if code != 0 or out != baseline:
        problems.append(f"--stats changed the report (exit {code})")
    stats = err[err.find("kling-triage: stats"):] if "kling-triage: stats" in err else ""
    for part in ("records      118 in 1 input", "MB/s", "elapsed", "load rules", "stream",
                 "merge", "report", "peak memory", "2 workers + 1 reader"):
        if part not in stats:
            problems.append(f"--stats lacks {part!r}: {err!r}")
    if "\r" in stats:
        problems.append("the progress line was not finished before --stats")

    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("progress and stats: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
