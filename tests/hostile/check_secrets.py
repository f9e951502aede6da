#!/usr/bin/env python3
"""Never print a secret: hundreds of distinct secrets of every kind, seeded
into every field of JSON Lines and HAR inputs (and into a user's rule file
and an input's file name), then every output of every command and format
is searched for any 12-character fragment of any of them.

    check_secrets.py BINARY [--keep]

Kinds: JWTs, `sk-`/`sk_` keys, 32+ hex keys, Bearer and Basic credentials,
keys echoed by a server after "key"/"token" ("bad key …", "for key …"),
`name=value` / `"name": "value"` pairs with credential-like names, URL
passwords, and raw values of credential-like headers (Authorization,
X-Api-Key, Cookie, …), body fields (api_key, secret_key, password, …) and
query parameters. Outputs: analyze in text, JSON, Markdown and HTML,
--events, explain on every record, rules check/list/test with a rule file
holding keys (one in a regex), partials (decoded, whether written to a file
or embedded in a report), merge's reports, diff's four forms and analyze
--baseline's section, and every stderr, including
errors.
Every JSON output must still parse.
"""
import argparse
import base64
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile

rnd = random.Random(20261124)
ALNUM = string.ascii_letters + string.digits
SECRETS = []  # every raw secret value; fragments of these must never appear


def secret(chars=ALNUM, n=None):
    s = "".join(rnd.choice(chars) for _ in range(n or rnd.randint(20, 40)))
    if not any(c.isdigit() for c in s):
        s = s[:-1] + rnd.choice(string.digits)
    if not any(c.isalpha() for c in s) and chars is ALNUM:
        s = rnd.choice(string.ascii_letters) + s[1:]
    SECRETS.append(s)
    return s


def jwt():
    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    token = (b64({"alg": "HS256", "typ": "JWT"}) + "." +
             b64({"iss": secret(), "exp": 1795489965 + rnd.randint(-9999, 9999)}) + "." +
             base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode())
    SECRETS.append(token)
    return token


def free_text():
    """A secret in a form any text may carry, and the text around it."""
    kind = rnd.randrange(10)
    if kind == 0:
        return f"invalid token {jwt()} rejected"
    if kind == 1:
        return f"bad key sk-proj-{secret()}"
    if kind == 2:
        return f"key sk_live_{secret()} is revoked"
    if kind == 3:
        return f"signature {secret('0123456789abcdef', rnd.randint(32, 64))} mismatch"
    if kind == 4:
        return f"Authorization: Bearer {secret()}"
    if kind == 5:
        raw = secret()
        creds = base64.b64encode(f"user:{raw}".encode()).decode()
        SECRETS.append(creds)
        return f"sent Basic {creds}"
    if kind == 6:
        return f"for key {secret()} the quota is exhausted"
    if kind == 7:
        return f"request failed: api_key={secret()}&retry=1"
    if kind == 8:
        return json.dumps({"secret_key": secret(), "note": "echoed"})
    return f"proxy https://alice:{secret()}@proxy.example.com:8080 refused"


CRED_HEADERS = ["Authorization", "X-Api-Key", "Api-Key", "Cookie", "Set-Cookie", "Proxy-Authorization",
                "X-Auth-Token", "X-Client-Secret", "X-Signature", "X-Session-Token"]
CRED_FIELDS = ["api_key", "access_key", "secret_key", "password", "token", "client_secret",
               "signature", "refresh_token", "apiKey"]


def headers_list():
    hs = [{"name": h, "value": ("Bearer " + jwt()) if h == "Authorization" else secret()}
          for h in rnd.sample(CRED_HEADERS, 5)]
    hs.append({"name": "X-Request-Note", "value": free_text()})
    hs.append({"name": "Content-Type", "value": "application/json"})
    return hs


def body():
    b = {f: secret() for f in rnd.sample(CRED_FIELDS, 4)}
    b.update({"model_name": "kling-v1-6", "prompt": free_text(), "callback_url":
              f"https://hooks.example.com/x?token={secret()}", "note": free_text(),
              "nested": {"credentials": {"private_key": secret()}, "items": [free_text()]}})
    return b


def url():
    q = "&".join(f"{n}={secret()}" for n in rnd.sample(["api_key", "token", "sig", "access_token", "key"], 3))
    return f"https://api-singapore.klingai.com/v1/videos/text2video/{free_token()}?{q}"


def free_token():
    return rnd.choice([f"sk-{secret()}", secret("0123456789abcdef", 40), jwt()])


def jsonl_records(n):
    out = []
    for i in range(n):
        status = rnd.choice([400, 401, 403, 429, 500, 200, 418, 409])  # 418/409: unexplained templates
        rec = {"ts": f"2026-11-24T03:{i % 60:02d}:00Z",
               "request": {"method": "POST", "url": url(),
                           "headers": {h["name"]: h["value"] for h in headers_list()},
                           "body": body() if i % 2 else json.dumps(body())},
               "response": {"status": status,
                            "headers": {"Set-Cookie": f"session={secret()}", "X-Debug": free_text()},
                            "body": {"code": rnd.choice([1000, 1001, 1102, 1302, 5000, 0]),
                                     "message": free_text(), "msg": free_text(),
                                     "request_id": free_token(), "detail": free_text(),
                                     "data": {"task_id": free_token(), "task_status": "failed",
                                              "task_status_msg": free_text(), "token": secret()}}},
               "duration_ms": 100 + i}
        if i % 5 == 0:
            rec = {"ts": rec["ts"], "request": rec["request"], "error": free_text()}
        if i % 7 == 0:
            rec["request"]["body"] = "api_key=" + secret() + "&password=" + secret()
        if i % 11 == 0 and "response" in rec:  # a body that is text, not JSON
            rec["response"]["body"] = "<html><h1>403</h1> " + free_text() + "</html>"
        out.append(json.dumps(rec))
    # A line that is not JSON, holding secrets: its error must not echo them.
    out.append("not json " + free_text() + " " + free_text())
    out.append('{"request": {"url": "' + url() + '"}, "response": {"status": 500, "body": ' + '[' * 3000 + "]")
    return out


def har(n):
    entries = []
    for i in range(n):
        post = body()
        entries.append({
            "startedDateTime": f"2026-11-24T04:{i % 60:02d}:00.000Z", "time": 120,
            "request": {"method": "POST", "url": url(), "httpVersion": "HTTP/1.1",
                        "headers": headers_list(),
                        "queryString": [{"name": "api_key", "value": secret()}],
                        "cookies": [{"name": "session", "value": secret()}],
                        "postData": {"mimeType": "application/json", "text": json.dumps(post),
                                     "params": [{"name": "password", "value": secret()}]}},
            "response": {"status": rnd.choice([400, 401, 429, 500, 0]), "statusText": free_text(),
                         "headers": headers_list(),
                         "cookies": [{"name": "auth", "value": secret()}],
                         "content": {"mimeType": "application/json",
                                     "text": json.dumps({"code": 1000, "message": free_text(),
                                                         "request_id": free_token()})}},
            "_error": free_text() if i % 4 == 0 else None})
        if i % 3 == 0:
            content = entries[-1]["response"]["content"]
            content["text"] = base64.b64encode(content["text"].encode()).decode()
            content["encoding"] = "base64"
    return {"log": {"version": "1.2", "creator": {"name": "seed", "version": secret()},
                    "pages": [{"id": "p", "title": free_text()}], "entries": entries}}


def user_rules():
    key_in_regex = f"sk-proj-{secret()}"
    header_key = secret()
    ok = f"""rules:
  - id: user.leaked_key
    category: auth
    title: A call used the revoked key
    priority: 150
    when:
      request.headers.x-api-key: "{header_key}"
    samples:
      match:
        - {{request: {{headers: {{X-Api-Key: "{header_key}"}}}}, response: {{status: 401}}}}
  - id: user.key_in_message
    category: auth
    title: The server echoed our key
    priority: 140
    when:
      message: {{regex: '{key_in_regex}'}}
    samples:
      match:
        - {{response: {{status: 401, body: {{message: "bad key {key_in_regex}"}}}}}}
"""
    bad = f"""rules:
  - id: user.broken
    category: auth
    title: broken
    when:
      message: {{regex: '(invalid key {free_token()}'}}
      request.headers.x-api-key: {secret()}
    samples:
      match:
        - {{response: {{status: 401, body: {{message: "api_key={secret()}"}}}}}}
"""
    return ok, bad


def fragments():
    frags = set()
    for s in SECRETS:
        for i in range(len(s) - 11):
            frags.add(s[i:i + 12])
    return frags


def leaks(text, frags):
    for i in range(len(text) - 11):
        if text[i:i + 12] in frags:
            return text[i:i + 12]
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    binary = os.path.abspath(args.binary)
    tmp = tempfile.mkdtemp(prefix="kt-secrets-")
    records = jsonl_records(60)
    name_secret = f"sk-{secret()}"
    jsonl = os.path.join(tmp, f"calls-{name_secret}.jsonl")
    with open(jsonl, "w") as f:
        f.write("\n".join(records) + "\n")
    har_path = os.path.join(tmp, "browser.har")
    har_doc = har(30)
    with open(har_path, "w") as f:
        json.dump(har_doc, f)
    ok_rules, bad_rules = user_rules()
    rules_path = os.path.join(tmp, "user.yaml")
    bad_path = os.path.join(tmp, "broken.yaml")
    with open(rules_path, "w") as f:
        f.write(ok_rules)
    with open(bad_path, "w") as f:
        f.write(bad_rules)
    events = os.path.join(tmp, "events.jsonl")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_COLOR="1", TZ="UTC")

    runs = []  # (name, command)
    for fmt in ("text", "json", "markdown", "html"):
        runs.append((f"analyze -f {fmt}", ["analyze", "-f", fmt, "--rules", rules_path, jsonl, har_path,
                                           os.path.join(tmp, f"missing-{name_secret}.jsonl")]))
    runs.append(("analyze --events -", ["analyze", "--events", "-", "-f", "json", "--rules", rules_path,
                                        jsonl, har_path]))
    runs.append(("analyze --events FILE", ["analyze", "--events", events, "--rules", rules_path, jsonl, har_path]))
    runs.append(("analyze --stats --progress", ["analyze", "--stats", "--progress", "always", jsonl, har_path]))
    for i in range(1, len(records) + 1):
        runs.append((f"explain {i}", ["explain", "--rules", rules_path, f"{jsonl}:{i}"]))
    for i in range(len(har_doc["log"]["entries"])):
        runs.append((f"explain #{i}", ["explain", "--rules", rules_path, f"{har_path}#{i}"]))
    runs.append(("explain --show-prompts", ["explain", "--show-prompts", f"{jsonl}:2"]))
    for i in range(1, len(records) + 1, 3):
        runs.append((f"rules suggest {i}", ["rules", "suggest", f"{jsonl}:{i}"]))
    runs.append(("rules suggest #1", ["rules", "suggest", f"{har_path}#1"]))
    runs += [("rules check", ["rules", "check", rules_path]),
             ("rules check broken", ["rules", "check", bad_path]),
             ("rules list", ["rules", "list", "--rules", rules_path]),
             ("rules test -v", ["rules", "test", "-v", "--rules", rules_path]),
             ("analyze broken rules", ["analyze", "--rules", bad_path, jsonl]),
             ("explain missing line", ["explain", f"{jsonl}:9999"]),
             ("fail-on", ["analyze", "--fail-on", f"cause:{name_secret}>0", jsonl])]

    # Partials: binary, so the output filter cannot redact them; what they
    # hold must have been redacted when it was kept. Decoded with the second
    # reader (tests/partial/partial_dump.py) and searched like any output.
    partial = os.path.join(tmp, "run.partial")
    runs.append(("analyze --partial FILE", ["analyze", "--partial", partial, "--rules", rules_path,
                                            jsonl, har_path]))
    runs.append(("analyze --embed-partial", ["analyze", "-f", "json", "--embed-partial",
                                             "--rules", rules_path, jsonl, har_path]))
    for fmt in ("text", "json"):
        runs.append((f"merge -f {fmt}", ["merge", "-f", fmt, partial]))
    # diff against an empty day: every cause is new, with its example shown.
    empty_log, empty = os.path.join(tmp, "empty.jsonl"), os.path.join(tmp, "empty.partial")
    open(empty_log, "w").close()
    runs.append(("analyze --partial (empty)", ["analyze", "--partial", empty, empty_log]))
    for fmt in ("text", "json", "markdown", "html"):
        runs.append((f"diff -f {fmt}", ["diff", "-f", fmt, "--color", "always", empty, partial]))
    runs.append(("analyze --baseline", ["analyze", "--baseline", empty, "--rules", rules_path,
                                        jsonl, har_path]))
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(os.path.dirname(here), "partial"))
    import partial_dump  # noqa: E402

    def decoded(data):
        return "\n".join(json.dumps(secs, ensure_ascii=False) for secs, _ in partial_dump.partials(data))

    frags = fragments()
    failed = []
    outputs = 0
    for name, cmd in runs:
        proc = subprocess.run([binary] + cmd, capture_output=True, env=env, timeout=300)
        if proc.returncode not in (0, 1, 2):
            failed.append(f"{name}: exit {proc.returncode}")
        texts = [("stdout", proc.stdout.decode("utf-8", "replace")),
                 ("stderr", proc.stderr.decode("utf-8", "replace"))]
        if cmd[0] == "analyze" and "--events" in cmd and cmd[cmd.index("--events") + 1] != "-":
            with open(events, encoding="utf-8") as f:
                texts.append(("events file", f.read()))
        if "--partial" in cmd:
            with open(partial, "rb") as f:
                texts.append(("partial (decoded)", decoded(f.read())))
        if "--embed-partial" in cmd:
            try:
                texts.append(("embedded partial (decoded)",
                              decoded(json.loads(proc.stdout)["partial"].encode())))
            except (ValueError, KeyError) as e:
                failed.append(f"{name}: no embedded partial to decode ({e})")
        for where, text in texts:
            outputs += 1
            hit = leaks(text, frags)
            if hit:
                at = text.find(hit)
                failed.append(f"{name} {where}: leaks `{hit}` in …{text[max(0, at - 60):at + 40]!r}…")
        if "-f" in cmd and cmd[cmd.index("-f") + 1] == "json":
            try:
                out = proc.stdout.decode()
                if "--events" in cmd:  # events first, then the report
                    lines = out.splitlines()
                    start = next(i for i, l in enumerate(lines) if l == "{")
                    for l in lines[:start]:
                        json.loads(l)
                    json.loads("\n".join(lines[start:]))
                else:
                    json.loads(out)
            except (ValueError, StopIteration) as e:
                failed.append(f"{name}: the JSON does not parse after redaction ({e})")
    with open(events, encoding="utf-8") as f:
        for line in f:
            try:
                json.loads(line)
            except ValueError as e:
                failed.append(f"--events: a line does not parse after redaction ({e}): {line[:200]}")
                break
    print(f"{len(SECRETS)} distinct secrets ({len(frags)} fragments of 12 characters) in "
          f"{len(records)} JSON Lines records and {len(har_doc['log']['entries'])} HAR entries; "
          f"{len(runs)} runs, {outputs} outputs searched")
    for f in failed[:40]:
        print("FAIL", f)
    if failed:
        print(f"{len(failed)} problems; inputs kept in {tmp}")
        return 1
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok: no fragment of any secret in any output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
