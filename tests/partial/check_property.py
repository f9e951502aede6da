#!/usr/bin/env python3
"""Merging the partials of any split equals one analyze over all inputs.

The inputs are the labelled corpus and samples/ (plain, gzip, zstd, HAR).
Each trial (seeded) splits them one of four ways into 1 to 16 shards:

  file        whole input files spread over the shards (paths unchanged)
  byte-range  plain JSON Lines files cut at random byte offsets
              (`analyze --byte-range`; the others whole)
  line        every line of the JSON Lines inputs dealt to new shard files
              (round robin, at random or in blocks; HAR files whole)
  time        the same lines, each to the shard of its time range

runs `analyze --partial` on every shard (random form: binary or base64,
sometimes several partials concatenated on one stream), merges them along a
random tree (`merge --partial` of random groups, in random order), renders
the final JSON report and compares it with the whole run's: byte for byte
for file and byte-range splits (generated_at is pinned); for shards cut into
new files, apart from what the contract allows there: `inputs`, and the
files and lines that examples cite. The last trials (one per split kind)
run with tight bounds (--max-distinct 10 --max-timeline-cells 1000), so
that the bounded dimensions leave values out (`other`) and the timeline
widens: those must merge exactly too. Every run is audited (`--audit`, the
generated audit traffic among the inputs): for file and byte-range splits the
audit is part of the byte-for-byte comparison; for new files it is left out,
as the clients known only by their input's path are then one per new file
(tests/audit/check_cli.py compares those splits of credentialed traffic).

    check_property.py BINARY PROJECT_ROOT [TRIALS] [SEED]
"""
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile

TS = re.compile(rb'"(?:ts|time|timestamp|@timestamp)"\s*:\s*"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)')


class Runner:
    def __init__(self, binary, root, tmp):
        self.binary, self.root, self.tmp = binary, root, tmp
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
        self.count = 0

    def run(self, args, stdin=None):
        self.count += 1
        p = subprocess.run([self.binary] + args, input=stdin, capture_output=True,
                           cwd=self.root, env=self.env)
        if p.returncode not in (0, 1):
            raise SystemExit(f"kling-triage {' '.join(args)}: exit {p.returncode}\n"
                             f"{p.stderr.decode(errors='replace')}")
        return p.stdout

    def file(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


def read_lines(root, path):
    raw = open(os.path.join(root, path), "rb").read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif path.endswith(".zst"):
        raw = subprocess.run(["zstd", "-dc"], input=raw, capture_output=True, check=True).stdout
    # Every line ends with its newline (a file's last may not), so that lines
    # dealt to a new file stay lines; a file's BOM is not part of its line.
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return [l if l.endswith(b"\n") else l + b"\n" for l in raw.split(b"\n") if l]


def partials_of(r, rng, shards, common):
    """One partial per shard (a list of args), as bytes, in random forms."""
    out = []
    for shard in shards:
        form = rng.choice(["binary", "base64"])
        out.append(r.run(["analyze", "--partial", "-", "--partial-encoding", form]
                         + common + shard))
    return out


def merge_tree(r, rng, partials):
    """Merges along a random tree: random groups of 2-4, sometimes on stdin."""
    items = list(partials)
    while len(items) > 1:
        rng.shuffle(items)
        k = min(len(items), rng.randint(2, 4))
        group, items = items[:k], items[k:]
        form = rng.choice(["binary", "base64"])
        if rng.random() < 0.5:
            merged = r.run(["merge", "--partial", "-", "--partial-encoding", form, "-"],
                           stdin=b"".join(group))
        else:
            names = [r.file(f"m{r.count}-{i}.partial", g) for i, g in enumerate(group)]
            merged = r.run(["merge", "--partial", "-", "--partial-encoding", form] + names)
        items.append(merged)
    return items[0]


def strip_locations(report):
    """What a split into new files may change: inputs, and the files and lines
    that examples cite."""
    report = json.loads(report)
    report.pop("inputs", None)
    report.pop("audit", None)
    examples = [e for c in report["causes"] for e in c["examples"]]
    examples += report["malformed"]["examples"]
    examples += [t["example"] for t in report["unexplained"]["templates"] if t["example"]]
    for e in examples:
        e.pop("source", None)
        e.pop("line", None)
    return json.dumps(report, indent=1, sort_keys=True)


def deal(rng, n):
    """How n shards are dealt: round robin, random, or contiguous blocks."""
    style = rng.choice(["round-robin", "random", "blocks"])
    if style == "round-robin":
        return lambda i, total: i % n
    if style == "random":
        return lambda i, total: rng.randrange(n)
    return lambda i, total: min(n - 1, i * n // max(total, 1))


def trial(r, rng, kind, inputs, jsonl, plain, common):
    n = rng.randint(1, 16)
    tag = f"t{r.count}"
    if kind == "file":
        n = min(n, len(inputs))
        files = list(inputs)
        rng.shuffle(files)
        shards = [files[i::n] for i in range(n)]
    elif kind == "byte-range":
        shards = [[f] for f in inputs if f not in plain]
        for f in plain:
            size = os.path.getsize(os.path.join(r.root, f))
            cuts = sorted({0, size, *(rng.randrange(size) for _ in range(n - 1))})
            shards += [["--byte-range", f"{a}:{b}", f] for a, b in zip(cuts, cuts[1:])]
    else:
        lines = [l for f in jsonl for l in read_lines(r.root, f)]
        buckets = [[] for _ in range(n)]
        if kind == "line":
            pick = deal(rng, n)
            for i, l in enumerate(lines):
                buckets[pick(i, len(lines))].append(l)
        else:  # by time range: cut points between the earliest and latest time
            times = sorted({m.group(1) for l in lines if (m := TS.search(l))})
            cuts = sorted(rng.sample(times, min(n - 1, len(times))))
            for l in lines:
                m = TS.search(l)
                b = sum(1 for c in cuts if m.group(1) >= c) if m else rng.randrange(n)
                buckets[min(b, n - 1)].append(l)
        shards = [[f] for f in inputs if f not in jsonl]  # HAR files whole
        for i, b in enumerate(buckets):
            if b:
                shards.append([r.file(f"{tag}-{i}.jsonl", b"".join(b))])
    partials = partials_of(r, rng, shards, common)
    return r.run(["merge", "-f", "json", "-"], stdin=merge_tree(r, rng, partials)), len(shards)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261124
    rng = random.Random(seed)
    samples = sorted(os.path.relpath(os.path.join(d, f), root)
                     for d, _, fs in os.walk(os.path.join(root, "samples"))
                     for f in fs if f.endswith((".jsonl", ".jsonl.gz", ".jsonl.zst", ".har")))
    inputs = ["tests/corpus/labelled.jsonl", "tests/data/audit/generated/traffic.jsonl"] + samples
    jsonl = [f for f in inputs if not f.endswith(".har")]
    plain = [f for f in inputs if f.endswith(".jsonl")]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        r = Runner(binary, root, tmp)
        # The shards of line and time splits are new files: each detects its
        # input profile from its own first records (they agree here).
        bounded = ["--max-distinct", "10", "--max-timeline-cells", "1000"]
        wholes = {}
        for name, common in (("", []), ("bounded", bounded)):
            kept = r.run(["analyze", "-f", "json", "--audit"] + common + inputs)
            wholes[name] = {"kept": kept, "cut": strip_locations(kept)}
        if b'"codes_other"' not in wholes["bounded"]["kept"]:
            print("FAIL the bounded run leaves no value out: the bounds test nothing")
            failures += 1
        kinds = ["file", "byte-range", "line", "time"]
        plan = [(kinds[t % len(kinds)], "") for t in range(trials)]
        plan += [(kind, "bounded") for kind in kinds]
        for t, (kind, name) in enumerate(plan):
            common = bounded if name else []
            whole = wholes[name]
            cut = kind in ("line", "time")
            got, shards = trial(r, rng, kind, inputs, jsonl, plain, ["--audit"] + common)
            same = strip_locations(got) == whole["cut"] if cut else got == whole["kept"]
            label = f"{kind}, {shards} shards" + (", bounded" if name else "")
            print(f"{'ok  ' if same else 'FAIL'} trial {t}: {label}")
            if not same:
                failures += 1
                want = whole["cut"] if cut else whole["kept"].decode()
                have = strip_locations(got) if cut else got.decode()
                with open(os.path.join(tmp, "want"), "w") as f:
                    f.write(want)
                with open(os.path.join(tmp, "got"), "w") as f:
                    f.write(have)
                diff = subprocess.run(["diff", os.path.join(tmp, "want"), os.path.join(tmp, "got")],
                                      capture_output=True, text=True).stdout
                print(diff[:3000])
        print(f"{len(plan) - failures} of {len(plan)} trials equal the whole run "
              f"({r.count} runs of kling-triage)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
