#!/usr/bin/env python3
"""The rule and profile schemas work in an editor: yaml-language-server (the
engine of Red Hat's YAML extension for VS Code) with schemas/rule-file.schema.json
(and profile-file.schema.json) mapped as the README says accepts every bundled
and example rule (profile) file without a diagnostic, and flags each mistake
in a broken one.

    check_yaml_ls.py ROOT

Speaks LSP over stdio to tests/editor/node_modules (`npm ci` there, which
`scripts/kt test` runs). Exit 77 (skipped) when node or the package is
missing.
"""
import glob
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

# A broken rule file and the line of each mistake in it (1-based).
BROKEN = """rules:
  - id: x.y
    category: network
    title: t
    retryable: maybe
    when:
      stauts: 401
    samples:
      match:
        - {response: {status: 401}}
    extra: 1
"""
BROKEN_LINES = {5, 7, 11}

# A broken profile file and the line of each mistake in it.
BROKEN_PROFILE = """profiles:
  - id: x
    title: t
    detect: {has: [ts]}
    fields:
      ts: {path: /ts, as: epoch_min}
      response.stauts: /status
      response.body: {path: /body, when: {exists: /status}}
    samples:
      - record: {ts: 1}
        expected: skip
"""
BROKEN_PROFILE_LINES = {4, 6, 7, 8, 10, 11}

# (schema, the files it must accept, a broken file, the lines flagged in it)
CASES = [
    ("rule-file", ["rules/kling/*.yaml", "examples/rules/*.yaml"], BROKEN, BROKEN_LINES),
    ("profile-file", ["profiles/*.yaml", "examples/profiles/*.yaml", "tests/schemas/profiles/*.yaml"],
     BROKEN_PROFILE, BROKEN_PROFILE_LINES),
]


class Server:
    def __init__(self, script):
        self.proc = subprocess.Popen(["node", script, "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            line = out.readline()
            if not line:
                return
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
                while out.readline().strip():
                    pass
                self.inbox.put(json.loads(out.read(n)))

    def send(self, msg):
        body = json.dumps(dict(msg, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def next(self, timeout):
        return self.inbox.get(timeout=timeout)


def diagnostics(script, schema, files):
    """{path: [diagnostic]} for each file, as the server publishes them."""
    settings = {"yaml": {"validate": True, "schemaStore": {"enable": False},
                         "schemas": {"file://" + schema: ["*.yaml"]}}}
    server = Server(script)
    try:
        server.send({"id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        while server.next(60).get("id") != 1:
            pass
        server.send({"method": "initialized", "params": {}})
        server.send({"method": "workspace/didChangeConfiguration", "params": {"settings": settings}})
        for path in files:
            with open(path, encoding="utf-8") as f:
                server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": "file://" + path, "languageId": "yaml", "version": 1, "text": f.read()}}})
        got, deadline = {}, time.time() + 60
        while time.time() < deadline and len(got) < len(files):
            try:
                msg = server.next(1)
            except queue.Empty:
                continue
            if msg.get("method") == "workspace/configuration":
                server.send({"id": msg["id"], "result": [settings["yaml"]] * len(msg["params"]["items"])})
            elif msg.get("method") == "textDocument/publishDiagnostics":
                got[msg["params"]["uri"][len("file://"):]] = msg["params"]["diagnostics"]
        return got
    finally:
        server.proc.kill()


def main():
    root = os.path.abspath(sys.argv[1])
    script = os.path.join(root, "tests/editor/node_modules/yaml-language-server/bin/yaml-language-server")
    if shutil.which("node") is None or not os.path.exists(script):
        print("node or yaml-language-server missing (npm ci in tests/editor): skipped")
        return 77
    problems, summary = [], []
    for name, patterns, broken_text, broken_lines in CASES:
        schema = os.path.join(root, "schemas", name + ".schema.json")
        files = sorted(p for pat in patterns for p in glob.glob(os.path.join(root, pat)))
        with tempfile.TemporaryDirectory() as tmp:
            broken = os.path.join(tmp, "broken.yaml")
            with open(broken, "w", encoding="utf-8") as f:
                f.write(broken_text)
            got = diagnostics(script, schema, files + [broken])
            for path in files:
                rel = os.path.relpath(path, root)
                if path not in got:
                    problems.append(f"{rel}: no diagnostics published")
                for d in got.get(path, []):
                    problems.append(f"{rel}:{d['range']['start']['line'] + 1}: {d['message']}")
            lines = {d["range"]["start"]["line"] + 1 for d in got.get(broken, [])}
            if lines != broken_lines:
                problems.append(f"the broken {name} is flagged at lines {sorted(lines)}, "
                                f"expected {sorted(broken_lines)}: {got.get(broken)}")
        summary.append(f"{len(files)} {name}s clean, {len(broken_lines)} mistakes flagged in a broken one")
    for p in problems:
        print(f"FAIL {p}")
    if not problems:
        print("yaml-language-server: " + "; ".join(summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
