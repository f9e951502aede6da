#!/usr/bin/env python3
"""Runs the README's nightly recipe (examples/nightly/kt-nightly.sh) on two
days of logs, as cron would on two mornings.

    check_nightly.py BINARY ROOT

The logs are tests/data/diff's two days in one folder. Night 1 (KT_DAY
2026-11-24) has no baseline: exit 0, a report without the baseline section,
the day's partial kept. Night 2 (2026-11-25) diffs against it: its gate
(new-cause>0, regressed>0) is met, exit 1, the report has the baseline
section with the new and the regressed cause, and its partial is kept too.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    script = os.path.join(root, "examples", "nightly", "kt-nightly.sh")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        logs, state, reports = (os.path.join(tmp, d) for d in ("logs", "state", "reports"))
        os.makedirs(logs)
        for day in ("2026-11-24", "2026-11-25"):
            shutil.copy(os.path.join(root, "tests", "data", "diff", f"day-{day}.jsonl.gz"), logs)
        bindir = os.path.join(tmp, "bin")
        os.makedirs(bindir)
        os.symlink(binary, os.path.join(bindir, "kling-triage"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), TZ="UTC")
        for day, want_exit, want in (("2026-11-24", 0, []),
                                     ("2026-11-25", 1, ["Since the baseline", "generation.content_policy",
                                                        "rate_limit.requests", "met: the run fails"])):
            run = subprocess.run(["sh", script, logs, state, reports], env=dict(env, KT_DAY=day),
                                 capture_output=True, text=True)
            if run.returncode != want_exit:
                problems.append(f"night {day}: exit {run.returncode}, expected {want_exit}: {run.stderr}")
            if not os.path.exists(os.path.join(state, f"{day}.partial")):
                problems.append(f"night {day}: no partial kept")
            html = open(os.path.join(reports, f"{day}.html"), encoding="utf-8").read()
            for text in want:
                if text not in html:
                    problems.append(f"night {day}: the report lacks {text!r}")
            if not want and "Since the baseline" in html:
                problems.append(f"night {day}: a baseline section without a baseline")
            if day == "2026-11-25" and "--fail-on `regressed>0` met" not in run.stderr:
                problems.append(f"night {day}: stderr does not name the met condition: {run.stderr}")
    for p in problems:
        print(f"FAIL {p}")
    if not problems:
        print("nightly recipe: night 1 kept its partial, night 2 diffed against it and failed its gate")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
