#!/usr/bin/env python3
"""The rule file JSON Schema agrees with the rule language.

Usage: check_rule_schema.py SCHEMA FILE...

Every given rule file (the bundled pack, the examples) must validate, and a
few hand-written cases must validate or be refused as the loader would:
`cause:` rules without category/title, sets, in/not_in, any_item; a rule
without `cause:` needs category and title, a set reference is a name.
Exits 77 (CTest: skipped) when python3-jsonschema or python3-yaml is absent.
"""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    print(f"skipped: {e}")
    sys.exit(77)

GOOD = [
    {"sets": {"codes": [1, 2], "words": ["a b", True]}},
    {"rules": [{"id": "a.b", "cause": "a", "priority": 3,
                "when": {"code": {"in": "codes"}, "message.from": "detail",
                         "request.headers_logged": True, "auth.redacted": False,
                         "request.body.contents": {"not": {"any_item": {"type": "prompt",
                                                                       "text": {"regex": "\\S"}}}},
                         "response.body.data": {"any_item": {"any": [{"status": "failed"}]}}}}]},
    {"rules": [{"id": "a", "category": "c", "title": "t", "when": {"status": {"not_in": "s"}}}]},
]
BAD = [
    {"rules": [{"id": "a", "category": "c"}]},                        # no title, no cause
    {"rules": [{"id": "a", "cause": "b", "when": {"code": {"in": [1, 2]}}}]},  # in: a list
    {"rules": [{"id": "a", "cause": "b", "when": {"statuss": 1}}]},   # unknown field
    {"sets": {"bad name": [1]}},
    {"sets": {"empty": []}},
    {"pack": "no rules or sets"},
]


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    # `$id` is not an absolute URI: jsonschema 4.10 (Debian 12) then fails to
    # resolve the local `$ref`s against it. The content is what is tested.
    schema.pop("$id", None)
    v = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in sys.argv[2:]:
        for err in v.iter_errors(yaml.safe_load(open(path, encoding="utf-8"))):
            print(f"{path}: {err.json_path}: {err.message[:200]}")
            failed += 1
    for case in GOOD:
        for err in v.iter_errors(case):
            print(f"should validate: {json.dumps(case)[:100]}: {err.message[:200]}")
            failed += 1
    for case in BAD:
        if v.is_valid(case):
            print(f"should be refused: {json.dumps(case)}")
            failed += 1
    print(f"{len(sys.argv) - 2} files, {len(GOOD) + len(BAD)} cases, {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
