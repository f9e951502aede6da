#!/usr/bin/env python3
"""A second, independent reader of kling-triage partials (docs/partial-format.md),
in plain Python: prints each partial of a file or stream as JSON.

    partial_dump.py FILE|-        every partial in it, one JSON document per line
    partial_dump.py --check BINARY PROJECT_ROOT
                                  the layout check the test suite runs: the partial of
                                  samples/ decodes to the counts of its JSON report

It checks the framing (header, checksum is not verified: Python's standard
library has no XXH3) and decodes the `run`, `inputs` and `counts` sections
field by field; other sections are shown as their size. The test suite uses
it to check that the documented layout is the one the binary writes, and to
measure encodings (bench/README.md).
"""
import base64
import json
import os
import subprocess
import sys

SCHEMA = b"kling-triage/partial@1"


class Reader:
    def __init__(self, data):
        self.b, self.p = data, 0

    def u8(self):
        v = self.b[self.p]
        self.p += 1
        return v

    def varint(self):
        v, shift = 0, 0
        while True:
            c = self.u8()
            v |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                return v

    def svarint(self):
        z = self.varint()
        return (z >> 1) ^ -(z & 1)

    def fixed64(self):
        v = int.from_bytes(self.b[self.p:self.p + 8], "little")
        self.p += 8
        return v

    def bytes(self):
        n = self.varint()
        v = self.b[self.p:self.p + n]
        self.p += n
        return v

    def str(self):
        return self.bytes().decode("utf-8", "replace")

    def opt(self):
        return self.svarint() if self.u8() else None

    def at_end(self):
        return self.p == len(self.b)


def int_counts(r):
    return {r.svarint(): r.varint() for _ in range(r.varint())}


def bounded(r, key, counts):
    """A bounded dimension: truncated flag, the kept values, the others' counts."""
    truncated = bool(r.u8())
    kept = {}
    for _ in range(r.varint()):
        k = key(r)
        kept[k] = counts(r)
    return {"truncated": truncated, "kept": kept, "other": counts(r)}


def one_count(r):
    return r.varint()


def record_count(r):
    return {"records": r.varint(), "failures": r.varint()}


def int_key(r):
    return r.svarint()


def text_key(r):
    return r.str()


def key(r):
    ts = r.svarint()
    timed = r.u8()
    return {"ts": ts if timed else None, "hash": f"{r.fixed64():016x}", "source": r.varint(),
            "line": r.svarint(), "entry": r.svarint()}


def example(r):
    return {"key": key(r), "request_id": r.str(), "ts": r.opt(), "status": r.varint(),
            "code": r.opt(), "endpoint": r.str(), "message": r.str()}


def run_section(r):
    out = {"version": r.varint(), "tool_version": r.str(), "rules_digest": r.str(),
           "rule_count": r.varint(), "profiles_digest": r.str()}
    out["options"] = {r.str(): r.str() for _ in range(r.varint())}
    out["since"], out["until"] = r.opt(), r.opt()
    causes = []
    for _ in range(r.varint()):
        c = {"id": r.str(), "category": r.str(), "title": r.str(), "retryable": r.str()}
        c["fixes"] = [r.str() for _ in range(r.varint())]
        c["docs"] = r.str()
        causes.append(c)
    out["causes"] = causes
    return out


def inputs_section(r):
    out = {"version": r.varint(), "inputs": []}
    for _ in range(r.varint()):
        e = {"path": r.str()}
        if r.u8():
            e["range"] = [r.varint(), r.varint()]
        e["checksum"] = f"{r.fixed64():016x}"
        e["lines"] = r.varint()
        for k in ("format", "compression", "profile", "encoding", "line_ends"):
            e[k] = r.str()
        e["raw_bytes"], e["bytes"], e["unreadable"] = r.varint(), r.varint(), bool(r.u8())
        e["errors"] = [r.str() for _ in range(r.varint())]
        out["inputs"].append(e)
    return out


def counts_section(r):
    out = {"version": r.varint()}
    for k in ("records", "ok", "failures", "malformed", "outside_window", "skipped",
              "without_time"):
        out[k] = r.varint()
    out["inputs"] = [dict(zip(("records", "ok", "failures", "malformed", "skipped",
                                "response_bodies"), (r.varint() for _ in range(6))))
                     for _ in range(r.varint())]
    out["statuses"] = {r.varint(): r.varint() for _ in range(r.varint())}
    out["codes"] = bounded(r, int_key, one_count)
    out["first_ts"], out["last_ts"] = r.opt(), r.opt()
    causes = {}
    for _ in range(r.varint()):
        i = r.varint()
        c = {"count": r.varint(), "statuses": int_counts(r),
             "codes": bounded(r, int_key, one_count), "endpoints": bounded(r, text_key, one_count)}
        c["examples"] = [example(r) for _ in range(r.varint())]
        c["first_seen"], c["last_seen"] = r.opt(), r.opt()
        causes[i] = c
    out["causes"] = causes
    out["malformed_examples"] = [{"key": key(r), "error": r.str()} for _ in range(r.varint())]
    out["endpoints"] = bounded(r, text_key, record_count)
    out["models"] = bounded(r, text_key, record_count)
    out["resolution_minutes"] = r.varint()
    minutes = {}
    for _ in range(r.varint()):
        m = r.varint()
        minutes[m] = {"records": r.varint(), "failures": r.varint(), "causes": int_counts(r)}
    out["minutes"] = minutes
    out["unexplained_capped"] = bool(r.u8())
    templates = []
    for _ in range(r.varint()):
        t = {"template": r.str(), "count": r.varint(), "statuses": int_counts(r),
             "codes": bounded(r, int_key, one_count)}
        t["earliest"] = example(r) if r.u8() else None
        templates.append(t)
    out["unexplained"] = templates
    return out


DECODERS = {"run": run_section, "inputs": inputs_section, "counts": counts_section}


def sections(framed):
    r = Reader(framed)
    flags = r.u8()
    stored = r.bytes()
    r.fixed64()  # checksum (XXH3-64; not verified here)
    if not r.at_end():
        raise ValueError("bytes after the checksum")
    body = stored
    if flags & 1:
        body = subprocess.run(["zstd", "-dc"], input=stored, capture_output=True, check=True).stdout
    b = Reader(body)
    out = {}
    for _ in range(b.varint()):
        name = b.str()
        b.u8()  # flags
        data = b.bytes()
        if name in DECODERS:
            s = Reader(data)
            out[name] = DECODERS[name](s)
            if not s.at_end():
                raise ValueError(f"section {name}: bytes after its end")
        else:
            out[name] = {"bytes": len(data)}
    return out, len(body)


def partials(data):
    """Yields (sections, decompressed body size) of each partial in `data`."""
    p = 0
    while True:
        while p < len(data) and data[p:p + 1] in (b"\n", b"\r", b" ", b"\t"):
            p += 1
        if p >= len(data):
            return
        if not data.startswith(SCHEMA, p):
            raise ValueError(f"no partial header at byte {p}")
        p += len(SCHEMA)
        if data[p:p + 1] == b"\n":
            r = Reader(data[p + 1:])
            r.u8()
            n = r.varint()
            end = p + 1 + r.p + n + 8
            yield sections(data[p + 1:end])
            p = end
        elif data.startswith(b" base64:", p):
            eol = data.find(b"\n", p)
            eol = len(data) if eol < 0 else eol
            yield sections(base64.b64decode(data[p + 8:eol]))
            p = eol + 1
        else:
            raise ValueError(f"a malformed header at byte {p}")


def check(binary, root):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    part = subprocess.run([binary, "analyze", "--partial", "-", "samples/"], cwd=root, env=env,
                          capture_output=True, check=True).stdout
    report = json.loads(subprocess.run([binary, "analyze", "-f", "json", "samples/"], cwd=root,
                                       env=env, capture_output=True, check=True).stdout)
    (secs, _), = list(partials(part))
    counts, run, inputs = secs["counts"], secs["run"], secs["inputs"]["inputs"]
    totals = report["totals"]
    causes = {run["causes"][i]["id"]: c["count"] for i, c in counts["causes"].items()}
    checks = [
        ("sections", sorted(secs) == ["counts", "inputs", "run"]),
        ("totals", all(counts[k] == totals[k] for k in ("records", "ok", "failures", "malformed",
                                                         "outside_window", "skipped"))),
        ("statuses", {str(k): v for k, v in counts["statuses"].items()} == report["statuses"]),
        ("causes", causes == {c["id"]: c["count"] for c in report["causes"]}),
        ("inputs", [e["path"] for e in inputs] == [i["path"] for i in report["inputs"]]),
        ("rules digest", run["rules_digest"] == report["rules"]["digest"]),
        ("codes", {str(k): v for k, v in counts["codes"]["kept"].items()} == report["codes"]),
        ("minutes", sum(m["records"] for m in counts["minutes"].values())
         == totals["records"] - totals["malformed"] - counts["without_time"]),
    ]
    for name, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} the documented layout: {name}")
    return 0 if all(ok for _, ok in checks) else 1


def main():
    if sys.argv[1] == "--check":
        return check(sys.argv[2], sys.argv[3])
    path = sys.argv[1]
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    for secs, _ in partials(data):
        print(json.dumps(secs, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
