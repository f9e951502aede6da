#!/usr/bin/env python3
"""The systemd example (examples/systemd) is a valid timer and service.

    check_units.py BINARY ROOT [--installed DOCDIR]

`systemd-analyze verify` must accept both units without a word (it checks
every key, the calendar spec and that ExecStart's program exists); then the
service's ExecStart is run for real, with the built binary for
/usr/bin/kling-triage, samples/ for /var/log/kling/ and a temporary folder
for $STATE_DIRECTORY: it must write the report and exit 0 or 1 (the gate).
--installed checks the installed copies, Documentation= man pages included.
Exit 77 (skipped) only when systemd-analyze is not installed.
"""
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def exec_start(service):
    with open(service, encoding="utf-8") as f:
        for line in f:
            if line.startswith("ExecStart="):
                return line[len("ExecStart="):].strip()
    raise SystemExit(f"{service} has no ExecStart=")


def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    installed = len(sys.argv) > 4 and sys.argv[3] == "--installed"
    folder = sys.argv[4] if installed else os.path.join(root, "examples", "systemd")
    if shutil.which("systemd-analyze") is None:
        print("systemd-analyze is not installed (apt-get install systemd): skipped")
        return 77
    units = sorted(glob.glob(os.path.join(folder, "*.service")) + glob.glob(os.path.join(folder, "*.timer")))
    if len(units) < 2:
        print(f"FAIL no service and timer in {folder}")
        return 1
    args = ["systemd-analyze", "verify"] + ([] if installed else ["--man=no"]) + units
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0 or run.stderr.strip() or run.stdout.strip():
        print(f"FAIL {' '.join(args)}: exit {run.returncode}\n{run.stdout}{run.stderr}")
        return 1
    problems = 0
    for service in (u for u in units if u.endswith(".service")):
        argv = shlex.split(exec_start(service))
        if argv[:2] != ["/bin/sh", "-c"]:
            print(f"FAIL {service}: expected ExecStart=/bin/sh -c '...', got {argv[:2]}")
            return 1
        with tempfile.TemporaryDirectory() as state:
            script = argv[2].replace("%%", "%").replace("${STATE_DIRECTORY}", state)
            script = script.replace("/usr/bin/kling-triage", shlex.quote(binary))
            script = script.replace("/var/log/kling/", shlex.quote(os.path.join(root, "samples") + "/"))
            done = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, cwd=state)
            reports = glob.glob(os.path.join(state, "kling-*.html"))
            if done.returncode not in (0, 1) or len(reports) != 1 or \
                    not re.fullmatch(r"kling-\d{4}-\d{2}-\d{2}\.html", os.path.basename(reports[0])):
                print(f"FAIL {service}: its command exited {done.returncode}, wrote {reports}\n{done.stderr}")
                problems += 1
            else:
                print(f"{os.path.basename(service)}: wrote {os.path.basename(reports[0])}, exit {done.returncode}")
    print(f"systemd-analyze verify: {len(units)} units ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
