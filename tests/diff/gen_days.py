#!/usr/bin/env python3
"""Writes two days of logs whose diff has every state, and the significance
threshold on both sides, for diff's golden tests.

    gen_days.py -o tests/data/diff            write the two days (gzip -n)
    gen_days.py --check BINARY                regenerate in a temporary folder,
                                              compare with tests/data/diff, and
                                              check every line's cause with
                                              BINARY analyze --events

The records are real ones: lines of tests/corpus/labelled.jsonl (the
canonical shape, each with its expected cause in labelled.expect.tsv),
copied with only their time changed, spread over the day in a seeded order.
Each day has 1,000 records; per cause, failures BASE → CURRENT:

    rate_limit.requests           10 → 26   regressed (p = 0.0071, just below 0.01)
    server.unavailable            10 → 25   unchanged (p = 0.0105, just above)
    billing.insufficient_credits  26 → 10   improved  (p = 0.0071)
    server.timeout                25 → 10   unchanged (p = 0.0105)
    generation.content_policy      0 → 6    new
    bad_request.invalid_duration   8 → 0    gone
    network.timeout                5 → 5    unchanged
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "corpus", "labelled.jsonl")
EXPECT = os.path.join(ROOT, "tests", "corpus", "labelled.expect.tsv")
RECORDS = 1000
DAYS = {"2026-11-24": {"rate_limit.requests": 10, "server.unavailable": 10,
                       "billing.insufficient_credits": 26, "server.timeout": 25,
                       "generation.content_policy": 0, "bad_request.invalid_duration": 8,
                       "network.timeout": 5},
        "2026-11-25": {"rate_limit.requests": 26, "server.unavailable": 25,
                       "billing.insufficient_credits": 10, "server.timeout": 10,
                       "generation.content_policy": 6, "bad_request.invalid_duration": 0,
                       "network.timeout": 5}}
TEMPLATES_PER_CAUSE = 3


def templates():
    """Per cause, the first canonical lines of the corpus with that cause and
    no Authorization object (a JWT's expiry would depend on the new time)."""
    expected = {}
    with open(EXPECT, encoding="utf-8") as f:
        for line in f:
            number, cause = line.rstrip("\n").split("\t")[:2]
            expected[int(number)] = cause
    wanted = set(DAYS["2026-11-24"]) | {"ok"}
    out = {c: [] for c in wanted}
    with open(CORPUS, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            cause = expected.get(number)
            if cause not in wanted or len(out[cause]) >= TEMPLATES_PER_CAUSE:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not isinstance(rec, dict) or "ts" not in rec or "request" not in rec:
                continue
            headers = rec["request"].get("headers")
            if isinstance(headers, dict) and "Authorization" in headers:
                continue
            rec.pop("x_expect", None)
            out[cause].append(rec)
    return out


def day_lines(day, counts, tmpl, seed):
    causes = []
    for cause, n in counts.items():
        causes += [cause] * n
    causes += ["ok"] * (RECORDS - len(causes))
    rng = random.Random(seed)
    rng.shuffle(causes)
    used = {c: 0 for c in tmpl}
    lines = []
    for i, cause in enumerate(causes):
        rec = dict(tmpl[cause][used[cause] % len(tmpl[cause])])
        used[cause] += 1
        ms = i * 86_400_000 // RECORDS + rng.randrange(0, 60_000)
        rec["ts"] = f"{day}T{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}Z"
        lines.append((json.dumps(rec, separators=(",", ":")) + "\n", cause))
    return lines


def generate():
    tmpl = templates()
    for cause, recs in tmpl.items():
        if not recs:
            sys.exit(f"gen_days: no template for {cause}")
    return {day: day_lines(day, counts, tmpl, seed=int(day.replace("-", "")))
            for day, counts in DAYS.items()}


def write(folder, days):
    os.makedirs(folder, exist_ok=True)
    for day, lines in days.items():
        path = os.path.join(folder, f"day-{day}.jsonl.gz")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            f.write("".join(l for l, _ in lines).encode("utf-8"))


def check(binary):
    days = generate()
    problems = []
    committed = os.path.join(ROOT, "tests", "data", "diff")
    for day, lines in days.items():
        path = os.path.join(committed, f"day-{day}.jsonl.gz")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            if f.read() != "".join(l for l, _ in lines):
                problems.append(f"{path} differs from what gen_days.py writes: run "
                                "python3 tests/diff/gen_days.py -o tests/data/diff")
        with tempfile.TemporaryDirectory() as tmp:
            events = os.path.join(tmp, "events.jsonl")
            subprocess.run([binary, "analyze", "-o", os.devnull, "--events", events, path],
                           check=True, cwd=ROOT)
            with open(events, encoding="utf-8") as f:
                got = [json.loads(l)["cause"] for l in f]
        want = [c for _, c in lines]
        bad = [i + 1 for i, (g, w) in enumerate(zip(got, want)) if g != w]
        if len(got) != len(want) or bad:
            problems.append(f"{path}: lines {bad[:10]} do not get their intended cause")
    for p in problems:
        print(f"FAIL {p}")
    if not problems:
        print("gen_days: both days as committed, every line with its intended cause")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output")
    ap.add_argument("--check", metavar="BINARY")
    a = ap.parse_args()
    if a.check:
        return check(a.check)
    if not a.output:
        ap.error("give -o FOLDER or --check BINARY")
    write(a.output, generate())
    return 0


if __name__ == "__main__":
    sys.exit(main())
