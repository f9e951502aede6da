#!/usr/bin/env python3
"""Hostile inputs against the real binary (issue 8).

Each case builds its input in a temporary folder, runs kling-triage on it
and checks what a user relies on: the run ends with exit 0, 1 or 2 (never a
signal), counts reconcile (records = ok + failures + malformed), the other
inputs are still reported, errors are named, and peak memory (the child's
maximum RSS, from wait4) stays under the limit.

    check_hostile.py BINARY [--memory-limit-mb N] [--quick] [--only CASE] [--keep]

--memory-limit-mb 0 skips the memory check (sanitizer builds inflate it);
--quick shrinks the large cases (for sanitizer builds, which are slower).
Every command must finish within 300 s (a YAML bomb used to run for ever).
Prints one line per case with its peak memory (GNU time's %M: Debian's
`time` package, installed by scripts/kt).
"""
import argparse
import codecs
import gzip
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Run:
    def __init__(self, code, out, err, peak_kb, seconds):
        self.code, self.out, self.err, self.peak_kb, self.seconds = code, out, err, peak_kb, seconds

    def json(self):
        return json.loads(self.out)


class Harness:
    def __init__(self, binary, tmp, memory_limit_mb, quick):
        self.binary, self.tmp, self.memory_limit_mb = binary, tmp, memory_limit_mb
        self.quick = quick
        self.peak_kb = 0

    def scale(self, n):
        return n // 8 if self.quick else n

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb" if isinstance(data, bytes) else "w", **({} if isinstance(data, bytes) else {"newline": ""})) as f:
            f.write(data)
        return p

    def run(self, *args, stdout=None, stdin=None, expect=None):
        """Runs the binary (fork + wait4, for the child's own peak memory);
        checks its exit code and memory. stdout: a file to write to."""
        env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_COLOR="1", TZ="UTC")
        out_file = tempfile.TemporaryFile(dir=self.tmp) if stdout is None else stdout
        err_file = tempfile.TemporaryFile(dir=self.tmp)
        rss_file = os.path.join(self.tmp, ".peak")
        start = time.time()
        # GNU time forks the binary from its own small process: a child of
        # this (large) Python process would inherit its memory high-water mark.
        try:
            proc = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file, self.binary] +
                                  [str(a) for a in args], stdin=stdin or subprocess.DEVNULL,
                                  stdout=out_file, stderr=err_file, env=env, timeout=300)
        except subprocess.TimeoutExpired:
            raise Failure(f"{' '.join(str(a) for a in args)[:300]}: still running after 300 s")
        seconds = time.time() - start
        code = proc.returncode  # 128 + N when a signal N killed it
        with open(rss_file) as f:
            words = f.read().split()
        usage_kb = int(words[-1]) if words and words[-1].isdigit() else 0
        err_file.seek(0)
        err = err_file.read().decode("utf-8", "replace")
        out = ""
        if stdout is None:
            out_file.seek(0)
            out = out_file.read().decode("utf-8", "replace")
        shown = " ".join(str(a) for a in args)[:300]
        check(code in (0, 1, 2), f"{shown}: exit {code} (128 + N: killed by signal N, a crash)\n{err[-2000:]}")
        if expect is not None:
            check(code == expect, f"{shown}: exit {code}, expected {expect}\n{err[-2000:]}")
        peak_kb = usage_kb
        if self.memory_limit_mb:
            check(peak_kb < self.memory_limit_mb * 1024,
                  f"{shown}: peak memory {peak_kb // 1024} MB, limit {self.memory_limit_mb} MB")
        self.peak_kb = max(self.peak_kb, peak_kb)
        return Run(code, out, err, peak_kb, seconds)


def reconciled(report):
    t = report["totals"]
    check(t["records"] == t["ok"] + t["failures"] + t["malformed"], f"counts do not reconcile: {t}")
    check(sum(i["records"] for i in report["inputs"]) == t["records"], "inputs do not add up to the totals")


def good_jsonl(h, name="good.jsonl", n=50):
    lines = []
    for i in range(n):
        lines.append(json.dumps({"ts": f"2026-11-24T03:{i % 60:02d}:00Z",
                                 "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video"},
                                 "response": {"status": 429 if i % 2 else 200,
                                              "body": {"code": 1302 if i % 2 else 0, "message": "too fast"}}}))
    return h.write(name, "\n".join(lines) + "\n")


def nested(depth, open_, close, inner=""):
    return open_ * depth + inner + close * depth


# ---- depth -----------------------------------------------------------------

@case
def deep_har_outside_entries(h):
    """Skipped HAR parts 50,000 deep: that input stops with a named error, the others are reported."""
    good = good_jsonl(h)
    entry = '{"request":{"method":"GET","url":"https://x/v1/a"},"response":{"status":500}}'
    variants = {
        "creator": '{"log":{"creator":' + nested(50000, '{"a":', "}", "1") + ',"entries":[' + entry + "]}}",
        "pages": '{"log":{"pages":' + nested(50000, "[", "]") + ',"entries":[' + entry + "]}}",
        "before_log": '{"x":' + nested(50000, "[", "]") + ',"log":{"entries":[' + entry + "]}}",
    }
    for name, text in variants.items():
        har = h.write(f"deep-{name}.har", text)
        r = h.run("analyze", "-f", "json", har, good, expect=2)
        rep = r.json()
        reconciled(rep)
        check(rep["inputs"][1]["records"] == 50, "the good input was not reported in full")
        check(any("nested deeper than 1024 levels" in e for e in rep["inputs"][0]["errors"]),
              f"{name}: the error does not name the depth: {rep['inputs'][0]['errors']}")
        h.run("explain", f"{har}#0", expect=2)


@case
def deep_records(h):
    """200,000-deep `data`, a deep body and a deep HAR entry: no crash, named reasons, the run goes on."""
    deep_data = ('{"request":{"url":"/v1/x"},"response":{"status":500,"body":{"code":1,"data":'
                 + nested(200000, "[", "]") + "}}}")
    deep_body = ('{"request":{"url":"/v1/x","body":"' + nested(100000, "[", "]") + '"},'
                 '"response":{"status":400}}')
    ok = '{"request":{"url":"/v1/x"},"response":{"status":200}}'
    jl = h.write("deep.jsonl", deep_data + "\n" + deep_body + "\n" + ok + "\n")
    rep = h.run("analyze", "-f", "json", jl, expect=0).json()
    reconciled(rep)
    t = rep["totals"]
    check(t["failures"] == 1 and t["malformed"] == 1 and t["ok"] == 1, f"{t}")
    check("nested deeper than" in rep["malformed"]["examples"][0]["error"], "no named reason")
    h.run("explain", f"{jl}:1", expect=0)
    r = h.run("explain", f"{jl}:2", expect=0)
    check("nested deeper than" in r.out, "explain does not name the reason")
    entry = '{"request":{"method":"GET","url":"https://x/v1/a"},"response":{"status":200}}'
    har = h.write("deep-entry.har", '{"log":{"entries":[' + nested(3000, '{"request":', "}", "1")
                  + "," + entry + "]}}")
    rep = h.run("analyze", "-f", "json", har, expect=0).json()
    reconciled(rep)
    check(rep["totals"]["malformed"] == 1 and rep["totals"]["ok"] == 1, f"{rep['totals']}")
    h.run("explain", f"{har}#0", expect=0)


# ---- rule files --------------------------------------------------------------

# Anchors live under `pack:` (an allowed key), so nothing but the
# expansion can stop the load.
def laughs_samples():
    y = "pack:\n  - &l0 [lol]\n"
    for i in range(1, 10):
        y += f"  - &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]\n"
    return y + ("rules:\n  - id: bomb.samples\n    category: server\n    title: bomb\n"
                "    when: {status: 500}\n    samples:\n      match: [{response: {status: 500}, x: *l9}]\n")


def laughs_when():
    y = "pack:\n  - &c0 {status: 500}\n"
    for i in range(1, 10):
        y += f"  - &c{i} {{any: [" + ",".join([f"*c{i - 1}"] * 10) + "]}\n"
    return y + ("rules:\n  - id: bomb.when\n    category: server\n    title: bomb\n    when: *c9\n"
                "    samples: {match: [{response: {status: 500}}]}\n")


@case
def yaml_alias_bombs(h):
    """Billion laughs in `samples` and `when: any:`: refused with file:line:col, in bounded memory."""
    good = good_jsonl(h)
    for name, text in (("samples", laughs_samples()), ("when", laughs_when())):
        path = h.write(f"bomb-{name}.yaml", text)
        r = h.run("rules", "check", path, expect=2)
        check("expands to more than 100000 nodes" in r.err, f"no clear error: {r.err[:500]}")
        check(f"--> {path}:" in r.err, "no file:line:col")
        for cmd in (["analyze", "--rules", path, good], ["rules", "list", "--rules", path],
                    ["rules", "test", "--rules", path], ["explain", "--rules", path, f"{good}:1"]):
            h.run(*cmd, expect=2)
    # Input profiles are YAML too, through the same loader and limits.
    bomb = h.write("bomb-profile.yaml", laughs_samples().replace("rules:", "profiles:"))
    r = h.run("analyze", "--profiles", bomb, good, expect=2)
    check("expands to more than 100000 nodes" in r.err, f"profiles: {r.err[:300]}")
    # Raising the limit is possible, and still bounded by the file size limit.
    r = h.run("rules", "check", "--max-rule-bytes", "2048", h.write("big.yaml", "#" * 5000), expect=2)
    check("rule file is larger than 2048 bytes" in r.err, r.err)
    r = h.run("rules", "check", "/dev/zero", expect=2)
    check("rule file is larger than 1048576 bytes" in r.err, r.err)


@case
def unreadable_rule_file(h):
    """An unreadable rule file names the system's reason."""
    r = h.run("rules", "check", h.path("missing.yaml"), expect=2)
    check("cannot read rule file: No such file or directory" in r.err, r.err)
    r = h.run("analyze", "--rules", h.path("missing.yaml"), good_jsonl(h), expect=2)
    check("No such file or directory" in r.err, r.err)


# ---- writes ------------------------------------------------------------------

@case
def write_errors(h):
    """A full disk is exit 2 with `cannot write …: <reason>`; a closed pipe is a quiet 0."""
    good = good_jsonl(h)
    with open("/dev/full", "wb") as full:
        for cmd in (["analyze", good], ["analyze", "-f", "json", good], ["analyze", "-f", "markdown", good],
                    ["analyze", "-f", "html", good], ["analyze", "--events", "-", "-o", h.path("r.txt"), good],
                    ["rules", "list"], ["rules", "test"], ["rules", "check", "examples/rules"],
                    ["explain", f"{good}:2"], ["--help"], ["--version"]):
            r = h.run(*cmd, stdout=full, expect=2)
            check("cannot write standard output: No space left on device" in r.err, f"{cmd}: {r.err}")
    r = h.run("analyze", "--events", "/dev/full", good, expect=2)
    check("cannot write /dev/full: No space left on device" in r.err, r.err)
    r = h.run("analyze", "-o", "/dev/full", good, expect=2)
    check("cannot write /dev/full: No space left on device" in r.err, r.err)
    # EPIPE: the reader of the pipe went away.
    big = good_jsonl(h, "big.jsonl", 20000)
    status = subprocess.run(["bash", "-c", f"set -o pipefail; '{h.binary}' analyze --events - '{big}' | head -c 100 >/dev/null; echo ${{PIPESTATUS[0]}}"],
                            capture_output=True, text=True)
    check(status.stdout.strip() == "0", f"a closed pipe exits {status.stdout.strip()}")
    check(status.stderr == "", f"a closed pipe printed: {status.stderr}")


@case
def outputs_naming_an_input(h):
    """--events or -o naming an input is a usage error; the input is untouched."""
    good = good_jsonl(h)
    digest = hashlib.sha256(open(good, "rb").read()).hexdigest()
    for flag in ("--events", "-o"):
        r = h.run("analyze", flag, good, good, expect=2)
        check("is an input" in r.err, r.err)
        r = h.run("analyze", flag, good, h.tmp, expect=2)  # inside a folder
        check("is an input" in r.err, r.err)
    check(hashlib.sha256(open(good, "rb").read()).hexdigest() == digest, "the input was changed")


# ---- the reader --------------------------------------------------------------

@case
def reader_encodings_and_line_ends(h):
    """zstd with a skippable frame, CR-only lines, UTF-16 LE/BE: read, not misjudged."""
    text = open(good_jsonl(h, "src.jsonl", 3000), encoding="utf-8").read()
    zst = subprocess.run(["zstd", "-c"], input=text.encode(), capture_output=True, check=True).stdout
    inputs = {
        "skippable.jsonl.zst": struct.pack("<II", 0x184D2A50, 8) + b"12345678" + zst,
        "cr.jsonl": text.replace("\n", "\r").encode(),
        "utf16le.jsonl": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf16be.jsonl": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf16le.jsonl.gz": gzip.compress(codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    }
    for name, data in inputs.items():
        rep = h.run("analyze", "-f", "json", h.write(name, data), expect=0).json()
        reconciled(rep)
        check(rep["totals"]["records"] == 3000 and rep["totals"]["malformed"] == 0,
              f"{name}: {rep['totals']}")


@case
def record_of_exactly_the_limit(h):
    """A line of exactly --max-record-bytes is a record, in a chunk and past one (8 MiB)."""
    for limit in (4096, 8 << 20):
        head = '{"request":{"url":"/v1/x"},"response":{"status":500},"pad":"'
        line = head + "a" * (limit - len(head) - 2) + '"}'
        longer = head + "a" * (limit - len(head) - 1) + '"}'
        path = h.write(f"exact-{limit}.jsonl", line + "\n" + line + "\r\n" + longer + "\n" + line + "\n")
        rep = h.run("analyze", "-f", "json", "--max-record-bytes", limit, path, expect=0).json()
        reconciled(rep)
        check(rep["totals"]["failures"] == 3 and rep["totals"]["malformed"] == 1,
              f"limit {limit}: {rep['totals']}")


# ---- numbers and times -------------------------------------------------------

@case
def times_out_of_range(h):
    """Times outside 1970-9999 are unknown (counted), not dates; CLI bounds out of range are usage errors."""
    recs = []
    for ts in ("1e308", "-5", "1e400", '"0042-01-01T00:00:00Z"', '"1969-12-31T23:59:59Z"', "1e21",
               '"2026-11-24T03:00:00Z"'):
        recs.append('{"ts":' + ts + ',"request":{"url":"/v1/x"},"response":{"status":500,'
                    '"body":{"code":1e30,"message":"m"}},"duration_ms":1e308}')
    path = h.write("times.jsonl", "\n".join(recs) + "\n")
    for fmt in ("json", "text", "markdown", "html"):
        r = h.run("analyze", "-f", fmt, path, expect=0)
        check("-6911" not in r.out and "<out of range" not in r.out, f"{fmt}: an impossible date is shown")
    rep = h.run("analyze", "-f", "json", path, expect=0).json()
    reconciled(rep)
    check(rep["totals"]["failures"] == 7, f"{rep['totals']}")
    check(rep["totals"]["without_time"] == 6, f"{rep['totals']}")
    check(rep["window"]["first"] == "2026-11-24T03:00:00.000Z", f"{rep['window']}")
    for bad in ("99999999999999999999d", "", "0042-01-01T00:00:00Z", "1e400d", "soon"):
        r = h.run("analyze", "--since", bad, path, expect=2)
        check("--since" in r.err, r.err)
    h.run("analyze", "--until", "99999999999999999999d", path, expect=2)


# ---- control characters --------------------------------------------------------

CONTROL = ["\x1b[2J\x1b]0;pwned\x07", "\x00", "\x7f", "\u009b31m", "\x1b[31m"]


def has_raw_control(text, keep_tab=True):
    for ch in text:
        o = ord(ch)
        if ch in "\n" or (keep_tab and ch == "\t"):
            continue
        if o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F:
            return repr(ch)
    return None


@case
def control_characters(h):
    """ESC, NUL, DEL and C1 from logs, file names and rule titles are escaped in every human format."""
    recs = []
    for i, c in enumerate(CONTROL):
        recs.append(json.dumps({"ts": "2026-11-24T03:00:00Z",
                                "request": {"method": "PO" + c + "ST", "url": f"https://x/v1/{c}path{i}",
                                            "body": {"model_name": "m" + c, "prompt": "p"}},
                                "response": {"status": 400, "body": {"code": 1201, "message": "bad " + c + " thing"}}}))
        recs.append(json.dumps({"request": {"url": "/v1/x" + c}, "error": "conn " + c + " reset"}))
        recs.append(json.dumps({"request": {"url": "/v1/y"},  # unclassified: its template is listed
                                "response": {"status": 418, "body": {"message": f"tea {c} pot {i}"}}}))
    data = "\n".join(recs) + "\n"
    path = h.write("ctl\x1b[31m.jsonl", data)
    rules = h.write("ctl-rules.yaml",
                    'rules:\n  - id: ctl.rule\n    category: "ca\\e[5mt"\n    title: "Title \\e]0;x\\a with \\x9b escapes"\n'
                    '    when: {status: 400}\n    fixes: ["fix \\e[31m it"]\n'
                    '    samples: {match: [{response: {status: 400}}]}\n')
    runs = [h.run("analyze", "-f", f, "--rules", rules, path, h.path("missing\x1b[31m.jsonl"), expect=2)
            for f in ("text", "markdown", "html")]
    runs.append(h.run("analyze", "--color", "always", "--rules", rules, path, expect=0))
    runs += [h.run("explain", "--rules", rules, f"{path}:{n}", expect=0) for n in range(1, len(recs) + 1)]
    runs += [h.run("rules", "list", "--rules", rules, expect=0), h.run("rules", "test", "--rules", rules)]
    runs.append(h.run("rules", "suggest", f"{path}:3"))
    bad = h.write("ctl-bad.yaml", 'rules:\n  - id: "x\\e[31m"\n    category: c\n    title: t\n'
                  '    when: {message: {regex: "(\\e[31m"}}\n    samples: {match: [{response: {status: 400}}]}\n')
    runs.append(h.run("rules", "check", bad, expect=2))
    for i, r in enumerate(runs):
        coloured = i == 3
        for name, text in (("stdout", r.out), ("stderr", r.err)):
            if coloured and name == "stdout":
                # The coloured report's own escapes are SGR colours only.
                text = text.replace("\x1b[0m", "")
                for code in ("1", "2", "31", "32", "33"):
                    text = text.replace(f"\x1b[{code}m", "")
            bad_char = has_raw_control(text)
            check(bad_char is None, f"run {i} {name}: raw control character {bad_char}")


# ---- cardinality and time ----------------------------------------------------

@case
def unbounded_cardinality(h):
    """300,000 distinct codes, endpoints and models: bounded memory, a small report, `other` counted."""
    rnd = random.Random(5)
    lines = []
    n = h.scale(300000)
    for i in range(n):
        path = "".join(rnd.choice("abcdefghij") for _ in range(8))
        lines.append('{"ts":"2026-11-24T%02d:%02d:%02dZ","request":{"method":"POST","url":"/v1/x%s/y",'
                     '"body":{"model_name":"m-%d"}},"response":{"status":400,"body":{"code":%d}}}'
                     % (i // 3600 % 24, i // 60 % 60, i % 60, path, i, 100000 + i))
    path = h.write("card.jsonl", "\n".join(lines) + "\n")
    r = h.run("analyze", "-f", "json", path, expect=0)
    check(len(r.out) < 2_000_000, f"the JSON report is {len(r.out)} bytes")
    rep = r.json()
    reconciled(rep)
    check(len(rep["codes"]) == 1000, f"{len(rep['codes'])} codes kept")
    other = rep["codes_other"]
    check(sum(rep["codes"].values()) + other["count"] == n, "codes do not add up")
    check(abs(other["distinct_estimate"] - (n - 1000)) < 0.1 * (n - 1000), f"estimate {other['distinct_estimate']}")
    b = rep["breakdowns"]
    check(sum(v["records"] for v in b["endpoints"].values()) + b["endpoints_other"]["records"] == n,
          "endpoints do not add up")
    check("models_other" in b, "no models_other")
    # The same report whatever the thread count.
    one = h.run("analyze", "-f", "json", "-j", "1", path, expect=0).out
    four = h.run("analyze", "-f", "json", "-j", "4", path, expect=0).out
    check(one == four == r.out, "the report depends on the thread count")


@case
def random_times_across_centuries(h):
    """Random timestamps over 1970-9999: bucket memory bounded, a readable timeline."""
    rnd = random.Random(7)
    lines = []
    n = h.scale(800000)
    for i in range(n):
        ms = rnd.randrange(0, 253402300799999)
        lines.append('{"ts":%d,"response":{"status":%d}}' % (ms // 1000, 500 if i % 3 == 0 else 200))
    path = h.write("centuries.jsonl", "\n".join(lines) + "\n")
    r = h.run("analyze", "-f", "json", path, expect=0)
    rep = r.json()
    reconciled(rep)
    check(len(rep["timeline"]["buckets"]) <= 200, f"{len(rep['timeline']['buckets'])} timeline buckets")
    check(sum(b["records"] for b in rep["timeline"]["buckets"]) == n, "the timeline lost records")
    one = h.run("analyze", "-f", "json", "-j", "1", path, expect=0).out
    check(one == r.out, "the report depends on the thread count")


@case
def big_records(h):
    """Failures with bodies near the record limit: memory bounded by the limit, not the count."""
    body = json.dumps({"model_name": "kling-v1-6", "image": "A" * h.scale(15 << 20), "prompt": "x"})
    recs = []
    for i in range(6):
        req = {"method": "POST", "url": "https://x/v1/videos/image2video",
               "body": body if i % 2 else json.loads(body)}
        recs.append(json.dumps({"ts": "2026-11-24T03:00:00Z", "request": req,
                                "response": {"status": 400, "body": {"code": 1201, "message": "bad image"}}}))
    path = h.write("big.jsonl", "\n".join(recs) + "\n")
    rep = h.run("analyze", "-f", "json", path, expect=0).json()
    reconciled(rep)
    check(rep["totals"]["failures"] == 6, f"{rep['totals']}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--memory-limit-mb", type=int, default=256)
    p.add_argument("--only")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    binary = os.path.abspath(args.binary)
    failed = 0
    for fn in CASES:
        if args.only and fn.__name__ != args.only:
            continue
        tmp = tempfile.mkdtemp(prefix=f"kt-hostile-{fn.__name__}-")
        h = Harness(binary, tmp, args.memory_limit_mb, args.quick)
        start = time.time()
        try:
            fn(h)
            print(f"ok    {fn.__name__:<34} peak {h.peak_kb / 1024:6.1f} MB  {time.time() - start:5.1f} s  "
                  f"{fn.__doc__.strip()}", flush=True)
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        except Failure as e:
            failed += 1
            print(f"FAIL  {fn.__name__}: {e}\n      (inputs kept in {tmp})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
