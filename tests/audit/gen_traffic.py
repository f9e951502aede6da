#!/usr/bin/env python3
"""Client traffic with scripted behaviour, and the audit's exact expected findings.

Writes canonical JSON Lines (contract.md, "Input records") of several Kling API
clients, each a scenario with its own credential, plus what the audit must find
under the contract's default thresholds:

  <out>.jsonl          the calls, in time order
  <out>.causes.tsv     <line>\t<cause>   what the bundled rules must say of each line
  <out>.expected.json  per client and in total: calls, failures, peak in flight,
                       lifecycle states, and per detector its findings, wasted calls
                       and the lines a finding counts (the records `explain` marks)

Expectations are written by hand in each scenario (what the script does on
purpose), not computed by re-implementing the audit; only counting (polls per
task, time to result, nearest-rank percentiles) is mechanical.

Python 3 standard library only. Same arguments, same bytes.
"""

import argparse
import base64
import datetime
import email.utils
import hashlib
import hmac
import json
import os
import sys
import uuid

DETECTORS = ["retry_non_retryable", "retry_after_ignored", "no_backoff",
             "poll_too_fast", "orphaned_task", "duplicate_submission"]
GRACE_MS = 30 * 60 * 1000
HOST = "https://api-singapore.klingai.com"
HOOK = "https://hooks.example.com/kling/done?src=kt"
BASE_MS = int(datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.timezone.utc).timestamp() * 1000)
HOUR = 3600 * 1000
END_MS = BASE_MS + 16 * HOUR  # the last record of the file (the "tail" client)
SECRET = b"generator-secret-not-a-real-key"


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(iss, ts_ms):
    """An HS256 JWT as Kling clients mint them: a fresh one every 25 min."""
    iat = ts_ms // 1000 // 1500 * 1500
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"iss": iss, "exp": iat + 1800, "nbf": iat - 5, "iat": iat}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET, (header + "." + payload).encode(), hashlib.sha256).digest()
    return header + "." + payload + "." + b64url(sig)


class Call:
    def __init__(self, ts, seq, record, cause):
        self.ts, self.seq, self.record, self.cause = ts, seq, record, cause
        self.line = None


class Task:
    def __init__(self, client, tid, created_ts):
        self.client, self.id, self.created_ts = client, tid, created_ts
        self.polls = 0
        self.terminal_ts = None
        self.expect = None  # succeeded / failed / pending / orphaned / unknown_origin

    def observe(self, ts, state):
        if state in ("succeed", "succeeded", "failed") and (self.terminal_ts is None or ts < self.terminal_ts):
            self.terminal_ts = ts


class Traffic:
    def __init__(self):
        self.calls = []
        self.clients = []
        self.seq = 0
        self.rid = 0
        self.task_seq = 0

    def request_id(self):
        self.rid += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "kt-audit-%d" % self.rid))

    def task_id(self):
        self.task_seq += 1
        return "88%014d" % (7919 * self.task_seq)

    def add(self, ts, record, cause):
        self.seq += 1
        c = Call(ts, self.seq, record, cause)
        self.calls.append(c)
        return c


class Client:
    """One scenario: its own credential, calls and expectations."""

    def __init__(self, traffic, name, start_ms, api_key=None, summary=""):
        self.t, self.name, self.start, self.summary = traffic, name, start_ms, summary
        self.iss = "AK-GEN-" + name
        self.api_key = api_key  # the 2026 standard's plain API key instead of a JWT
        self.calls, self.tasks = [], []
        self.findings = {d: [] for d in DETECTORS}  # (wasted, [calls marked])
        self.peak = 0
        traffic.clients.append(self)

    @property
    def display(self):
        ident = self.api_key if self.api_key else self.iss
        return "client:" + hashlib.sha256(ident.encode()).hexdigest()[:8]

    def auth(self, ts):
        return "Bearer " + (self.api_key if self.api_key else jwt(self.iss, ts))

    # -- raw calls -------------------------------------------------------------------------------
    def call(self, dt, method, url, body=None, status=200, resp=None, cause="ok", duration=120,
             headers=None, auth=True, own=True):
        ts = self.start + dt
        req = {"method": method, "url": url,
               "headers": {"Content-Type": "application/json"} if body is not None else {}}
        if auth:
            req["headers"]["Authorization"] = self.auth(ts)
        if body is not None:
            req["body"] = body
        response = {"status": status, "headers": dict(headers or {})}
        if resp is not None:
            response["body"] = resp
        rec = {"ts": iso(ts), "request": req, "response": response, "duration_ms": duration}
        c = self.t.add(ts, rec, cause)
        if own:
            self.calls.append(c)
        return c

    def envelope(self, code=0, message="SUCCEED", data=None):
        body = {"code": code, "message": message, "request_id": self.t.request_id()}
        if data is not None or code != 0:
            body["data"] = data
        return body

    # -- legacy API (/v1) ------------------------------------------------------------------------
    @staticmethod
    def body(prompt="a red fox running through fresh snow, cinematic", **extra):
        b = {"model_name": "kling-v1-6", "prompt": prompt, "mode": "std", "aspect_ratio": "16:9",
             "duration": "5"}
        b.update(extra)
        return b

    def create(self, dt, body=None, duration=150, external=None):
        body = body or self.body()
        tid = self.t.task_id()
        data = {"task_id": tid, "task_status": "submitted", "created_at": self.start + dt,
                "updated_at": self.start + dt}
        if external:
            data["task_info"] = {"external_task_id": external}
        c = self.call(dt, "POST", HOST + "/v1/videos/text2video", body, 200,
                      self.envelope(data=data), duration=duration)
        task = Task(self, tid, self.start + dt)
        self.tasks.append(task)
        c.task = task
        return task

    def fail_create(self, dt, status, code, message, cause, body=None, headers=None, duration=80,
                    text=None):
        resp = text if text is not None else self.envelope(code, message)
        return self.call(dt, "POST", HOST + "/v1/videos/text2video", body or self.body(), status,
                         resp, cause, duration, headers)

    def poll(self, dt, task, state, name=None, msg="", cause="ok", duration=40):
        data = {"task_id": task.id, "task_status": state, "task_status_msg": msg,
                "created_at": task.created_ts, "updated_at": self.start + dt}
        if state == "succeed":
            data["task_result"] = {"videos": [{"id": "v-" + task.id, "url": "https://cdn.example.com/"
                                               + task.id + ".mp4", "duration": "5"}]}
        c = self.call(dt, "GET", HOST + "/v1/videos/text2video/" + (name or task.id), None, 200,
                      self.envelope(data=data), cause, duration)
        task.polls += 1
        task.observe(self.start + dt, state)
        return c

    def poll_error(self, dt, task, name, status, code, message, cause, headers=None):
        c = self.call(dt, "GET", HOST + "/v1/videos/text2video/" + name, None, status,
                      self.envelope(code, message), cause, 30, headers)
        task.polls += 1
        return c

    # -- expectations ----------------------------------------------------------------------------
    def expect(self, detector, wasted, marked):
        self.findings[detector].append((wasted, list(marked)))


def scenarios(t):
    """Every scenario, one client each; times are ms after the client's start."""
    H = HOUR

    # 1. Well-behaved: polls every 3 s; a 429 with Retry-After: 5 is retried exactly 5 s after
    #    the response arrived (not a finding); a poll interval of exactly 2.0 s (not a finding).
    c = Client(t, "well_behaved", BASE_MS, summary="polls every 3 s; retries exactly at Retry-After; "
               "mean poll interval exactly 2.0 s")
    a = c.create(0)
    c.poll(3000, a, "processing"); c.poll(6000, a, "processing"); c.poll(9000, a, "succeed")
    a.expect = "succeeded"
    second = c.body(prompt="a paper boat on a rainy street")
    c.fail_create(20000, 429, 1302, "Requests too fast, please slow down", "rate_limit.requests",
                  body=second, headers={"Retry-After": "5"}, duration=100)
    b = c.create(20000 + 100 + 5000, second)  # exactly N s after the response: allowed
    for i, st in enumerate(["processing", "processing", "succeed"]):
        c.poll(30000 + 2000 * i, b, st)  # span 4000 = 2.0 s × 2: not too fast
    b.expect = "succeeded"
    c.peak = 1

    # 2. Retrying 1102 (never succeeds on retry) three times a second.
    c = Client(t, "retry_1102", BASE_MS + 1 * H, summary="1102 retried 3 times in 0.9 s")
    calls = [c.fail_create(i * 300, 429, 1102, "Account balance not enough",
                           "billing.insufficient_credits") for i in range(4)]
    c.expect("retry_non_retryable", 1, [calls[1]])
    c.expect("retry_non_retryable", 1, [calls[2]])
    c.expect("retry_non_retryable", 1, [calls[3]])

    # 3. The 600 s window: a retry exactly 600 s after a 1102 counts, 601 s does not.
    c = Client(t, "retry_window_600", BASE_MS + 2 * H, summary="1102 retried at exactly 600 s, then 601 s")
    c1 = c.fail_create(0, 429, 1102, "Account balance not enough", "billing.insufficient_credits")
    c2 = c.fail_create(600000, 429, 1102, "Account balance not enough", "billing.insufficient_credits")
    c.fail_create(600000 + 601000, 429, 1102, "Account balance not enough",
                  "billing.insufficient_credits")
    c.expect("retry_non_retryable", 1, [c2])

    # 4. Retrying 1301 (content policy) twice, then changing the prompt.
    c = Client(t, "retry_1301", BASE_MS + 3 * H, summary="1301 retried twice, then a new prompt")
    bad = c.body(prompt="a prompt the content filter refuses")
    r = [c.fail_create(i * 1000, 400, 1301, "Content security policy triggered",
                       "content_policy.prompt_rejected", body=bad) for i in range(3)]
    c.expect("retry_non_retryable", 1, [r[1]])
    c.expect("retry_non_retryable", 1, [r[2]])
    task = c.create(5000)
    c.poll(8000, task, "processing"); c.poll(11000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1

    # 5. Ignoring Retry-After: told 30 s, retried after 1 s, twice, at a fixed interval (also
    #    no_backoff); then a call exactly at the deadline (not a finding).
    c = Client(t, "retry_after_ignored", BASE_MS + 4 * H, summary="told 30 s, retried after 1 s "
               "twice; then exactly at the deadline")
    ra = {"Retry-After": "30"}
    x = [c.fail_create(i * 1000, 429, 1302, "Requests too fast, please slow down",
                       "rate_limit.requests", headers=ra, duration=0) for i in range(3)]
    c.expect("retry_after_ignored", 1, [x[1]])
    c.expect("retry_after_ignored", 1, [x[2]])
    c.expect("no_backoff", 2, [x[1], x[2]])
    task = c.create(2000 + 30000)  # the latest deadline: ts 2000 + 0 + 30 s
    c.poll(35000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1

    # 6. Retry-After's boundary: 1 ms early is a finding, exactly N s after is not.
    c = Client(t, "retry_after_boundary", BASE_MS + 5 * H, summary="Retry-After: 5 with a 250 ms "
               "response: a call 1 ms early, then one exactly on time")
    ra = {"Retry-After": "5"}
    y1 = c.fail_create(0, 429, 1302, "Requests too fast, please slow down", "rate_limit.requests",
                       headers=ra, duration=250)
    y2 = c.fail_create(5249, 429, 1302, "Requests too fast, please slow down", "rate_limit.requests",
                       headers=ra, duration=250)
    c.expect("retry_after_ignored", 1, [y2])
    task = c.create(5249 + 250 + 5000)
    c.poll(13000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1
    del y1

    # 7. Retry-After as an HTTP date (header name in capitals): 1 ms before it, then at it.
    c = Client(t, "retry_after_date", BASE_MS + 6 * H, summary="Retry-After as an HTTP date")
    when = c.start + 60000
    date = email.utils.formatdate(when / 1000, usegmt=True)
    z1 = c.fail_create(0, 503, None, None, "server.unavailable", text="Service Unavailable",
                       headers={"RETRY-AFTER": date})
    z2 = c.fail_create(59999, 503, None, None, "server.unavailable", text="Service Unavailable")
    c.expect("retry_after_ignored", 1, [z2])
    task = c.create(60000)
    c.poll(64000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1
    del z1

    # 8. Fixed-interval retries of a 503: five calls 1 s apart, one run (4 wasted); then ok.
    c = Client(t, "fixed_interval", BASE_MS + 7 * H, summary="503 retried every 1 s, 5 calls")
    f = [c.fail_create(i * 1000, 503, None, None, "server.unavailable", text="Service Unavailable")
         for i in range(5)]
    c.expect("no_backoff", 4, f[1:])
    task = c.create(5000)
    c.poll(8000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1

    # 9. Exponential backoff (gaps 1, 2, 4 s): no finding.
    c = Client(t, "exponential_backoff", BASE_MS + 8 * H, summary="503 retried after 1, 2, 4 s")
    for dt in (0, 1000, 3000, 7000):
        c.fail_create(dt, 503, None, None, "server.unavailable", text="Service Unavailable")
    task = c.create(15000)
    c.poll(18000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1

    # 10. Gaps 3, 3, 5, 5 s: two maximal runs sharing the call where the gap grew; a success
    #     then ends a run of two (no finding).
    c = Client(t, "runs_share_a_call", BASE_MS + 9 * H, summary="gaps 3, 3, 5, 5 s: two runs")
    g = [c.fail_create(dt, 502, None, None, "server.bad_gateway", text="Bad Gateway")
         for dt in (0, 3000, 6000, 11000, 16000)]
    c.expect("no_backoff", 2, [g[1], g[2]])
    c.expect("no_backoff", 2, [g[3], g[4]])
    task = c.create(20000)
    c.fail_create(21000, 502, None, None, "server.bad_gateway", text="Bad Gateway")
    c.fail_create(22000, 502, None, None, "server.bad_gateway", text="Bad Gateway")
    c.poll(24000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1

    # 11. Fast polling: 6 queries 0.5 s apart (4 wasted); 4 queries spanning 5.999 s (1 wasted).
    c = Client(t, "fast_polling", BASE_MS + 10 * H, summary="polls every 0.5 s; 4 polls in 5.999 s")
    p = c.create(0)
    q = [c.poll(100 + 500 * i, p, "processing" if i < 5 else "succeed") for i in range(6)]
    c.expect("poll_too_fast", 4, q)
    p.expect = "succeeded"
    r = c.create(10000, c.body(prompt="a second job"))
    q = [c.poll(10100 + dt, r, st) for dt, st in ((0, "processing"), (2000, "processing"),
                                                    (4000, "processing"), (5999, "succeed"))]
    c.expect("poll_too_fast", 1, q)
    r.expect = "succeeded"
    c.peak = 1

    # 12. Duplicates: the same create accepted 120 s apart (a finding), then 121 s later (not).
    c = Client(t, "duplicates", BASE_MS + 11 * H, summary="the same job accepted 120 s apart, then 121 s")
    d1 = c.create(0)
    d2 = c.create(120000)
    d3 = c.create(241000)
    c.expect("duplicate_submission", 1, [c.calls[1]])
    for i, task in enumerate((d1, d2, d3)):
        c.poll(250000 + i * 3000, task, "succeed")
        task.expect = "succeeded"
    c.peak = 3

    # 13. Callbacks: tasks followed by callback_url, never polled. The webhook server's log has
    #     no credential (its own calls would be a path client: they are callbacks, not calls).
    c = Client(t, "callbacks", BASE_MS + 12 * H, summary="callback_url: one succeeded, one failed, "
               "one pending; a callback about a task not created here")
    k1 = c.create(0, c.body(callback_url=HOOK))
    k2 = c.create(1000, c.body(prompt="a second job", callback_url=HOOK))
    k3 = c.create(END_MS - c.start - 10 * 60 * 1000, c.body(prompt="a third job", callback_url=HOOK))
    for dt, task, state, msg in ((30000, k1, "succeed", ""),
                                 (41000, k2, "failed", "Failure to pass the risk control system")):
        cb = {"task_id": task.id, "task_status": state, "task_status_msg": msg,
              "created_at": task.created_ts, "updated_at": c.start + dt}
        c.call(dt, "POST", HOOK, cb, 200, {"ok": True}, "ok", 3, auth=False, own=False)
        task.observe(c.start + dt, state)
    c.call(50000, "POST", HOOK, {"task_id": "99000000000000001", "task_status": "succeed"}, 200,
           {"ok": True}, "ok", 3, auth=False, own=False)
    k1.expect, k2.expect, k3.expect = "succeeded", "failed", "pending"
    k2.failed_cause = "unclassified.unknown"  # a callback is not classified
    c.peak = 2
    c.callbacks, c.unmatched = 3, 1

    # 14. The 2026 standard: plain API key; creates answer data.id; GET /tasks?task_ids=a,b and
    #     POST /tasks with array answers; a query of a task created elsewhere.
    c = Client(t, "api_2026", BASE_MS + 13 * H, api_key="kling-api-key-gen-2026", summary=
               "2026 standard: /tasks?task_ids=a,b, POST /tasks, an unknown task")
    ids = []
    for i, dt in enumerate((0, 100)):
        tid = "cc%014d" % (101 + i)
        ids.append(tid)
        body = {"prompt": "a lighthouse in a storm, take %d" % i, "duration": 5, "aspect_ratio": "16:9"}
        c.call(dt, "POST", HOST + "/text-to-video/kling-2.6", body, 200,
               c.envelope(data={"id": tid, "status": "submitted"}))
        task = Task(c, tid, c.start + dt)
        c.tasks.append(task)
    ta, tb = c.tasks
    both = HOST + "/tasks?task_ids=" + ",".join(ids)
    c.call(3000, "GET", both, None, 200, c.envelope(data=[{"id": ids[0], "status": "processing"},
                                                          {"id": ids[1], "status": "processing"}]))
    c.call(6000, "GET", both, None, 200, c.envelope(data=[{"id": ids[0], "status": "succeeded"},
                                                          {"id": ids[1], "status": "processing"}]))
    c.call(9000, "POST", HOST + "/tasks", {"task_ids": [ids[1]]}, 200, c.envelope(data=[
        {"id": ids[1], "status": "failed", "message": "Failure to pass the risk control system"}]),
        "generation.content_policy")
    for task in (ta, tb):
        task.polls += 2
    tb.polls += 1
    ta.observe(c.start + 6000, "succeeded")
    tb.observe(c.start + 9000, "failed")
    ta.expect, tb.expect = "succeeded", "failed"
    tb.failed_cause = "generation.content_policy"
    c.call(12000, "GET", HOST + "/tasks?task_ids=cc99999999999999", None, 200,
           c.envelope(data=[{"id": "cc99999999999999", "status": "succeeded"}]))
    c.unknown_origin = 1
    c.peak = 2

    # 15. external_task_id: queried by it (an answer naming the task, and a 429 that does not).
    c = Client(t, "external_task_id", BASE_MS + 14 * H, summary="queries by external_task_id")
    e = c.create(0, c.body(external_task_id="job-42"), external="job-42")
    c.poll(3000, e, "processing", name="job-42")
    c.poll_error(6000, e, "job-42", 429, 1302, "Requests too fast, please slow down",
                 "rate_limit.requests")
    c.poll(9000, e, "succeed")
    e.expect = "succeeded"
    c.peak = 1

    # 16. Abandoned tasks, relative to the end of the logs: last seen 30 min + 1 ms before it
    #     (orphaned), exactly 30 min (pending), and a 429 on a poll that ended the client's wait.
    c = Client(t, "abandoned", BASE_MS + 15 * H, summary="orphaned at 30 min + 1 ms; pending at "
               "exactly 30 min; abandoned after a 429 on a poll")
    o1 = c.create(0)
    last1 = END_MS - GRACE_MS - 1 - c.start
    o1c = c.calls[-1]
    op = c.poll(last1, o1, "processing")
    c.expect("orphaned_task", 2, [o1c, op])
    o1.expect = "orphaned"
    o2 = c.create(1000, c.body(prompt="a second job"))
    c.poll(END_MS - GRACE_MS - c.start, o2, "processing")
    o2.expect = "pending"
    o3 = c.create(2000, c.body(prompt="a third job"))
    o3c = c.calls[-1]
    a1 = c.poll(5000, o3, "processing")
    a2 = c.poll_error(8000, o3, o3.id, 429, 1302, "Requests too fast, please slow down",
                      "rate_limit.requests", headers={"Retry-After": "5"})
    c.expect("orphaned_task", 3, [o3c, a1, a2])
    o3.expect = "orphaned"
    c.peak = 3

    # 17. Tasks in flight at once: three overlapping; then one created in the very millisecond
    #     another finished (closed intervals: both in flight then).
    c = Client(t, "in_flight", BASE_MS + 15 * H + 20 * 60 * 1000, summary="3 tasks at once; "
               "one created the millisecond another finished")
    ts = [c.create(i * 1000, c.body(prompt="scene %d" % i)) for i in range(3)]
    for i, task in enumerate(ts):
        c.poll(10000 + 4000 * i, task, "succeed")
        task.expect = "succeeded"
    late = c.create(30000, c.body(prompt="scene 3"))
    c.poll(40000, late, "succeed")
    late.expect = "succeeded"
    touch = c.create(40000, c.body(prompt="scene 4"))
    c.poll(45000, touch, "succeed")
    touch.expect = "succeeded"
    c.peak = 3

    # 18. The tail: a well-behaved client whose last call is the end of the logs.
    c = Client(t, "tail", END_MS - 9000, summary="well-behaved; its last call ends the logs")
    task = c.create(0)
    c.poll(4000, task, "processing"); c.poll(9000, task, "succeed")
    task.expect = "succeeded"
    c.peak = 1


def nearest_rank(values):
    values = sorted(values)
    if not values:
        return {"n": 0, "p50": None, "p90": None, "p99": None}
    n = len(values)
    pick = lambda p: values[max(1, -(-p * n // 100)) - 1]
    return {"n": n, "p50": pick(50), "p90": pick(90), "p99": pick(99)}


def expectations(t):
    out = {"end_ms": END_MS, "grace_ms": GRACE_MS, "clients": {}, "totals": {}}
    tot_tasks = {k: 0 for k in ("created", "succeeded", "failed", "pending", "orphaned", "unknown_origin")}
    failed_by = {}
    ttr, polls = [], []
    tot_det = {d: {"findings": 0, "wasted_calls": 0, "marked_lines": []} for d in DETECTORS}
    callbacks = unmatched = 0
    for c in t.clients:
        tasks = {k: 0 for k in tot_tasks}
        for task in c.tasks:
            tasks["created"] += 1
            tasks[task.expect] += 1
            polls.append(task.polls)
            if task.terminal_ts is not None:
                ttr.append(task.terminal_ts - task.created_ts)
            if task.expect == "failed":
                cause = getattr(task, "failed_cause", "generation.content_policy")
                failed_by[cause] = failed_by.get(cause, 0) + 1
        tasks["unknown_origin"] = getattr(c, "unknown_origin", 0)
        for k in tasks:
            tot_tasks[k] += tasks[k]
        det = {}
        for d in DETECTORS:
            found = c.findings[d]
            lines = sorted(x.line for _, calls in found for x in calls)
            det[d] = {"findings": len(found), "wasted_calls": sum(w for w, _ in found),
                      "marked_lines": lines}
            tot_det[d]["findings"] += det[d]["findings"]
            tot_det[d]["wasted_calls"] += det[d]["wasted_calls"]
            tot_det[d]["marked_lines"] += lines
        callbacks += getattr(c, "callbacks", 0)
        unmatched += getattr(c, "unmatched", 0)
        out["clients"][c.name] = {
            "summary": c.summary, "client": c.display, "calls": len(c.calls),
            "failures": sum(1 for x in c.calls if x.cause != "ok"),
            "peak_in_flight": c.peak, "tasks": tasks, "detectors": det}
    for d in DETECTORS:
        tot_det[d]["marked_lines"].sort()
    tot_tasks["failed_by_cause"] = dict(sorted(failed_by.items()))
    tot_tasks["time_to_result_ms"] = nearest_rank(ttr)
    tot_tasks["polls_per_task"] = nearest_rank(polls)
    out["totals"] = {"calls": sum(len(c.calls) for c in t.clients), "callbacks": callbacks,
                     "callbacks_unmatched": unmatched, "tasks": tot_tasks, "detectors": tot_det}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", required=True, help="output prefix (writes .jsonl, .causes.tsv, "
                    ".expected.json)")
    args = ap.parse_args()
    t = Traffic()
    scenarios(t)
    t.calls.sort(key=lambda c: (c.ts, c.seq))
    if t.calls[-1].ts != END_MS:
        sys.exit("gen_traffic: the tail client must end the logs")
    for i, c in enumerate(t.calls, 1):
        c.line = i
    with open(args.out + ".jsonl", "w", encoding="utf-8", newline="\n") as f:
        for c in t.calls:
            f.write(json.dumps(c.record, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(args.out + ".causes.tsv", "w", encoding="utf-8", newline="\n") as f:
        for c in t.calls:
            f.write("%d\t%s\n" % (c.line, c.cause))
    with open(args.out + ".expected.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(expectations(t), f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
