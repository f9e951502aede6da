#!/usr/bin/env python3
"""`rules suggest` round trip: the suggested rule is accepted by `rules check`
(also --strict) and, with `analyze --rules`, takes that record's whole
template from unclassified.unknown to the new cause.

Usage: check_suggest_roundtrip.py BINARY   (run from the project root)
Exits 1 with a message on the first broken step.
"""
import json
import os
import subprocess
import sys
import tempfile

CASES = [
    # (record, the template it stands for, failures in that input with it)
    ("tests/data/unexplained.jsonl:3", "Conflict: external_task_id '#' already exists", 3),
    ("samples/har/chromium-recorded-minimal.har#24", "", 4),
]


def run(binary, *args):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_COLOR="1")
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env)


def report(binary, source, *extra):
    r = run(binary, "analyze", "-f", "json", *extra, source)
    if r.returncode != 0:
        sys.exit(f"analyze {' '.join(extra)} {source} failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def main():
    binary = sys.argv[1]
    for record, template, count in CASES:
        source = record.rsplit("#" if "#" in record else ":", 1)[0]
        r = run(binary, "rules", "suggest", record)
        if r.returncode != 0:
            sys.exit(f"rules suggest {record} exited {r.returncode}: {r.stderr}")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "suggested.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(r.stdout)
            rule_id = next(l.split("id:", 1)[1].strip() for l in r.stdout.splitlines()
                           if l.strip().startswith("- id:"))
            for strict in ([], ["--strict"]):
                c = run(binary, "rules", "check", *strict, path)
                if c.returncode != 0:
                    sys.exit(f"rules check {' '.join(strict)} refused the suggestion:\n{c.stderr}")
            before = report(binary, source)
            after = report(binary, source, "--rules", path)
        causes_before = {c["id"]: c["count"] for c in before["causes"]}
        causes_after = {c["id"]: c["count"] for c in after["causes"]}
        t_before = {t["template"]: t["count"] for t in before["unexplained"]["templates"]}
        t_after = {t["template"]: t["count"] for t in after["unexplained"]["templates"]}
        checks = [
            (t_before.get(template) == count, f"before: template {template!r} counts {t_before.get(template)}, not {count}"),
            (rule_id not in causes_before, f"before: {rule_id} already a cause"),
            (template not in t_after, f"after: template {template!r} still unexplained"),
            (causes_after.get(rule_id) == count, f"after: {rule_id} counts {causes_after.get(rule_id)}, not {count}"),
            (causes_after.get("unclassified.unknown", 0) == causes_before.get("unclassified.unknown", 0) - count,
             "after: unclassified did not drop by the template's count"),
            (after["totals"]["failures"] == before["totals"]["failures"], "the failure count changed"),
        ]
        for ok, why in checks:
            if not ok:
                sys.exit(f"{record}: {why}")
        print(f"{record}: {count} failures of template {template or '(no message)'!r} -> {rule_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
