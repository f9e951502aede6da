#!/usr/bin/env python3
"""Check the analyzer against the labelled corpus.

Usage: python3 tests/corpus/check_corpus.py BINARY [CORPUS.jsonl]

Runs `BINARY analyze --events <tmp>/x.events.jsonl -f json -o /dev/null CORPUS`
(default CORPUS: labelled.jsonl beside this script) and compares the cause of
every line's event with labelled.expect.tsv (`<line>\t<expected>` for every
line; `blank` lines must produce no event, `malformed` lines an event with
cause `malformed`). Prints each mismatch with the line, expected and actual
cause, status, code and an excerpt of the record's message, then a final line
`N passed, M failed`; exits 1 when M > 0 (2 when the analyzer could not run).
Python 3 standard library only.
"""
import base64
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def load_expectations(corpus):
    tsv = corpus.with_name(corpus.name.replace(".jsonl", ".expect.tsv"))
    expect = {}
    with open(tsv, encoding="utf-8") as f:
        for row in f:
            row = row.rstrip("\n")
            if not row:
                continue
            line, expected = row.split("\t")
            expect[int(line)] = expected
    return expect


def message_excerpt(raw, limit=90):
    """The most telling text of a corpus line, for the mismatch report."""
    try:
        rec = json.loads(raw)
    except ValueError:
        return raw[:limit]
    if not isinstance(rec, dict):
        return raw[:limit]
    resp = rec.get("response") or {}
    body = resp.get("body")
    content = resp.get("content") or {}
    if body is None and content.get("text"):
        body = content["text"]
        if content.get("encoding") == "base64":
            body = base64.b64decode(body).decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            pass
    text = None
    if isinstance(body, dict):
        err = body.get("error")
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        text = (err.get("message") if isinstance(err, dict) else err) or \
            data.get("task_status_msg") or data.get("message") or body.get("message")
    elif isinstance(body, str):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", body)).strip()
    if not text:
        err = rec.get("error") or resp.get("_error") or rec.get("_failureText")
        text = err.get("message") if isinstance(err, dict) else err
    return (str(text) if text is not None else "")[:limit]


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = Path(sys.argv[1]).resolve()
    here = Path(__file__).resolve().parent
    corpus = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else here / "labelled.jsonl"
    root = here.parent.parent
    expect = load_expectations(corpus)
    raw_lines = corpus.read_bytes().decode("utf-8").split("\n")

    with tempfile.TemporaryDirectory() as tmp:
        events_path = Path(tmp) / "x.events.jsonl"
        try:
            rel = corpus.relative_to(root)
        except ValueError:
            rel = corpus
        cmd = [str(binary), "analyze", "--events", str(events_path), "-f", "json",
               "-o", "/dev/null", str(rel)]
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            print(f"warning: `{' '.join(cmd)}` exited {proc.returncode}: "
                  f"{proc.stderr.strip()[:500]}")
        if not events_path.exists():
            print("error: the analyzer wrote no events file")
            print(f"0 passed, {len(expect)} failed")
            return 2
        events = {}
        extra = []
        with open(events_path, encoding="utf-8") as f:
            for n, row in enumerate(f, start=1):
                row = row.strip()
                if not row:
                    continue
                try:
                    ev = json.loads(row)
                except ValueError:
                    extra.append(f"events line {n} is not JSON: {row[:120]}")
                    continue
                line = ev.get("line")
                if not isinstance(line, int):
                    extra.append(f"event without an integer line: {row[:120]}")
                elif line in events:
                    extra.append(f"two events for line {line}")
                else:
                    events[line] = ev

    passed = failed = 0
    for line in sorted(expect):
        expected = expect[line]
        ev = events.get(line)
        got = "(no event)" if ev is None else ev.get("cause")
        ok = ev is None if expected == "blank" else got == expected
        if ok:
            passed += 1
            continue
        failed += 1
        raw = raw_lines[line - 1].rstrip("\r") if line <= len(raw_lines) else ""
        status = ev.get("status") if ev else None
        code = ev.get("code") if ev else None
        print(f"line {line}: expected {expected}, got {got} "
              f"(status {status}, code {code}) {message_excerpt(raw)!r}")
    for line in sorted(set(events) - set(expect)):
        failed += 1
        print(f"line {line}: unexpected event, cause {events[line].get('cause')}")
    for problem in extra:
        failed += 1
        print(problem)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
