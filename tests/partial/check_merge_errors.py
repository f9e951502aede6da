#!/usr/bin/env python3
"""merge refuses what it cannot merge exactly, and names why.

Each case makes real partials with the binary, changes or combines them,
runs `merge`, and checks the exit code and one line of stderr (nothing
else: the reports themselves are the property test's business).

    check_merge_errors.py BINARY PROJECT_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

A = "samples/api-2026-11-24.jsonl"
B = "samples/malformed.jsonl"
C = "samples/har/chromium-recorded.har"


class Check:
    def __init__(self, binary, root, tmp):
        self.binary, self.root, self.tmp = binary, root, tmp
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
        self.failed = 0
        self.passed = 0

    def run(self, args, stdin=None):
        p = subprocess.run([self.binary] + args, input=stdin, capture_output=True,
                           cwd=self.root, env=self.env)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

    def partial(self, name, args):
        path = os.path.join(self.tmp, name)
        rc, _, err = self.run(["analyze", "--partial", path] + args)
        if rc != 0:
            raise SystemExit(f"analyze {args}: exit {rc}: {err}")
        return path

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def expect(self, what, args, code, text, stdin=None):
        rc, out, err = self.run(args, stdin)
        ok = rc == code and text in err
        self.passed += ok
        self.failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {what}: exit {rc}" + ("" if ok else f"\n     stderr: {err.strip()}"))
        return out


def main():
    binary, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        c = Check(binary, root, tmp)
        a = c.partial("a.partial", [A])
        b = c.partial("b.partial", [B])
        ab = c.partial("ab.partial", [A, B])
        bc = c.partial("bc.partial", [B, C])
        data = open(a, "rb").read()

        c.expect("rules differ", ["merge", a, c.partial("r.partial", ["--rules", "examples/rules", B])],
                 2, "the rules differ")
        c.expect("profiles differ",
                 ["merge", a, c.partial("p.partial", ["--profiles", "examples/profiles", B])],
                 2, "the input profiles differ")
        c.expect("--since differs",
                 ["merge", c.partial("s1.partial", ["--since", "2026-11-24T00:00:00Z", A]),
                  c.partial("s2.partial", ["--since", "2026-11-24T06:00:00Z", B])],
                 2, "--since differs: 2026-11-24T00:00:00.000Z in")
        c.expect("--max-record-bytes differs",
                 ["merge", a, c.partial("m.partial", ["--max-record-bytes", "4096", B])],
                 2, "--max-record-bytes differs")
        c.expect("truncated", ["merge", c.write("cut.partial", data[: len(data) // 2])],
                 2, "truncated")
        c.expect("cut inside the header", ["merge", c.write("head.partial", data[:10])],
                 2, "truncated")
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x40
        c.expect("a changed byte", ["merge", c.write("flip.partial", bytes(flipped))],
                 2, "corrupted: the partial at byte 0 fails its checksum")
        c.expect("a newer format",
                 ["merge", c.write("v2.partial", data.replace(b"partial@1", b"partial@2", 1))],
                 2, "newer version: it is kling-triage/partial@2")
        c.expect("not a partial", ["merge", A], 2, "not a partial")
        c.expect("a JSON report without its partial",
                 ["merge", c.write("r.json", c.run(["analyze", "-f", "json", A])[1])],
                 2, "write it with --embed-partial")
        text = c.run(["analyze", "--partial", "-", "--partial-encoding", "base64", A])[1]
        bad = bytearray(text)
        bad[40] = ord("!")
        c.expect("a bad byte in base64", ["merge", "-"], 2, "not base64", stdin=bytes(bad))
        c.expect("a partial after garbage", ["merge", "-"], 2, "not a partial: no `kling-triage/partial@1` header at byte",
                 stdin=data + b"garbage")
        c.expect("inputs shared in part", ["merge", ab, bc], 2, "shares some inputs")
        size = os.path.getsize(os.path.join(root, A))
        r1 = c.partial("r1.partial", ["--byte-range", f"0:{size // 2}", A])
        r2 = c.partial("r2.partial", ["--byte-range", f"{size // 3}:{size}", A])
        c.expect("overlapping byte ranges", ["merge", r1, r2], 2, "overlap")
        c.expect("a file whole and in ranges", ["merge", a, r1], 2, "both whole and in byte ranges")
        c.expect("--byte-range of a compressed file",
                 ["analyze", "--partial", "-", "--byte-range", "0:100", "samples/api-2026-11-25.jsonl.gz"],
                 2, "gzip-compressed")
        c.expect("--byte-range of a HAR", ["analyze", "--partial", "-", "--byte-range", "0:100", C],
                 2, "not JSON Lines")
        c.expect("--byte-range backwards", ["analyze", "--byte-range", "10:5", A], 2,
                 "invalid --byte-range")
        c.expect("--byte-range of two inputs", ["analyze", "--byte-range", "0:5", A, B], 2,
                 "reads one file")

        # Accepted, with a warning: the same inputs counted once.
        once = c.run(["merge", "-f", "json", ab])[1]
        twice = c.expect("the same partial twice", ["merge", "-f", "json", ab, ab], 0,
                         "every input in it is already merged")
        inner = c.expect("a part of a merged partial", ["merge", "-f", "json", ab, a], 0,
                         "every input in it is already merged")
        # A JSON report carrying its partial reads as the partial.
        report = c.run(["analyze", "-f", "json", "--embed-partial", A, B])[1]
        embedded = c.expect("a JSON report with --embed-partial", ["merge", "-f", "json",
                            c.write("e.json", report)], 0, "")
        for name, got in (("twice", twice), ("inner", inner), ("embedded", embedded)):
            ok = got == once
            c.passed += ok
            c.failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: the report equals merging the inputs once")
        doc = json.loads(report)
        ok = doc.get("partial", "").startswith("kling-triage/partial@1 base64:") and \
            list(doc)[-1] == "partial"
        c.passed += ok
        c.failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} --embed-partial: the report's last key is its partial")
        print(f"{c.passed} passed, {c.failed} failed")
        return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
