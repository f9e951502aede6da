#!/usr/bin/env python3
"""Plain-Python baseline: json.loads every line, tally response status and body code.

    python3 bench/tally.py FILE

Prints the same JSON as bench_floor and bench/tally.jq (keys sorted):
  {"blank":0,"codes":{...},"malformed":0,"records":0,"statuses":{...,"none":0}}
`records` counts non-blank lines, malformed ones included; a line that is not a JSON object (or
not valid UTF-8) is malformed; the status is response.status, else response.status_code, else
"none"; a code is counted when response.body is an object with an integer `code`.
A HAR document ({"log": ...}) is loaded whole and its log.entries tallied.
"""
import json
import re
import sys
import time

_loads = json.loads
HAR_RE = re.compile(rb'^\s*\{\s*"log"\s*:')


def tally_record(d, statuses, codes):
    r = d.get("response")
    s = None
    if type(r) is dict:
        s = r.get("status")
        if type(s) is not int:
            s = r.get("status_code")
            if type(s) is not int:
                s = None
        b = r.get("body")
        if type(b) is dict:
            c = b.get("code")
            if type(c) is int:
                k = str(c)
                codes[k] = codes.get(k, 0) + 1
    k = "none" if s is None else str(s)
    statuses[k] = statuses.get(k, 0) + 1


def main(path):
    t0 = time.perf_counter()
    statuses, codes = {}, {}
    records = malformed = blank = 0
    size = 0
    with open(path, "rb") as f:
        head = f.read(64)
        f.seek(0)
        if head.startswith(b"\xef\xbb\xbf"):
            f.seek(3)
            head = head[3:]
        if HAR_RE.match(head):
            data = f.read()
            size = len(data)
            for e in _loads(data)["log"]["entries"]:
                records += 1
                tally_record(e, statuses, codes)
        else:
            for line in f:
                size += len(line)
                if not line.strip(b" \t\r\n"):
                    blank += 1
                    continue
                records += 1
                try:
                    d = _loads(line)
                except ValueError:  # includes UnicodeDecodeError
                    malformed += 1
                    continue
                except RecursionError:
                    malformed += 1
                    continue
                if type(d) is not dict:
                    malformed += 1
                    continue
                tally_record(d, statuses, codes)
    out = {"blank": blank, "codes": codes, "malformed": malformed, "records": records, "statuses": statuses}
    sys.stdout.write(json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n")
    dt = time.perf_counter() - t0
    sys.stderr.write("tally.py: %.1f MB in %.2f s = %.1f MB/s\n" % (size / 1e6, dt, size / 1e6 / max(dt, 1e-9)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tally.py FILE")
    main(sys.argv[1])
