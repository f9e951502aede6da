#!/usr/bin/env python3
"""Generate realistic logs of applications calling the Kling AI video-generation API.

Standard library only, deterministic for a given set of options (``--seed``), streaming
(constant memory whatever the size).  Two output formats:

* ``jsonl``: one logged call per line, in the contract's canonical shape and its variations
  (time under ts/time/timestamp/@timestamp as RFC 3339 or epoch s/ms, status or status_code,
  headers as objects in any letter case or as name/value lists, bodies as JSON, as strings
  holding JSON, as text/HTML or empty, transport failures as ``error`` without ``response``,
  now and then a HAR entry object per line), plus a small share of malformed and blank lines
  and CRLF line ends;
* ``har``: one HAR 1.2 document whose ``log.entries`` are the same kind of calls, some bodies
  base64-encoded and a few large base64 image bodies (100 KB - 1 MB).

Examples::

    python3 bench/gen_logs.py --size 1GB -o bench/data/logs-1g.jsonl
    python3 bench/gen_logs.py --records 500 --seed 7 --profile canonical -o - | head
    python3 bench/gen_logs.py --size 200MB --format har -o bench/data/logs.har
    python3 bench/gen_logs.py --records 3600 --start 2026-11-24T13:00:00Z --span 3h --flat \\
        --failure-rate 0.03 --incident 2026-11-24T14:10:00Z,20m,0.40 -o incident.jsonl

``--labels FILE`` also writes the intended cause of every line (or HAR entry) as JSON Lines,
``{"line": N, "cause": "rate_limit.requests"}`` (``"entry"`` instead of ``"line"`` for HAR),
with ``ok``, ``malformed`` and ``blank`` for the non-failures: ground truth for tests.
"""

import argparse
import base64
import bisect
import calendar
import hashlib
import hmac
import json
import random
import re
import sys
import time

# --------------------------------------------------------------------------------------------
# small helpers

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_dumps_spaced = json.JSONEncoder(ensure_ascii=False).encode  # ", " and ": " like many loggers


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def parse_size(text):
    t = text.strip().upper().replace("IB", "B")
    mult = 1
    for suffix, m in (("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40),
                      ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40), ("B", 1)):
        if t.endswith(suffix):
            t, mult = t[: -len(suffix)], m
            break
    return int(float(t) * mult)


def parse_duration(text):
    """'24h', '90m', '23h30m', '1.5h', '45s', '3600' (seconds)."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)", t)
    if not parts or "".join(a + b for a, b in parts) != t:
        raise ValueError("bad duration %r (use e.g. 24h, 90m, 23h30m)" % text)
    unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(float(a) * unit[b] for a, b in parts)


def parse_time(text):
    t = text.strip()
    if t.endswith("Z"):
        t = t[:-1]
    frac = 0.0
    if "." in t:
        t, f = t.split(".", 1)
        frac = float("0." + f)
    return calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%S")) + frac


class TimeFmt:
    """Formats epoch seconds in the ways loggers do; caches the per-second text."""

    def __init__(self):
        self._sec = None
        self._base = ""
        self._base8 = ""

    def _prime(self, sec):
        if sec != self._sec:
            self._sec = sec
            self._base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
            self._base8 = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec + 8 * 3600))

    def rfc3339_ms(self, t):
        sec = int(t)
        self._prime(sec)
        return "%s.%03dZ" % (self._base, int((t - sec) * 1000))

    def value(self, t, variant):
        sec = int(t)
        ms = int((t - sec) * 1000)
        if variant == 0:
            self._prime(sec)
            return "%s.%03dZ" % (self._base, ms)
        if variant == 1:
            self._prime(sec)
            return "%s.%03d000Z" % (self._base, ms)
        if variant == 2:
            self._prime(sec)
            return self._base + "Z"
        if variant == 3:
            self._prime(sec)
            return "%s.%03d+08:00" % (self._base8, ms)
        if variant == 4:
            return sec * 1000 + ms  # epoch milliseconds
        if variant == 5:
            return round(sec + ms / 1000.0, 3)  # epoch seconds with a fraction
        return sec  # epoch seconds


# --------------------------------------------------------------------------------------------
# vocabulary

SUBJECTS = [
    "A golden retriever puppy", "An elderly fisherman with a weathered face",
    "A young woman in a red raincoat", "A vintage steam locomotive", "A red fox",
    "Two astronauts in white spacesuits", "A samurai in black lacquered armor", "A hummingbird",
    "A futuristic electric sports car", "A barista with tattooed forearms", "A ballet dancer",
    "A lone hiker with a bright orange backpack", "A herd of wild horses", "A paper boat",
    "A giant sea turtle", "A chef in a busy restaurant kitchen", "A little girl holding a balloon",
    "A cyberpunk street vendor", "A snowy owl", "A wooden sailboat", "A skateboarder",
    "A school of koi fish", "A medieval stone castle", "A snow leopard", "A hot air balloon",
    "A robot vacuum cleaner", "A grandmother knitting a scarf", "A bottle of perfume",
    "A pair of white running shoes", "A steaming bowl of ramen", "A jazz saxophonist",
    "A tiny mouse wearing a knitted hat", "A group of friends around a campfire",
    "A majestic humpback whale", "A glass of iced coffee", "A cat sleeping on a windowsill",
]
ACTIONS = [
    "runs joyfully through a field of sunflowers", "walks slowly along a misty pier at dawn",
    "turns to face the camera and smiles", "glides across a frozen lake",
    "leaps over a fallen log", "pours delicate latte art into a ceramic cup",
    "spins gracefully in the middle of the stage", "floats weightlessly past the window",
    "drifts down a narrow canal", "rises slowly above the rooftops",
    "slices vegetables with precise, rhythmic motions", "breaches the surface of the ocean",
    "rotates slowly on a reflective pedestal", "splashes through shallow puddles",
    "looks up as the first snowflakes fall", "chases a butterfly", "plays a soulful solo",
    "blinks sleepily and stretches", "climbs a steep rocky ridge", "races along a coastal highway",
]
SETTINGS = [
    "in a neon-lit Tokyo alley after the rain", "on a windswept Scottish cliff",
    "inside a sunlit greenhouse full of ferns", "on the surface of Mars", "in a quiet bamboo forest",
    "in a crowded night market in Taipei", "under the northern lights in Lapland",
    "in a minimalist white photo studio", "on a rooftop overlooking Manhattan at sunset",
    "in an underwater coral reef teeming with life", "in a cozy wooden cabin during a blizzard",
    "in the middle of a desert with rolling dunes", "in a futuristic city with flying cars",
    "on a rainy street in Paris", "in a lavender field in Provence",
]
CAMERAS = [
    "Slow dolly-in shot.", "Aerial drone shot circling the subject.",
    "Handheld camera with a slight shake.", "Tracking shot from the side, 35mm lens.",
    "Low-angle shot with shallow depth of field.", "Static wide shot.",
    "The camera slowly pans from left to right.", "Close-up, then pull back to reveal the scene.",
    "Smooth gimbal shot following the subject.", "Slow motion, 120 fps.",
]
LIGHTS = [
    "Golden hour lighting, warm tones", "Soft overcast light", "Dramatic rim lighting",
    "Volumetric fog and god rays", "Moody blue hour light", "High-key studio lighting",
    "Flickering candlelight", "Harsh midday sun with deep shadows",
]
STYLES = [
    "cinematic, photorealistic, 4K", "Studio Ghibli inspired anime style",
    "shot on 35mm film, fine grain, muted colors", "hyper-detailed, 8k, ultra realistic",
    "claymation style", "a watercolor painting come to life", "documentary style",
    "commercial product advertisement style, clean background", "dreamy pastel color palette",
]
DETAILS = [
    "Leaves drift in the wind.", "Rain droplets bounce off the ground.",
    "Steam rises gently from the cup.", "Dust particles float in the beams of light.",
    "The background is softly blurred.", "Reflections shimmer on the wet pavement.",
    "Birds fly across the sky in the distance.", "Hair and clothing move naturally in the breeze.",
    "The colors are rich and saturated.", "Smooth, natural motion with no flicker.",
    "The mood is calm and nostalgic.", "Subtle lens flare as the sun peeks through.",
]
ZH_PARTS = [
    "一只金毛小狗在向日葵花田里奔跑", "阳光明媚", "电影感镜头", "慢动作", "4K高清",
    "一位穿红色雨衣的女孩走在雨后的东京街头", "霓虹灯倒映在湿漉漉的路面上", "镜头缓慢推进",
    "古风少女在竹林中舞剑", "微风吹动衣袖", "水墨画风格", "夕阳下的海边", "海浪轻轻拍打沙滩",
    "航拍视角环绕拍摄", "赛博朋克城市夜景", "飞行汽车穿梭在高楼之间", "画面细腻", "色彩饱和",
]
NEGATIVES = [
    "blurry, low quality, distorted faces, watermark, text",
    "lowres, bad anatomy, extra fingers, flicker, jitter",
    "模糊, 低质量, 变形, 水印",
    "cartoon, oversaturated, deformed hands",
]
V1_MODELS = ["kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master", "kling-v2-1",
             "kling-v2-1-master", "kling-v2-5-turbo"]
V1_MODEL_W = [3, 2, 10, 4, 6, 2, 5]
BAD_MODELS = ["kling-v3-ultra", "kling-video-hd", "klingv2", "kling_v1_6", "kling-v9",
              "kling-v2-6-pro-max"]
NEW_MODELS = ["kling-2.6", "kling-2.5-turbo", "kling-2.1-master"]
NEW_MODEL_W = [6, 3, 1]
BAD_DURATIONS = ["7", "15", "3", 8, "5s", "20"]
BAD_ASPECTS = ["4:3", "21:9", "16x9", "1920x1080", "3:2"]
USER_AGENTS = ["python-requests/2.31.0", "axios/1.6.8", "node-fetch/3.3.2", "okhttp/4.12.0",
               "Go-http-client/2.0", "aiohttp/3.9.5", "undici", "kling-video-worker/2.4.1"]
APP_HOSTS = ["https://api-singapore.klingai.com", "https://api-singapore.klingai.com",
             "https://api-singapore.klingai.com", "https://api.klingai.com"]
GATEWAY_HOSTS = ["https://gw.videoapi-hub.example/kling", "https://api.genvid-reseller.example/kling",
                 "https://kling-proxy.internal.example"]
IMAGE_URLS = ["https://cdn.shopfront.example/assets/products/sku-%d/hero.jpg",
              "https://storage.googleapis.example/user-uploads/%d/input.png",
              "https://images.myapp.example/i2v/%d.webp"]
IPS = ["47.246.23.%d", "8.219.%d.17", "10.0.3.%d", "203.0.113.%d"]

# Kling's published business codes: (http status, code, message)
KCODES = {
    1000: (401, "Authentication failed"),
    1001: (401, "Authorization is empty"),
    1002: (401, "Authorization is invalid"),
    1003: (401, "Authorization is not yet valid"),
    1004: (401, "Authorization has expired"),
    1100: (429, "Account exception"),
    1101: (429, "Account in arrears (postpaid)"),
    1102: (429, "Account balance not enough"),
    1103: (403, "Unauthorized access to requested resource, such as API/model"),
    1200: (400, "Invalid request parameters"),
    1201: (400, "Invalid parameters, e.g., incorrect key or illegal value"),
    1202: (404, "The requested method is invalid"),
    1203: (404, "The requested resource does not exist, such as the model"),
    1300: (400, "Trigger strategy of the platform"),
    1301: (400, "Trigger the content security policy of the platform"),
    1302: (429, "The API request is too fast, exceeding the platform's rate limit"),
    1303: (429, "parallel task over resource pack limit"),
    1304: (429, "Trigger the platform's IP whitelisting policy"),
    5000: (500, "Server internal error"),
    5001: (503, "Server temporarily unavailable, usually due to maintenance"),
    5002: (504, "Server internal timeout, usually due to a backlog"),
}
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required",
           403: "Forbidden", 404: "Not Found", 422: "Unprocessable Entity", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout", 0: "", -1: ""}

NGINX_HTML = ('<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1>'
              '</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')

# task failure messages by cause
TASK_FAIL = {
    "generation.content_policy": (["Failure to pass the risk control system"] * 5
                                  + ["Content did not pass the safety review, please modify the prompt",
                                     "The output was flagged as sensitive by moderation"]),
    "generation.input_image": (["Image pixel is invalid"] * 4
                               + ["Image format is not supported, please upload JPG or PNG",
                                  "Image size exceeds the 10MB limit"]),
    "generation.timeout": ["Task timed out, please try again", "Generation timeout",
                           "task processing timeout"],
    "generation.complexity": ["The scene is too complex to generate, please simplify the prompt",
                              "Prompt complexity exceeds the model's capability"],
    "generation.failed": ["Video generation failed, please try again later", "task failed",
                          "Unknown error during generation"],
}

# transport failures: cause, Node/Python/Go style texts, Chrome/Playwright net:: texts
NET_FAIL = {
    "refused": ("network.connection", ["connect ECONNREFUSED {ip}:443"], "net::ERR_CONNECTION_REFUSED",
                "ECONNREFUSED", "connect"),
    "etimedout": ("network.timeout", ["connect ETIMEDOUT {ip}:443"], "net::ERR_TIMED_OUT",
                  "ETIMEDOUT", "connect"),
    "hangup": ("network.connection", ["socket hang up"], "net::ERR_CONNECTION_CLOSED",
               "ECONNRESET", None),
    "enotfound": ("network.connection", ["getaddrinfo ENOTFOUND {host}"], "net::ERR_NAME_NOT_RESOLVED",
                  "ENOTFOUND", "getaddrinfo"),
    "reset": ("network.connection", ["read ECONNRESET"], "net::ERR_CONNECTION_RESET",
              "ECONNRESET", "read"),
    "client_timeout": ("network.timeout",
                       ["timeout of 60000ms exceeded",
                        "HTTPSConnectionPool(host='{host}', port=443): Read timed out. (read timeout=60)",
                        "The operation was aborted due to timeout",
                        "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"],
                       "net::ERR_ABORTED", "ECONNABORTED", None),
    "tls": ("network.connection",
            ["Client network socket disconnected before secure TLS connection was established",
             "certificate has expired"], "net::ERR_CERT_DATE_INVALID", "ECONNRESET", None),
}


# --------------------------------------------------------------------------------------------
# the abstract call


class Call:
    __slots__ = ("t", "method", "url", "req_headers", "req_body", "status", "resp_headers",
                 "resp_body", "error", "net", "duration_ms", "cause", "large")

    def __init__(self):
        self.req_headers = []
        self.req_body = None      # dict (JSON) | str (raw, maybe not JSON) | None
        self.status = None        # None: no response
        self.resp_headers = []
        self.resp_body = None     # dict/list (JSON) | str (raw text) | None / "" (empty)
        self.error = None
        self.net = None
        self.cause = "ok"
        self.large = False


class Client:
    """One calling application: its access key pair, API key, user agent and JWT cache."""

    def __init__(self, r, idx):
        self.ak = "%032x" % r.getrandbits(128)
        self.sk = b"%032x" % r.getrandbits(128)
        self.api_key = "kl-" + b64url(r.getrandbits(240).to_bytes(30, "big"))
        self.ua = USER_AGENTS[idx % len(USER_AGENTS)]
        self.token = None
        self.minted = -1e18
        self.lifetime = r.choice([1500, 1500, 1200, 600, 0])  # 0: a fresh JWT per call
        self.account = r.randrange(10 ** 9, 10 ** 10)  # appears in result URLs


JWT_HEADER = b64url(b'{"alg":"HS256","typ":"JWT"}')


def make_jwt(iss, exp, nbf, secret, r, sign=True):
    payload = b64url(('{"iss":"%s","exp":%d,"nbf":%d}' % (iss, exp, nbf)).encode())
    signing = JWT_HEADER + "." + payload
    if sign:
        sig = b64url(hmac.new(secret, signing.encode(), hashlib.sha256).digest())
    else:
        sig = b64url(r.getrandbits(256).to_bytes(32, "big"))
    return signing + "." + sig


# --------------------------------------------------------------------------------------------
# the generator of calls


class Generator:
    def __init__(self, args):
        self.r = r = random.Random(args.seed)
        self.args = args
        self.profile = args.profile
        self.minimal = args.minimal
        self.compact = args.compact or args.minimal
        self.api = args.api
        self.clients = [Client(r, i) for i in range(5)]
        if self.compact:
            for c in self.clients:
                c.lifetime = 1500
        self.client_w = [40, 25, 15, 12, 8]
        self.prompts = [self._prompt() for _ in range(120 if self.compact else 3000)]
        self.v1_tasks = [self._v1_task_id() for _ in range(64)]
        self.v1_task_kind = ["text2video"] * 64
        self.new_tasks = [self._num_id() for _ in range(64)]
        self.img_tasks = [self._num_id() for _ in range(16)]
        self.ext_seq = r.randrange(10000, 90000)
        self.call_large = False
        # a pool of random base64 text for large image bodies (sliced, never rebuilt)
        self.b64pool = None
        if not args.no_large:
            raw = r.getrandbits(8 * 786432).to_bytes(786432, "big")
            self.b64pool = base64.b64encode(raw).decode("ascii")  # 1 MiB of base64 text
        self._build_scenarios()

    # ---- random ids and texts ----------------------------------------------------------------
    def uuid(self):
        v = self.r.getrandbits(128)
        h = "%032x" % v
        return "%s-%s-4%s-%s%s-%s" % (h[0:8], h[8:12], h[13:16], "89ab"[v & 3], h[17:20], h[20:32])

    def _v1_task_id(self):
        return "Cj" + b64url(self.r.getrandbits(120).to_bytes(15, "big"))

    def _num_id(self):
        return str(self.r.randrange(700000000000000000, 899999999999999999))

    def request_id(self, task_id=None):
        x = self.r.random()
        if x < 0.82:
            return self.uuid()
        if x < 0.92 and task_id:
            return task_id  # older accounts echo the task id
        return "Cj" + b64url(self.r.getrandbits(120).to_bytes(15, "big"))

    def _prompt(self):
        r = self.r
        if self.compact:
            target = r.randint(60, 200)
        else:
            target = int(min(600, max(100, r.lognormvariate(5.6, 0.45))))
        if r.random() < 0.1:
            parts = r.sample(ZH_PARTS, len(ZH_PARTS))
            out = parts[0]
            i = 1
            while len(out) * 2 < target and i < len(parts):  # CJK: about 2 Latin chars each
                out += "，" + parts[i]
                i += 1
            return out + "。"
        out = "%s %s %s." % (r.choice(SUBJECTS), r.choice(ACTIONS), r.choice(SETTINGS))
        extra = [r.choice(CAMERAS), "%s, %s." % (r.choice(LIGHTS), r.choice(STYLES))]
        extra += r.sample(DETAILS, 6)
        for e in extra:
            if len(out) >= target:
                break
            out += " " + e
        return out

    def prompt(self):
        return self.prompts[self.r.randrange(len(self.prompts))]

    def large_b64(self, lo=100_000, hi=1_000_000):
        r = self.r
        n = r.randrange(lo, hi) // 4 * 4
        n = min(n, len(self.b64pool) - 4)
        start = r.randrange(0, (len(self.b64pool) - n) // 4) * 4
        magic = "/9j/4AAQSkZJRgABAQ" if r.random() < 0.6 else "iVBORw0KGgoAAAANSUhEUgAA"
        return magic + self.b64pool[start + len(magic):start + n]

    # ---- auth ---------------------------------------------------------------------------------
    def valid_jwt(self, c, t):
        if c.token is None or t - c.minted > c.lifetime:
            c.minted = t - self.r.uniform(0, 0.5)
            c.token = make_jwt(c.ak, int(c.minted) + 1800, int(c.minted) - 5, c.sk, self.r)
        return c.token

    # ---- requests -----------------------------------------------------------------------------
    def base_headers(self, call, c, auth, json_body):
        h = call.req_headers
        if auth is not None:
            h.append(("Authorization", auth))
        if json_body:
            h.append(("Content-Type", "application/json"))
        if not self.compact:
            h.append(("User-Agent", c.ua))
            h.append(("Accept", "application/json"))
            if self.r.random() < 0.3:
                h.append(("X-Trace-Id", "%016x" % self.r.getrandbits(64)))

    def v1_create_body(self, kind):
        r = self.r
        b = {"model_name": r.choices(V1_MODELS, V1_MODEL_W)[0]}
        if kind == "image2video":
            if self.b64pool is not None and self.args.format == "jsonl" and r.random() < 0.0005:
                b["image"] = self.large_b64(100_000, 300_000)
                self.call_large = True
            else:
                b["image"] = r.choice(IMAGE_URLS) % r.randrange(1000, 99999)
            if r.random() < 0.7:
                b["prompt"] = self.prompt()
        else:
            b["prompt"] = self.prompt()
        if r.random() < 0.4:
            b["negative_prompt"] = r.choice(NEGATIVES)
        if r.random() < 0.5:
            b["cfg_scale"] = r.choice([0.5, 0.5, 0.3, 0.7, 1, 0])
        b["mode"] = "pro" if r.random() < 0.35 else "std"
        if kind == "text2video":
            b["aspect_ratio"] = r.choice(["16:9", "16:9", "9:16", "1:1"])
        b["duration"] = r.choice(["5", "5", "5", "10", 5])
        if r.random() < 0.3:
            b["callback_url"] = "https://hooks.myapp.example/kling/callback"
        if r.random() < 0.3:
            self.ext_seq += 1
            b["external_task_id"] = "job-%d" % self.ext_seq
        return b

    def new_create_body(self, kind):
        r = self.r
        b = {}
        if kind == "image-to-video":
            b["image_url"] = r.choice(IMAGE_URLS) % r.randrange(1000, 99999)
            if r.random() < 0.7:
                b["prompt"] = self.prompt()
        else:
            b["prompt"] = self.prompt()
        if r.random() < 0.3:
            b["negative_prompt"] = r.choice(NEGATIVES)
        b["duration"] = r.choice([5, 5, 10])
        if kind == "text-to-video":
            b["aspect_ratio"] = r.choice(["16:9", "9:16", "1:1"])
        return b

    def request(self, call, op, c, auth="jwt", gateway=False):
        """Fill method/url/headers/body of a call. op: t2v i2v q img imgq list n_t2v n_i2v n_q."""
        r = self.r
        t = call.t
        if gateway or self.profile == "gateway":
            host = r.choice(GATEWAY_HOSTS)
        else:
            host = APP_HOSTS[r.randrange(4)]
        body = None
        if op in ("t2v", "i2v"):
            kind = "text2video" if op == "t2v" else "image2video"
            call.method, call.url = "POST", "%s/v1/videos/%s" % (host, kind)
            body = self.v1_create_body(kind)
        elif op == "q":
            i = r.randrange(64)
            call.method = "GET"
            call.url = "%s/v1/videos/%s/%s" % (host, self.v1_task_kind[i], self.v1_tasks[i])
        elif op == "img":
            call.method, call.url = "POST", host + "/v1/images/generations"
            body = {"model_name": "kling-v1-5", "prompt": self.prompt(), "n": r.choice([1, 1, 2, 4]),
                    "aspect_ratio": r.choice(["16:9", "1:1", "9:16"])}
        elif op == "imgq":
            call.method = "GET"
            call.url = "%s/v1/images/generations/%s" % (host, r.choice(self.img_tasks))
        elif op == "list":
            call.method = "GET"
            call.url = "%s/v1/videos/text2video?pageNum=%d&pageSize=30" % (host, r.randint(1, 5))
        elif op in ("n_t2v", "n_i2v"):
            kind = "text-to-video" if op == "n_t2v" else "image-to-video"
            model = r.choices(NEW_MODELS, NEW_MODEL_W)[0]
            call.method, call.url = "POST", "%s/%s/%s" % (host, kind, model)
            body = self.new_create_body(kind)
        else:  # n_q
            call.method = "GET"
            call.url = "%s/tasks?task_ids=%s" % (host, self.new_tasks[r.randrange(64)])
        if auth == "jwt":
            auth = "Bearer " + self.valid_jwt(c, t)
        elif auth == "key":
            auth = "Bearer " + c.api_key
        self.base_headers(call, c, auth, body is not None)
        call.req_body = body
        return body

    # ---- responses ----------------------------------------------------------------------------
    def respond(self, call, status, body, ctype="application/json; charset=utf-8", retry_after=None):
        call.status = status
        h = call.resp_headers
        if body is not None and body != "" and not self.minimal:
            h.append(("Content-Type", ctype))
        if not self.compact:
            h.append(("Date", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(int(call.t)))))
            if self.r.random() < 0.5:
                h.append(("Connection", "keep-alive"))
        if retry_after is not None:
            h.append(("Retry-After", str(retry_after)))
        call.resp_body = body

    def envelope(self, call, code, message=None, data=None, task_id=None):
        status, msg = KCODES[code] if code else (200, "SUCCEED")
        rid = self.request_id(task_id)
        body = {"code": code, "message": message or msg, "request_id": rid}
        if self.minimal:
            del body["request_id"]
        if data is not None:
            body["data"] = data
        if not self.compact and self.r.random() < 0.6:
            call.resp_headers.append(("X-Request-Id", rid))
        return status, body

    # ---- scenarios: successes -----------------------------------------------------------------
    def s_create_v1(self, call, c, op):
        r = self.r
        body = self.request(call, op, c)
        tid = self._v1_task_id()
        i = r.randrange(64)
        self.v1_tasks[i] = tid
        self.v1_task_kind[i] = "text2video" if op == "t2v" else "image2video"
        ms = int(call.t * 1000)
        data = {"task_id": tid, "task_status": "submitted",
                "task_info": {"external_task_id": body.get("external_task_id")},
                "created_at": ms, "updated_at": ms}
        if self.compact:
            del data["task_info"], data["updated_at"]
        status, env = self.envelope(call, 0, data=data, task_id=tid)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(6.5, 0.5))

    def s_query_v1(self, call, c, st=None, fail_cause=None):
        r = self.r
        self.request(call, "q", c)
        tid = call.url.rsplit("/", 1)[1]
        if st is None:
            x = r.random()
            st = "submitted" if x < 0.1 else ("processing" if x < 0.62 else "succeed")
        ms = int(call.t * 1000)
        data = {"task_id": tid, "task_status": st, "task_status_msg": "",
                "task_info": {}, "created_at": ms - r.randrange(5000, 300000), "updated_at": ms}
        if self.compact:
            del data["task_info"], data["created_at"]
        if fail_cause:
            data["task_status_msg"] = r.choice(TASK_FAIL[fail_cause])
            if fail_cause == "generation.input_image" and "image2video" not in call.url:
                call.url = call.url.replace("text2video", "image2video")
        if st == "succeed":
            data["task_result"] = {"videos": [{
                "id": self.uuid(), "duration": r.choice(["5.1", "10.1"]),
                "url": "https://cdn.klingai.com/bs2/upload-kling-api/%d/text2video/%s-0_raw_video_1.mp4"
                       % (c.account, tid)}]}
        status, env = self.envelope(call, 0, data=data, task_id=tid)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(4.8, 0.6))

    def s_create_new(self, call, c, op):
        r = self.r
        self.request(call, op, c, auth="key")
        tid = self._num_id()
        self.new_tasks[r.randrange(64)] = tid
        data = {"id": tid, "status": "submitted", "message": "", "created_at": int(call.t * 1000)}
        status, env = self.envelope(call, 0, data=data)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(6.4, 0.5))

    def s_query_new(self, call, c, st=None, fail_cause=None):
        r = self.r
        self.request(call, "n_q", c, auth="key")
        tid = call.url.rsplit("=", 1)[1]
        if st is None:
            x = r.random()
            st = "submitted" if x < 0.1 else ("processing" if x < 0.6 else "succeeded")
        data = {"id": tid, "status": st, "message": ""}
        if not self.minimal:
            data["created_at"] = int(call.t * 1000) - r.randrange(5000, 300000)
        if fail_cause:
            data["message"] = r.choice(TASK_FAIL[fail_cause])
        if st == "succeeded":
            data["output"] = {"video_url": "https://cdn.klingai.com/bs2/upload-kling-api/%d/%s.mp4"
                              % (c.account, tid), "duration": 5}
        status, env = self.envelope(call, 0, data=data)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(4.7, 0.6))

    def s_img(self, call, c):
        r = self.r
        self.request(call, "img", c)
        tid = self._num_id()
        self.img_tasks[r.randrange(16)] = tid
        status, env = self.envelope(call, 0, data={"task_id": tid, "task_status": "submitted",
                                                   "created_at": int(call.t * 1000)})
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(6.0, 0.5))

    def s_imgq(self, call, c):
        r = self.r
        self.request(call, "imgq", c)
        tid = call.url.rsplit("/", 1)[1]
        data = {"task_id": tid, "task_status": "succeed", "task_status_msg": "",
                "task_result": {"images": [{"index": 0, "url": "https://cdn.klingai.com/bs2/upload-kling-api/%s.png" % tid}]}}
        status, env = self.envelope(call, 0, data=data)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(4.6, 0.5))

    def s_list(self, call, c):
        r = self.r
        self.request(call, "list", c)
        items = [{"task_id": self.v1_tasks[r.randrange(64)], "task_status": r.choice(["succeed", "processing"])}
                 for _ in range(r.randint(1, 4))]
        status, env = self.envelope(call, 0, data=items)
        self.respond(call, status, env)
        call.duration_ms = int(r.lognormvariate(5.2, 0.5))

    # ---- scenarios: failures ------------------------------------------------------------------
    def pick_op(self, creates=0.6, new=0.15):
        r = self.r
        if self.api != "both":
            new = 1.0 if self.api == "new" else 0.0
        if r.random() < new:
            return "n_t2v" if r.random() < creates else "n_q"
        if r.random() < creates:
            return "t2v" if r.random() < 0.7 else "i2v"
        return "q"

    def f_code(self, call, c, code, cause, op=None, auth="auto", data=None, message=None, retry_after=None):
        r = self.r
        if op is None:
            op = self.pick_op()
        if auth == "auto":
            auth = "key" if op.startswith("n_") else "jwt"
        self.request(call, op, c, auth=auth)
        status, env = self.envelope(call, code, message=message, data=data)
        if retry_after is None and status == 429 and (code in (1302, 1303) or r.random() < 0.3):
            retry_after = r.choice([1, 2, 5, 5, 10, 30, 60])
        self.respond(call, status, env, retry_after=retry_after)
        call.cause = cause
        call.duration_ms = int(r.lognormvariate(4.5, 0.7))

    def f_auth(self, call, c, kind):
        r = self.r
        t = call.t
        op = "t2v" if r.random() < 0.5 else ("i2v" if r.random() < 0.4 else "q")
        if kind == "missing":
            if r.random() < 0.2:
                op = "n_t2v"
            self.f_code(call, c, 1001, "auth.missing_header", op=op, auth=None)
        elif kind == "scheme":
            tok = self.valid_jwt(c, t)
            bad = r.choice([tok, "Token " + tok, "Bearer" + tok, "Basic " + b64url((c.ak + ":x").encode()),
                            "JWT " + tok])
            self.f_code(call, c, 1002, "auth.bad_scheme", op=op, auth=bad)
        elif kind == "invalid":
            tok = make_jwt(c.ak if r.random() < 0.5 else "%032x" % r.getrandbits(128),
                           int(t) + 1700, int(t) - 60, c.sk, r, sign=False)
            self.f_code(call, c, r.choice([1000, 1002]), "auth.invalid_token", op=op, auth="Bearer " + tok)
        elif kind == "expired":
            exp = int(t) - r.choice([r.randint(1, 120), r.randint(120, 7200), r.randint(7200, 90000)])
            tok = make_jwt(c.ak, exp, exp - 1805, c.sk, r)
            code = 1004 if r.random() < 0.8 else 1000
            self.f_code(call, c, code, "auth.token_expired", op=op, auth="Bearer " + tok)
        elif kind == "nbf":
            nbf = int(t) + r.choice([r.randint(10, 120), r.randint(120, 3600)])
            tok = make_jwt(c.ak, nbf + 1805, nbf, c.sk, r)
            code = 1003 if r.random() < 0.8 else 1000
            self.f_code(call, c, code, "auth.token_not_yet_valid", op=op, auth="Bearer " + tok)
        elif kind == "wrong_cred":
            op = "n_t2v" if r.random() < 0.7 else "n_q"
            self.request(call, op, c, auth="jwt")
            msg = r.choice(["This API does not support AK/SK authentication, please use an API Key",
                            "AK/SK (JWT) credentials are not supported by this endpoint; use an API key"])
            if r.random() < 0.5:
                body = {"error": {"code": "unsupported_credential", "message": msg}}
            else:
                body = {"error": {"message": msg, "type": "authentication_error"}}
            self.respond(call, 401, body)
            call.cause = "auth.wrong_credential_type"
            call.duration_ms = int(r.lognormvariate(4.2, 0.5))

    def f_bad_request(self, call, c, kind):
        r = self.r
        op = "t2v" if (kind == "missing_prompt" or r.random() < 0.75) else "i2v"
        if kind == "model":
            op = "t2v" if r.random() < 0.6 else "i2v"
        self.request(call, op, c)
        b = call.req_body
        if kind == "missing_prompt":
            b.pop("prompt", None)
            if r.random() < 0.3:
                b["prompt"] = ""
            code, cause, msg = 1201, "bad_request.missing_prompt", r.choice(
                ["prompt is required", "Invalid parameters: prompt can not be empty", None])
        elif kind == "duration":
            b["duration"] = r.choice(BAD_DURATIONS)
            code, cause, msg = 1201, "bad_request.invalid_duration", r.choice(
                ["duration value is invalid", "Invalid parameters: duration must be one of [5, 10]", None])
        elif kind == "aspect":
            b["aspect_ratio"] = r.choice(BAD_ASPECTS)
            code, cause, msg = 1201, "bad_request.invalid_aspect_ratio", r.choice(
                ["aspect_ratio value is invalid", None])
        elif kind == "cfg":
            if r.random() < 0.6:
                b["cfg_scale"] = r.choice([1.5, 7, -0.2, 2])
                msg = r.choice(["cfg_scale must be between 0 and 1", None])
            else:
                b["mode"] = r.choice(["ultra", "fast", "hd"])
                msg = r.choice(["mode value is invalid", None])
            code, cause = r.choice([1201, 1201, 1200]), "bad_request.invalid_parameter"
        elif kind == "model":
            bad = r.choice(BAD_MODELS)
            b["model_name"] = bad
            if r.random() < 0.6:
                code, msg = 1203, "The model '%s' does not exist" % bad
            else:
                code, msg = 1201, "model_name value is invalid"
            cause = "bad_request.invalid_model"
        else:  # malformed JSON sent as the request body
            txt = _dumps(b)
            x = r.random()
            if x < 0.35:
                txt = txt[:-1] + ",}"                                    # trailing comma
            elif x < 0.6:
                txt = txt.replace('"', "'")                              # single quotes
            elif x < 0.8:
                txt = txt[: len(txt) * 2 // 3]                           # truncated
            elif b.get("prompt"):
                p = b["prompt"]
                txt = txt.replace(_dumps(p), '"%s "quoted" words"' % p[:40].replace('"', ""))  # unescaped quote
            else:
                txt = txt[:-1] + ",}"
            call.req_body = txt
            code, cause, msg = 1200, "bad_request.malformed_json", r.choice(
                ["Invalid request parameters", "request body is not valid JSON", None])
        status, env = self.envelope(call, code, message=msg)
        self.respond(call, status, env)
        call.cause = cause
        call.duration_ms = int(r.lognormvariate(4.0, 0.5))

    def f_generic(self, call, c, kind):
        """Gateway/reseller shape: HTTP status first, {"error":{"message":...}}, text, HTML, empty."""
        r = self.r
        gw = self.profile == "gateway" or r.random() < 0.6
        op = self.pick_op(new=0.1)
        ctype = "application/json; charset=utf-8"
        retry = None
        if kind == "g400_prompt":
            op = "t2v"
        body = self.request(call, op, c, auth="key" if op.startswith("n_") else "jwt", gateway=gw)
        if kind == "g402":
            status, cause = 402, "billing.insufficient_credits"
            body = r.choice([{"error": {"message": "Insufficient credits. Please top up your account.",
                                        "type": "insufficient_quota"}},
                             {"error": {"message": "Your resource pack is exhausted", "code": "insufficient_credits"}},
                             "Payment Required: insufficient credits"])
        elif kind == "g403_policy":
            status, cause = 403, "content_policy.prompt_rejected"
            body = r.choice([{"error": {"message": "Your request was rejected by our content policy."}},
                             {"error": {"message": "The prompt contains sensitive content and cannot be processed"}}])
        elif kind == "g403_denied":
            status, cause = 403, "account.no_permission"
            body = r.choice([{"error": {"message": "Access denied: this model is not available on your plan"}},
                             {"error": {"message": "Access denied"}}, "Forbidden: access denied"])
        elif kind == "g403_region":
            status, cause = 403, "account.region_restricted"
            body = r.choice([{"error": {"message": "This service is not available in your country or region"}},
                             {"error": {"message": "Requests from your geographic location are not supported"}}])
        elif kind == "g404_model":
            status, cause = 404, "bad_request.invalid_model"
            if call.req_body is None or not isinstance(call.req_body, dict) or "model_name" not in call.req_body:
                call.req_headers, call.req_body = [], None
                body = self.request(call, "t2v", c, gateway=gw)
            bad = r.choice(BAD_MODELS)
            call.req_body["model_name"] = bad
            body = {"error": {"message": "The model '%s' does not exist" % bad, "type": "invalid_request_error"}}
        elif kind == "g404_path":
            status, cause = 404, "bad_request.not_found"
            call.url = call.url.replace("/videos/", "/video/") if r.random() < 0.5 else call.url + "/status"
            body = r.choice(["404 page not found", NGINX_HTML % (404, "Not Found", 404, "Not Found"),
                             {"error": {"message": "Not Found"}}, {"detail": "Not Found"}])
        elif kind == "g400_prompt":
            status, cause = 400, "bad_request.missing_prompt"
            call.req_body.pop("prompt", None)
            body = r.choice([{"error": {"message": "prompt: field required"}},
                             {"detail": [{"loc": ["body", "prompt"], "msg": "field required",
                                          "type": "value_error.missing"}]}])
        elif kind == "g422":
            status, cause = 422, "bad_request.invalid_parameter"
            if call.req_body is None or not isinstance(call.req_body, dict):
                call.req_headers, call.req_body = [], None
                self.request(call, "t2v", c, gateway=gw)
            call.req_body["cfg_scale"] = r.choice([1.5, 3, -1])
            body = r.choice([{"detail": [{"loc": ["body", "cfg_scale"], "msg": "ensure this value is less than or equal to 1",
                                          "type": "value_error.number.not_le", "ctx": {"limit_value": 1}}]},
                             {"error": {"message": "cfg_scale must be between 0 and 1", "type": "invalid_request_error"}}])
        elif kind == "g429":
            status, cause = 429, "rate_limit.requests"
            retry = r.choice([1, 3, 5, 10, 20, 60])
            body = r.choice([{"error": {"message": "Rate limit exceeded, retry after %ds" % retry,
                                        "type": "rate_limit_error"}},
                             {"error": {"message": "Too many requests"}}, "Too Many Requests", ""])
        elif kind == "g401":
            status, cause = 401, "auth.invalid_token"
            body = r.choice([{"error": {"message": "Invalid API key provided"}},
                             {"error": {"message": "Unauthorized"}}, "Unauthorized"])
        elif kind == "g500":
            status, cause = 500, "server.internal"
            body = r.choice([{"error": {"message": "Internal server error"}}, "Internal Server Error",
                             {"error": {"message": "upstream returned an unexpected response"}}])
        elif kind == "g502":
            status, cause = 502, "server.bad_gateway"
            body = r.choice([NGINX_HTML % (502, "Bad Gateway", 502, "Bad Gateway"),
                             {"error": {"message": "Bad gateway"}}, "error code: 502"])
        elif kind == "g503":
            status, cause = 503, "server.unavailable"
            body = r.choice([NGINX_HTML % (503, "Service Temporarily Unavailable", 503,
                                           "Service Temporarily Unavailable"),
                             "upstream connect error or disconnect/reset before headers. reset reason: overflow",
                             {"error": {"message": "Service unavailable, please try again later"}}, ""])
        else:  # g504
            status, cause = 504, "server.timeout"
            body = r.choice([NGINX_HTML % (504, "Gateway Time-out", 504, "Gateway Time-out"),
                             "upstream request timeout", {"error": {"message": "Gateway timeout"}}, ""])
        if isinstance(body, str):
            ctype = "text/html" if body.startswith("<html") else "text/plain; charset=utf-8"
        self.respond(call, status, body, ctype=ctype, retry_after=retry)
        call.cause = cause
        call.duration_ms = int(r.lognormvariate(5.0, 1.0)) if status != 504 else r.randint(30000, 120000)

    def f_task(self, call, c, cause):
        r = self.r
        st_new = r.random() < 0.2
        if st_new and cause != "generation.input_image":
            self.s_query_new(call, c, st="failed", fail_cause=cause)
        else:
            self.s_query_v1(call, c, st="failed", fail_cause=cause)
        call.cause = cause

    def f_net(self, call, c, kind):
        r = self.r
        op = self.pick_op(creates=0.7)
        self.request(call, op, c, auth="key" if op.startswith("n_") else "jwt")
        cause, texts, chrome, errcode, syscall = NET_FAIL[kind]
        host = call.url.split("/")[2]
        msg = r.choice(texts).format(ip=r.choice(IPS) % r.randrange(1, 254), host=host)
        call.net = (msg, chrome, errcode, syscall)
        call.error = msg
        call.cause = cause
        call.duration_ms = r.randint(30000, 120000) if cause == "network.timeout" else r.randint(3, 2500)

    # ---- scenario table -----------------------------------------------------------------------
    def _build_scenarios(self):
        ok = [
            (22, lambda cl, c: self.s_create_v1(cl, c, "t2v"), "v1"),
            (10, lambda cl, c: self.s_create_v1(cl, c, "i2v"), "v1"),
            (40, lambda cl, c: self.s_query_v1(cl, c), "v1"),
            (1, self.s_list, "v1"),
            (2, self.s_img, "v1"),
            (2, self.s_imgq, "v1"),
            (8, lambda cl, c: self.s_create_new(cl, c, "n_t2v"), "new"),
            (3, lambda cl, c: self.s_create_new(cl, c, "n_i2v"), "new"),
            (12, lambda cl, c: self.s_query_new(cl, c), "new"),
        ]
        K, G, T, N = "kling", "generic", "task", "net"

        def code(cd, cause, **kw):
            return lambda cl, c: self.f_code(cl, c, cd, cause, **kw)

        fail = [
            (2, code(1000, "auth.invalid_token"), K),
            (2, lambda cl, c: self.f_auth(cl, c, "missing"), K),
            (2, lambda cl, c: self.f_auth(cl, c, "scheme"), K),
            (1.5, lambda cl, c: self.f_auth(cl, c, "invalid"), K),
            (1.5, lambda cl, c: self.f_auth(cl, c, "nbf"), K),
            (4, lambda cl, c: self.f_auth(cl, c, "expired"), K),
            (1.5, lambda cl, c: self.f_auth(cl, c, "wrong_cred"), G),
            (0.8, code(1100, "account.exception"), K),
            (0.8, code(1101, "billing.account_in_arrears"), K),
            (6, code(1102, "billing.insufficient_credits"), K),
            (1.5, code(1103, "account.no_permission"), K),
            (0.8, code(1304, "account.ip_not_whitelisted"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "json"), K),
            (0.7, code(1200, "bad_request.invalid_parameter", op="t2v"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "cfg"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "missing_prompt"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "duration"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "aspect"), K),
            (2, lambda cl, c: self.f_bad_request(cl, c, "model"), K),
            (1, self.f_1202, K),
            (1.5, code(1203, "bad_request.not_found", op="q", message="task not found"), K),
            (1, code(1300, "content_policy.platform_strategy"), K),
            (3, code(1301, "content_policy.prompt_rejected"), K),
            (12, code(1302, "rate_limit.requests"), K),
            (5, code(1303, "rate_limit.concurrency"), K),
            (3, code(5000, "server.internal"), K),
            (3, code(5001, "server.unavailable"), K),
            (3, code(5002, "server.timeout"), K),
        ]
        for w, kind in ((2, "g402"), (1.5, "g403_policy"), (1, "g403_denied"), (1, "g403_region"),
                        (1, "g404_model"), (1, "g404_path"), (1, "g400_prompt"), (1.5, "g422"),
                        (3, "g429"), (1, "g401"), (2, "g500"), (2, "g502"), (2, "g503"), (2, "g504")):
            fail.append((w, (lambda k: lambda cl, c: self.f_generic(cl, c, k))(kind), G))
        for w, cause in ((5, "generation.content_policy"), (2, "generation.input_image"),
                         (2, "generation.timeout"), (1.5, "generation.complexity"), (1.5, "generation.failed")):
            fail.append((w, (lambda k: lambda cl, c: self.f_task(cl, c, k))(cause), T))
        for w, kind in ((1.5, "refused"), (2, "etimedout"), (1.5, "hangup"), (1, "enotfound"),
                        (1, "reset"), (1.5, "client_timeout"), (0.5, "tls")):
            fail.append((w, (lambda k: lambda cl, c: self.f_net(cl, c, k))(kind), N))
        mult = {"canonical": {K: 1, G: 0.15, T: 1, N: 1},
                "mixed": {K: 1, G: 1, T: 1, N: 1},
                "gateway": {K: 0.2, G: 5, T: 1, N: 1}}[self.profile]
        if self.api != "both":
            ok = [o for o in ok if o[2] == self.api]
        self.ok = self._table([(w, f) for w, f, _ in ok])
        self.fail = self._table([(w * mult[fam], f) for w, f, fam in fail])
        incident = [
            (4, code(5001, "server.unavailable"), K),
            (2, code(5002, "server.timeout"), K),
            (1.5, lambda cl, c: self.f_generic(cl, c, "g504"), G),
            (1, lambda cl, c: self.f_generic(cl, c, "g503"), G),
            (4, code(1302, "rate_limit.requests"), K),
            (1, lambda cl, c: self.f_generic(cl, c, "g429"), G),
        ]
        self.incident = self._table([(w, f) for w, f, _ in incident])

    def f_1202(self, call, c):
        r = self.r
        if r.random() < 0.5:
            self.request(call, "q", c)
            call.method = "POST"
        else:
            self.request(call, "t2v", c)
            call.url = call.url.replace("text2video", r.choice(["text2vidoe", "txt2video", "text-2-video"]))
        status, env = self.envelope(call, 1202)
        self.respond(call, status, env)
        call.cause = "bad_request.not_found"
        call.duration_ms = int(r.lognormvariate(3.8, 0.5))

    @staticmethod
    def _table(items):
        cum, total = [], 0.0
        for w, _ in items:
            total += w
            cum.append(total)
        return (cum, [f for _, f in items], total)

    def _pick(self, table):
        cum, funcs, total = table
        return funcs[bisect.bisect_right(cum, self.r.random() * total)]

    def make_call(self, t, fail_p, incident_p):
        r = self.r
        call = Call()
        call.t = t
        self.call_large = False
        c = self.clients[bisect.bisect_right(self._client_cum, r.random() * 100)]
        x = r.random()
        if x < incident_p:
            self._pick(self.incident)(call, c)
        elif x < incident_p + fail_p:
            self._pick(self.fail)(call, c)
        else:
            self._pick(self.ok)(call, c)
        call.large = self.call_large
        return call

    _client_cum = [40, 65, 80, 92, 100]


# --------------------------------------------------------------------------------------------
# rendering

def _case_title(n):
    return n


def _case_lower(n):
    return n.lower()


def _case_upper(n):
    return n.upper()


def _case_mixed(n):
    return n[0].lower() + n[1:] if n else n


class Renderer:
    def __init__(self, gen, args):
        self.g = gen
        self.r = gen.r
        self.profile = args.profile
        self.tf = TimeFmt()
        self.har_in_jsonl = args.har_entry_rate
        self.shape = args.shape
        self.req_id = 0

    # ---- pieces -------------------------------------------------------------------------------
    def headers(self, pairs, style, casef):
        if style == "list":
            return [{"name": casef(n), "value": v} for n, v in pairs]
        return {casef(n): v for n, v in pairs}

    # ---- JSONL --------------------------------------------------------------------------------
    def jsonl_record(self, call):
        """Returns the record as a str (one line, no line end)."""
        r = self.r
        prof = self.profile
        if prof == "mixed" and r.random() < self.har_in_jsonl:
            return _dumps(self.har_entry(call, in_jsonl=True))
        if prof == "canonical":
            tkey, tvar, skey, hstyle, casef, body_str, req_str, spaced, extras = (
                "ts", 0, "status", "obj", _case_title, False, False, False, False)
        elif prof == "gateway":
            tkey = "timestamp" if r.random() < 0.8 else "time"
            tvar = 4 if r.random() < 0.6 else (5 if r.random() < 0.5 else 6)
            skey = "status_code" if r.random() < 0.7 else "status"
            hstyle = "list" if r.random() < 0.85 else "obj"
            casef = _case_lower if r.random() < 0.6 else _case_title
            body_str = r.random() < 0.85
            req_str = r.random() < 0.7
            spaced = False
            extras = r.random() < 0.5
        else:
            x = r.random()
            tkey = "ts" if x < 0.55 else ("time" if x < 0.7 else ("timestamp" if x < 0.85 else "@timestamp"))
            x = r.random()
            tvar = 0 if x < 0.6 else (1 if x < 0.65 else (2 if x < 0.72 else (3 if x < 0.76 else (
                4 if x < 0.88 else (5 if x < 0.95 else 6)))))
            skey = "status" if r.random() < 0.8 else "status_code"
            hstyle = "obj" if r.random() < 0.75 else "list"
            x = r.random()
            casef = _case_title if x < 0.5 else (_case_lower if x < 0.9 else (
                _case_upper if x < 0.95 else _case_mixed))
            body_str = r.random() < 0.25
            req_str = r.random() < 0.15
            spaced = r.random() < 0.1
            extras = r.random() < 0.3
        rec = {}
        if extras:
            rec["level"] = "info" if call.cause == "ok" else r.choice(["error", "warn"])
            rec["service"] = "video-worker"
        rec[tkey] = self.tf.value(call.t, tvar)
        req = {"method": call.method, "url": call.url}
        if call.req_headers:
            req["headers"] = self.headers(call.req_headers, hstyle, casef)
        rb = call.req_body
        if rb is not None:
            req["body"] = _dumps(rb) if (req_str and not isinstance(rb, str)) else rb
        rec["request"] = req
        if call.status is not None:
            resp = {skey: call.status}
            if call.resp_headers:
                resp["headers"] = self.headers(call.resp_headers, hstyle, casef)
            b = call.resp_body
            if b is not None and not isinstance(b, str) and body_str:
                b = _dumps(b)
            resp["body"] = b if b is not None else ""
            rec["response"] = resp
        else:
            msg, chrome, errcode, syscall = call.net
            if prof == "gateway" or r.random() < 0.6:
                rec["error"] = msg
            else:
                e = {"message": msg, "code": errcode}
                if syscall:
                    e["syscall"] = syscall
                rec["error"] = e
            if r.random() < 0.1:
                rec["response"] = None
        rec["duration_ms"] = call.duration_ms
        if extras and prof == "gateway":
            rec["upstream"] = "kling"
        text = _dumps_spaced(rec) if spaced else _dumps(rec)
        self.canonical_len = len(text)  # a cut line is cut by it in every shape (same random draws)
        if self.shape == "pino-http":
            return _dumps(self.pino_http(rec, call))
        return text

    def pino_http(self, rec, call):
        """The same call as pino-http logs it in a Node service in front of Kling (pino-http
        11 defaults: level, time in epoch ms, pid, hostname, req with the path and the Host
        header, res, responseTime, msg), with the bodies the service's serializers attach
        (req.body, res.body); a call that got no answer is the service's 502 with `err`."""
        self.req_id += 1
        req = rec["request"]
        url = req["url"]
        scheme, _, rest = url.partition("://")
        host, slash, path = rest.partition("/")
        headers = {"host": host}
        h = req.get("headers") or {}
        for k, v in (h.items() if isinstance(h, dict) else ((x["name"], x["value"]) for x in h)):
            headers[k.lower()] = v
        preq = {"id": self.req_id, "method": req["method"], "url": slash + path, "headers": headers,
                "remoteAddress": "10.0.3.17", "remotePort": 40000 + self.req_id % 20000}
        if "body" in req:
            preq["body"] = req["body"]
        out = {"level": 30, "time": call.t_ms if hasattr(call, "t_ms") else int(round(call.t * 1000)),
               "pid": 4242, "hostname": "video-gateway-7d9f", "req": preq}
        resp = rec.get("response")
        if resp:
            res = {"statusCode": resp.get("status", resp.get("status_code"))}
            rh = resp.get("headers") or {}
            res["headers"] = {k.lower(): v for k, v in (rh.items() if isinstance(rh, dict)
                                                        else ((x["name"], x["value"]) for x in rh))}
            if resp.get("body") not in (None, ""):
                res["body"] = resp["body"]
            out["res"] = res
            out["responseTime"] = call.duration_ms
            out["msg"] = "request completed"
        else:
            err = rec.get("error")
            msg = err if isinstance(err, str) else (err or {}).get("message", "fetch failed")
            out["level"] = 50
            out["res"] = {"statusCode": 502, "headers": {"content-type": "application/json"}}
            out["err"] = {"type": "TypeError", "message": "fetch failed: " + msg,
                          "stack": "TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13"}
            out["responseTime"] = call.duration_ms
            out["msg"] = "request errored"
        return out

    # ---- HAR ----------------------------------------------------------------------------------
    def har_entry(self, call, in_jsonl=False):
        r = self.r
        g = self.g
        req_h = [{"name": n, "value": v} for n, v in call.req_headers]
        url = call.url
        qs = []
        if "?" in url:
            for kv in url.split("?", 1)[1].split("&"):
                k, _, v = kv.partition("=")
                qs.append({"name": k, "value": v})
        req = {"method": call.method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
               "headers": req_h, "queryString": qs, "headersSize": -1, "bodySize": 0}
        rb = call.req_body
        if rb is not None:
            text = rb if isinstance(rb, str) else _dumps(rb)
            req["postData"] = {"mimeType": "application/json", "text": text}
            req["bodySize"] = len(text)
        total = float(call.duration_ms)
        if call.status is None:
            msg, chrome, errcode, syscall = call.net
            resp = {"status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
                    "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "",
                    "headersSize": -1, "bodySize": -1}
            if r.random() < 0.6:
                resp["_error"] = chrome
            else:
                resp["status"] = -1
                resp["_failureText"] = chrome
        else:
            b = call.resp_body
            text = "" if b is None else (b if isinstance(b, str) else _dumps(b))
            ctype = "application/json"
            for n, v in call.resp_headers:
                if n == "Content-Type":
                    ctype = v
            content = {"size": len(text), "mimeType": ctype.split(";")[0]}
            if text:
                if not in_jsonl and r.random() < 0.1:
                    content["text"] = base64.b64encode(text.encode("utf-8")).decode("ascii")
                    content["encoding"] = "base64"
                else:
                    content["text"] = text
            resp = {"status": call.status, "statusText": REASONS.get(call.status, ""),
                    "httpVersion": "HTTP/1.1", "cookies": [],
                    "headers": [{"name": n, "value": v} for n, v in call.resp_headers],
                    "content": content, "redirectURL": "", "headersSize": -1, "bodySize": len(text)}
        wait = max(1.0, total - 12.0)
        entry = {"startedDateTime": self.tf.rfc3339_ms(call.t), "time": total, "request": req,
                 "response": resp, "cache": {},
                 "timings": {"blocked": 0.4, "dns": -1, "connect": -1, "ssl": -1, "send": 0.2,
                             "wait": round(wait, 3), "receive": round(total - wait - 0.6, 3)},
                 "_resourceType": "fetch"}
        if in_jsonl:
            for k in ("cookies", "headersSize", "httpVersion"):
                req.pop(k, None)
            del entry["cache"], entry["timings"]
        return entry

    def har_image_entry(self, t):
        """A download of a large image (e.g. the input of an image2video call), base64 content."""
        g = self.g
        call = Call()
        call.t = t
        call.method = "GET"
        call.url = (IMAGE_URLS[0] % g.r.randrange(1000, 99999))
        call.duration_ms = g.r.randint(80, 1500)
        data = g.large_b64()
        mime = "image/jpeg" if data.startswith("/9j/") else "image/png"
        entry = {"startedDateTime": self.tf.rfc3339_ms(t), "time": float(call.duration_ms),
                 "request": {"method": "GET", "url": call.url, "httpVersion": "HTTP/1.1", "cookies": [],
                             "headers": [{"name": "Accept", "value": "image/*"}], "queryString": [],
                             "headersSize": -1, "bodySize": 0},
                 "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                              "headers": [{"name": "Content-Type", "value": mime},
                                          {"name": "Content-Length", "value": str(len(data) * 3 // 4)}],
                              "content": {"size": len(data) * 3 // 4, "mimeType": mime, "text": data,
                                          "encoding": "base64"},
                              "redirectURL": "", "headersSize": -1, "bodySize": len(data) * 3 // 4},
                 "cache": {}, "timings": {"send": 0.1, "wait": 50.0, "receive": float(call.duration_ms) - 50.1},
                 "_resourceType": "image"}
        return entry

    def har_large_upload(self, call):
        """Turn an image2video create into one carrying its image inline as base64."""
        if isinstance(call.req_body, dict) and "image" in call.req_body:
            call.req_body["image"] = self.g.large_b64()
            return True
        return False


# --------------------------------------------------------------------------------------------
# malformed lines

GARBAGE = [
    "2026-11-24 03:12:45,120 INFO worker: starting poll loop",
    "Traceback (most recent call last):",
    "[1,2]", "42", "\"just a string\"", "null", "true",
    "{\"ts\": \"2026-11-24T03:12:45Z\", \"request\": {\"method\": \"GET\"",
    "--- log rotated ---", "}", "{{}}", "{\"a\":1}}",
]


class RateCurve:
    """Maps a fraction of the output (0..1) to seconds into the span.

    Traffic per minute follows a day/night curve (UTC hours; off with ``flat``) times a little
    random noise, so minutes differ like real traffic does (about +-15 %)."""

    DAY = [0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2,
           1.2, 1.2, 1.25, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6]

    def __init__(self, seed, start, span, flat):
        rng = random.Random(seed * 7919 + 17)
        self.nb = nb = max(1, int(-(-span // 60)))
        self.width = span / nb
        cum = [0.0]
        for j in range(nb):
            w = 1.0 if flat else self.DAY[int((start + j * self.width) // 3600) % 24]
            cum.append(cum[-1] + w * rng.lognormvariate(0.0, 0.15))
        total = cum[-1]
        self.cum = [c / total for c in cum]

    def __call__(self, f):
        f = min(max(f, 0.0), 1.0)
        cum = self.cum
        i = min(bisect.bisect_right(cum, f) - 1, self.nb - 1)
        lo, hi = cum[i], cum[i + 1]
        return (i + (f - lo) / (hi - lo)) * self.width


# --------------------------------------------------------------------------------------------
# main loop

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--size", help="stop after this many bytes (e.g. 50MB, 1GB; K/M/G are powers of 1024)")
    g.add_argument("--records", type=int, help="number of calls to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["jsonl", "har"], default="jsonl")
    ap.add_argument("--shape", choices=["canonical", "pino-http"], default="canonical",
                    help="jsonl: the record shape; pino-http writes the same calls as pino-http "
                         "logs them (use with --profile canonical for a like-for-like pair)")
    ap.add_argument("--profile", choices=["mixed", "canonical", "gateway"], default="mixed",
                    help="mixed: every record shape variation; canonical: the contract's canonical shape "
                         "from direct API calls; gateway: reseller/gateway logs (generic error shape, "
                         "header lists, epoch times, bodies as strings)")
    ap.add_argument("-o", "--output", default="-", help="output file, '-' for stdout")
    ap.add_argument("--start", default="2026-11-24T00:00:00Z", help="time of the first call (RFC 3339, UTC)")
    ap.add_argument("--span", default="24h", help="time the calls are spread over (e.g. 24h, 3h, 90m)")
    ap.add_argument("--flat", action="store_true", help="no day/night curve (minute-to-minute noise stays)")
    ap.add_argument("--failure-rate", type=float, default=0.115, help="share of failed calls (default 0.115)")
    ap.add_argument("--incident", help="START,DURATION,RATE: e.g. 2026-11-24T14:10:00Z,20m,0.40 makes ~RATE of "
                                       "the calls in the window fail with 503/5001, 504/5002, 429/1302")
    ap.add_argument("--malformed-rate", type=float, default=0.001, help="share of malformed lines (jsonl)")
    ap.add_argument("--blank-rate", type=float, default=0.0005, help="share of blank lines (jsonl)")
    ap.add_argument("--crlf-rate", type=float, default=0.01, help="share of lines ending in CRLF (jsonl)")
    ap.add_argument("--har-entry-rate", type=float, default=0.005,
                    help="share of JSONL lines written as a HAR entry object (mixed profile)")
    ap.add_argument("--large-rate", type=float, default=0.002,
                    help="share of HAR entries with a 100 KB-1 MB base64 image body")
    ap.add_argument("--no-large", action="store_true", help="no large base64 image bodies")
    ap.add_argument("--compact", action="store_true", help="shorter prompts and fewer headers (small samples)")
    ap.add_argument("--minimal", action="store_true",
                    help="--compact, and no request_id, no response Content-Type (tiny samples)")
    ap.add_argument("--api", choices=["both", "v1", "new"], default="both",
                    help="API standard of the calls: v1 (/v1/videos/...), new (2026: /text-to-video/<model>, "
                         "/tasks?task_ids=), or both (default)")
    ap.add_argument("--labels", help="also write the intended cause of every line/entry (JSON Lines)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.size is None and args.records is None:
        args.records = 1000
    limit_bytes = parse_size(args.size) if args.size else None
    n_records = args.records

    gen = Generator(args)
    ren = Renderer(gen, args)
    r = gen.r
    start = parse_time(args.start)
    span = parse_duration(args.span)
    warp = RateCurve(args.seed, start, span, args.flat)
    inc = None
    if args.incident:
        a, b, c = args.incident.split(",")
        inc = (parse_time(a), parse_time(a) + parse_duration(b), float(c))
    base_fail = args.failure_rate
    inc_p = 0.0
    if inc:
        inc_p = max(0.0, (inc[2] - base_fail) / (1.0 - base_fail))

    out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
    labels = open(args.labels, "w", encoding="utf-8") if args.labels else None
    t0 = time.perf_counter()
    written = 0
    buf = []
    buf_bytes = 0
    n = 0
    line_no = 0
    label_buf = []
    is_har = args.format == "har"
    malformed_p = 0.0 if is_har else args.malformed_rate
    blank_p = 0.0 if is_har else args.blank_rate
    crlf_p = 0.0 if is_har else args.crlf_rate
    large_p = 0.0 if (args.no_large or not is_har) else args.large_rate
    est_avg = 1200.0 if not is_har else 1700.0
    stats = {"ok": 0, "fail": 0, "malformed": 0, "blank": 0}
    last_t = start

    if is_har:
        head = ('{"log":{"version":"1.2","creator":{"name":"kling-triage bench gen_logs.py","version":"1.0"},'
                '"pages":[],"entries":[\n')
        buf.append(head.encode())
        buf_bytes += len(head)

    def flush():
        nonlocal buf, buf_bytes, written, label_buf
        if buf:
            data = b"".join(buf)
            out.write(data)
            written += len(data)
            buf = []
            buf_bytes = 0
        if labels and label_buf:
            labels.write("".join(label_buf))
            label_buf = []

    try:
        while True:
            done = written + buf_bytes
            if limit_bytes is not None:
                if done >= limit_bytes:
                    break
                # place the call at a random point of its share of the span
                frac = (done + r.random() * est_avg) / limit_bytes
                if n > 100:
                    est_avg = done / n
            else:
                if n >= n_records:
                    break
                frac = (n + r.random()) / n_records
            t = start + warp(frac)
            if t <= last_t:
                t = last_t + 0.001
            last_t = t
            # extra non-record lines
            if malformed_p or blank_p:
                x = r.random()
                if x < blank_p:
                    line_no += 1
                    line = r.choice(["", "", "   ", "\r"])
                    buf.append(line.encode() + b"\n")
                    buf_bytes += len(line) + 1
                    if labels:
                        label_buf.append('{"line":%d,"cause":"blank"}\n' % line_no)
                    stats["blank"] += 1
                    continue
                if x < blank_p + malformed_p:
                    line_no += 1
                    if r.random() < 0.5:
                        full = ren.jsonl_record(gen.make_call(t, base_fail, 0.0))
                        line = full[: r.randint(10, max(11, ren.canonical_len * 9 // 10))]
                    else:
                        line = r.choice(GARBAGE)
                    data = line.encode("utf-8") + b"\n"
                    buf.append(data)
                    buf_bytes += len(data)
                    if labels:
                        label_buf.append('{"line":%d,"cause":"malformed"}\n' % line_no)
                    stats["malformed"] += 1
                    continue
            p_inc = inc_p if (inc and inc[0] <= t < inc[1]) else 0.0
            call = gen.make_call(t, base_fail if not p_inc else base_fail * (1 - p_inc), p_inc)
            n += 1
            stats["ok" if call.cause == "ok" else "fail"] += 1
            if is_har:
                if large_p and r.random() < large_p:
                    if r.random() < 0.5 and ren.har_large_upload(call):
                        pass
                    else:
                        e = _dumps(ren.har_image_entry(t)).encode("utf-8")
                        buf.append(e if n == 1 else b",\n" + e)
                        buf_bytes += len(e) + 2
                        if labels:
                            label_buf.append('{"entry":%d,"cause":"ok"}\n' % (n - 1))
                        n += 1
                data = _dumps(ren.har_entry(call)).encode("utf-8")
                if n > 1:
                    data = b",\n" + data
                if labels:
                    label_buf.append('{"entry":%d,"cause":"%s"}\n' % (n - 1, call.cause))
            else:
                line_no += 1
                data = ren.jsonl_record(call).encode("utf-8")
                data += b"\r\n" if (crlf_p and r.random() < crlf_p) else b"\n"
                if labels:
                    label_buf.append('{"line":%d,"cause":"%s"}\n' % (line_no, call.cause))
            buf.append(data)
            buf_bytes += len(data)
            if buf_bytes > (1 << 20):
                flush()
        if is_har:
            buf.append(b"\n]}}\n")
            buf_bytes += 5
        flush()
        out.flush()
    except BrokenPipeError:
        return 0
    finally:
        if out is not sys.stdout.buffer:
            out.close()
        if labels:
            labels.close()
    dt = time.perf_counter() - t0
    if not args.quiet:
        total = stats["ok"] + stats["fail"]
        sys.stderr.write(
            "gen_logs: %d calls (%.1f%% failures), %d malformed, %d blank lines, %.1f MB in %.1f s = %.1f MB/s\n"
            % (total, 100.0 * stats["fail"] / max(1, total), stats["malformed"], stats["blank"],
               written / 1e6, dt, written / 1e6 / max(dt, 1e-9)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
