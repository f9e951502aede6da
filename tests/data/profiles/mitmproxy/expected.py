#!/usr/bin/python3
"""Writes <har>.expected.tsv (without .har): `<entry index>\\t<call>\\t<expected>\\t<true cause>`.
Entries are matched to the calls in order by method and X-Scenario header. The har_dump addon
writes entries only from mitmproxy's `response` hook, so a call that got no answer (the refused
connection) has no entry; it is listed at the end with entry `-`."""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "common"))
import kling_calls as K  # noqa: E402

har = sys.argv[1]
entries = json.load(open(har))["log"]["entries"]
rows, ci = [], 0
missing = []
for i, e in enumerate(entries):
    hdr = {h["name"].lower(): h["value"] for h in e["request"]["headers"]}
    while ci < len(K.CALLS) and not (K.CALLS[ci]["method"] == e["request"]["method"] and K.CALLS[ci]["scenario"] == hdr.get("x-scenario")
                                     and not K.CALLS[ci].get("closed")):
        missing.append(K.CALLS[ci])
        ci += 1
    if ci == len(K.CALLS):
        raise SystemExit(f"{har}: entry {i} matches no call")
    c = K.CALLS[ci]
    ci += 1
    rows.append({"line": i, "call": c["name"], "expected": c["cause"], "cause": c["cause"]})
missing += K.CALLS[ci:]
for c in missing:
    rows.append({"line": "-", "call": c["name"], "expected": "not in the HAR", "cause": c["cause"]})
K.write_expected(har[:-4] + ".expected.tsv", rows)
print(f"{har}: {len(entries)} entries for {len(K.CALLS)} calls; not recorded: {', '.join(c['name'] for c in missing) or 'none'}")
