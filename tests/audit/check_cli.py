#!/usr/bin/env python3
"""The audit through the real binary, whole and split into partials.

  check_cli.py KLING_TRIAGE ROOT [TRIALS] [SEED]

On the generated traffic (tests/data/audit/generated, 18 scripted clients):

1. `analyze --audit -f json`: the report's audit equals traffic.expected.json
   (totals, task states, exact percentiles, every detector's findings and
   wasted calls, and per client its calls, failures, peak in flight and
   findings), and every line a finding counts is one `explain` names.
2. Thresholds move the boundaries the traffic sits on: --audit-duplicate-window
   121s adds the 121 s duplicate, 119s drops the 120 s one; --audit-retry-window
   599s drops the retry at exactly 600 s; --audit-poll-min 2001ms makes the
   well-behaved client's exact 2.0 s mean interval a finding.
3. Gates: audit:<detector> and orphaned, met and not met (exit 1 / 0).
4. Partials: random byte-range shards (1-12), every line dealt to new files
   (round robin, blocks, random) and time-range shards, merged along random
   trees: the merged report equals the whole run byte for byte for byte
   ranges; for new files the audit equals it apart from the files and lines
   examples cite (every client here has a credential, so client identity
   does not depend on the file). Merging an audited partial with one that
   is not, or one audited with other thresholds, is refused.
5. Other input shapes: the same calls as a HAR file (headers as lists, bodies
   as text, `time` for the duration) and as JSON Lines whose bodies are
   strings holding JSON, `status_code` and `time` in epoch ms give the same
   audit apart from the positions examples cite.
"""
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile

TS = re.compile(rb'"ts"\s*:\s*"([^"]+)"')
DETECTORS = ["retry_non_retryable", "retry_after_ignored", "no_backoff", "poll_too_fast",
             "orphaned_task", "duplicate_submission"]


class Runner:
    def __init__(self, binary, root, tmp):
        self.binary, self.root, self.tmp = binary, root, tmp
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
        self.count = 0

    def run(self, args, stdin=None, codes=(0, 1)):
        self.count += 1
        p = subprocess.run([self.binary] + args, input=stdin, capture_output=True,
                           cwd=self.root, env=self.env)
        if p.returncode not in codes:
            raise SystemExit(f"kling-triage {' '.join(args)}: exit {p.returncode}\n"
                             f"{p.stderr.decode(errors='replace')}")
        return p

    def file(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


def seconds(ms):
    return None if ms is None else ms / 1000


def check_expected(audit, expected, problems):
    t = expected["totals"]
    for key in ("calls", "callbacks", "callbacks_unmatched"):
        if audit[key] != t[key]:
            problems.append(f"{key}: {audit[key]}, expected {t[key]}")
    want_tasks = dict(t["tasks"])
    ttr, ppt = want_tasks.pop("time_to_result_ms"), want_tasks.pop("polls_per_task")
    got_tasks = dict(audit["tasks"])
    got_ttr, got_ppt = got_tasks.pop("time_to_result_s"), got_tasks.pop("polls_per_task")
    if got_tasks != want_tasks:
        problems.append(f"tasks: {got_tasks}, expected {want_tasks}")
    for p in ("p50", "p90", "p99"):
        if got_ttr[p] != seconds(ttr[p]) or got_ppt[p] != ppt[p]:
            problems.append(f"{p}: time to result {got_ttr[p]} s, polls {got_ppt[p]}; expected "
                            f"{seconds(ttr[p])} s, {ppt[p]}")
    detectors = {d["id"]: d for d in audit["detectors"]}
    for name, want in t["detectors"].items():
        got = detectors[name]
        if (got["findings"], got["wasted_calls"]) != (want["findings"], want["wasted_calls"]):
            problems.append(f"{name}: {got['findings']} findings / {got['wasted_calls']} wasted, "
                            f"expected {want['findings']} / {want['wasted_calls']}")
        if (got["fix"] is None) != (want["findings"] == 0):
            problems.append(f"{name}: a fix line only when it fired ({got['fix']!r})")
    clients = {c["id"]: c for c in audit["clients"]}
    for script, want in expected["clients"].items():
        got = clients.get(want["client"])
        if got is None:
            problems.append(f"client {script} ({want['client']}) is not in the report")
            continue
        for key in ("calls", "failures", "peak_in_flight"):
            if got[key] != want[key]:
                problems.append(f"client {script}: {key} {got[key]}, expected {want[key]}")
        findings = {d: v["findings"] for d, v in want["detectors"].items() if v["findings"]}
        if got["findings"] != findings:
            problems.append(f"client {script}: findings {got['findings']}, expected {findings}")


def check_explain(r, traffic, expected, problems):
    marked = {}
    for name, d in expected["totals"]["detectors"].items():
        for line in d["marked_lines"]:
            marked.setdefault(line, set()).add(name)
    for line in sorted(marked) + [1, 2]:  # two lines no finding counts
        out = r.run(["explain", f"{traffic}:{line}"]).stdout.decode()
        named = {d for d in DETECTORS if f"audit: {d}" in out}
        if named != marked.get(line, set()):
            problems.append(f"explain {traffic}:{line} names {sorted(named)}, expected "
                            f"{sorted(marked.get(line, set()))}")


def thresholds(r, traffic, problems):
    def findings(*opts):
        rep = json.loads(r.run(["analyze", "-f", "json", "--audit", *opts, traffic]).stdout)
        return {d["id"]: d["findings"] for d in rep["audit"]["detectors"]}
    base = findings()
    cases = [(("--audit-duplicate-window", "121s"), "duplicate_submission", +1),
             (("--audit-duplicate-window", "119s"), "duplicate_submission", -1),
             (("--audit-retry-window", "599s"), "retry_non_retryable", -1),
             (("--audit-poll-min", "2001ms"), "poll_too_fast", +1)]
    for opts, name, delta in cases:
        got = findings(*opts)
        if got[name] != base[name] + delta:
            problems.append(f"{' '.join(opts)}: {name} {got[name]}, expected {base[name] + delta}")


def gates(r, traffic, expected, problems):
    d = expected["totals"]["detectors"]
    orphaned = expected["totals"]["tasks"]["orphaned"]
    n = d["retry_after_ignored"]["findings"]
    for cond, code in [(f"audit:retry_after_ignored>={n}", 1), (f"audit:retry_after_ignored>{n}", 0),
                       (f"orphaned=={orphaned}", 1), (f"orphaned<{orphaned}", 0)]:
        p = r.run(["analyze", "-o", os.devnull, "--fail-on", cond, traffic])
        if p.returncode != code:
            problems.append(f"--fail-on {cond}: exit {p.returncode}, expected {code}")


def merge_tree(r, rng, partials):
    items = list(partials)
    while len(items) > 1:
        rng.shuffle(items)
        k = min(len(items), rng.randint(2, 4))
        group, items = items[:k], items[k:]
        form = rng.choice(["binary", "base64"])
        items.append(r.run(["merge", "--partial", "-", "--partial-encoding", form, "-"],
                           stdin=b"".join(group)).stdout)
    return items[0]


def without_locations(report):
    """The audit and the totals (callbacks left out of the calls), without what depends on
    which file a line is in."""
    rep = json.loads(report)
    audit = rep["audit"]
    for d in audit["detectors"]:
        for e in d["examples"]:
            for x in [e] + ([e["earlier"]] if e["earlier"] else []):
                x.pop("source"), x.pop("line"), x.pop("entry")
    return json.dumps({"audit": audit, "totals": rep["totals"]}, indent=1, sort_keys=True)


def check_callbacks(r, traffic, rep, expected, problems):
    """Callbacks are not Kling calls: with the audit they leave every count of the report
    (totals.callbacks, inputs[].callbacks); without it they are calls like any other line."""
    lines = sum(1 for l in open(os.path.join(r.root, traffic), "rb") if l.strip())
    t, want = rep["totals"], expected["totals"]["callbacks"]
    got = (t.get("callbacks"), rep["inputs"][0].get("callbacks"), t["records"] + t["callbacks"],
           t["ok"] + t["failures"], sum(rep["statuses"].values()))
    if got != (want, want, lines, rep["audit"]["calls"], t["records"]):
        problems.append(f"callbacks in the totals: (totals, input, records + callbacks, ok + "
                        f"failures, statuses) = {got}, expected ({want}, {want}, {lines}, "
                        f"{rep['audit']['calls']}, {t['records']})")
    plain = json.loads(r.run(["analyze", "-f", "json", traffic]).stdout)
    if plain["totals"]["records"] != lines or "callbacks" in plain["totals"]:
        problems.append(f"without --audit every line is a call: {plain['totals']}")
    if not problems:
        print(f"ok   callbacks: {want} of {lines} lines, not in the calls; calls without --audit")


def splits(r, rng, traffic, trials, problems):
    whole = r.run(["analyze", "-f", "json", "--audit", traffic]).stdout
    data = open(os.path.join(r.root, traffic), "rb").read()
    lines = data.splitlines(keepends=True)
    kinds = ["byte-range", "line", "time"]
    for t in range(trials):
        kind = kinds[t % len(kinds)]
        n = rng.randint(1, 12)
        if kind == "byte-range":
            cuts = sorted({0, len(data), *(rng.randrange(len(data)) for _ in range(n - 1))})
            shards = [["--byte-range", f"{a}:{b}", traffic] for a, b in zip(cuts, cuts[1:])]
        else:
            buckets = [[] for _ in range(n)]
            if kind == "line":
                style = rng.choice(["round-robin", "random", "blocks"])
                for i, l in enumerate(lines):
                    b = i % n if style == "round-robin" else (
                        rng.randrange(n) if style == "random" else min(n - 1, i * n // len(lines)))
                    buckets[b].append(l)
            else:
                times = sorted({TS.search(l).group(1) for l in lines})
                cut = sorted(rng.sample(times, min(n - 1, len(times))))
                for l in lines:
                    buckets[sum(1 for c in cut if TS.search(l).group(1) >= c)].append(l)
            shards = [[r.file(f"t{t}-{i}.jsonl", b"".join(b))] for i, b in enumerate(buckets) if b]
        partials = [r.run(["analyze", "--audit", "--partial", "-", "--partial-encoding",
                           rng.choice(["binary", "base64"])] + s).stdout for s in shards]
        got = r.run(["merge", "-f", "json", "-"], stdin=merge_tree(r, rng, partials)).stdout
        same = got == whole if kind == "byte-range" else without_locations(got) == without_locations(whole)
        print(f"{'ok  ' if same else 'FAIL'} {kind}, {len(shards)} shards")
        if not same:
            problems.append(f"trial {t} ({kind}, {len(shards)} shards): the merged audit differs")
            a, b = (whole.decode(), got.decode()) if kind == "byte-range" else (
                without_locations(whole), without_locations(got))
            r.file("want", a.encode()), r.file("got", b.encode())
            print(subprocess.run(["diff", os.path.join(r.tmp, "want"), os.path.join(r.tmp, "got")],
                                 capture_output=True, text=True).stdout[:3000])


def refusals(r, traffic, problems):
    audited = r.run(["analyze", "--audit", "--partial", "-", "--byte-range", "0:4000", traffic]).stdout
    size = os.path.getsize(os.path.join(r.root, traffic))
    rest = ["--byte-range", f"4000:{size}", traffic]
    plain = r.run(["analyze", "--partial", "-"] + rest).stdout
    other = r.run(["analyze", "--audit-grace", "10m", "--partial", "-"] + rest).stdout
    for name, second, words in [("not audited", plain, "`audit` section"),
                                ("other thresholds", other, "other thresholds")]:
        p = r.run(["merge", "-o", os.devnull, "-"], stdin=audited + second, codes=(2,))
        if words not in p.stderr.decode():
            problems.append(f"merge of an audited partial and one with {name}: {p.stderr.decode()!r}")


def as_har(lines):
    entries = []
    for l in lines:
        r = json.loads(l)
        req, resp = r["request"], r.get("response", {})
        def hdrs(h):
            return [{"name": k, "value": v} for k, v in (h or {}).items()]
        e = {"startedDateTime": r["ts"], "time": r.get("duration_ms", 0),
             "request": {"method": req["method"], "url": req["url"], "httpVersion": "HTTP/1.1",
                         "headers": hdrs(req.get("headers")), "queryString": [], "cookies": [],
                         "headersSize": -1, "bodySize": -1},
             "response": {"status": resp.get("status", 0), "statusText": "", "httpVersion": "HTTP/1.1",
                          "headers": hdrs(resp.get("headers")), "cookies": [], "redirectURL": "",
                          "headersSize": -1, "bodySize": -1,
                          "content": {"size": 0, "mimeType": "application/json"}},
             "cache": {}, "timings": {"send": 0, "wait": r.get("duration_ms", 0), "receive": 0}}
        if "body" in req:
            e["request"]["postData"] = {"mimeType": "application/json",
                                        "text": json.dumps(req["body"], separators=(",", ":"))}
        if "body" in resp:
            e["response"]["content"]["text"] = json.dumps(resp["body"], separators=(",", ":"))
        entries.append(e)
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "check_cli", "version": "1"},
                               "entries": entries}}, indent=1).encode()


def as_strings(lines):
    """Bodies as strings holding JSON (spaced), status_code, epoch-ms time."""
    out = []
    for l in lines:
        r = json.loads(l)
        ms = int(datetime.datetime.fromisoformat(r.pop("ts").replace("Z", "+00:00")).timestamp() * 1000)
        r = {"time": ms, **r}
        for side in ("request", "response"):
            part = r.get(side)
            if part and "body" in part:
                part["body"] = json.dumps(part["body"], indent=1)
        if "response" in r and "status" in r["response"]:
            r["response"]["status_code"] = r["response"].pop("status")
        out.append(json.dumps(r).encode() + b"\n")
    return b"".join(out)


def shapes(r, traffic, problems):
    whole = r.run(["analyze", "-f", "json", "--audit", traffic]).stdout
    lines = open(os.path.join(r.root, traffic), "rb").read().splitlines()
    for name, data in [("traffic.har", as_har(lines)), ("strings.jsonl", as_strings(lines))]:
        path = r.file(name, data)
        got = r.run(["analyze", "-f", "json", "--audit", path]).stdout
        if without_locations(got) != without_locations(whole):
            problems.append(f"the audit of the traffic as {name} differs from the canonical file's")
            r.file("want", without_locations(whole).encode()), r.file("got", without_locations(got).encode())
            print(subprocess.run(["diff", os.path.join(r.tmp, "want"), os.path.join(r.tmp, "got")],
                                 capture_output=True, text=True).stdout[:3000])
        else:
            print(f"ok   {name}: the same audit")


def main():
    binary, root = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 18
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20261201)
    traffic = "tests/data/audit/generated/traffic.jsonl"
    with open(os.path.join(root, "tests/data/audit/generated/traffic.expected.json")) as f:
        expected = json.load(f)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        r = Runner(binary, root, tmp)
        rep = json.loads(r.run(["analyze", "-f", "json", "--audit", traffic]).stdout)
        check_expected(rep["audit"], expected, problems)
        check_callbacks(r, traffic, rep, expected, problems)
        check_explain(r, traffic, expected, problems)
        thresholds(r, traffic, problems)
        gates(r, traffic, expected, problems)
        splits(r, rng, traffic, trials, problems)
        refusals(r, traffic, problems)
        shapes(r, traffic, problems)
        for p in problems:
            print("check_cli: " + p, file=sys.stderr)
        if not problems:
            print(f"check_cli: the audit as expected, whole and in {trials} splits "
                  f"({r.count} runs of kling-triage)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
