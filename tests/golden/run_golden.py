#!/usr/bin/env python3
"""Runs the real kling-triage binary for one golden case and compares.

A case is a folder holding `args` (one argument per line; `{case}` expands
to the case folder), and the expected `stdout`, optional `stderr` and
`exit` (default 0). Paths in args are relative to the project root, where
CTest runs this. generated_at is pinned with SOURCE_DATE_EPOCH. Digests
(`sha256:` + 64 hex digits) are compared as `sha256:<digest>` and the tool's
version as `<version>`, so that an edit to a rule file's comment or a
release does not break every report case (the digest itself is pinned by
the unit tests); the files keep the real output.

A case that compares runs holds a `setup` file: one command a line (its
arguments split at spaces), each run with the binary before `args`, e.g.
`analyze --partial {tmp}/base.partial samples/...`; `{tmp}` (in setup and
args) is a temporary folder of the case. A setup command that fails fails
the case.

A case about one part of a JSON report holds a `select` file: one line per
part it pins, a top-level key (`totals`) or a list projected on some of its
fields (`causes[].id,count`), either under a key path (`baseline.summary`,
`baseline.causes[].id,state`); stdout is then compared as those parts only
(pretty-printed JSON), so a change elsewhere in the report leaves it alone.

    run_golden.py BINARY CASE_DIR          compare, print a diff on mismatch
    UPDATE_GOLDEN=1 run_golden.py ...      rewrite the expected files
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
VERSION = re.compile(r'("version": ")[^"]*(")|(kling-triage )\d+\.\d+\.\d+')


def mask(text):
    text = DIGEST.sub("sha256:<digest>", text)
    return VERSION.sub(lambda m: (m.group(1) + "<version>" + m.group(2)) if m.group(1)
                       else m.group(3) + "<version>", text)


def select(stdout, case):
    """The parts of a JSON report a case's `select` file names, or stdout."""
    path = os.path.join(case, "select")
    if not os.path.exists(path):
        return stdout
    try:
        doc = json.loads(stdout)
    except ValueError:
        return stdout  # not JSON: compared whole, and the diff shows why
    parts = {}
    with open(path, encoding="utf-8") as f:
        for line in (l.strip() for l in f if l.strip()):
            key, _, fields = line.partition("[].")
            value = doc
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if fields and isinstance(value, list):
                names = fields.split(",")
                value = [{n: item.get(n) for n in names} for item in value]
            parts[line] = value
    return json.dumps(parts, indent=2, ensure_ascii=False) + "\n"


def run_setup(binary, case, tmp, env):
    """The case's setup commands; an error text, or None."""
    path = os.path.join(case, "setup")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        for line in (l.strip() for l in f if l.strip() and not l.startswith("#")):
            argv = [a.replace("{case}", case).replace("{tmp}", tmp) for a in line.split()]
            run = subprocess.run([binary] + argv, capture_output=True, env=env)
            if run.returncode != 0:
                return f"setup `{line}` exited {run.returncode}: {run.stderr.decode('utf-8', 'replace')}"
    return None


def main():
    # Letters and digits only: reports escape `_` (Markdown) and the like,
    # and the path must still read as itself to be shown as {tmp}.
    tmp = os.path.join(tempfile.gettempdir(), f"ktgolden{os.getpid()}{uuid.uuid4().hex}")
    os.mkdir(tmp)
    try:
        return run_case(sys.argv[1], sys.argv[2], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_case(binary, case, tmp):
    with open(os.path.join(case, "args"), encoding="utf-8") as f:
        args = [a.replace("{case}", case).replace("{tmp}", tmp)
                for a in f.read().splitlines() if a.strip()]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_COLOR="1", TZ="UTC")
    problem = run_setup(binary, case, tmp, env)
    if problem:
        print(f"golden {os.path.basename(case)}: {problem}")
        return 1
    stdin_path = os.path.join(case, "stdin")
    stdin = open(stdin_path, "rb") if os.path.exists(stdin_path) else subprocess.DEVNULL
    run = subprocess.run([binary] + args, stdin=stdin, capture_output=True, env=env)
    got = {"stdout": select(run.stdout.decode("utf-8", "replace").replace(tmp, "{tmp}"), case),
           "stderr": run.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}"),
           "exit": f"{run.returncode}\n"}
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for name, text in got.items():
            path = os.path.join(case, name)
            if name == "stderr" and not text and not os.path.exists(path):
                continue
            if name == "exit" and text == "0\n" and not os.path.exists(path):
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        print(f"updated {case}")
        return 0
    failed = False
    for name, default in (("stdout", None), ("stderr", ""), ("exit", "0\n")):
        path = os.path.join(case, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                want = f.read()
        elif default is None:
            print(f"missing {path}: run tests/golden/update_golden.sh")
            return 1
        else:
            want = default
        if mask(want) != mask(got[name]):
            failed = True
            print(f"--- {name} differs for {case} (expected vs got):")
            sys.stdout.writelines(difflib.unified_diff(
                mask(want).splitlines(True), mask(got[name]).splitlines(True), "expected", "got"))
    if failed:
        print("If the change is intended: UPDATE_GOLDEN=1 tests/golden/update_golden.sh")
        return 1
    print(f"golden {os.path.basename(case)}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
