#!/usr/bin/env python3
"""Mutation smoke test: broken inputs must never crash the binary.

Takes lines of the samples and the labelled corpus, the recorded HAR, a
gzip of sample lines and the lines real loggers wrote (tests/data/profiles:
every input profile's record pass, text patterns and envelopes), mutates them (flipped bytes, cuts, stray quotes,
brackets, backslashes, invalid UTF-8, duplicated runs), and runs `analyze`
(-j 2, with --events) and `explain` on each. Every run must end with exit
0, 1 or 2: a signal or any other code is a failure, and the input that
caused it is kept in the temporary folder printed. Seeded, so a failure
reproduces. Not a fuzzer (libFuzzer targets are future work): a guard.

    mutate_smoke.py BINARY PROJECT_ROOT [ITERATIONS] [SEED]
"""
import gzip
import os
import random
import subprocess
import sys
import tempfile


def mutate(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            break
        i = rng.randrange(len(b))
        op = rng.random()
        if op < 0.3:
            b[i] = rng.randrange(256)
        elif op < 0.5:
            del b[i:i + rng.randint(1, 50)]
        elif op < 0.7:
            b[i:i] = rng.choice([b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'\xff',
                                 b'\xc3', b'\n', b'null', b'"\\u', b'\r\n'])
        elif op < 0.85:
            del b[i:]
        else:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 200)]
    return bytes(b)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20261125)
    read = lambda p: open(os.path.join(root, p), "rb").read()
    lines = [l for l in read("samples/api-2026-11-24.jsonl").split(b"\n") if l]
    lines += [l for l in read("tests/corpus/labelled.jsonl").split(b"\n")[:400] if l]
    har = read("samples/har/chromium-recorded.har")
    recordings = []
    for folder, _, files in sorted(os.walk(os.path.join(root, "tests/data/profiles"))):
        for f in sorted(files):
            if f.endswith((".jsonl", ".log")) and "node_modules" not in folder:
                recordings.append([l for l in open(os.path.join(folder, f), "rb").read().split(b"\n") if l])
    tmp = tempfile.mkdtemp(prefix="kt-mutate-")
    passed = failed = 0
    for n in range(iterations):
        kind = n % 4
        if kind == 3:  # one logger's lines, mutated: detection and its profile's record pass
            rec = rng.choice(recordings)
            name, data = "in.log", b"\n".join(mutate(rng, rng.choice(rec)) if rng.random() < 0.7
                                                else rng.choice(rec) for _ in range(20))
        elif kind == 0:
            name, data = "in.jsonl", b"\n".join(mutate(rng, rng.choice(lines)) for _ in range(30))
        elif kind == 1:
            name, data = "in.har", mutate(rng, har)
        else:
            plain = b"\n".join(rng.choice(lines) for _ in range(30))
            name, data = "in.jsonl.gz", mutate(rng, gzip.compress(plain, mtime=0))
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        for args in (["analyze", "-f", "json", "-j", "2", "--events", os.devnull, path],
                     ["explain", path + (":3" if name != "in.har" else "#3")]):
            p = subprocess.run([binary] + args, capture_output=True, stdin=subprocess.DEVNULL)
            if p.returncode in (0, 1, 2):
                passed += 1
                continue
            failed += 1
            keep = os.path.join(tmp, f"crash-{n}-{name}")
            os.replace(path, keep)
            print(f"FAIL {args[0]} on {keep}: exit {p.returncode}\n{p.stderr.decode()[-400:]}")
            break
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
