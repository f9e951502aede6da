#!/usr/bin/python3
"""The app: makes the seven Kling calls with requests through mitmproxy as its HTTP proxy
(PROXY_URL), then writes mitmproxy.expected.tsv for the HAR's entries.
Needs MOCK_BASE, CLOSED_PORT, PROXY_URL."""
import json
import os
import sys
import time

import requests

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "common"))
import kling_calls as K  # noqa: E402

proxies = {"http": os.environ["PROXY_URL"]}
e = K.env()
toks = K.tokens()
task_ids = {}
session = requests.Session()
session.trust_env = False
for call in K.CALLS:
    r = K.prepare(call, e, toks, task_ids)
    try:
        resp = session.request(r["method"], r["url"], headers=r["headers"], data=r["body"], proxies=proxies, timeout=10)
        print(call["name"], resp.status_code, resp.text[:100].replace("\n", " "), file=sys.stderr)
        K.note_answer(call, resp.text, task_ids)
    except requests.RequestException as exc:
        print(call["name"], "error", exc, file=sys.stderr)
    time.sleep(0.02)
