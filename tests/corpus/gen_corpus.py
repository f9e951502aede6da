#!/usr/bin/env python3
"""Generate the labelled corpus: tests/corpus/labelled.jsonl + labelled.expect.tsv.

Every cause id of error-reference.md section 4 appears in every response family
and log shape where it can occur, together with successful calls, blank lines,
CRLF line endings and malformed lines. Each JSON record carries the extra key
"x_expect" (the analyzer ignores unknown keys); labelled.expect.tsv lists
`<line>\t<expected>` for EVERY line of the file (`blank` for blank lines, which
produce no event, `malformed` for lines that are not a JSON object). That index
is what check_corpus.py compares with the analyzer's --events output.

Deterministic: Python 3 standard library only, fixed seed, no clock.
Usage: python3 tests/corpus/gen_corpus.py [OUTDIR]   (default: this folder)
"""
import base64
import calendar
import hashlib
import hmac
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20261124
START = calendar.timegm((2026, 11, 24, 0, 0, 0))  # 2026-11-24T00:00:00Z

HOST = "https://api-singapore.klingai.com"
T2V = HOST + "/v1/videos/text2video"
I2V = HOST + "/v1/videos/image2video"
IMG = HOST + "/v1/images/generations"
N26_T2V = HOST + "/text-to-video/kling-2.6"
N26_I2V = HOST + "/image-to-video/kling-2.6"
API_KEY = "kl-4f1e9c2a7b3d58e60c1f2a3b4c5d6e7f"

# --------------------------------------------------------------------------
# small helpers


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_jwt(iss, exp, nbf, secret=b"sample-secret"):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"},
                               separators=(",", ":")).encode())
    payload = b64url(json.dumps({"iss": iss, "exp": exp, "nbf": nbf},
                                separators=(",", ":")).encode())
    sig = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{b64url(sig.digest())}"


def iso(ts_ms, tz_hours=0, millis=True):
    tz = timezone(timedelta(hours=tz_hours))
    dt = datetime.fromtimestamp(ts_ms / 1000, tz)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += ".%03d" % (ts_ms % 1000)
    if tz_hours == 0:
        return text + "Z"
    sign = "+" if tz_hours > 0 else "-"
    return text + "%s%02d:00" % (sign, abs(tz_hours))


class Rng:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def task_id(self):
        return str(self.r.randrange(10**17, 10**18))

    def new_task_id(self):  # 2026 standard ids
        alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        return "tv_01" + "".join(self.r.choice(alphabet) for _ in range(24))


R = Rng(SEED)

# --------------------------------------------------------------------------
# Abstract calls. A call is a dict:
#   cause, method, url, auth (see auth_header), req_headers, req_body
#   (dict | str | None), status (int | None), resp_headers, resp (("json", obj)
#   | ("text", str) | ("empty",) | None), error (transport text), req_only
#   (False) / no_request (True: the log holds the response only).
# auth: None (no header), ("jwt", exp_off, nbf_off, fmt), ("key", fmt)
#   fmt is a format string with {t} for the token, e.g. "Bearer {t}".

JWT_OK = ("jwt", 1800, -5, "Bearer {t}")
JWT_EXPIRED = ("jwt", -300, -2105, "Bearer {t}")
JWT_NBF = ("jwt", 1890, 90, "Bearer {t}")
KEY = ("key", "Bearer {t}")

VIDEO_BODY = {"model_name": "kling-v2-1", "prompt": "A red fox running through fresh snow at dawn",
              "negative_prompt": "blurry", "cfg_scale": 0.5, "mode": "std",
              "aspect_ratio": "16:9", "duration": "5"}
I2V_BODY = {"model_name": "kling-v1-6", "image": "https://cdn.example.com/in/cat-1024.png",
            "mode": "pro", "duration": "5"}
N26_BODY = {"prompt": "A paper boat drifting down a rainy street", "aspect_ratio": "9:16",
            "duration": "5"}


def body(base, **changes):
    out = dict(base)
    for k, v in changes.items():
        if v is DROP:
            out.pop(k, None)
        else:
            out[k] = v
    return out


DROP = object()


def env(code, message, data=None):
    return ("json", {"code": code, "message": message, "request_id": None, "data": data})


def gen(message, kind="invalid_request_error"):
    return ("json", {"error": {"message": message, "type": kind}})


def text(s):
    return ("text", s)


EMPTY = ("empty",)


def detail(message):
    """FastAPI-style gateways: {"detail": "text"}."""
    return ("json", {"detail": message})


def detail_obj(message, kind="upstream_error"):
    return ("json", {"detail": {"msg": message, "type": kind}})


def detail_list(message, loc=("body",), kind="value_error"):
    return ("json", {"detail": [{"loc": list(loc), "msg": message, "type": kind}]})


def job(status, message, key="error"):
    """A wrapper's (reseller's, aggregator's) job object, answered with HTTP 200."""
    return ("json", {"id": "job_" + R.new_task_id()[5:17].lower(), "status": status,
                     "model": "kling-v2-6", key: message})


def html(title, extra=""):
    return ("text", f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
                    f"<center><h1>{title}</h1></center>{extra}\r\n<hr><center>nginx</center>\r\n"
                    "</body>\r\n</html>\r\n")


def call(cause, url=T2V, method="POST", auth=JWT_OK, req_body="default", status=None,
         resp=None, resp_headers=None, error=None, no_request=False, no_headers=False):
    """no_headers: the logger kept no request headers at all (HAR: an empty list)."""
    if req_body == "default":
        req_body = None if method == "GET" else (
            N26_BODY if url.startswith(HOST + "/text-to") else
            I2V_BODY if "image2video" in url or "image-to" in url else VIDEO_BODY)
    return {"cause": cause, "url": url, "method": method, "auth": auth,
            "req_body": req_body, "status": status, "resp": resp,
            "resp_headers": resp_headers or {}, "error": error, "no_request": no_request,
            "no_headers": no_headers}


def query_url(kind="text2video"):
    return f"{HOST}/v1/videos/{kind}/{R.task_id()}"


def n26_query_url():
    return f"{HOST}/tasks?task_ids={R.new_task_id()}"


def task(status, msg=None, legacy=True, result=None):
    if legacy:
        data = {"task_id": R.task_id(), "task_status": status,
                "created_at": 1795470000000, "updated_at": 1795470090000}
        if msg is not None:
            data["task_status_msg"] = msg
        if result:
            data["task_result"] = result
    else:
        data = {"id": R.new_task_id(), "status": status}
        if msg is not None:
            data["message"] = msg
        if result:
            data["result"] = result
    return ("json", {"code": 0, "message": "SUCCEED", "request_id": None, "data": data})


def failed_task(cause, msg, legacy=True, kind="text2video"):
    if legacy:
        return call(cause, url=query_url(kind), method="GET", status=200,
                    resp=task("failed", msg, legacy=True))
    return call(cause, url=n26_query_url(), method="GET", auth=KEY, status=200,
                resp=task("failed", msg, legacy=False))


def net(cause, err, url=T2V, method="POST"):
    return call(cause, url=url, method=method, error=err)


# --------------------------------------------------------------------------
# The scenarios, cause by cause.


def scenarios():
    S = []
    a = S.append
    # ---- auth
    c = "auth.missing_header"
    a(call(c, auth=None, status=401, resp=env(1001, "Authorization is empty")))
    a(call(c, auth=None, status=401, resp=gen("Unauthorized", "authentication_error")))
    a(call(c, url=I2V, auth=None, status=401, resp=text("Missing Authorization header")))
    a(call(c, url=N26_T2V, auth=None, status=401, resp=EMPTY))
    a(call(c, url=query_url(), method="GET", auth=None, status=401,
           resp=html("401 Authorization Required")))
    # the header was stripped on the way: Kling's code says so
    a(call(c, status=401, resp=env(1001, "Authorization is empty")))
    c = "auth.bad_scheme"
    a(call(c, auth=("jwt", 1800, -5, "Token {t}"), status=401,
           resp=env(1002, "Authorization is invalid")))
    a(call(c, auth=("jwt", 1800, -5, "{t}"), status=401,
           resp=gen("Invalid authorization header", "authentication_error")))
    a(call(c, auth=("jwt", 1800, -5, "Bearer  {t}"), status=401, resp=text("Unauthorized")))
    a(call(c, auth=("jwt", 1800, -5, "Bearer:{t}"), status=401, resp=html("401 Unauthorized")))
    a(call(c, url=N26_T2V, auth=("key", "ApiKey {t}"), status=401,
           resp=gen("Unauthorized", "authentication_error")))
    a(call(c, auth=("jwt", 1800, -5, "JWT {t}"), status=401, resp=env(1000, "Authentication failed")))
    c = "auth.token_expired"
    a(call(c, auth=JWT_EXPIRED, status=401, resp=env(1004, "Authorization has expired")))
    a(call(c, auth=JWT_EXPIRED, status=401, resp=gen("Unauthorized", "authentication_error")))
    a(call(c, url=query_url(), method="GET", auth=("jwt", 0, -1800, "Bearer {t}"), status=401,
           resp=env(1000, "Authentication failed")))  # exp == request time: expired
    a(call(c, url=I2V, auth=JWT_EXPIRED, status=401, resp=text("Unauthorized")))
    a(call(c, auth=JWT_EXPIRED, status=401, resp=EMPTY))
    a(call(c, status=401, resp=env(1004, "Authorization has expired"), no_request=True))
    a(call(c, auth=None, status=401, resp=env(1004, "Authorization has expired")))  # sanitized log
    c = "auth.token_not_yet_valid"
    a(call(c, auth=JWT_NBF, status=401, resp=env(1003, "Authorization is not yet valid")))
    a(call(c, auth=("jwt", 1801, 1, "Bearer {t}"), status=401,
           resp=gen("Unauthorized", "authentication_error")))  # nbf one second ahead
    a(call(c, url=I2V, auth=("jwt", 2100, 300, "Bearer {t}"), status=401,
           resp=env(1002, "Authorization is invalid")))
    a(call(c, auth=JWT_NBF, status=401, resp=html("401 Unauthorized")))
    a(call(c, status=401, resp=env(1003, "Authorization is not yet valid"), no_request=True))
    c = "auth.wrong_credential_type"
    a(call(c, url=N26_T2V, status=401,
           resp=env(1000, "This API does not support AK/SK authentication, please use an API key")))
    a(call(c, url=n26_query_url(), method="GET", status=401,
           resp=gen("AK/SK tokens are not supported on this endpoint; use an API key",
                    "authentication_error")))
    a(call(c, url=N26_I2V, status=401, resp=text("JWT (AK/SK) authentication is not supported here")))
    # request evidence alone: a JWT on a 2026-standard endpoint, even an expired one
    a(call(c, url=N26_T2V, status=401, resp=gen("Unauthorized", "authentication_error")))
    a(call(c, url=n26_query_url(), method="GET", auth=JWT_EXPIRED, status=401, resp=EMPTY))
    c = "auth.invalid_token"
    a(call(c, status=401, resp=env(1002, "Authorization is invalid")))
    a(call(c, url=query_url(), method="GET", status=401, resp=env(1000, "Authentication failed")))
    a(call(c, url=N26_T2V, auth=KEY, status=401, resp=gen("Invalid API key", "authentication_error")))
    a(call(c, auth=("jwt", 1800, -5, "bearer {t}"), status=401, resp=text("Unauthorized")))
    a(call(c, auth=("jwt", 1, -1799, "Bearer {t}"), status=401,
           resp=env(1000, "Authentication failed")))  # one second left: still valid
    a(call(c, status=401, resp=EMPTY, no_request=True))
    a(call(c, url=I2V, status=401, resp=html("401 Unauthorized")))
    # ---- billing
    c = "billing.insufficient_credits"
    a(call(c, status=429, resp=env(1102, "Account balance not enough")))
    a(call(c, status=402, resp=gen("Payment Required", "billing_error")))
    a(call(c, url=I2V, status=402, resp=text("Insufficient credits")))
    a(call(c, status=429, resp=gen("Insufficient credits: your resource pack is depleted")))
    a(call(c, url=N26_T2V, auth=KEY, status=429, resp=env(1102, "Account balance not enough")))
    a(call(c, auth=JWT_EXPIRED, status=429, resp=env(1102, "Account balance not enough")))
    a(call(c, status=402, resp=EMPTY))
    a(call(c, status=200, resp=env(1102, "Account balance not enough")))
    a(call(c, url=IMG, status=402, resp=html("402 Payment Required")))
    c = "billing.account_in_arrears"
    a(call(c, status=429, resp=env(1101, "Account is in arrears")))
    a(call(c, status=402,
           resp=gen("Your account is in arrears: settle the outstanding balance to continue")))
    a(call(c, url=N26_T2V, auth=KEY, status=403, resp=text("Postpaid bill overdue")))
    # ---- account
    c = "account.exception"
    a(call(c, status=429, resp=env(1100, "Account exception")))
    a(call(c, status=403, resp=gen("Your account has been suspended", "permission_error")))
    a(call(c, url=N26_T2V, auth=KEY, status=429, resp=env(1100, "Account exception")))
    a(call(c, url=I2V, status=403, resp=text("Account is frozen, contact support")))
    c = "account.no_permission"
    a(call(c, status=403, resp=env(1103, "No permission to access the requested resource")))
    a(call(c, status=403, resp=gen("Access denied", "permission_error")))
    a(call(c, status=403, resp=text("kling-v2-master is not available on your plan")))
    a(call(c, url=I2V, status=403, resp=html("403 Forbidden")))
    a(call(c, url=N26_T2V, auth=KEY, status=403, resp=env(1103, "No permission for this model")))
    c = "account.ip_not_whitelisted"
    a(call(c, status=429, resp=env(1304, "IP whitelist policy triggered")))
    a(call(c, status=403, resp=gen("Request IP 203.0.113.7 is not in the allow-list",
                                   "permission_error")))
    a(call(c, url=query_url(), method="GET", status=401, resp=text("IP address not whitelisted")))
    c = "account.region_restricted"
    a(call(c, status=403, resp=gen("This service is not available in your country or region",
                                   "permission_error")))
    a(call(c, url="https://api.klingai.com/v1/videos/text2video", status=403,
           resp=("text", "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">"
                         "<html><head><title>ERROR: The request could not be satisfied</title>"
                         "</head><body><h1>403 ERROR</h1><h2>The request could not be satisfied."
                         "</h2>The Amazon CloudFront distribution is configured to block access "
                         "from your country.</body></html>")))
    a(call(c, status=451, resp=text("Unavailable For Legal Reasons")))
    a(call(c, url=N26_T2V, auth=KEY, status=403, resp=text("Access denied: geographic restriction")))
    # ---- content policy
    c = "content_policy.prompt_rejected"
    a(call(c, status=400, resp=env(1301, "Content security policy triggered")))
    a(call(c, status=403, resp=gen("Prompt rejected by content policy", "content_policy_violation")))
    a(call(c, status=400, resp=text("The prompt contains sensitive words")))
    a(call(c, url=I2V, status=422, resp=gen("Input image was flagged as sensitive content")))
    a(call(c, url=N26_T2V, auth=KEY, status=400, resp=env(1301, "Content security policy triggered")))
    c = "content_policy.platform_strategy"
    a(call(c, status=400, resp=env(1300, "Platform strategy triggered")))
    a(call(c, status=400, resp=gen("Request refused by platform strategy")))
    a(call(c, url=N26_I2V, auth=KEY, status=400, resp=env(1300, "Platform strategy triggered")))
    # ---- bad request
    c = "bad_request.missing_prompt"
    a(call(c, req_body=body(VIDEO_BODY, prompt=DROP), status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, req_body=body(VIDEO_BODY, prompt=""), status=400, resp=gen("Bad Request")))
    a(call(c, url=N26_T2V, auth=KEY, req_body=body(N26_BODY, prompt=DROP), status=422,
           resp=gen("Unprocessable Entity")))
    a(call(c, req_body=body(VIDEO_BODY, prompt="   "), status=400,
           resp=env(1200, "Invalid request parameters")))
    a(call(c, req_body=body(VIDEO_BODY, prompt=None), status=400, resp=text("Bad Request")))
    a(call(c, status=400, resp=gen("prompt is required"), no_request=True))
    c = "bad_request.invalid_duration"
    a(call(c, req_body=body(VIDEO_BODY, duration="7"), status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, url=I2V, req_body=body(I2V_BODY, duration=15), status=422,
           resp=gen("Unprocessable Entity")))
    a(call(c, req_body=body(VIDEO_BODY, duration=""), status=400, resp=text("Bad Request")))
    a(call(c, url=N26_T2V, auth=KEY, req_body=body(N26_BODY, duration="8"), status=400,
           resp=env(1201, "Invalid parameter")))
    a(call(c, status=400, resp=gen("duration must be one of: 5, 10"), no_request=True))
    c = "bad_request.invalid_aspect_ratio"
    a(call(c, req_body=body(VIDEO_BODY, aspect_ratio="4:3"), status=400,
           resp=env(1201, "Invalid parameter")))
    a(call(c, url=N26_T2V, auth=KEY, req_body=body(N26_BODY, aspect_ratio="21:9"), status=400,
           resp=gen("Bad Request")))
    a(call(c, req_body=body(VIDEO_BODY, aspect_ratio="16:10"), status=400, resp=text("Bad Request")))
    a(call(c, status=400, resp=text("aspect_ratio must be one of 16:9, 9:16, 1:1"), no_request=True))
    c = "bad_request.malformed_json"
    a(call(c, req_body='{"model_name": "kling-v2-1", "prompt": "A red fox", "duration": "5",}',
           status=400, resp=env(1200, "Invalid request parameters")))
    a(call(c, req_body="model_name=kling-v2-1&prompt=A+red+fox&duration=5", status=400,
           resp=gen("Bad Request")))
    a(call(c, url=I2V, req_body="{'model_name': 'kling-v1-6', 'image': 'https://cdn.example.com/a.png'}",
           status=400, resp=text("Bad Request")))
    a(call(c, status=400, resp=gen("Invalid JSON in request body: unexpected token } at position 61"),
           no_request=True))
    c = "bad_request.invalid_model"
    a(call(c, req_body=body(VIDEO_BODY, model_name="kling-v9"), status=400,
           resp=env(1201, "Invalid parameter")))
    a(call(c, url=I2V, req_body=body(I2V_BODY, model_name="kling-v1-7"), status=404,
           resp=env(1203, "Requested resource does not exist")))
    a(call(c, req_body=body(VIDEO_BODY, model_name="kling-v1"), status=400,
           resp=gen("The model 'kling-v1' has been discontinued")))
    a(call(c, req_body=body(VIDEO_BODY, model_name="Kling-V2-1"), status=400,
           resp=env(1201, "Invalid parameter")))
    a(call(c, url=IMG, req_body={"model_name": "kling-v2-2", "prompt": "A lighthouse"}, status=400,
           resp=env(1201, "Invalid parameter")))
    c = "bad_request.invalid_parameter"
    a(call(c, req_body=body(VIDEO_BODY, mode="turbo"), status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, req_body=body(VIDEO_BODY, cfg_scale=1.5), status=400, resp=gen("Bad Request")))
    a(call(c, req_body=body(VIDEO_BODY, cfg_scale=-0.2), status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, url=I2V, req_body=I2V_BODY, status=400, resp=env(1200, "Invalid request parameters")))
    a(call(c, status=422, resp=text("Unprocessable Entity")))
    a(call(c, url=N26_T2V, auth=KEY, status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, status=400, resp=gen("model_name is case-sensitive")))  # not a content policy
    a(call(c, url=IMG, req_body={"model_name": "kling-v2", "prompt": "A lighthouse", "aspect_ratio": "4:3",
                                 "n": 9}, status=400, resp=env(1201, "Invalid parameter")))
    c = "bad_request.not_found"
    a(call(c, url=query_url(), method="GET", status=404, resp=env(1203, "Requested resource does not exist")))
    a(call(c, method="PUT", req_body=None, status=404, resp=env(1202, "Requested method is invalid")))
    a(call(c, url=f"{HOST}/v1/video/text2video/{R.task_id()}", method="GET", status=404,
           resp=text("Not Found")))
    a(call(c, method="DELETE", req_body=None, status=405, resp=html("405 Not Allowed")))
    a(call(c, url=n26_query_url(), method="GET", auth=KEY, status=404, resp=gen("Task not found")))
    # ---- rate limit
    c = "rate_limit.requests"
    a(call(c, status=429, resp=env(1302, "Too many requests, please try again later"),
           resp_headers={"Retry-After": "5"}))
    a(call(c, status=429, resp=gen("Rate limit exceeded", "rate_limit_error")))
    a(call(c, url=query_url(), method="GET", status=429, resp=EMPTY, resp_headers={"Retry-After": "2"}))
    a(call(c, status=429, resp=text("Too Many Requests")))
    a(call(c, url=N26_T2V, auth=KEY, status=503, resp=text("Rate limited, slow down")))
    a(call(c, auth=JWT_EXPIRED, status=429, resp=env(1302, "Too many requests")))
    a(call(c, status=429, resp=env(1305, "Requests per day over limit")))  # undocumented code
    c = "rate_limit.concurrency"
    a(call(c, status=429, resp=env(1303, "parallel task over resource pack limit")))
    a(call(c, status=429, resp=gen("Too many concurrent tasks", "rate_limit_error")))
    a(call(c, url=I2V, status=429, resp=text("parallel task over resource pack limit")))
    a(call(c, url=N26_T2V, auth=KEY, status=429, resp=env(1303, "parallel task over resource pack limit")))
    # ---- server
    c = "server.internal"
    a(call(c, status=500, resp=env(5000, "Server internal error")))
    a(call(c, status=500, resp=html("500 Internal Server Error")))
    a(call(c, url=query_url(), method="GET", status=500, resp=gen("Internal server error", "api_error")))
    a(call(c, status=500, resp=EMPTY))
    a(call(c, req_body=body(VIDEO_BODY, prompt=DROP), status=500, resp=env(5000, "Server internal error")))
    a(call(c, status=200, resp=env(5000, "Server internal error")))
    a(call(c, url=N26_T2V, auth=KEY, status=501, resp=text("Not Implemented")))
    c = "server.bad_gateway"
    a(call(c, status=502, resp=html("502 Bad Gateway")))
    a(call(c, url=query_url(), method="GET", status=502, resp=gen("Bad gateway", "api_error")))
    a(call(c, url=N26_T2V, auth=KEY, status=502, resp=EMPTY))
    c = "server.unavailable"
    a(call(c, status=503, resp=env(5001, "Service temporarily unavailable")))
    a(call(c, status=503, resp=text("Service Unavailable")))
    a(call(c, url=query_url(), method="GET", status=503, resp=html("503 Service Temporarily Unavailable")))
    a(call(c, url=N26_T2V, auth=KEY, status=503, resp=EMPTY, resp_headers={"Retry-After": "120"}))
    c = "server.timeout"
    a(call(c, status=504, resp=env(5002, "Server internal timeout")))
    a(call(c, status=504, resp=html("504 Gateway Time-out")))
    a(call(c, url=query_url(), method="GET", status=504, resp=EMPTY))
    a(call(c, url=N26_T2V, auth=KEY, status=524, resp=text("A timeout occurred")))
    # ---- generation (HTTP 200, code 0, task failed)
    c = "generation.content_policy"
    a(failed_task(c, "Failure to pass the risk control system"))
    a(failed_task(c, "Content moderation failed: sensitive content detected", legacy=False))
    a(failed_task(c, "The input image did not pass the content review", kind="image2video"))
    c = "generation.timeout"
    a(failed_task(c, "Task timed out"))
    a(failed_task(c, "Generation timeout", legacy=False))
    c = "generation.complexity"
    a(failed_task(c, "The scene is too complex to generate"))
    a(failed_task(c, "Prompt complexity exceeds the model's capability", legacy=False))
    c = "generation.input_image"
    a(failed_task(c, "Image pixel is invalid", kind="image2video"))
    a(failed_task(c, "Input image format is not supported, use JPG or PNG", legacy=False))
    a(failed_task(c, "Failed to download the input image", kind="image2video"))
    c = "generation.failed"
    a(failed_task(c, "Internal error, please try again"))
    a(failed_task(c, None, legacy=False))
    a(failed_task(c, ""))
    # ---- network (no response)
    c = "network.timeout"
    a(net(c, "ReadTimeout: HTTPSConnectionPool(host='api-singapore.klingai.com', port=443): "
             "Read timed out. (read timeout=30)"))
    a(net(c, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
          url=query_url(), method="GET"))
    a(net(c, "timeout of 60000ms exceeded"))
    a(net(c, "net::ERR_TIMED_OUT", url=N26_T2V))
    a(net(c, "net::ERR_ABORTED", url=I2V))
    a(net(c, "The operation was aborted"))
    c = "network.connection"
    a(net(c, "connect ECONNREFUSED 203.0.113.10:443"))
    a(net(c, "getaddrinfo ENOTFOUND api-singapore.klingai.com", url=query_url(), method="GET"))
    a(net(c, "read ECONNRESET"))
    a(net(c, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local "
             "issuer certificate (_ssl.c:1006)", url=N26_T2V))
    a(net(c, "net::ERR_NAME_NOT_RESOLVED", url=I2V))
    a(net(c, "Multiple exceptions: [Errno 60] Connect call failed ('203.0.113.10', 443)"))
    a(net(c, "('Connection aborted.', RemoteDisconnected('Remote end closed connection "
             "without response'))"))
    # ---- classes seen on real failures (error-reference.md sections 2, 3 and 7)
    scenarios_real_world(a)
    # ---- nothing explains these
    c = "unclassified.unknown"
    a(call(c, status=418, resp=text("I'm a teapot")))
    a(call(c, status=200, resp=env(9999, "Unknown business error")))
    a(call(c, url=N26_T2V, auth=KEY, status=409, resp=gen("Conflict: external_task_id already exists")))
    a(call(c, url=query_url(), method="GET", status=200, resp=env(9999, "Unknown business error")))
    # ---- successes
    c = "ok"
    a(call(c, status=200, resp=task("submitted")))
    a(call(c, url=query_url(), method="GET", status=200, resp=task("processing")))
    a(call(c, url=query_url(), method="GET", status=200, resp=task(
        "succeed", "", result={"videos": [{"id": R.uuid(), "url": "https://cdn.example.com/out/v.mp4",
                                           "duration": "5.1"}]})))
    a(call(c, url=I2V, status=200, resp=task("submitted")))  # image-to-video without prompt
    a(call(c, url=N26_T2V, auth=KEY, status=200, resp=task("submitted", legacy=False)))
    a(call(c, url=n26_query_url(), method="GET", auth=KEY, status=200, resp=task(
        "succeeded", legacy=False, result={"videos": [{"url": "https://cdn.example.com/out/w.mp4"}]})))
    a(call(c, url=n26_query_url(), method="GET", auth=KEY, status=200, resp=task("processing", legacy=False)))
    a(call(c, url=IMG, req_body={"model_name": "kling-v2", "prompt": "A lighthouse", "aspect_ratio": "4:3"},
           status=200, resp=task("submitted")))
    a(call(c, url=query_url(), method="GET", auth=("jwt", 1800, -5, "bearer {t}"), status=200,
           resp=task("submitted")))
    return S


# Transport texts of other HTTP clients (error-reference.md section 7).
TIMEOUT_TEXTS = [
    'Post "%s": context deadline exceeded' % T2V,
    "read tcp 10.0.3.17:53622->203.0.113.10:443: i/o timeout",
    'Post "%s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)' % T2V,
    "ConnectTimeout: HTTPSConnectionPool(host='api-singapore.klingai.com', port=443): Max retries "
    "exceeded with url: /v1/videos/text2video (Caused by ConnectTimeoutError(<urllib3.connection."
    "HTTPSConnection object at 0x7f3b2c1d0e50>, 'Connection to api-singapore.klingai.com timed out. "
    "(connect timeout=10)'))",
    "httpx.ReadTimeout: The read operation timed out",
    "httpx.ConnectTimeout: timed out",
    "asyncio.TimeoutError",
    "connect ETIMEDOUT 203.0.113.10:443",
    "Error: ESOCKETTIMEDOUT",
    "ConnectTimeoutError: Connect Timeout Error (attempted address: api-singapore.klingai.com:443, "
    "timeout: 10000ms) [UND_ERR_CONNECT_TIMEOUT]",
    "HeadersTimeoutError: Headers Timeout Error [UND_ERR_HEADERS_TIMEOUT]",
    "TimeoutError: The operation was aborted due to timeout",
    "AbortError: This operation was aborted",
    "AxiosError: ECONNABORTED",
    "java.net.SocketTimeoutException: Read timed out",
    "java.net.http.HttpTimeoutException: request timed out",
    "System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured "
    "HttpClient.Timeout of 100 seconds elapsing.",
    "System.Net.WebException: The operation has timed out.",
    "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received",
]
CONNECTION_TEXTS = [
    'Post "%s": dial tcp 203.0.113.10:443: connect: connection refused' % T2V,
    "dial tcp: lookup api-singapore.klingai.com: no such host",
    "read tcp 10.0.3.17:53622->203.0.113.10:443: read: connection reset by peer",
    'Post "%s": EOF' % T2V,
    'Post "%s": remote error: tls: handshake failure' % T2V,
    'Post "%s": tls: failed to verify certificate: x509: certificate signed by unknown authority' % T2V,
    "ConnectionError: HTTPSConnectionPool(host='api-singapore.klingai.com', port=443): Max retries "
    "exceeded with url: /v1/videos/text2video (Caused by NewConnectionError('<urllib3.connection."
    "HTTPSConnection object at 0x7f3b2c1d0e50>: Failed to establish a new connection: [Errno 111] "
    "Connection refused'))",
    "HTTPSConnectionPool(host='api-singapore.klingai.com', port=443): Max retries exceeded with url: "
    "/v1/videos/text2video (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection "
    "object at 0x7f3b2c1d0e50>: Failed to resolve 'api-singapore.klingai.com' ([Errno -2] Name or "
    "service not known)\"))",
    "[Errno -3] Temporary failure in name resolution",
    "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
    "failed: unable to get local issuer certificate (_ssl.c:1006)'))",
    "ConnectionResetError(104, 'Connection reset by peer')",
    "httpx.ConnectError: [Errno 111] Connection refused",
    "httpx.RemoteProtocolError: Server disconnected without sending a response.",
    "ClientConnectorError: Cannot connect to host api-singapore.klingai.com:443 ssl:default "
    "[Connect call failed ('203.0.113.10', 443)]",
    "ServerDisconnectedError: Server disconnected",
    "ClientOSError: [Errno 32] Broken pipe",
    "getaddrinfo EAI_AGAIN api-singapore.klingai.com",
    "write EPIPE",
    "socket hang up",
    "TypeError: fetch failed",
    "SocketError: other side closed [UND_ERR_SOCKET]",
    "AxiosError: Network Error [ERR_NETWORK]",
    "self signed certificate in certificate chain",
    "certificate has expired [CERT_HAS_EXPIRED]",
    "java.net.ConnectException: Connection refused",
    "java.net.UnknownHostException: api-singapore.klingai.com",
    "javax.net.ssl.SSLHandshakeException: PKIX path building failed",
    "System.Net.Http.HttpRequestException: No such host is known. (api-singapore.klingai.com:443)",
    "System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by "
    "the remote host.",
    "curl: (6) Could not resolve host: api-singapore.klingai.com",
    "curl: (7) Failed to connect to api-singapore.klingai.com port 443 after 3 ms: Connection refused",
    "curl: (35) SSL connect error",
    "curl: (52) Empty reply from server",
    "curl: (56) Recv failure: Connection reset by peer",
    "curl: (60) SSL certificate problem: unable to get local issuer certificate",
    "net::ERR_CONNECTION_REFUSED",
    "net::ERR_CERT_AUTHORITY_INVALID",
]
OMNI = HOST + "/v1/videos/omni-video"
REDACTED = ["REDACTED", "[REDACTED]", "[Filtered]", "***", "<redacted>", "xxx", "Bearer [Redacted]",
            "Bearer ****"]


def scenarios_real_world(a):
    """Each class that real failures showed, in every response family and log
    shape where it can occur; bodies the reference quotes, verbatim."""
    # Text that fits several causes does not beat evidence that settles it.
    c = "auth.token_expired"
    a(call(c, auth=JWT_EXPIRED, status=401, resp=gen("Invalid or missing API key",
                                                     "authentication_error")))
    a(call(c, url=I2V, auth=("jwt", -60, -1865, "Bearer {t}"), status=401,
           resp=detail("Invalid or missing API key")))
    a(call(c, url=query_url(), method="GET", auth=JWT_EXPIRED, status=401,
           resp=text("Invalid or missing API key")))
    c = "auth.token_not_yet_valid"
    a(call(c, auth=JWT_NBF, status=401, resp=gen("Invalid or missing API key", "authentication_error")))
    a(call(c, url=I2V, auth=JWT_NBF, status=401, resp=detail_obj("Invalid or missing API key",
                                                                 "authentication_error")))
    # Redacted and absent evidence: a redacted header was present; a log
    # without request headers says nothing about the header.
    c = "auth.invalid_token"
    for i, marker in enumerate(REDACTED):
        resp = [gen("Unauthorized", "authentication_error"), text("Unauthorized"),
                env(1002, "Authorization is invalid"), EMPTY][i % 4]
        a(call(c, url=[T2V, I2V, N26_T2V, query_url()][i % 4], method="GET" if i % 4 == 3 else "POST",
               auth=("raw", marker), status=401, resp=resp))
    a(call(c, auth=None, no_headers=True, status=401, resp=gen("Unauthorized", "authentication_error")))
    a(call(c, url=query_url(), method="GET", auth=None, no_headers=True, status=401, resp=EMPTY))
    a(call(c, url=N26_T2V, auth=None, no_headers=True, status=401, resp=detail("Unauthorized")))
    c = "auth.missing_header"
    a(call(c, auth=None, no_headers=True, status=401, resp=detail("Invalid or missing API key")))
    a(call(c, auth=("raw", "Bearer "), status=401, resp=env(1000, "Authentication failed")))
    # Transport errors of other languages; anything else without a response.
    for i, t in enumerate(TIMEOUT_TEXTS):
        a(net("network.timeout", t, url=[T2V, I2V, N26_T2V][i % 3]))
    for i, t in enumerate(CONNECTION_TEXTS):
        a(net("network.connection", t, url=[T2V, query_url(), N26_T2V][i % 3],
              method="GET" if i % 3 == 1 else "POST"))
    a(net("network.connection", ""))  # HAR status 0 / -1 with no reason (HTTP Toolkit, Insomnia)
    a(net("network.connection", "", url=query_url(), method="GET"))
    a(net("network.connection", "Error: request to the gateway could not be completed (code 17)"))
    # Allowed-value lists lag behind: the server's words name the problem.
    c = "bad_request.invalid_parameter"
    camera = body(VIDEO_BODY, model_name="kling-v2-6", mode="pro", duration="10",
                  camera_control={"type": "simple", "config": {"zoom": 5}})
    camera_msg = "camera_control is only supported in std mode with 5s duration and kling-v1"
    a(call(c, req_body=camera, status=400, resp=env(1201, camera_msg)))
    a(call(c, req_body=camera, status=400, resp=gen(camera_msg)))
    a(call(c, req_body=camera, status=422, resp=detail_list(camera_msg, ("body", "camera_control"))))
    element = {"model_name": "kling-v3-omni", "contents": [
        {"type": "prompt", "text": "<<<element_1>>> walks along the beach at sunset"},
        {"type": "element", "element_id": "el_83920"}], "duration": "5"}
    a(call(c, url=OMNI, auth=KEY, req_body=element, status=400, resp=env(1201, "Element id not found")))
    a(call(c, url=OMNI, auth=KEY, req_body=element, status=400, resp=detail("Element id not found")))
    empty = {"model_name": "kling-v3-omni", "contents": [], "duration": "5"}
    a(call(c, url=OMNI, auth=KEY, req_body=empty, status=400, resp=env(1201, "contents cannot be empty")))
    a(call(c, url=OMNI, auth=KEY, req_body=empty, status=422, resp=gen("contents cannot be empty")))
    c = "bad_request.invalid_model"
    a(call(c, req_body=body(VIDEO_BODY, model_name="kling-v2-7"), status=400,
           resp=gen("model is not supported")))
    a(call(c, url=OMNI, auth=KEY, req_body=body(element, model_name="kling-v4-omni"), status=422,
           resp=detail_list("Model must be one of kling-v3, kling-v3-omni", ("body", "model_name"))))
    # 2026 standard: no contents[] item of type prompt with non-blank text.
    c = "bad_request.missing_prompt"
    image_only = {"model_name": "kling-v3-omni", "contents": [
        {"type": "image", "url": "https://cdn.example.com/in/cat-1024.png"}], "duration": "5"}
    blank = {"model_name": "kling-v3-omni", "contents": [
        {"type": "prompt", "text": "  "}, {"type": "image", "url": "https://cdn.example.com/in/a.png"}]}
    a(call(c, url=OMNI, auth=KEY, req_body=image_only, status=400, resp=env(1201, "Invalid parameter")))
    a(call(c, url=OMNI, auth=KEY, req_body=blank, status=400, resp=gen("Bad Request")))
    a(call(c, url=OMNI, auth=KEY, req_body=blank, status=400,
           resp=env(1201, "content item of type 'prompt' must have non-blank text")))
    a(call(c, url=OMNI, auth=KEY, req_body=image_only, status=422, resp=detail("prompt is required")))
    # A task that does not exist, in Kling's words (400 / 1201).
    c = "bad_request.not_found"
    a(call(c, url=query_url(), method="GET", status=400,
           resp=env(1201, "Task not found by id: 874531209385614336")))
    a(call(c, url=f"{HOST}/v1/videos/text2video?external_task_id=batch-42-7", method="GET", status=400,
           resp=env(1201, "Task not found by external id: batch-42-7")))
    a(call(c, url=f"{HOST}/v1/videos/image2video/{R.task_id()}", method="GET", status=400,
           resp=gen("Task not found by id")))
    # Wrapper shapes: a job object on HTTP 200 whose status failed; a task
    # failure relayed as a 5xx with Kling's message in detail.msg.
    reseller = "https://api.reseller.example/kling/v1/jobs/"
    a(call("generation.input_image", url=reseller + "job_7f3a9c", method="GET", auth=KEY, status=200,
           resp=job("failed", "Image pixel is invalid")))
    a(call("generation.content_policy", url=reseller + "job_7f3a9d", method="GET", auth=KEY, status=200,
           resp=job("FAILED", "Failure to pass the risk control system", key="message")))
    a(call("generation.failed", url=reseller + "job_7f3a9e", method="GET", auth=KEY, status=200,
           resp=job("error", "Task failed, please retry", key="message")))
    a(call("billing.insufficient_credits", url=reseller + "job_7f3a9f", method="GET", auth=KEY,
           status=200, resp=job("failed", "Insufficient credits, please top up")))
    a(call("ok", url=reseller + "job_7f3aa0", method="GET", auth=KEY, status=200,
           resp=job("succeeded", "https://cdn.example.com/out/x.mp4", key="output")))
    gateway = "https://gw.example.com/kling/tasks/"
    a(call("generation.input_image", url=gateway + R.task_id(), method="GET", status=500,
           resp=detail_obj("Image pixel is invalid", "task_failed")))
    a(call("generation.content_policy", url=gateway + R.task_id(), method="GET", status=502,
           resp=detail_obj("Failure to pass the risk control system", "task_failed")))
    a(call("server.internal", url=gateway + R.task_id(), method="GET", status=500,
           resp=detail_obj("Internal server error", "server_error")))
    a(call("server.timeout", url=gateway + R.task_id(), method="GET", status=504,
           resp=detail_obj("Task timed out upstream", "timeout")))
    # Failed tasks, verbatim (legacy and 2026 standard, incl. a data list).
    c = "generation.input_image"
    a(failed_task(c, "The resolution or aspect ratio of the input image is invalid", kind="image2video"))
    a(failed_task(c, "Something went wrong when we tried to get the contents of the file",
                  kind="image2video"))
    a(failed_task(c, "INVALID_IMAGE", legacy=False))
    tasks = ("json", {"code": 0, "message": "SUCCEED", "request_id": None, "data": [
        {"id": R.new_task_id(), "status": "succeeded"},
        {"id": R.new_task_id(), "status": "failed", "message": "Image pixel is invalid"}]})
    a(call(c, url=n26_query_url(), method="GET", auth=KEY, status=200, resp=tasks))
    # FastAPI-style detail on other causes
    a(call("rate_limit.requests", status=429, resp=detail("Too Many Requests")))
    a(call("billing.insufficient_credits", status=402, resp=detail_obj("Insufficient credits", "billing")))
    a(call("bad_request.missing_prompt", req_body=body(VIDEO_BODY, prompt=DROP), status=422,
           resp=detail_list("Field required", ("body", "prompt"), "missing")))


# --------------------------------------------------------------------------
# Rendering one abstract call into a log line of a given shape.

HTTP_SHAPES = ["canonical", "time_offset", "epoch_s", "epoch_ms", "status_code",
               "headers_list", "headers_odd", "body_string", "har", "har_b64"]
NET_SHAPES = ["canonical", "error_object", "time_offset", "epoch_s", "epoch_ms",
              "headers_list", "headers_odd", "har", "har_minus1"]
RESPONSE_ONLY_SHAPES = ["canonical", "time_offset", "epoch_s", "epoch_ms", "status_code",
                        "body_string"]

REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
           418: "I'm a teapot", 422: "Unprocessable Entity", 429: "Too Many Requests",
           451: "Unavailable For Legal Reasons", 500: "Internal Server Error",
           501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout", 524: "A Timeout Occurred"}


def auth_value(auth, ts_s):
    if auth is None:
        return None
    if auth[0] == "jwt":
        _, exp_off, nbf_off, fmt = auth
        return fmt.format(t=make_jwt("ak-3f9d2c1b7a", ts_s + exp_off, ts_s + nbf_off))
    if auth[0] == "raw":  # the value as the logger wrote it (a redaction marker)
        return auth[1]
    return auth[1].format(t=API_KEY)


def fill_ids(resp, rng):
    """Fills the envelope's request_id (a UUID, or the task id on older accounts)."""
    if resp is None or resp[0] != "json":
        return resp
    obj = json.loads(json.dumps(resp[1]))
    if "request_id" in obj and obj["request_id"] is None:
        data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
        obj["request_id"] = data.get("task_id") if data.get("task_id") and rng.random() < 0.3 \
            else rng_uuid(rng)
        if obj.get("data") is None and rng.random() < 0.5:
            del obj["data"]
    return ("json", obj)


def rng_uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def headers_for(c, ts_s, style, n=0):
    req = {}
    if c["no_headers"]:
        return None, {"Content-Type": "application/json; charset=utf-8"} if c["resp"] and \
            c["resp"][0] == "json" else {}
    av = auth_value(c["auth"], ts_s)
    if av is not None:
        req["Authorization"] = av
    if c["req_body"] is not None:
        req["Content-Type"] = "application/json"
    resp = {}
    if c["resp"] is not None:
        kind = c["resp"][0]
        if kind == "json":
            resp["Content-Type"] = "application/json; charset=utf-8"
        elif kind == "text":
            resp["Content-Type"] = "text/html" if c["resp"][1].lstrip().startswith("<") \
                else "text/plain; charset=utf-8"
    resp.update(c["resp_headers"])
    if style == "odd":
        req = {odd_case(k, n): v for k, v in req.items()}
        resp = {odd_case(k, n): v for k, v in resp.items()}
    return req, resp


ODD = {"authorization": ["authorization", "AUTHORIZATION", "AuThOrIzAtIoN"],
       "content-type": ["content-type", "CONTENT-TYPE", "content-Type"],
       "retry-after": ["retry-after", "RETRY-AFTER"], "user-agent": ["user-agent", "USER-AGENT"]}


def odd_case(name, n):
    """The header name in an odd letter case (logs keep what the client wrote)."""
    choices = ODD.get(name.lower(), [name.lower()])
    return choices[n % len(choices)]


def as_list(headers):
    return [{"name": k, "value": v} for k, v in headers.items()]


def request_body_text(b):
    if b is None:
        return None
    return b if isinstance(b, str) else json.dumps(b)


def render(c, shape, ts_ms, rng):
    ts_s = ts_ms // 1000
    resp = fill_ids(c["resp"], rng)
    if shape.startswith("har"):
        return render_har(c, shape, ts_ms, ts_s, resp, rng)
    rec = {}
    if shape == "time_offset":
        rec["time"] = iso(ts_ms, tz_hours=8)
    elif shape == "epoch_s":
        rec["timestamp"] = ts_s
    elif shape == "epoch_ms":
        rec["@timestamp"] = ts_ms
    elif shape == "status_code":
        rec["timestamp"] = iso(ts_ms, millis=False)
    else:
        rec["ts"] = iso(ts_ms)
    req_h, resp_h = headers_for(c, ts_s, "odd" if shape == "headers_odd" else "plain",
                                rng.randrange(6))
    if not c["no_request"]:
        req = {"method": c["method"], "url": c["url"]}
        if req_h is not None:
            req["headers"] = as_list(req_h) if shape == "headers_list" else req_h
        if c["req_body"] is not None:
            b = c["req_body"]
            req["body"] = json.dumps(b) if shape == "body_string" and not isinstance(b, str) else b
        rec["request"] = req
    if c["error"] == "":  # no response and no reason logged
        if shape == "error_object":
            rec["error"] = None
        else:
            rec["response"] = {"status": 0, "body": ""}
        rec["duration_ms"] = rng.randrange(0, 30000)
    elif c["error"] is not None:
        rec["error"] = {"message": c["error"], "name": "RequestError"} if shape == "error_object" \
            else c["error"]
        rec["duration_ms"] = 30000 + rng.randrange(0, 30000)
    else:
        r = {("status_code" if shape == "status_code" else "status"): c["status"]}
        if resp_h and not c["no_request"]:
            r["headers"] = as_list(resp_h) if shape == "headers_list" else resp_h
        if resp[0] == "json":
            r["body"] = json.dumps(resp[1]) if shape == "body_string" else resp[1]
        elif resp[0] == "text":
            r["body"] = resp[1]
        elif shape == "body_string":
            r["body"] = None  # empty body logged as null
        else:
            r["body"] = ""
        rec["response"] = r
        rec["duration_ms"] = rng.randrange(40, 2500)
    rec["x_expect"] = c["cause"]
    return rec


def render_har(c, shape, ts_ms, ts_s, resp, rng):
    req_h, resp_h = headers_for(c, ts_s, "plain")
    tz = [0, 8, -7][ts_s % 3]
    started = iso(ts_ms, tz_hours=tz)
    request = {"method": c["method"], "url": c["url"], "httpVersion": "HTTP/2",
               "cookies": [], "headers": as_list(req_h or {}), "queryString": [],
               "headersSize": -1, "bodySize": 0}
    bt = request_body_text(c["req_body"])
    if bt is not None:
        if bt.startswith("model_name="):  # a form post: HAR lists params
            request["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                                   "params": [{"name": k, "value": v} for k, v in
                                              (p.split("=", 1) for p in bt.split("&"))],
                                   "text": bt}
        else:
            request["postData"] = {"mimeType": "application/json", "text": bt}
        request["bodySize"] = len(bt)
    entry = {"startedDateTime": started, "time": 0, "request": request}
    if c["error"] is not None:
        wait = 30000 + rng.randrange(0, 30000)
        entry["time"] = wait
        if shape == "har_minus1":
            entry["response"] = {"status": -1, "statusText": "", "httpVersion": "",
                                 "cookies": [], "headers": [],
                                 "content": {"size": -1, "mimeType": "x-unknown"},
                                 "redirectURL": "", "headersSize": -1, "bodySize": -1}
            if c["error"]:
                entry["_failureText"] = c["error"]
        else:
            entry["response"] = {"status": 0, "statusText": "", "httpVersion": "",
                                 "cookies": [], "headers": [],
                                 "content": {"size": 0, "mimeType": "x-unknown"},
                                 "redirectURL": "", "headersSize": -1, "bodySize": -1}
            if c["error"]:
                entry["response"]["_error"] = c["error"]
        entry["timings"] = {"blocked": -1, "dns": -1, "connect": -1, "send": 0,
                            "wait": wait, "receive": 0}
    else:
        if resp[0] == "json":
            content_text = json.dumps(resp[1])
        elif resp[0] == "text":
            content_text = resp[1]
        else:
            content_text = ""
        content = {"size": len(content_text.encode()),
                   "mimeType": resp_h.get("Content-Type", "x-unknown")}
        if content_text:
            if shape == "har_b64":
                content["text"] = base64.b64encode(content_text.encode()).decode()
                content["encoding"] = "base64"
            else:
                content["text"] = content_text
        wait = rng.randrange(40, 2500)
        entry["time"] = wait + 3
        entry["response"] = {"status": c["status"], "statusText": REASONS.get(c["status"], ""),
                             "httpVersion": "HTTP/2", "cookies": [], "headers": as_list(resp_h),
                             "content": content, "redirectURL": "", "headersSize": -1,
                             "bodySize": content["size"]}
        entry["cache"] = {}
        entry["timings"] = {"blocked": 1, "dns": -1, "connect": -1, "send": 1, "wait": wait,
                            "receive": 1}
    entry["x_expect"] = c["cause"]
    return entry


def shapes_for(c):
    if c["error"] is not None:
        return NET_SHAPES
    if c["no_request"]:
        return RESPONSE_ONLY_SHAPES
    shapes = list(HTTP_SHAPES)
    if c["resp"][0] == "text":
        shapes.remove("body_string")   # it would repeat `canonical`
    elif c["resp"][0] == "empty":
        shapes.remove("har_b64")       # nothing to encode; body_string logs null
    return shapes


MALFORMED = [
    '{"ts": "2026-11-24T05:00:00Z", "request": {"method": "POST", "url": "' + T2V + '"',
    "not json at all",
    "[1, 2, 3]",
    '"just a string"',
    '{"ts": "2026-11-24T05:00:01Z", "response": {"status": 500},}',
    "12345",
    "{'ts': '2026-11-24T05:00:02Z', 'response': {'status': 500}}",
]


def main():
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    rng = random.Random(SEED + 1)
    records = []
    for c in scenarios():
        for shape in shapes_for(c):
            records.append((c, shape))
    rng.shuffle(records)
    lines = []   # (text, expected, crlf)
    ts_ms = START * 1000 + 123
    malformed_at = {len(records) * k // (len(MALFORMED) + 1): m
                    for k, m in enumerate(MALFORMED, start=1)}
    blank_every = 97
    for i, (c, shape) in enumerate(records):
        ts_ms += rng.randrange(2000, 15000)
        rec = render(c, shape, ts_ms, rng)
        lines.append((json.dumps(rec, ensure_ascii=False), c["cause"], i % 11 == 5))
        if i in malformed_at:
            lines.append((malformed_at[i], "malformed", False))
        if i % blank_every == 50:
            lines.append(("", "blank", i % 2 == 0))   # a CRLF blank line is blank too
        if i % blank_every == 80:
            lines.append(("   ", "blank", False))
    out = outdir / "labelled.jsonl"
    with open(out, "w", encoding="utf-8", newline="") as f:
        for t, _, crlf in lines:
            f.write(t + ("\r\n" if crlf else "\n"))
    with open(outdir / "labelled.expect.tsv", "w", encoding="utf-8", newline="\n") as f:
        for n, (_, expected, _) in enumerate(lines, start=1):
            f.write(f"{n}\t{expected}\n")
    counts = {}
    for _, e, _ in lines:
        counts[e] = counts.get(e, 0) + 1
    size = out.stat().st_size
    print(f"wrote {out} ({len(lines)} lines, {size} bytes)")
    for k in sorted(counts):
        print(f"  {counts[k]:5d}  {k}")


if __name__ == "__main__":
    main()
