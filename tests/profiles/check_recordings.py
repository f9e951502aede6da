#!/usr/bin/env python3
"""Golden test of the bundled input profiles on what real tools wrote.

For every recording under tests/data/profiles/<tool>/ that has an
<file>.expected.tsv, runs `kling-triage analyze --events` on the file and checks:
  - the input is read by the profile this table names (detection, not --profile);
  - every record the table lists gets the cause in its <expected> column (the
    cause the error reference gives from what that record carries), and a
    success is never counted as a failure;
  - a row whose expected cause is `-` (not a call: a "request sent" line, a
    connection notice) yields no ok/failure event; `not in the HAR` rows are
    calls the tool did not write, and are only counted.
Prints one line per file and exits 1 on any mismatch.

  check_recordings.py KLING_TRIAGE [DATA_DIR]
"""
import json
import os
import subprocess
import sys

# file (relative to tests/data/profiles) -> the profile that must read it
PROFILES = {
    "pino/pino-axios.jsonl": "pino",
    "pino/pino-http.jsonl": "pino-http",
    "winston/winston.jsonl": "winston",
    "undici/undici.jsonl": "undici",
    "python-json-logger/python-json-logger.jsonl": "python-json-logger",
    "structlog/structlog.jsonl": "structlog",
    "urllib3/urllib3.log": "urllib3",
    "axios-logger/axios-logger.log": "axios-logger",
    "axios-logger/axios-logger-headers.log": "axios-logger",
    "opentelemetry/otel-old-logs.jsonl": "otlp-logs",
    "opentelemetry/otel-dup-logs.jsonl": "otlp-logs",
    "opentelemetry/otel-stable-logs.jsonl": "otlp-logs",
    "opentelemetry/otel-old-spans.jsonl": "otlp-spans",
    "opentelemetry/otel-dup-spans.jsonl": "otlp-spans",
    "opentelemetry/otel-stable-spans.jsonl": "otlp-spans",
    "nginx/nginx-upstream.jsonl": "nginx-json",
    "nginx/nginx-body.jsonl": "nginx-json",
    "nginx/nginx-resp-body.jsonl": "nginx-json",
    "mitmproxy/mitmproxy.har": "har",
    "insomnia/insomnia-2022.1.1.har": "har",
    "bruno/bruno-report.json": "bruno-report",
    "kong/kong-http-log.jsonl": "kong-http-log",
    "litellm/litellm.jsonl": "litellm",
    "envoy/envoy-docs-default-format.log": "envoy-text",
    "envoy/envoy-docs-json-format.jsonl": None,  # operator-chosen keys: no profile can know them
    "istio/istio-docs-access-log.log": "istio-text",
}


def position(ev):
    line, entry = ev.get("line"), ev.get("entry")
    if line is not None and entry is not None:
        return f"{line}/{entry}"
    return str(line if line is not None else entry)


def check(binary, data, rel, want_profile):
    path = os.path.join(data, rel)
    table = path.rsplit(".", 1)[0] + ".expected.tsv"
    run = subprocess.run([binary, "analyze", "--events", "-", "-f", "json", "-o", "/dev/null", path],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1, 2):
        return [f"exit {run.returncode}: {run.stderr.strip()}"]
    events = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
    by_pos = {position(e): e for e in events}
    problems = []
    for e in events:
        if e.get("profile") != want_profile and e.get("cause") != "malformed":
            problems.append(f"record {position(e)} read by profile {e.get('profile')}, want {want_profile}")
            break
    rows = 0
    for row in open(table, encoding="utf-8"):
        cols = row.rstrip("\n").split("\t")
        if len(cols) < 4:
            continue
        record, call, expected = cols[0], cols[1], cols[2]
        if expected == "not in the HAR":
            continue
        rows += 1
        # A document's records are line 1 and their index (`1/3`); its table
        # numbers them by index alone.
        got = by_pos.get(record, by_pos.get(f"1/{record}"))
        if expected == "-":
            if got is not None and got["cause"] != "malformed":
                problems.append(f"record {record} ({call}) is not a call but was read as {got['cause']}")
            continue
        if got is None:
            problems.append(f"record {record} ({call}): no event, want {expected}")
        elif got["cause"] != expected:
            why = got.get("error") or got.get("message") or ""
            problems.append(f"record {record} ({call}): {got['cause']}, want {expected} {why[:100]}")
    return problems, rows, len(events)


def main():
    binary = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data", "profiles")
    failed = 0
    for rel, want in PROFILES.items():
        problems, rows, n = check(binary, data, rel, want)
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {rel}: {rows} rows, {n} events, profile {want}")
        for p in problems:
            print(f"       {p}")
        failed += bool(problems)
    print(f"{len(PROFILES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
