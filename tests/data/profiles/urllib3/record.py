#!/usr/bin/python3
"""Records urllib3's own DEBUG lines for the seven Kling calls made with requests.

logging.basicConfig(level=DEBUG, format="%(asctime)s %(levelname)s %(name)s %(message)s") to a
file, as teams turn on to see their HTTP calls: urllib3.connectionpool writes "Starting new HTTP
connection (n): host:port" and '<scheme>://host:port "METHOD /path HTTP/1.1" STATUS LENGTH' per
answer; nothing of headers or bodies. The app's own logger writes one ERROR line (str(exc), no
traceback) for a call that got no answer, in the same file and format.
Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock).
"""
import logging
import os
import sys

import requests

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "common"))
import kling_calls as K  # noqa: E402

out = os.path.join(here, "urllib3.log")
logging.basicConfig(level=logging.DEBUG, filename=out, filemode="w",
                    format="%(asctime)s %(levelname)s %(name)s %(message)s")
app = logging.getLogger("kling.client")

session = requests.Session()
e = K.env()
toks = K.tokens()
task_ids = {}
marks = []  # (call, first line index, last line index) to write expected.tsv
for call in K.CALLS:
    r = K.prepare(call, e, toks, task_ids)
    before = sum(1 for _ in open(out))
    try:
        resp = session.request(r["method"], r["url"], headers=r["headers"], data=r["body"], timeout=10)
        K.note_answer(call, resp.text, task_ids)
    except requests.RequestException as exc:
        app.error("kling request failed: %s %s: %s", r["method"], r["url"], exc)
    for h in logging.getLogger().handlers:
        h.flush()
    marks.append((call, before, sum(1 for _ in open(out))))
logging.shutdown()

# Only the answer line ('... "POST /path HTTP/1.1" 429 116') or the app's ERROR line is a call;
# "Starting new HTTP connection" lines are not. Bodies are not logged: a 429 says
# rate_limit.requests, a 401 with no headers auth.invalid_token, a failed task looks like a success.
degrade = {"billing_1102": "rate_limit.requests", "auth_token_expired": "auth.invalid_token", "gen_risk_control": "ok"}
lines = open(out).read().splitlines()
rows = []
for call, a, b in marks:
    for i in range(a, b):
        is_call = (" HTTP/1.1\" " in lines[i]) or lines[i].split(" ")[2] == "ERROR"
        exp = degrade.get(call["name"], call["cause"])
        rows.append({"line": i + 1, "call": call["name"] if is_call else "-",
                     "expected": exp if is_call else "-", "cause": call["cause"] if is_call else "-"})
K.write_expected(os.path.join(here, "urllib3.expected.tsv"), rows)
