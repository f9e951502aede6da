#!/usr/bin/python3
"""Records python-json-logger records of the seven Kling calls made with requests.

The app logs every answer from a requests response hook (hooks={"response": ...}) with
logger.info(..., extra={...}): flat method, url, status_code, request headers, the response text
and elapsed_ms; a call that got no answer is logged with logger.exception (exc_info holds the
traceback text). Formatter: pythonjsonlogger.jsonlogger.JsonFormatter with the usual format
string "%(asctime)s %(levelname)s %(name)s %(message)s" (asctime in logging's default
"2026-12-01 07:08:51,955" form), one JSON object per line, to a FileHandler.
Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock).
"""
import logging
import os
import sys

import requests
from pythonjsonlogger import jsonlogger

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "common"))
import kling_calls as K  # noqa: E402

out = os.path.join(here, "python-json-logger.jsonl")
handler = logging.FileHandler(out, mode="w")
handler.setFormatter(jsonlogger.JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
log = logging.getLogger("kling.client")
log.setLevel(logging.INFO)
log.addHandler(handler)
log.propagate = False


def log_response(r, *args, **kwargs):
    log.info("kling response", extra={
        "method": r.request.method, "url": r.url, "status_code": r.status_code,
        "request_headers": dict(r.request.headers), "response": r.text,
        "elapsed_ms": round(r.elapsed.total_seconds() * 1000, 1),
    })


session = requests.Session()
session.hooks["response"].append(log_response)
e = K.env()
toks = K.tokens()
task_ids = {}
for call in K.CALLS:
    r = K.prepare(call, e, toks, task_ids)
    try:
        resp = session.request(r["method"], r["url"], headers=r["headers"], data=r["body"], timeout=10)
        K.note_answer(call, resp.text, task_ids)
    except requests.RequestException:
        log.exception("kling request failed", extra={"method": r["method"], "url": r["url"]})
handler.close()
K.write_expected(os.path.join(here, "python-json-logger.expected.tsv"), K.one_record_per_call())
