#!/usr/bin/python3
"""Records structlog JSON records of the seven Kling calls made with httpx.

The app logs every answer from an httpx event hook (event_hooks={"response": [...]}) with
log.info("kling_response", method=..., url=..., status_code=..., response_text=..., elapsed_ms=...)
(no request headers); a call that got no answer is logged with log.exception(...). Configuration
as in structlog's documentation for JSON logs in production: add_log_level, TimeStamper(fmt="iso")
(UTC), format_exc_info, JSONRenderer(), written by WriteLoggerFactory to a file.
Needs MOCK_BASE and CLOSED_PORT (record.sh starts the mock).
"""
import os
import sys

import httpx
import structlog

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "common"))
import kling_calls as K  # noqa: E402

out = open(os.path.join(here, "structlog.jsonl"), "w")
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.format_exc_info,
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.WriteLoggerFactory(file=out),
    cache_logger_on_first_use=True,
)
log = structlog.get_logger("kling.client")


def log_response(response):
    response.read()
    log.info("kling_response", method=response.request.method, url=str(response.request.url),
             status_code=response.status_code, response_text=response.text,
             elapsed_ms=round(response.elapsed.total_seconds() * 1000, 1))


client = httpx.Client(event_hooks={"response": [log_response]}, timeout=10)
e = K.env()
toks = K.tokens()
task_ids = {}
for call in K.CALLS:
    r = K.prepare(call, e, toks, task_ids)
    try:
        resp = client.request(r["method"], r["url"], headers=r["headers"], content=r["body"])
        K.note_answer(call, resp.text, task_ids)
    except httpx.HTTPError:
        log.exception("kling_request_failed", method=r["method"], url=r["url"])
client.close()
out.close()
# No request headers are logged: the expired JWT is not in the log, but the 401 body (1004) is.
K.write_expected(os.path.join(here, "structlog.expected.tsv"), K.one_record_per_call())
