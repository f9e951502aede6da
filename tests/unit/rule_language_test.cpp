// SPDX-License-Identifier: MIT
// The rule language beyond single rules: named sets (`sets:`, `{in: name}`),
// several rules per cause (`cause:`), `any_item` over array elements, and
// the held-condition paths `explain` prints.
#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/cli/config.hpp"
#include "analyzer/rules/rule_loader.hpp"
#include "analyzer/rules/ruleset.hpp"
#include "rule_engine_fixture.hpp"
#include "test_support.hpp"

using namespace analyzer;
using test_support::contains;
using test_support::dump;
using test_support::rule_engine;
using test_support::temp_dir;

namespace {

rules::rule_library load_resolved(const std::string& text) {
  rules::rule_library lib;
  rules::load_rule_file({"rules.yaml", text, false}, lib);
  rules::resolve_library(lib);
  return lib;
}

std::string status_record(int status, const std::string& body = "{}") {
  return R"({"ts": "2026-11-24T03:12:45Z", "response": {"status": )" + std::to_string(status) +
         R"(, "body": )" + body + "}}";
}

std::string create_record(const std::string& request_body, int status = 400,
                          const std::string& response_body = R"({"code": 1201, "message": "Invalid parameter"})") {
  return R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api-singapore.klingai.com/v1/videos/omni-video", "body": )" +
         request_body + R"(}, "response": {"status": )" + std::to_string(status) + R"(, "body": )" +
         response_body + "}}";
}

const char* const sets_prefix = R"(sets:
  codes: [1200, 1201]
  words: [alpha, "beta gamma"]
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_language_test)

// ---- named sets ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(in_and_not_in_a_named_set) {
  rule_engine e(R"(  - id: t.in
    category: test
    title: In
    priority: 2
    when: {code: {in: codes}}
    samples: {match: [{response: {status: 400, body: {code: 1201}}}]}
  - id: t.not_in
    category: test
    title: Not in
    priority: 1
    when: {message: {not_in: words}}
    samples: {match: [{response: {status: 400, body: {error: {message: other}}}}]}
)", sets_prefix);
  BOOST_TEST(e.holds("t.in", status_record(400, R"({"code": 1200})")));
  BOOST_TEST(e.holds("t.in", status_record(400, R"({"code": "1201"})")));  // number as text
  BOOST_TEST(!e.holds("t.in", status_record(400, R"({"code": 1202})")));
  BOOST_TEST(!e.holds("t.in", status_record(400)));  // absent: `in` is false
  BOOST_TEST(!e.holds("t.not_in", status_record(400, R"({"error": {"message": "beta gamma"}})")));
  BOOST_TEST(e.holds("t.not_in", status_record(400, R"({"error": {"message": "Beta gamma"}})")));
  BOOST_TEST(e.holds("t.not_in", status_record(400)));  // absent: `not_in` holds
  const auto& m = e.rules().at(e.index_of("t.in")).when.children.front().match;
  BOOST_TEST(rules::describe(m, {}) == "in codes");
}

BOOST_AUTO_TEST_CASE(unknown_set_name_points_at_the_reference_with_did_you_mean) {
  auto lib = load_resolved(std::string(sets_prefix) + R"(rules:
  - id: t.one
    category: test
    title: One
    when: {code: {not_in: codez}}
    samples: {match: [{response: {status: 400}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  const auto& d = lib.problems[0];
  BOOST_TEST(d.message == "unknown set `codez`");
  BOOST_TEST(d.where.line == 8);
  BOOST_TEST(d.where.column == 27);
  BOOST_TEST(contains(d.help, "did you mean `codes`?"), d.help);
  BOOST_TEST(d.snippet == "    when: {code: {not_in: codez}}");
}

BOOST_AUTO_TEST_CASE(bad_set_definitions_and_references) {
  rules::rule_library lib;
  rules::load_rule_file({"a.yaml", R"(sets:
  ok_set: [1]
  "bad name": [1]
  empty: []
  nested: [[1, 2]]
rules:
  - id: t.one
    category: test
    title: One
    when: {code: {in: [ok_set]}, status: {in: ok_set, regex: x}}
    samples: {match: [{response: {status: 400}}]}
)", false}, lib);
  rules::load_rule_file({"b.yaml", "sets:\n  ok_set: [2]\n", false}, lib);
  std::vector<std::string> messages;
  for (const auto& p : lib.problems) messages.push_back(p.message);
  BOOST_TEST_REQUIRE(messages.size() == 6u, dump(lib.problems));
  BOOST_TEST(messages[0] == "invalid set name `bad name`");
  BOOST_TEST(messages[1] == "set `empty` must be a non-empty list of values");
  BOOST_TEST(messages[2] == "set `nested` must hold plain values");
  BOOST_TEST(messages[3] == "`in` takes the name of a set");
  BOOST_TEST(messages[4] == "`in` must be the only key of the matcher of `status`");
  BOOST_TEST(messages[5] == "duplicate set `ok_set`");  // twice in one layer
  BOOST_TEST(lib.problems[5].where.file == "b.yaml");
  BOOST_TEST(contains(lib.problems[5].help, "first defined at a.yaml:2"));
}

BOOST_AUTO_TEST_CASE(a_later_layer_replaces_a_set_for_every_rule) {
  // A user file extends the bundled models: the bundled rule sees the new list.
  temp_dir dir;
  std::string path = dir.write("models.yaml", R"(sets:
  models: [kling-v1-6, kling-v9]
)");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({path}, false, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  const auto& models = rs->sets().at("models").values;
  BOOST_TEST(models.size() == 2u);
  BOOST_TEST(rs->sets().at("models").where.file == path);
  rule_engine e(std::move(rs));
  std::string v9 = R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api-singapore.klingai.com/v1/videos/text2video", "headers": {"Content-Type": "application/json"}, "body": {"model_name": "kling-v9", "prompt": "A fox", "duration": "5"}}, "response": {"status": 400, "body": {"code": 1201, "message": "Invalid parameter"}}})";
  BOOST_TEST(e.cause(v9) == "bad_request.invalid_parameter");  // known model now
  std::string v26 = v9;
  v26.replace(v26.find("kling-v9"), 8, "kling-v2-6");
  BOOST_TEST(e.cause(v26) == "bad_request.invalid_model");  // dropped from the list
}

BOOST_AUTO_TEST_CASE(rules_check_sees_the_bundled_sets) {
  temp_dir dir;
  std::string path = dir.write("mine.yaml", R"(rules:
  - id: mine.teapot
    category: custom
    title: Teapot
    when: {status: 418, code: {not_in: kling_codes}}
    samples: {match: [{response: {status: 418}}], no_match: [{response: {status: 418, body: {code: 1302}}}]}
)");
  core::diagnostics problems;
  int files = 0;
  auto rs = cli::load_files_only({path}, problems, files, true);
  BOOST_TEST(rs != nullptr, dump(problems));
  BOOST_TEST(rs->size() == 1);
}

// ---- several rules per cause -------------------------------------------

const char* const two_rules_one_cause = R"(  - id: t.by_code
    cause: t.cause
    category: test
    title: The cause
    retryable: after_fix
    fixes: [fix it]
    priority: 50
    when: {code: 1302}
    samples: {match: [{response: {status: 429, body: {code: 1302}}}]}
  - id: t.other
    category: test
    title: Another cause
    priority: 40
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
  - id: t.by_message
    cause: t.cause
    priority: 10
    when: {message: {regex: slow down}}
    samples: {match: [{response: {status: 429, body: {error: {message: "slow down"}}}}]}
)";

BOOST_AUTO_TEST_CASE(rules_of_one_cause_share_its_metadata_and_index) {
  rule_engine e(two_rules_one_cause);
  const auto& rs = e.rules();
  BOOST_TEST(rs.size() == 3);
  BOOST_TEST(rs.cause_count() == 2);
  BOOST_TEST(rs.cause_id(0) == "t.cause");
  BOOST_TEST(rs.cause_id(1) == "t.other");
  const auto& by_message = rs.at(e.index_of("t.by_message"));
  BOOST_TEST(by_message.cause == "t.cause");
  BOOST_TEST(by_message.cause_index == 0);
  BOOST_TEST(by_message.category == "test");
  BOOST_TEST(by_message.title == "The cause");
  BOOST_TEST(by_message.retryable == rules::retry_advice::after_fix);
  BOOST_TEST(by_message.fixes == std::vector<std::string>({"fix it"}), boost::test_tools::per_element());
  BOOST_TEST(rs.cause_rule(0).id == "t.by_code");
  BOOST_TEST(rs.cause_of(e.index_of("t.other")) == 1);
  BOOST_TEST(rs.cause_of(-1) == -1);
  BOOST_TEST(e.classify(status_record(429, R"({"error": {"message": "please slow down"}})")) == "t.by_message");
  BOOST_TEST(e.cause(status_record(429, R"({"error": {"message": "please slow down"}})")) == "t.cause");
}

BOOST_AUTO_TEST_CASE(aggregator_counts_by_cause_not_by_rule) {
  rule_engine e(two_rules_one_cause);
  aggregate::aggregator agg(e.rules().cause_count());
  for (const char* body : {R"({"code": 1302})", R"({"error": {"message": "slow down"}})",
                           R"({"code": 1302})"}) {
    int rule = e.rules().classify(e.load(status_record(429, body)), e.scratch());
    agg.add_failure(e.ev(), e.rules().cause_of(rule), aggregate::record_bytes(body));
  }
  agg.add_failure(e.load(status_record(418)), e.rules().cause_of(-1), aggregate::record_bytes("418"));
  BOOST_TEST_REQUIRE(agg.causes.size() == 3u);  // two causes + unclassified
  BOOST_TEST(agg.causes[0].count == 3);
  BOOST_TEST(agg.causes[1].count == 0);
  BOOST_TEST(agg.causes[2].count == 1);
  BOOST_TEST(agg.unclassified_index() == 2);
}

BOOST_AUTO_TEST_CASE(conflicting_cause_metadata_is_a_load_error) {
  auto lib = load_resolved(R"(rules:
  - id: t.first
    category: test
    title: The cause
    fixes: [a]
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
  - id: t.second
    cause: t.first
    title: Another title
    fixes: [a]
    when: {status: 501}
    samples: {match: [{response: {status: 501}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  const auto& d = lib.problems[0];
  BOOST_TEST(d.message == "rule `t.second`: `title` differs from its cause `t.first`");
  BOOST_TEST(d.where.line == 10);  // the `title:` of the second rule
  BOOST_TEST(d.snippet == "    title: Another title");
  BOOST_TEST(contains(d.help, "defined by rule `t.first` at rules.yaml:2"), d.help);
}

BOOST_AUTO_TEST_CASE(the_first_rule_of_a_cause_must_describe_it) {
  auto lib = load_resolved(R"(rules:
  - id: t.part
    cause: t.whole
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
  - id: t.whole
    category: test
    title: Whole
    when: {status: 501}
    samples: {match: [{response: {status: 501}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  BOOST_TEST(lib.problems[0].message == "rule `t.part` has no `category`");
  BOOST_TEST(contains(lib.problems[0].help, "it is the first rule of cause `t.whole`"));
  BOOST_TEST(lib.problems[1].message == "rule `t.part` has no `title`");
}

BOOST_AUTO_TEST_CASE(a_rule_named_like_another_cause_is_refused) {
  auto lib = load_resolved(R"(rules:
  - id: t.a
    category: test
    title: A
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
  - id: t.b
    cause: t.a
    when: {status: 501}
    samples: {match: [{response: {status: 501}}]}
  - id: t.a.extra
    cause: t.b
    category: test
    title: B
    when: {status: 502}
    samples: {match: [{response: {status: 502}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  BOOST_TEST(lib.problems[0].message == "rule id `t.b` is the id of another cause");
}

BOOST_AUTO_TEST_CASE(a_user_rule_joins_a_bundled_cause_and_inherits_it) {
  temp_dir dir;
  std::string path = dir.write("mine.yaml", R"(rules:
  - id: mine.credits_wording
    cause: billing.insufficient_credits
    priority: 60
    when: {status: 403, message: {regex: 'wallet is empty'}}
    samples: {match: [{response: {status: 403, body: {error: {message: "Your wallet is empty"}}}}]}
)");
  core::diagnostics problems;
  rule_engine e(cli::load_ruleset({path}, false, problems));
  const auto& r = e.rules().at(e.index_of("mine.credits_wording"));
  BOOST_TEST(r.category == "billing");
  BOOST_TEST(r.retryable == rules::retry_advice::no);
  BOOST_TEST(e.cause(status_record(403, R"({"error": {"message": "Your wallet is empty"}})")) ==
             "billing.insufficient_credits");
}

// ---- any_item --------------------------------------------------------------

const char* const contents_rules = R"(  - id: t.no_prompt_item
    category: test
    title: No prompt item
    priority: 10
    when:
      all:
        - request.body.contents: {exists: true}
        - request.body.contents: {not: {any_item: {type: prompt, text: {regex: '\S'}}}}
    samples: {match: [{request: {body: {contents: []}}, response: {status: 400}}]}
  - id: t.image_item
    category: test
    title: An image item with an http URL
    priority: 20
    when:
      request.body.contents: {any_item: {type: image, url: {regex: '^http://'}}}
    samples: {match: [{request: {body: {contents: [{type: image, url: "http://x"}]}}, response: {status: 400}}]}
)";

BOOST_AUTO_TEST_CASE(any_item_correlates_fields_of_one_element) {
  rule_engine e(contents_rules);
  auto rec = [](const std::string& contents) {
    return create_record(R"({"model_name": "kling-v3-omni", "contents": )" + contents + "}");
  };
  // type and text must hold on the same element
  BOOST_TEST(e.holds("t.no_prompt_item", rec(R"([{"type": "prompt", "text": " "}, {"type": "image", "text": "x"}])")));
  BOOST_TEST(!e.holds("t.no_prompt_item", rec(R"([{"type": "image"}, {"type": "prompt", "text": "a fox"}])")));
  BOOST_TEST(e.holds("t.no_prompt_item", rec("[]")));
  BOOST_TEST(e.holds("t.no_prompt_item", rec(R"("not an array")")));
  BOOST_TEST(!e.holds("t.no_prompt_item", create_record(R"({"prompt": "a fox"})")));  // no contents
  // the regex is matched per element: only the second element's url matches
  BOOST_TEST(e.holds("t.image_item", rec(R"([{"type": "image", "url": "https://a"}, {"type": "image", "url": "http://b"}])")));
  BOOST_TEST(!e.holds("t.image_item", rec(R"([{"type": "prompt", "url": "http://a"}, {"type": "image", "url": "https://b"}])")));
}

BOOST_AUTO_TEST_CASE(any_item_reads_bodies_logged_as_text_and_nested_paths) {
  // A body logged as a string holding JSON goes through the DOM; so does a
  // rule that names a nested path beside the item fields.
  rule_engine e(std::string(contents_rules) + R"(  - id: t.nested
    category: test
    title: Nested
    priority: 30
    when: {request.body.meta.kind: x}
    samples: {match: [{request: {body: {meta: {kind: x}}}, response: {status: 400}}]}
)");
  std::string as_text = create_record(
      R"("{\"contents\": [{\"type\": \"image\", \"url\": \"http://b\"}]}")");
  BOOST_TEST(e.holds("t.image_item", as_text));
  BOOST_TEST(e.holds("t.no_prompt_item", as_text));
  BOOST_TEST(e.classify(as_text) == "t.image_item");
}

BOOST_AUTO_TEST_CASE(any_item_load_errors) {
  auto lib = load_resolved(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      status: {any_item: {type: x}}
      request.body.a: {any_item: {b: {any_item: {c: 1}}}}
      request.body.d: {any_item: {}}
      request.body.e[].f: 1
      request.body.g: {any_item: {h: 1}, exists: true}
    samples: {match: [{response: {status: 400}}]}
)");
  std::vector<std::string> messages;
  for (const auto& p : lib.problems) messages.push_back(p.message);
  BOOST_TEST_REQUIRE(messages.size() == 5u, dump(lib.problems));
  BOOST_TEST(messages[0] == "`any_item` needs an array field of a body, not `status`");
  BOOST_TEST(messages[1] == "`any_item` cannot be nested (in `b`)");
  BOOST_TEST(messages[2] == "`any_item` must be a map of item fields: matcher");
  BOOST_TEST(messages[3] == "`request.body.e[].f`: a field name has no `[...]`");
  BOOST_TEST(messages[4] == "`any_item` must be the only key of the matcher");
}

// An empty item field name (`"": 1`, or a tag with no key text) is an
// error like any other malformed one (found by fuzz_rule_loader: it read
// the empty name's first byte).
BOOST_AUTO_TEST_CASE(any_item_rejects_empty_and_dotted_item_fields) {
  auto lib = load_resolved(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      request.body.a: {any_item: {"": 1}}
      request.body.b: {any_item: {!tag : 1}}
      request.body.c: {any_item: {.x: 1}}
      request.body.d: {any_item: {x.: 1}}
    samples: {match: [{response: {status: 400}}]}
)");
  std::vector<std::string> messages;
  for (const auto& p : lib.problems) messages.push_back(p.message);
  BOOST_TEST_REQUIRE(messages.size() == 4u, dump(lib.problems));
  BOOST_TEST(messages[0] == "invalid item field ``");
  BOOST_TEST(messages[1] == "invalid item field ``");
  BOOST_TEST(messages[2] == "invalid item field `.x`");
  BOOST_TEST(messages[3] == "invalid item field `x.`");
  for (const auto& p : lib.problems) BOOST_TEST(p.where.line > 0);
}

// ---- explain: which branch held ---------------------------------------------

BOOST_AUTO_TEST_CASE(trace_names_the_conditions_that_held_with_their_path) {
  rule_engine e(R"(  - id: t.paths
    category: test
    title: Paths
    when:
      status: 401
      any:
        - code: 1004
        - all:
            - code: {not_in: codes}
            - auth.present: false
            - message: {regex: 'expired'}
    samples: {match: [{response: {status: 401, body: "Token expired"}}]}
)" + std::string(contents_rules), sets_prefix);
  e.load(status_record(401, R"({"error": {"message": "Token expired"}})"));
  auto traces = e.rules().trace(e.ev(), e.scratch());
  const rules::rule_trace* t = nullptr;
  for (const auto& tr : traces) {
    if (e.rules().at(tr.rule).id == "t.paths") t = &tr;
  }
  BOOST_TEST_REQUIRE(t != nullptr);
  BOOST_TEST(t->matched);
  std::vector<std::string> want{"status = 401", "any[1].all[0]: code not_in codes",
                                "any[1].all[1]: auth.present = false",
                                "any[1].all[2]: message =~ 'expired'"};
  BOOST_TEST(t->held == want, boost::test_tools::per_element());

  e.load(create_record(R"({"contents": [{"type": "prompt", "url": "https://a"}, {"type": "image", "url": "http://b"}]})"));
  traces = e.rules().trace(e.ev(), e.scratch());
  for (const auto& tr : traces) {
    if (e.rules().at(tr.rule).id != "t.image_item") continue;
    std::vector<std::string> items{"request.body.contents[1]: type = 'image'",
                                   "request.body.contents[1]: url =~ '^http://'"};
    BOOST_TEST(tr.held == items, boost::test_tools::per_element());
  }
}

// ---- the bundled pack --------------------------------------------------------

BOOST_AUTO_TEST_CASE(bundled_pack_pastes_no_list_or_regex_twice) {
  // A list literal of two or more values, or a regex, written in two places
  // is one edit missed on the next change: it belongs in sets.yaml (or in
  // one rule).
  core::diagnostics problems;
  auto rs = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  std::map<std::string, std::string> seen;  // text → rule
  std::vector<std::string> pasted;
  std::function<void(const rules::matcher&, const std::string&)> in_matcher =
      [&](const rules::matcher& m, const std::string& id) {
        std::string key;
        if (m.type == rules::matcher::kind::one_of && m.set_name.empty() && m.values.size() >= 2) {
          for (const auto& v : m.values) key += v.text + "\x1f";
        } else if (m.type == rules::matcher::kind::regex) {
          key = "re:" + rs->regex(m.regex).pattern;
        }
        if (!key.empty()) {
          auto [it, fresh] = seen.emplace(key, id);
          if (!fresh) pasted.push_back(id + " repeats a list or regex of " + it->second);
        }
        for (const auto& in : m.inner) in_matcher(in, id);
      };
  std::function<void(const rules::condition&, const std::string&)> walk =
      [&](const rules::condition& c, const std::string& id) {
        if (c.type == rules::condition::kind::field) in_matcher(c.match, id);
        for (const auto& ch : c.children) walk(ch, id);
      };
  for (int i = 0; i < rs->size(); ++i) walk(rs->at(i).when, rs->at(i).id);
  BOOST_TEST(pasted.empty(), [&] {
    std::string out;
    for (const auto& p : pasted) out += p + "\n";
    return out;
  }());
  BOOST_TEST(rs->sets().count("kling_codes") == 1u);
  BOOST_TEST(rs->cause_count() < rs->size());  // `cause:` is used
}

BOOST_TEST_DECORATOR(*boost::unit_test::description("every cause has one definition"))
BOOST_AUTO_TEST_CASE(bundled_causes_match_the_reference_ids) {
  core::diagnostics problems;
  auto rs = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  std::set<std::string> ids;
  for (int i = 0; i < rs->cause_count(); ++i) ids.insert(rs->cause_id(i));
  // error-reference.md section 4, without unclassified.unknown
  std::set<std::string> want{
      "auth.missing_header", "auth.bad_scheme", "auth.token_expired", "auth.token_not_yet_valid",
      "auth.wrong_credential_type", "auth.invalid_token", "billing.insufficient_credits",
      "billing.account_in_arrears", "account.exception", "account.no_permission",
      "account.ip_not_whitelisted", "account.region_restricted", "content_policy.prompt_rejected",
      "content_policy.platform_strategy", "bad_request.missing_prompt", "bad_request.invalid_duration",
      "bad_request.invalid_aspect_ratio", "bad_request.malformed_json", "bad_request.invalid_model",
      "bad_request.invalid_parameter", "bad_request.not_found", "rate_limit.requests",
      "rate_limit.concurrency", "server.internal", "server.bad_gateway", "server.unavailable",
      "server.timeout", "generation.content_policy", "generation.timeout", "generation.complexity",
      "generation.input_image", "generation.failed", "network.timeout", "network.connection"};
  BOOST_TEST(ids == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
