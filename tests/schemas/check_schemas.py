#!/usr/bin/env python3
"""Validates real outputs and inputs of kling-triage against schemas/.

    check_schemas.py BINARY ROOT

Run with Debian's python3 (python3-jsonschema, python3-yaml). What it checks:

- every schemas/*.schema.json is a valid draft-07 schema whose $id is
  urn:kling-triage:<name>@<major> (<name> is the file name before .schema.json);
- every golden test's expected stdout (the binary's real output: the golden
  tests compare them byte for byte) that is a JSON document naming its
  "schema" validates against the schema with that $id; JSON Lines stdout is
  --events records;
- every golden `analyze` case, run again with `-f json -o R --events E`,
  writes a report and events that validate; so do the labelled corpus (every
  cause) and the HAR fixtures (entries, not lines);
- the YAML files in FILES validate against their schema, read as YAML 1.2
  (as yaml-cpp and editors read them: `yes` is a text, not a boolean);
- `diff -f json` over real partials (every state, both empty sides, other
  rules, a gate, a JSON report as a side) validates against diff.schema.json,
  and so does the `baseline` key of `analyze --baseline` (the diff's fields);
- hand-made invalid documents are rejected (so a schema that accepts
  anything fails); for the input formats in LOADER_CHECKS, the binary's own
  check must reject each of them too (so the schema forbids nothing the
  loader accepts there), and accept every file in FILES and the unbroken
  document the breaks start from;
- every schema validated at least one real document.

To add a schema: put <name>.schema.json in schemas/; a golden test whose JSON
output names "schema": "kling-triage/<name>@1" is then validated with it; for
an input format (a YAML file type), add one line to FILES (and to
LOADER_CHECKS when the binary has a check command for it).
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as e:
    sys.exit(f"check_schemas: {e}: install python3-jsonschema and python3-yaml "
             "(Debian) and run with /usr/bin/python3")

# Input files validated against a schema: (schema name, globs under ROOT).
FILES = [
    ("rule-file", ["rules/kling/*.yaml", "examples/rules/*.yaml"]),
    ("profile-file", ["profiles/*.yaml", "examples/profiles/*.yaml", "tests/schemas/profiles/*.yaml"]),
]

# The binary's check of an input format: BINARY ARGS FILE exits 0 for a valid
# file and non-zero for an invalid one.
LOADER_CHECKS = {
    "profile-file": ["profiles", "check"],
}

# Documents each schema must reject: (schema name, how to break a valid one).
def _drop(key):
    return lambda d: {k: v for k, v in d.items() if k != key}


def _add(key, value):
    return lambda d: {**d, key: value}


def _set_in(path, value):
    def change(d):
        d = copy.deepcopy(d)
        node = d
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value
        return d
    return change


def _in_profile(change):
    """Breaks the file's first profile."""
    return lambda d: {**d, "profiles": [change(d["profiles"][0])] + d["profiles"][1:]}


def _field(name, value):
    return _in_profile(lambda p: {**p, "fields": {**p["fields"], name: value}})


def _profile_key(key, value):
    return _in_profile(_add(key, value))


BREAKS = [
    ("report", "without totals", _drop("totals")),
    ("report", "with an unknown key", _add("surprise", 1)),
    ("report", "with a negative count", _set_in(["totals", "ok"], -1)),
    ("report", "with a bad digest", _set_in(["rules", "digest"], "md5:00")),
    ("event", "without a cause", _drop("cause")),
    ("event", "with an unknown key", _add("authorization", "Bearer x")),
    # both are set for a record of a line holding many (an OTLP export): neither is never valid
    ("event", "with neither line nor entry", lambda d: {**d, "line": None, "entry": None}),
    ("diff", "without comparable", _drop("comparable")),
    ("diff", "with an unknown key", _add("surprise", 1)),
    ("diff", "with a state `up`", _set_in(["causes", 0, "state"], "up")),
    ("diff", "with a p-value above 1", _set_in(["causes", 0, "p_value"], 1.5)),
    ("diff", "with a cause without its example key", lambda d: {**d, "causes": [_drop("example")(d["causes"][0])]}),
    ("rule-file", "with an unknown top-level key", _add("rulez", [])),
    ("rule-file", "with a rule without id", lambda d: {"rules": [_drop("id")(d["rules"][0])]}),
    ("rule-file", "with retryable: maybe", _set_in(["rules", 0, "retryable"], "maybe")),
    ("rule-file", "with an unknown field", _set_in(["rules", 0, "when"], {"stauts": 401})),
    ("rule-file", "with a rule of its own cause without title",
     lambda d: {"rules": [_drop("title")(_drop("cause")(d["rules"][0]))]}),
    ("rule-file", "with `in:` a list, not a set name", _set_in(["rules", 0, "when"], {"code": {"in": [1, 2]}})),
    ("rule-file", "with an empty any_item", _set_in(["rules", 0, "when"], {"request.body.contents": {"any_item": {}}})),
    ("rule-file", "with a bad set name", _add("sets", {"bad name": [1]})),
    ("rule-file", "with an empty set", _add("sets", {"empty": []})),
    # Breaks of the first profile file (examples/profiles/acme-gateway.yaml, a
    # JSON profile); each is also given to `profiles check` (LOADER_CHECKS).
    ("profile-file", "with an unknown top-level key", _add("profile", [])),
    ("profile-file", "with a profile without id", _in_profile(_drop("id"))),
    ("profile-file", "with a profile without samples", _in_profile(_drop("samples"))),
    ("profile-file", "with an empty samples list", _profile_key("samples", [])),
    ("profile-file", "with an unknown profile key", _profile_key("detects", {"keys": ["ts"]})),
    ("profile-file", "with an unknown format", _profile_key("format", "jsonl")),
    ("profile-file", "with a JSON profile without detect", _in_profile(_drop("detect"))),
    ("profile-file", "with a pattern in a JSON profile", _profile_key("pattern", "^(?P<ts>\\S+)")),
    ("profile-file", "with a text profile without pattern", _profile_key("format", "text")),
    ("profile-file", "with `as: epoch_min` for ts", _field("ts", {"path": "/ts", "as": "epoch_min"})),
    ("profile-file", "with `as` on a field it does not apply to",
     _field("request.method", {"path": "/upstream/method", "as": "form"})),
    ("profile-file", "with `as: minutes` for duration_ms", _field("duration_ms", {"path": "/took", "as": "minutes"})),
    ("profile-file", "with an unknown field target", _field("response.stauts", "/upstream/status")),
    ("profile-file", "with a pointer without its slash", _field("request.method", "upstream/method")),
    ("profile-file", "with a source of both path and const", _field("error", {"path": "/error", "const": "x"})),
    ("profile-file", "with an unknown source key", _field("error", {"path": "/error", "default": "x"})),
    ("profile-file", "with `parse: json`", _field("request.headers", {"path": "/upstream/headers", "parse": "json"})),
    ("profile-file", "with an empty list of sources", _field("error", [])),
    ("profile-file", "with `when` on a body read in place",
     _field("response.body", {"path": "/upstream/body", "when": {"exists": "/upstream/status"}})),
    ("profile-file", "with a body joined from pointers", _field("response.body", {"join": ["/upstream/body", "/x"]})),
    ("profile-file", "with an unknown condition key", _profile_key("detect", {"has": ["ts"]})),
    ("profile-file", "with an unknown condition key in `not`",
     _profile_key("detect", {"keys": ["ts", "caller"], "not": {"exist": "/x"}})),
    ("profile-file", "with `equals` keyed by a bare name", _profile_key("detect", {"equals": {"caller": "x"}})),
    ("profile-file", "with `records` not ending in /*", _profile_key("records", "/batch")),
    ("profile-file", "with a list without `value`", _profile_key("lists", {"/attrs": {"key": "key"}})),
    ("profile-file", "with a sample without expect",
     _in_profile(lambda p: {**p, "samples": [_drop("expect")(p["samples"][0])]})),
    ("profile-file", "with a sample of neither record nor line",
     _in_profile(lambda p: {**p, "samples": [_drop("record")(p["samples"][0])]})),
    ("profile-file", "with an unknown sample key",
     _in_profile(lambda p: {**p, "samples": [{**p["samples"][0], "expected": "skip"}]})),
]


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema scalars: only
    true/false are booleans, no sexagesimal or octal-looking ints, and
    timestamps stay texts."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for tag, rx, first in [
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("tag:yaml.org,2002:float",
         r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         "-+0123456789."),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(rx), list(first))


class Checker:
    def __init__(self, binary, root):
        self.binary, self.root = binary, root
        self.schemas = {}      # name -> validator
        self.by_id = {}        # $id -> name
        self.validated = {}    # name -> count of valid documents
        self.examples = {}     # name -> one valid document
        self.failures = []

    def fail(self, what):
        self.failures.append(what)
        print(f"FAIL {what}")

    def load_schemas(self):
        for path in sorted(glob.glob(os.path.join(self.root, "schemas", "*.schema.json"))):
            name = os.path.basename(path)[: -len(".schema.json")]
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            try:
                jsonschema.Draft7Validator.check_schema(schema)
            except jsonschema.SchemaError as e:
                self.fail(f"{path}: not a valid draft-07 schema: {e.message}")
                continue
            if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
                self.fail(f"{path}: $schema is not draft-07")
            if not re.fullmatch(rf"urn:kling-triage:{re.escape(name)}@[0-9]+", schema.get("$id", "")):
                self.fail(f"{path}: $id {schema.get('$id')!r} is not urn:kling-triage:{name}@<major>")
            self.schemas[name] = jsonschema.Draft7Validator(schema)
            self.by_id[schema.get("$id")] = name
            self.validated[name] = 0

    def check(self, name, doc, where):
        if name not in self.schemas:
            self.fail(f"{where}: no schema {name}.schema.json")
            return
        errors = sorted(self.schemas[name].iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            path = "/".join(str(p) for p in e.absolute_path) or "(top)"
            self.fail(f"{where}: {name}: at {path}: {e.message[:300]}")
        if not errors:
            self.validated[name] += 1
            self.examples.setdefault(name, doc)

    def check_report_text(self, text, where):
        """A JSON document names its schema; JSON Lines are events."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None
        if isinstance(doc, dict):
            schema_field = doc.get("schema")
            name = self.by_id.get("urn:" + str(schema_field).replace("/", ":"))
            if name is None:
                self.fail(f"{where}: JSON output names schema {schema_field!r}, which schemas/ lacks")
                return
            self.check(name, doc, where)
            return
        lines = [ln for ln in text.splitlines() if ln.strip()]
        records = []
        for ln in lines:
            try:
                records.append(json.loads(ln))
            except json.JSONDecodeError:
                return  # text, Markdown, HTML: nothing to validate
        for i, rec in enumerate(records, 1):
            self.check("event", rec, f"{where} line {i}")

    def golden_stdouts(self):
        for path in sorted(glob.glob(os.path.join(self.root, "tests", "golden", "*", "stdout"))):
            if os.path.exists(os.path.join(os.path.dirname(path), "select")):
                continue  # parts of a report (golden_reruns validates the whole)
            with open(path, encoding="utf-8") as f:
                self.check_report_text(f.read(), os.path.relpath(path, self.root))

    def run(self, args, where, stdin_path=None):
        """Runs analyze ARGS writing a JSON report and events; validates both."""
        with tempfile.TemporaryDirectory() as tmp:
            report, events = os.path.join(tmp, "report.json"), os.path.join(tmp, "events.jsonl")
            env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
            stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
            run = subprocess.run([self.binary] + args + ["-f", "json", "-o", report, "--events", events],
                                 cwd=self.root, stdin=stdin, capture_output=True, env=env)
            if not os.path.exists(report):
                return False
            with open(report, encoding="utf-8") as f:
                self.check_report_text(f.read(), f"{where} (report, exit {run.returncode})")
            with open(events, encoding="utf-8") as f:
                for i, line in enumerate(f, 1):
                    self.check("event", json.loads(line), f"{where} (events line {i})")
            return True

    def golden_reruns(self):
        ran = 0
        for case in sorted(glob.glob(os.path.join(self.root, "tests", "golden", "*", "args"))):
            case_dir = os.path.dirname(case)
            with open(case, encoding="utf-8") as f:
                args = [a.replace("{case}", case_dir) for a in f.read().splitlines() if a.strip()]
            if not args or args[0] != "analyze" or os.path.exists(os.path.join(case_dir, "setup")):
                continue  # a case with setup (a diff's sides) is checked by baseline_reports
            kept, skip = [], False
            for a in args:  # drop the case's own format, output and events
                if skip:
                    skip = False
                elif a in ("-f", "--format", "-o", "--output", "--events"):
                    skip = True
                elif not a.startswith(("--format=", "--output=", "--events=")):
                    kept.append(a)
            stdin = os.path.join(case_dir, "stdin")
            if self.run(kept, os.path.relpath(case_dir, self.root), stdin if os.path.exists(stdin) else None):
                ran += 1
        if ran < 10:
            self.fail(f"only {ran} golden analyze cases wrote a report")

    def corpora(self):
        for args in (["analyze", "tests/corpus/labelled.jsonl"],
                     ["analyze", "tests/data/har-fixtures"],
                     ["analyze", "--embed-partial", "samples/"]):
            if not self.run(args, " ".join(args)):
                self.fail(f"{' '.join(args)}: no report written")

    def diff_reports(self):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
        days = ["tests/data/diff/day-2026-11-24.jsonl.gz", "tests/data/diff/day-2026-11-25.jsonl.gz"]
        with tempfile.TemporaryDirectory() as tmp:
            def kt(*args):
                return subprocess.run([self.binary, *args], cwd=self.root, capture_output=True, env=env)
            p = {name: os.path.join(tmp, name) for name in ("d1", "d2", "s1", "s2", "empty", "other", "r1.json")}
            for out, args in (("d1", [days[0]]), ("d2", [days[1]]), ("s1", ["samples/api-2026-11-24.jsonl"]),
                              ("s2", ["samples/api-2026-11-25.jsonl.gz"]), ("empty", ["tests/data/diff/empty.jsonl"]),
                              ("other", ["--rules", "examples/rules", days[1]])):
                if kt("analyze", "--partial", p[out], *args).returncode != 0:
                    self.fail(f"analyze --partial {args}: failed")
            kt("analyze", "-f", "json", "--embed-partial", "-o", p["r1.json"], days[0])
            for base, cur, extra in (("d1", "d2", []), ("s1", "s2", []), ("empty", "d2", []),
                                     ("d1", "empty", []), ("d1", "other", []), ("r1.json", "d2", []),
                                     ("d1", "d2", ["--fail-on", "new-cause>0", "--fail-on",
                                                   "cause:rate_limit.requests:state==regressed",
                                                   "--fail-on", "failure-rate-ratio>2"])):
                run = kt("diff", "-f", "json", *extra, p[base], p[cur])
                self.check_report_text(run.stdout.decode("utf-8"), f"diff {base} {cur} {' '.join(extra)}")
            run = kt("analyze", "-f", "json", "--baseline", p["d1"], "--fail-on", "regressed>0", days[1])
            doc = json.loads(run.stdout)
            self.check("report", doc, "analyze --baseline (report)")
            body = dict(doc.get("baseline", {}), schema="kling-triage/diff@1",
                        generated_at=doc["generated_at"], tool=doc["tool"])
            self.check("diff", body, "analyze --baseline (its baseline key)")

    def files(self):
        for name, patterns in FILES:
            paths = sorted(p for pat in patterns for p in glob.glob(os.path.join(self.root, pat)))
            if not paths:
                self.fail(f"{name}: no files match {patterns}")
            for path in paths:
                with open(path, encoding="utf-8") as f:
                    doc = yaml.load(f, Loader=Yaml12Loader)
                self.check(name, doc, os.path.relpath(path, self.root))

    def loader_accepts(self, name, path):
        """Whether the binary's own check (LOADER_CHECKS) accepts the file."""
        run = subprocess.run([self.binary] + LOADER_CHECKS[name] + [path],
                             cwd=self.root, capture_output=True, text=True)
        return run.returncode == 0, (run.stderr or run.stdout).strip()

    def loader_files(self):
        """Every file of a LOADER_CHECKS format in FILES loads."""
        for name, patterns in FILES:
            if name not in LOADER_CHECKS:
                continue
            for path in sorted(p for pat in patterns for p in glob.glob(os.path.join(self.root, pat))):
                ok, why = self.loader_accepts(name, path)
                if not ok:
                    self.fail(f"{os.path.relpath(path, self.root)}: {' '.join(LOADER_CHECKS[name])} "
                              f"rejects it: {why[:300]}")

    def breaks(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name in LOADER_CHECKS:  # the unbroken document, as the breaks are written
                if name in self.examples:
                    ok, why = self.loader_accepts(name, self.write_yaml(tmp, self.examples[name]))
                    if not ok:
                        self.fail(f"{name}: the document the breaks start from does not load: {why[:300]}")
            for name, what, change in BREAKS:
                if name not in self.examples:
                    self.fail(f"{name}: no valid document to break")
                    continue
                broken = change(copy.deepcopy(self.examples[name]))
                if self.schemas[name].is_valid(broken):
                    self.fail(f"{name}: a document {what} is accepted")
                if name in LOADER_CHECKS and self.loader_accepts(name, self.write_yaml(tmp, broken))[0]:
                    self.fail(f"{name}: a document {what} is rejected by the schema but accepted by "
                              f"`{' '.join(LOADER_CHECKS[name])}`")

    @staticmethod
    def write_yaml(folder, doc):
        path = os.path.join(folder, "doc.yaml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True)
        return path

    def main(self):
        self.load_schemas()
        self.golden_stdouts()
        self.golden_reruns()
        self.corpora()
        self.diff_reports()
        self.files()
        self.loader_files()
        self.breaks()
        for name, n in sorted(self.validated.items()):
            print(f"{name}: {n} documents valid")
            if n == 0:
                self.fail(f"schemas/{name}.schema.json validated no real document")
        if self.failures:
            print(f"{len(self.failures)} problems")
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(Checker(sys.argv[1], sys.argv[2]).main())
