"""kling_calls.py: the seven calls every profile recording makes (same list as kling_calls.js).

Standard library only. The mock (tools/har-recording/mock_kling.js) answers the scenario named by
the X-Scenario header and really checks the JWT (HS256, exp, nbf).
"""
import base64
import hashlib
import hmac
import json
import os
import time

ACCESS_KEY = "AK-FAKE-0000-DEMO"
SECRET_KEY = "fake-secret-for-har-samples-only"  # made up; the mock's


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def mint_jwt(claims, secret=SECRET_KEY):
    """A real HS256 JWT with Kling's claims (iss, exp, nbf)."""
    head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode()) + "." + \
        _b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest()
    return head + "." + _b64url(sig)


def tokens(now_s=None):
    now_s = int(time.time()) if now_s is None else now_s
    return {
        "good": mint_jwt({"iss": ACCESS_KEY, "exp": now_s + 1800, "nbf": now_s - 5}),
        "expired": mint_jwt({"iss": ACCESS_KEY, "exp": now_s - 120, "nbf": now_s - 1925}),
    }


CREATE_BODY = {"model_name": "kling-v1-6", "prompt": "a red fox running through fresh snow, cinematic",
               "duration": "5", "aspect_ratio": "16:9", "mode": "std"}

CALLS = [
    {"name": "create_ok", "method": "POST", "path": "/v1/videos/text2video", "scenario": "create_ok", "token": "good", "body": CREATE_BODY, "cause": "ok"},
    {"name": "task_succeed", "method": "GET", "path": "/v1/videos/text2video/{task}", "task_of": "create_ok", "scenario": "task_succeed", "token": "good", "cause": "ok"},
    {"name": "billing_1102", "method": "POST", "path": "/v1/videos/text2video", "scenario": "billing_1102", "token": "good", "body": CREATE_BODY, "cause": "billing.insufficient_credits"},
    {"name": "auth_token_expired", "method": "POST", "path": "/v1/videos/text2video", "scenario": "auth_token_expired", "token": "expired", "body": CREATE_BODY, "cause": "auth.token_expired"},
    {"name": "create_ok_2", "method": "POST", "path": "/v1/videos/text2video", "scenario": "create_ok", "token": "good", "body": dict(CREATE_BODY, prompt="a crowded night market, handheld camera"), "cause": "ok"},
    {"name": "gen_risk_control", "method": "GET", "path": "/v1/videos/text2video/{task}", "task_of": "create_ok_2", "scenario": "gen_risk_control", "token": "good", "cause": "generation.content_policy"},
    {"name": "closed_port", "method": "POST", "path": "/v1/videos/text2video", "scenario": "create_ok", "token": "good", "body": CREATE_BODY, "closed": True, "cause": "network.connection"},
]


def env():
    base = os.environ.get("MOCK_BASE")
    closed = os.environ.get("CLOSED_PORT")
    if not base or not closed:
        raise SystemExit("MOCK_BASE and CLOSED_PORT must be set (see common/mock.sh)")
    return {"base": base, "closed_base": f"http://127.0.0.1:{closed}"}


def prepare(call, e, toks, task_ids):
    """One call as {url, method, headers, body (str or None)}."""
    path = call["path"]
    if "task_of" in call:
        path = path.replace("{task}", task_ids[call["task_of"]])
    headers = {"Authorization": "Bearer " + toks[call["token"]], "X-Scenario": call["scenario"]}
    body = None
    if "body" in call:
        headers["Content-Type"] = "application/json"
        body = json.dumps(call["body"], separators=(",", ":"))
    base = e["closed_base"] if call.get("closed") else e["base"]
    return {"url": base + path, "method": call["method"], "headers": headers, "body": body}


def note_answer(call, text, task_ids):
    if call["method"] != "POST" or not text:
        return
    try:
        j = json.loads(text)
        if isinstance(j, dict) and isinstance(j.get("data"), dict) and j["data"].get("task_id"):
            task_ids[call["name"]] = j["data"]["task_id"]
    except ValueError:
        pass


def write_expected(path, rows):
    """expected.tsv: `<line>\\t<call>\\t<expected>\\t<true cause>` (see kling_calls.js)."""
    with open(path, "w") as f:
        for r in rows:
            f.write("\t".join(str(r[k]) for k in ("line", "call", "expected", "cause")) + "\n")


def one_record_per_call(degrade=None):
    degrade = degrade or {}
    return [{"line": i + 1, "call": c["name"], "expected": degrade.get(c["name"], c["cause"]), "cause": c["cause"]}
            for i, c in enumerate(CALLS)]
