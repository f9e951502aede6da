#!/usr/bin/env python3
"""Runs the libFuzzer targets of fuzz/ (built by the `fuzz` preset).

    fuzz/run.py [--time S] [--runs N] [--build DIR] [--json FILE] [TARGET...]
    fuzz/run.py --table FILE...     the README's long-run table from --json records

Each target gets a corpus folder (build/fuzz-corpus/<target>), seeded on
first use from the repository's own inputs (samples/, tests/, the HAR
fixtures, the rule pack), its dictionary and its settings below. A run
ends after S seconds or N executions; any crash, leak, timeout or
out-of-memory makes the script exit 1, with the reproducer left in
build/fuzz-artifacts/. --json writes one record per target (executions,
seconds, exec/s, coverage, peak RSS, crashes) for fuzz/README.md.

Adding a target: analyzer_add_fuzzer(<name> LIBS ...) in fuzz/CMakeLists.txt,
fuzz/<name>.cpp, and an entry in TARGETS here (seeds, dictionary, max_len).
"""
import argparse
import codecs
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "fuzz")  # --build


def read(path):
    with open(path, "rb") as f:
        return f.read()


def decompressed(path):
    data = read(path)
    if path.endswith(".gz"):
        return gzip.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout
    return data


def files(folder, *exts):
    out = []
    for base, _, names in os.walk(os.path.join(ROOT, folder)):
        out += [os.path.join(base, n) for n in sorted(names) if n.endswith(exts)]
    return sorted(out)


def jsonl_lines(limit_per_file=400):
    lines = []
    for path in files("samples", ".jsonl", ".jsonl.gz", ".jsonl.zst") + \
            [os.path.join(ROOT, "tests/corpus/labelled.jsonl")]:
        lines += [l for l in decompressed(path).split(b"\n") if l.strip()][:limit_per_file]
    return lines


def har_files():
    return files("samples/har", ".har") + files("tests/data/har-fixtures", ".har") + \
        [os.path.join(ROOT, "tests/data/truncated.har"), os.path.join(ROOT, "tests/data/not-a-har.json")]


def small_hars():
    """Each HAR with at most 3 entries (its writer's shape, under 64 KB)."""
    out = []
    for path in har_files():
        data = read(path)
        try:
            doc = json.loads(data.decode("utf-8-sig"))
            entries = doc["log"]["entries"]
            for i in range(0, min(len(entries), 9), 3):
                doc["log"]["entries"] = entries[i:i + 3]
                out.append(json.dumps(doc).encode()[:65536])
        except (ValueError, KeyError, TypeError):
            out.append(data[:65536])  # broken on purpose: keep as is
    return out


def har_entries():
    out = []
    for path in har_files():
        try:
            doc = json.loads(read(path).decode("utf-8-sig"))
            out += [json.dumps(e).encode() for e in doc["log"]["entries"][:20]]
        except (ValueError, KeyError, TypeError):
            pass
    return out


def seeds_normalizer():
    records = [l for l in jsonl_lines() + har_entries() if len(l) < 16384]
    return [bytes([i % 2]) + r for i, r in enumerate(records)]


def seeds_har_reader():
    return [bytes([i % 256, 7]) + h for i, h in enumerate(small_hars())]


def seeds_reader():
    text = b"\n".join(jsonl_lines(20)[:60]) + b"\n"
    variants = [text, text.replace(b"\n", b"\r"), text.replace(b"\n", b"\r\n"),
                codecs.BOM_UTF16_LE + text.decode().encode("utf-16-le"),
                codecs.BOM_UTF16_BE + text.decode().encode("utf-16-be"),
                b"\xef\xbb\xbf" + text, gzip.compress(text),
                subprocess.run(["zstd", "-c"], input=text, capture_output=True, check=True).stdout]
    return [bytes([i, 3]) + v for i, v in enumerate(variants + small_hars())]


def seeds_rule_loader():
    out = []
    for path in files("rules", ".yaml") + files("examples", ".yaml") + files("tests", ".yaml"):
        text = read(path)
        out.append(text[:65536])
        # Each rule of a pack file on its own: small seeds, every shape.
        parts = re.split(rb"\n(?=  - id: )", text)
        out += [b"rules:\n" + p for p in parts[1:]]
    return out


def seeds_decompress():
    text = b"\n".join(jsonl_lines(5)[:20]) + b"\n"
    zst = subprocess.run(["zstd", "-c"], input=text, capture_output=True, check=True).stdout
    skippable = b"\x50\x2a\x4d\x18\x04\x00\x00\x00abcd"
    raw = [gzip.compress(text), gzip.compress(text) + gzip.compress(b"{}\n"), zst, skippable + zst,
           gzip.compress(text)[:-9], zst[:-5], read(os.path.join(ROOT, "tests/data/truncated.jsonl.gz"))]
    raw += [read(p)[:65536] for p in files("samples", ".gz", ".zst")]
    return [bytes([i * 37 % 256]) + r for i, r in enumerate(raw)]


TIMES = ["2026-11-24T03:12:45.123Z", "2026-11-24 03:12:45+08:00", "2026-11-24T03:12:45,5-0130",
         "1795489965", "1795489965123", "1795489965.5", "1970-01-01T00:00:00Z",
         "9999-12-31T23:59:59.999Z", "2024-02-29T12:00:00z", "2026-11-24T03:12:60Z",
         "1e308", "0", "2026-11-24T03:12:45.123456789+0000"]


def seeds_timestamp():
    return [t.encode() for t in TIMES]


def seeds_time_bound():
    now = (1795489965000).to_bytes(8, "little")
    return [now + t.encode() for t in TIMES + ["30m", "24h", "7d", "90s", "1.5h", "0m",
                                               "99999999999999999999d", ""]]


def seeds_fail_on():
    return [c.encode() for c in ["failure-rate>5%", "failure-rate >= 0.05", "category:auth>0",
                                 "cause:billing.insufficient_credits>=1", "unclassified==0",
                                 "malformed<10", "failure-rate>100%", "cause:>1", "x>1",
                                 "new-cause>0", "regressed>=2", "failure-rate-ratio>1.5",
                                 "cause:rate_limit.requests:state==regressed", "cause::state==new"]]


def seeds_redact():
    lines = jsonl_lines(30)
    extra = [b"Authorization: Bearer abc123DEF456ghi", b"api_key=hunter2hunter2&q=1",
             b'{\"secret_key\": \"p4ss\"}', b"bad key AbCdEf0123456789xyz",
             b"sk-proj-Ab3dEf6hIj9kLm2nOp5q", b"https://alice:pw@host/", b"sha256:" + b"a" * 64,
             b"&quot;token&quot;: &quot;abc&quot;", b"api\\_key=abc123def"]
    return [bytes([i % 3]) + l for i, l in enumerate(lines + extra)]


def seeds_profile_loader():
    out = []
    for path in files("profiles", ".yaml") + files("examples", ".yaml") + files("tests/data/profiles", ".yaml"):
        text = read(path)
        out.append(text[:65536])
        parts = re.split(rb"\n(?=  - id: )", text)  # one profile per file too
        out += [b"profiles:\n" + p for p in parts[1:]]
    return out


def kling_triage():
    path = os.environ.get("KLING_TRIAGE", os.path.join(ROOT, "build", "release", "kling-triage"))
    if not os.path.exists(path):
        raise SystemExit(f"fuzz_partial's seeds are real partials, written by {path}: build it "
                         "first (scripts/kt build), or name another with KLING_TRIAGE")
    return path


def partial_body(partial):
    """The section table of a binary partial (docs/partial-format.md), decompressed."""
    i = partial.index(b"\n") + 1
    flags, i = partial[i], i + 1
    n = shift = 0
    while True:
        b, i = partial[i], i + 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
    body = partial[i:i + n]
    if flags & 1:
        body = subprocess.run(["zstd", "-dc"], input=body, capture_output=True, check=True).stdout
    return body


def seeds_partial():
    """Real partials: of each sample and of the corpus, of a few lines of each, of a byte range,
    with tight bounds (values left out, a wide timeline), audited (whole and two shards of the
    generated traffic), base64, two concatenated, a JSON
    report carrying one; as streams (first byte even) and as bare bodies (odd)."""
    binary = kling_triage()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    inputs = files("samples", ".jsonl", ".jsonl.gz", ".jsonl.zst", ".har") + \
        [os.path.join(ROOT, "tests/corpus/labelled.jsonl")]

    def analyze(*args):
        return subprocess.run([binary, "analyze", *args], capture_output=True, env=env,
                              cwd=ROOT).stdout

    streams = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(inputs):
            streams.append(analyze("--partial", "-", path))
            if not path.endswith(".har"):
                few = os.path.join(tmp, f"few-{i}.jsonl")
                with open(few, "wb") as f:
                    f.write(b"\n".join(decompressed(path).split(b"\n")[:4]) + b"\n")
                streams.append(analyze("--partial", "-", few))
        plain = os.path.join(ROOT, "samples", "api-2026-11-24.jsonl")
        size = os.path.getsize(plain)
        streams.append(analyze("--partial", "-", "--byte-range", f"{size // 3}:{size}", plain))
        streams.append(analyze("--partial", "-", "--max-distinct", "10", "--max-timeline-cells",
                               "1000", inputs[0], inputs[-1]))
        # Audited: the `audit` and `callbacks` sections, whole and as shards (a create and
        # its callbacks in different partials).
        traffic = os.path.join(ROOT, "tests", "data", "audit", "generated", "traffic.jsonl")
        streams.append(analyze("--audit", "--partial", "-", traffic))
        size = os.path.getsize(traffic)
        for a, b in [(0, size // 2), (size // 2, size)]:
            streams.append(analyze("--audit", "--partial", "-", "--byte-range", f"{a}:{b}", traffic))
    streams = [s for s in streams if s.startswith(b"kling-triage/partial@")]
    out = [b"\x00" + s for s in streams]
    out += [b"\x01" + partial_body(s) for s in streams]
    few = [s for s in streams if len(s) < 4096][:3]
    out.append(b"\x02" + b"".join(few))
    text = analyze("--partial", "-", "--partial-encoding", "base64", inputs[0])
    out.append(b"\x04" + text)
    out.append(b"\x06" + analyze("-f", "json", "--embed-partial", inputs[0]))
    return out
def seeds_fact_store():
    """Serialized stores the target itself builds with the audit's fact_sink."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([os.path.join(BUILD, "fuzz", "fuzz_fact_store")], env=dict(os.environ, KT_FUZZ_SEEDS=out),
                       capture_output=True, check=True)
        return [read(p) for p in files(out, "")]


TARGETS = {
    "fuzz_normalizer": (seeds_normalizer, "json.dict", 16384),
    "fuzz_har_reader": (seeds_har_reader, "json.dict", 32768),
    "fuzz_reader": (seeds_reader, "json.dict", 16384),
    "fuzz_rule_loader": (seeds_rule_loader, "yaml.dict", 2048),
    "fuzz_decompress": (seeds_decompress, None, 8192),
    "fuzz_timestamp": (seeds_timestamp, None, 64),
    "fuzz_time_bound": (seeds_time_bound, None, 80),
    "fuzz_fail_on": (seeds_fail_on, None, 128),
    "fuzz_redact": (seeds_redact, "json.dict", 4096),
    "fuzz_profile_loader": (seeds_profile_loader, "yaml.dict", 2048),
    "fuzz_partial": (seeds_partial, None, 65536),
    "fuzz_fact_store": (seeds_fact_store, None, 16384),
}


def regressions(target):
    """Inputs that once crashed the target (fuzz/regressions/<target>/), kept for good."""
    return [read(p) for p in files(os.path.join("fuzz", "regressions", target), "")]


def seed(target, corpus):
    os.makedirs(corpus, exist_ok=True)
    # The regressions join every corpus, also one grown by earlier runs.
    inputs = regressions(target) + ([] if os.listdir(corpus) else TARGETS[target][0]())
    for data in inputs:
        path = os.path.join(corpus, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)


INTERRUPTED = 72  # libFuzzer's exit code when stopped by a signal (not a finding)


def stat(output, name):
    m = re.findall(rf"stat::{name}:\s+(\d+)", output)
    return int(m[-1]) if m else None


def run(target, args):
    binary = os.path.join(args.build, "fuzz", target)
    corpus = os.path.join(ROOT, "build", "fuzz-corpus", target)
    artifacts = os.path.join(ROOT, "build", "fuzz-artifacts")
    os.makedirs(artifacts, exist_ok=True)
    seed(target, corpus)
    _, dictionary, max_len = TARGETS[target]
    cmd = [binary, corpus, f"-max_len={max_len}", "-timeout=20", "-rss_limit_mb=2048",
           "-print_final_stats=1", f"-artifact_prefix={artifacts}/{target}-"]
    if dictionary:
        cmd.append(f"-dict={os.path.join(ROOT, 'fuzz', 'dict', dictionary)}")
    if args.runs:
        cmd.append(f"-runs={args.runs}")
    if args.fork:
        # Fork mode ignores timeouts and out-of-memory by default: not here.
        cmd += [f"-fork={args.fork}", "-ignore_crashes=0", "-ignore_timeouts=0", "-ignore_ooms=0"]
    if args.time or not args.runs:  # both: whichever comes first
        cmd.append(f"-max_total_time={args.time or 25}")
    # Long runs (--runs) skip recording each allocation's stack: ASan still
    # finds every error, a reproducer is then rerun with full reports.
    asan = "detect_leaks=1:halt_on_error=1" + (":malloc_context_size=0" if args.runs else "")
    env = dict(os.environ, ASAN_OPTIONS=asan, UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    start = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=env)
    seconds = time.time() - start
    out = proc.stderr
    execs = stat(out, "number_of_executed_units") or 0
    if args.fork:  # the parent prints no final stats, only its jobs' running total
        m = re.findall(r"fuzzed for (\d+) iterations", out) or re.findall(r"^#(\d+):", out, re.M)
        execs = int(m[-1]) if m else 0
    cov = re.findall(r"cov: (\d+) ft: (\d+)", out)
    record = {"target": target, "executions": execs, "seconds": round(seconds),
              "exec_per_s": round(execs / seconds) if seconds > 0 else 0,
              "coverage": int(cov[-1][0]) if cov else None, "features": int(cov[-1][1]) if cov else None,
              "peak_rss_mb": stat(out, "peak_rss_mb"), "corpus": len(os.listdir(corpus)),
              "crashes": 0 if proc.returncode in (0, INTERRUPTED) else 1, "exit": proc.returncode,
              "date": time.strftime("%Y-%m-%d"), "jobs": args.fork or 1}
    ok = proc.returncode == 0
    status = "ok  " if ok else "STOP" if proc.returncode == INTERRUPTED else "FAIL"
    print(f"{status} {target}: {execs:,} runs in {seconds:.0f} s "
          f"({record['exec_per_s']:,}/s), cov {record['coverage']}, corpus {record['corpus']}, "
          f"peak {record['peak_rss_mb']} MB", flush=True)
    if not ok:
        tail = out[-6000:]
        print(tail, file=sys.stderr)
    return record


def table(paths):
    """The last record of each target that ran to the end, as Markdown."""
    best = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                if r["exit"] == 0:
                    best[r["target"]] = r
    print("| target | date | executions | seconds | exec/s | coverage (edges) | corpus | peak RSS | crashes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in TARGETS:
        r = best.get(t)
        if r is None:
            print(f"| `{t}` | - | not run to the end | | | | | | |")
            continue
        jobs = r.get("jobs", 1)
        name = f"`{t}` ({jobs} jobs)" if jobs > 1 else f"`{t}`"
        rss = f"{r['peak_rss_mb']} MB" if r["peak_rss_mb"] is not None else "-"
        print(f"| {name} | {r['date']} | {r['executions']:,} | {r['seconds']:,} | {r['exec_per_s']:,} | "
              f"{r['coverage']:,} | {r['corpus']:,} | {rss} | {r['crashes']} |")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--table":
        table(sys.argv[2:])
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("targets", nargs="*")
    p.add_argument("--time", type=int, help="seconds per target (default 25; with --runs, at most)")
    p.add_argument("--runs", type=int, help="executions per target instead of a time")
    p.add_argument("--build", default=os.path.join(ROOT, "build", "fuzz"))
    p.add_argument("--fork", type=int, help="libFuzzer's fork mode: N jobs at once, one corpus "
                   "(a long run on N cores; executions counted over all jobs)")
    p.add_argument("--json", help="append one JSON record per target to this file")
    args = p.parse_args()
    global BUILD
    BUILD = args.build
    targets = args.targets or list(TARGETS)
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        p.error(f"unknown target {unknown[0]}; known: {', '.join(TARGETS)}")
    failed = False
    for t in targets:
        record = run(t, args)
        failed = failed or record["exit"] != 0
        if args.json:
            with open(args.json, "a") as f:
                f.write(json.dumps(record) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
