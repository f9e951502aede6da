// SPDX-License-Identifier: MIT
// rules/ruleset: matchers, combinators, absent fields, priorities,
// overrides of bundled rules, and classify() agreeing with trace().
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/cli/config.hpp"
#include "analyzer/loader/yaml_file.hpp"
#include "analyzer/rules/rule_loader.hpp"
#include "analyzer/rules/ruleset.hpp"
#include "normalizer_fixture.hpp"
#include "rule_engine_fixture.hpp"
#include "test_support.hpp"

using namespace analyzer;
using test_support::dump;
using test_support::rule_engine;
using test_support::temp_dir;

namespace {


/// One rule in YAML; `when` is a flow map (or empty for none).
std::string rule_yaml(const std::string& id, const std::string& when,
                      int priority = 0) {
  std::string out = "  - id: " + id + "\n    category: test\n    title: " + id +
                    "\n    priority: " + std::to_string(priority) + "\n";
  if (!when.empty()) out += "    when: " + when + "\n";
  out += "    samples: {match: [{response: {status: 500}}]}\n";
  return out;
}

std::string with_status(int status, const std::string& body = "{}") {
  return R"({"ts": "2026-11-24T03:12:45Z", "response": {"status": )" +
         std::to_string(status) + R"(, "body": )" + body + "}}";
}

std::string with_request_body(const std::string& body, int status = 400) {
  return R"({"request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video", "body": )" +
         body + R"(}, "response": {"status": )" + std::to_string(status) + "}}";
}

const char* const transport = R"({"request": {"method": "POST"}, "error": "connect ETIMEDOUT"})";

}  // namespace

BOOST_AUTO_TEST_SUITE(ruleset_test)

// ---- matchers ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(scalar_equality_on_numbers) {
  rule_engine e(rule_yaml("r.status", "{status: 401}") + rule_yaml("r.code", "{code: 1302}"));
  BOOST_TEST(e.holds("r.status", with_status(401)));
  BOOST_TEST(!e.holds("r.status", with_status(402)));
  BOOST_TEST(!e.holds("r.status", transport));
  BOOST_TEST(e.holds("r.code", with_status(429, R"({"code": 1302})")));
  BOOST_TEST(e.holds("r.code", with_status(429, R"({"code": "1302"})")));
  BOOST_TEST(!e.holds("r.code", with_status(429, R"({"code": 1303})")));
}

BOOST_AUTO_TEST_CASE(scalar_equality_text_and_number_holding_the_same_number) {
  rule_engine e(rule_yaml("r.text5", R"({request.body.duration: "5"})") +
           rule_yaml("r.num5", "{request.body.duration: 5}"));
  for (const char* id : {"r.text5", "r.num5"}) {
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(e.holds(id, with_request_body(R"({"duration": "5"})")));
      BOOST_TEST(e.holds(id, with_request_body(R"({"duration": 5})")));
      BOOST_TEST(e.holds(id, with_request_body(R"({"duration": 5.0})")));
      BOOST_TEST(!e.holds(id, with_request_body(R"({"duration": "10"})")));
      BOOST_TEST(!e.holds(id, with_request_body(R"({"duration": 50})")));
      BOOST_TEST(!e.holds(id, with_request_body(R"({"prompt": "x"})")));
    }
  }
}

BOOST_AUTO_TEST_CASE(scalar_equality_texts_are_case_sensitive) {
  rule_engine e(rule_yaml("r.post", "{method: POST}") + rule_yaml("r.lower", "{method: post}") +
           rule_yaml("r.msg", R"({message: "Too many requests"})"));
  std::string rec = R"({"request": {"method": "post"}, "response": {"status": 429, "body": {"code": 1302, "message": "Too many requests"}}})";
  BOOST_TEST(e.holds("r.post", rec));    // methods are upper-cased on input
  BOOST_TEST(!e.holds("r.lower", rec));
  BOOST_TEST(e.holds("r.msg", rec));
  BOOST_TEST(!e.holds("r.msg", with_status(429, R"({"code": 1302, "message": "too many requests"})")));
}

BOOST_AUTO_TEST_CASE(scalar_equality_on_booleans) {
  rule_engine e(rule_yaml("r.noauth", "{auth.present: false}") +
           rule_yaml("r.wm", "{request.body.watermark: true}"));
  BOOST_TEST(e.holds("r.noauth", with_status(401)));
  BOOST_TEST(!e.holds("r.noauth", R"({"request": {"headers": {"Authorization": "Bearer abcdefgh"}}, "response": {"status": 401}})"));
  BOOST_TEST(e.holds("r.wm", with_request_body(R"({"watermark": true})")));
  BOOST_TEST(!e.holds("r.wm", with_request_body(R"({"watermark": false})")));
}

BOOST_AUTO_TEST_CASE(list_matches_any_item) {
  rule_engine e(rule_yaml("r.codes", "{code: [1000, 1002]}") +
           rule_yaml("r.durations", R"({request.body.duration: ["5", "10"]})"));
  BOOST_TEST(e.holds("r.codes", with_status(401, R"({"code": 1000})")));
  BOOST_TEST(e.holds("r.codes", with_status(401, R"({"code": 1002})")));
  BOOST_TEST(!e.holds("r.codes", with_status(401, R"({"code": 1001})")));
  BOOST_TEST(!e.holds("r.codes", with_status(401)));
  BOOST_TEST(e.holds("r.durations", with_request_body(R"({"duration": 10})")));
  BOOST_TEST(e.holds("r.durations", with_request_body(R"({"duration": "5"})")));
  BOOST_TEST(!e.holds("r.durations", with_request_body(R"({"duration": "7"})")));
}

BOOST_AUTO_TEST_CASE(regex_is_case_insensitive_by_default) {
  rule_engine e(rule_yaml("r.ci", "{message: {regex: 'risk control'}}") +
           rule_yaml("r.cs", "{message: {regex: 'risk control', case_sensitive: true}}"));
  std::string upper = with_status(400, R"({"message": "Failure to pass the Risk Control system"})");
  std::string lower = with_status(400, R"({"message": "failure to pass the risk control system"})");
  BOOST_TEST(e.holds("r.ci", upper));
  BOOST_TEST(e.holds("r.ci", lower));
  BOOST_TEST(!e.holds("r.cs", upper));
  BOOST_TEST(e.holds("r.cs", lower));
  BOOST_TEST(!e.holds("r.ci", with_status(400, R"({"message": "risk-control"})")));
}

BOOST_AUTO_TEST_CASE(regexes_of_one_field_do_not_interfere) {
  // Several regexes on one field are matched together (one RE2::Set).
  rule_engine e(rule_yaml("r.timeout", "{message: {regex: 'time(d)? ?out'}}") +
           rule_yaml("r.rate", "{message: {regex: '^rate limit'}}") +
           rule_yaml("r.error", "{error: {regex: 'timeout'}}"));
  std::string rate = with_status(429, R"({"message": "Rate limit exceeded"})");
  std::string both = with_status(429, R"({"message": "rate limit: timed out"})");
  BOOST_TEST(!e.holds("r.timeout", rate));
  BOOST_TEST(e.holds("r.rate", rate));
  BOOST_TEST(!e.holds("r.error", rate));
  BOOST_TEST(e.holds("r.timeout", both));
  BOOST_TEST(e.holds("r.rate", both));
  BOOST_TEST(!e.holds("r.rate", with_status(429, R"({"message": "a rate limit"})")));
}

BOOST_AUTO_TEST_CASE(regex_on_a_numeric_field) {
  rule_engine e(rule_yaml("r.code11", "{code: {regex: '^11'}}") +
           rule_yaml("r.status5", "{status: {regex: '^5\\d\\d$'}}"));
  BOOST_TEST(e.holds("r.code11", with_status(429, R"({"code": 1102})")));
  BOOST_TEST(e.holds("r.code11", with_status(429, R"({"code": 1100})")));
  BOOST_TEST(!e.holds("r.code11", with_status(429, R"({"code": 1302})")));
  BOOST_TEST(!e.holds("r.code11", with_status(429, R"({"code": 2110})")));
  BOOST_TEST(!e.holds("r.code11", with_status(429)));
  BOOST_TEST(e.holds("r.status5", with_status(503)));
  BOOST_TEST(!e.holds("r.status5", with_status(429)));
}

BOOST_AUTO_TEST_CASE(range_inclusive_bounds) {
  rule_engine e(rule_yaml("r.range", "{status: {range: [500, 599]}}") +
           rule_yaml("r.text", R"({status: "500-599"})") +
           rule_yaml("r.dur", "{request.body.duration: {range: [1, 10]}}"));
  for (const char* id : {"r.range", "r.text"}) {
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(e.holds(id, with_status(500)));
      BOOST_TEST(e.holds(id, with_status(599)));
      BOOST_TEST(e.holds(id, with_status(503)));
      BOOST_TEST(!e.holds(id, with_status(499)));
      BOOST_TEST(!e.holds(id, with_status(600)));
      BOOST_TEST(!e.holds(id, transport));
    }
  }
  BOOST_TEST(e.holds("r.dur", with_request_body(R"({"duration": "5"})")));
  BOOST_TEST(e.holds("r.dur", with_request_body(R"({"duration": 10})")));
  BOOST_TEST(!e.holds("r.dur", with_request_body(R"({"duration": 10.5})")));
  BOOST_TEST(!e.holds("r.dur", with_request_body(R"({"duration": "five"})")));
}

BOOST_AUTO_TEST_CASE(range_with_an_open_bound) {
  rule_engine e(rule_yaml("r.expired", "{jwt.exp_in_s: {range: [null, 0]}}") +
           rule_yaml("r.big", "{duration_ms: {range: [30000, null]}}"));
  auto rec = [](int64_t exp_delta) {
    return test_support::with_auth("Bearer " + test_support::jwt_with(exp_delta, -1800));
  };
  BOOST_TEST(e.holds("r.expired", rec(-60)));
  BOOST_TEST(e.holds("r.expired", rec(0)));
  BOOST_TEST(e.holds("r.expired", rec(-100000)));
  BOOST_TEST(!e.holds("r.expired", rec(1)));
  BOOST_TEST(!e.holds("r.expired", rec(1800)));
  BOOST_TEST(!e.holds("r.expired", test_support::with_auth("Bearer sk-opaque-key-123")));
  BOOST_TEST(e.holds("r.big", R"({"response": {"status": 504}, "duration_ms": 30000})"));
  BOOST_TEST(e.holds("r.big", R"({"response": {"status": 504}, "duration_ms": 120000.5})"));
  BOOST_TEST(!e.holds("r.big", R"({"response": {"status": 504}, "duration_ms": 29999})"));
  BOOST_TEST(!e.holds("r.big", R"({"response": {"status": 504}})"));
}

BOOST_AUTO_TEST_CASE(exists_true_and_false) {
  rule_engine e(rule_yaml("r.has", "{request.body.prompt: {exists: true}}") +
           rule_yaml("r.lacks", "{request.body.prompt: {exists: false}}"));
  std::string with = with_request_body(R"({"prompt": "a fox"})");
  std::string empty = with_request_body(R"({"prompt": ""})");
  std::string without = with_request_body(R"({"duration": "5"})");
  std::string null_prompt = with_request_body(R"({"prompt": null})");
  std::string no_body = with_status(400);
  BOOST_TEST(e.holds("r.has", with));
  BOOST_TEST(!e.holds("r.lacks", with));
  BOOST_TEST(e.holds("r.has", empty));  // present, if empty
  BOOST_TEST(!e.holds("r.has", without));
  BOOST_TEST(e.holds("r.lacks", without));
  BOOST_TEST(e.holds("r.lacks", null_prompt));  // null counts as absent
  BOOST_TEST(e.holds("r.lacks", no_body));
}

BOOST_AUTO_TEST_CASE(not_matcher_including_absent_fields) {
  rule_engine e(rule_yaml("r.dur", R"({request.body.duration: {not: ["5", "10"]}})") +
           rule_yaml("r.status", "{status: {not: 401}}") +
           rule_yaml("r.msg", "{message: {not: {regex: 'quota'}}}"));
  BOOST_TEST(e.holds("r.dur", with_request_body(R"({"duration": "7"})")));
  BOOST_TEST(!e.holds("r.dur", with_request_body(R"({"duration": "5"})")));
  BOOST_TEST(!e.holds("r.dur", with_request_body(R"({"duration": 10})")));
  BOOST_TEST(e.holds("r.dur", with_request_body(R"({"prompt": "x"})")));  // absent
  BOOST_TEST(e.holds("r.status", with_status(500)));
  BOOST_TEST(!e.holds("r.status", with_status(401)));
  BOOST_TEST(e.holds("r.status", transport));  // no status at all
  BOOST_TEST(e.holds("r.msg", with_status(500)));
  BOOST_TEST(!e.holds("r.msg", with_status(429, R"({"message": "Quota exceeded"})")));
}

BOOST_AUTO_TEST_CASE(absent_fields_fail_every_other_matcher) {
  rule_engine e(rule_yaml("r.eq", R"({request.body.prompt: ""})") +
           rule_yaml("r.list", R"({request.body.prompt: ["", "x"]})") +
           rule_yaml("r.regex", "{request.body.prompt: {regex: '.*'}}") +
           rule_yaml("r.range", "{code: {range: [null, null]}}") +
           rule_yaml("r.exists", "{request.body.prompt: {exists: true}}") +
           rule_yaml("r.not_exists", "{request.body.prompt: {not: {exists: true}}}"));
  std::string absent = with_request_body(R"({"duration": "5"})");
  BOOST_TEST(!e.holds("r.eq", absent));
  BOOST_TEST(!e.holds("r.list", absent));
  BOOST_TEST(!e.holds("r.regex", absent));
  BOOST_TEST(!e.holds("r.range", absent));
  BOOST_TEST(!e.holds("r.exists", absent));
  BOOST_TEST(e.holds("r.not_exists", absent));
  // ... while present values do match them.
  std::string present = R"({"request": {"body": {"prompt": ""}}, "response": {"status": 400, "body": {"code": 7}}})";
  BOOST_TEST(e.holds("r.eq", present));
  BOOST_TEST(e.holds("r.list", present));
  BOOST_TEST(e.holds("r.regex", present));
  BOOST_TEST(e.holds("r.range", present));
}

// ---- combinators -------------------------------------------------------

BOOST_AUTO_TEST_CASE(top_level_keys_must_all_hold) {
  rule_engine e(rule_yaml("r", "{status: 401, code: 1004}"));
  BOOST_TEST(e.holds("r", with_status(401, R"({"code": 1004})")));
  BOOST_TEST(!e.holds("r", with_status(401, R"({"code": 1000})")));
  BOOST_TEST(!e.holds("r", with_status(403, R"({"code": 1004})")));
}

BOOST_AUTO_TEST_CASE(all_any_not) {
  rule_engine e(rule_yaml("r.all", "{all: [{status: 401}, {code: 1004}]}") +
           rule_yaml("r.any", "{any: [{code: 1302}, {status: 429}]}") +
           rule_yaml("r.not", "{not: {status: 401}}") +
           rule_yaml("r.nested",
                     "{status: 400, any: [{all: [{code: 1201}, {request.body.prompt: {exists: false}}]}, "
                     "{not: {any: [{code: 1201}, {code: 1200}]}}]}"));
  BOOST_TEST(e.holds("r.all", with_status(401, R"({"code": 1004})")));
  BOOST_TEST(!e.holds("r.all", with_status(401, R"({"code": 1000})")));
  BOOST_TEST(e.holds("r.any", with_status(429)));
  BOOST_TEST(e.holds("r.any", with_status(200, R"({"code": 1302})")));
  BOOST_TEST(!e.holds("r.any", with_status(503, R"({"code": 5001})")));
  BOOST_TEST(e.holds("r.not", with_status(403)));
  BOOST_TEST(e.holds("r.not", transport));
  BOOST_TEST(!e.holds("r.not", with_status(401)));
  // nested: 400 and (1201 without prompt, or a code other than 1200/1201)
  BOOST_TEST(e.holds("r.nested", R"({"request": {"body": {"duration": "5"}}, "response": {"status": 400, "body": {"code": 1201}}})"));
  BOOST_TEST(!e.holds("r.nested", R"({"request": {"body": {"prompt": "x"}}, "response": {"status": 400, "body": {"code": 1201}}})"));
  BOOST_TEST(e.holds("r.nested", R"({"request": {"body": {"prompt": "x"}}, "response": {"status": 400, "body": {"code": 1300}}})"));
  BOOST_TEST(!e.holds("r.nested", R"({"request": {"body": {"prompt": "x"}}, "response": {"status": 400, "body": {"code": 1200}}})"));
  BOOST_TEST(!e.holds("r.nested", R"({"request": {"body": {"duration": "5"}}, "response": {"status": 422, "body": {"code": 1201}}})"));
}

BOOST_AUTO_TEST_CASE(rule_without_when_matches_every_failure) {
  rule_engine e(rule_yaml("r.all", ""));
  BOOST_TEST(e.holds("r.all", with_status(500)));
  BOOST_TEST(e.holds("r.all", transport));
  BOOST_TEST(e.holds("r.all", with_status(200, R"({"code": 1102})")));
}

// ---- priorities and classification --------------------------------------

BOOST_AUTO_TEST_CASE(higher_priority_wins_whatever_the_order) {
  rule_engine a(rule_yaml("r.low", "{status: 500}", 10) + rule_yaml("r.high", "{status: 500}", 50));
  rule_engine b(rule_yaml("r.high", "{status: 500}", 50) + rule_yaml("r.low", "{status: 500}", 10));
  BOOST_TEST(a.classify(with_status(500)) == "r.high");
  BOOST_TEST(b.classify(with_status(500)) == "r.high");
}

BOOST_AUTO_TEST_CASE(priority_ties_go_to_the_first_loaded) {
  rule_engine a(rule_yaml("r.first", "{status: 500}", 20) + rule_yaml("r.second", "{status: 500}", 20));
  rule_engine b(rule_yaml("r.second", "{status: 500}", 20) + rule_yaml("r.first", "{status: 500}", 20));
  BOOST_TEST(a.classify(with_status(500)) == "r.first");
  BOOST_TEST(b.classify(with_status(500)) == "r.second");
}

BOOST_AUTO_TEST_CASE(negative_and_default_priorities) {
  rule_engine e(rule_yaml("r.neg", "{status: 500}", -5) + rule_yaml("r.zero", "{status: 500}"));
  BOOST_TEST(e.classify(with_status(500)) == "r.zero");
}

BOOST_AUTO_TEST_CASE(a_lower_priority_rule_wins_when_the_higher_does_not_hold) {
  rule_engine e(rule_yaml("r.specific", "{status: 429, code: 1102}", 90) +
           rule_yaml("r.generic", "{status: 429}", 10));
  BOOST_TEST(e.classify(with_status(429, R"({"code": 1102})")) == "r.specific");
  BOOST_TEST(e.classify(with_status(429, R"({"code": 1302})")) == "r.generic");
}

BOOST_AUTO_TEST_CASE(unclassified_when_nothing_matches) {
  rule_engine e(rule_yaml("r.401", "{status: 401}") + rule_yaml("r.msg", "{message: {regex: 'quota'}}"));
  BOOST_TEST(e.classify(with_status(500)) == "(unclassified)");
  BOOST_TEST(e.classify(transport) == "(unclassified)");
  rule_engine none(" []\n");
  BOOST_TEST(none.rules().size() == 0);
  BOOST_TEST(none.classify(with_status(500)) == "(unclassified)");
}

/// classify() must give exactly what the first matching rule of trace()
/// (every rule, in priority order) gives: its status index may skip rules,
/// never change the answer.
void check_classify_agrees_with_trace(rule_engine& e, const std::vector<std::string>& records) {
  size_t failures = 0;
  for (const auto& rec : records) {
    e.norm().normalize_copy(rec, e.mutable_ev());
    if (e.ev().result != event::outcome::failure) continue;
    ++failures;
    int got = e.rules().classify(e.ev(), e.scratch());
    auto trace = e.rules().trace(e.ev(), e.scratch());
    BOOST_TEST_REQUIRE(trace.size() == static_cast<size_t>(e.rules().size()));
    int want = -1;
    for (const auto& t : trace) {
      if (t.matched) {
        want = t.rule;
        break;
      }
    }
    BOOST_TEST(got == want, rec.substr(0, 200));
    // trace() lists rules by priority, ties in load order.
    for (size_t i = 1; i < trace.size(); ++i) {
      const auto& a = e.rules().at(trace[i - 1].rule);
      const auto& b = e.rules().at(trace[i].rule);
      BOOST_TEST((a.priority > b.priority ||
                  (a.priority == b.priority && trace[i - 1].rule < trace[i].rule)));
    }
  }
  BOOST_TEST(failures > 0u);
}

BOOST_AUTO_TEST_CASE(classify_skips_only_rules_whose_status_differs) {
  rule_engine e(rule_yaml("s.401", "{status: 401}", 90) +
           rule_yaml("s.list", "{status: [429, 503], code: {not: 1102}}", 80) +
           rule_yaml("s.range", "{status: {range: [500, 599]}, message: {regex: 'gateway'}}", 70) +
           rule_yaml("s.text", R"({status: "400-404"})", 60) +
           rule_yaml("s.open", "{status: {range: [null, 499]}, code: 1102}", 55) +
           rule_yaml("s.not", "{status: {not: [401, 429]}, error: {exists: true}}", 50) +
           rule_yaml("s.any", "{any: [{status: 401}, {status: 418}]}", 45) +
           rule_yaml("s.exists", "{status: {exists: false}}", 40) +
           rule_yaml("s.regex", "{status: {regex: '^50'}}", 30) +
           rule_yaml("s.none", "{message: {regex: 'busy'}}", 20) +
           rule_yaml("s.code", "{code: 1102}", 10));
  std::vector<std::string> records = {
      with_status(401),
      with_status(418),
      with_status(429, R"({"code": 1102})"),
      with_status(429, R"({"code": 1302})"),
      with_status(503, R"({"code": 1102, "message": "gateway busy"})"),
      with_status(503, R"({"message": "bad gateway"})"),
      with_status(502, R"({"message": "Bad Gateway"})"),
      with_status(504, R"({"message": "busy"})"),
      with_status(400, R"({"code": 1102})"),
      with_status(404),
      with_status(405),
      with_status(200, R"({"code": 1102})"),
      with_status(200, R"({"code": 5000, "message": "busy"})"),
      with_status(600),
      with_status(999),
      transport,
      R"({"response": {"status": 0}, "error": "socket hang up"})",
  };
  check_classify_agrees_with_trace(e, records);
}

BOOST_AUTO_TEST_CASE(classify_agrees_with_trace_on_the_bundled_pack) {
  core::diagnostics problems;
  rule_engine e(cli::load_ruleset({}, false, problems));
  std::vector<std::string> records;
  for (const char* file : {"tests/corpus/labelled.jsonl", "samples/api-2026-11-24.jsonl",
                           "samples/malformed.jsonl"}) {
    std::istringstream in(test_support::read_file(
        std::filesystem::path(test_support::source_dir()) / file));
    for (std::string line; std::getline(in, line);) records.push_back(line);
  }
  BOOST_TEST(records.size() > 1000u);
  check_classify_agrees_with_trace(e, records);
}

// ---- bundled pack, overrides, --no-builtin-rules ------------------------

const char* const user_override = R"(rules:
  - id: rate_limit.requests
    category: rate_limit
    title: Our own rate limit title
    priority: 22
    when: {status: 429, code: {not: [1102, 1303, 1304]}}
    retryable: "yes"
    samples:
      match: [{response: {status: 429, body: {code: 1302}}}]
      no_match: [{response: {status: 429, body: {code: 1102}}}]
)";

BOOST_AUTO_TEST_CASE(user_rule_with_a_bundled_id_replaces_it) {
  core::diagnostics problems;
  auto bundled = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(bundled != nullptr, dump(problems));
  rule_engine base(std::move(bundled));
  int bundled_index = base.index_of("rate_limit.requests");
  BOOST_TEST(base.rules().at(bundled_index).title != "Our own rate limit title");

  temp_dir dir;
  std::string path = dir.write("override.yaml", user_override);
  auto merged = cli::load_ruleset({path}, false, problems);
  BOOST_TEST_REQUIRE(merged != nullptr, dump(problems));
  BOOST_TEST(merged->size() == base.rules().size());  // replaced, not added
  int count = 0;
  for (int i = 0; i < merged->size(); ++i) {
    if (merged->at(i).id == "rate_limit.requests") ++count;
    if (i != bundled_index) BOOST_TEST(merged->at(i).id == base.rules().at(i).id);
  }
  BOOST_TEST(count == 1);
  const rules::rule& r = merged->at(bundled_index);
  BOOST_TEST(r.id == "rate_limit.requests");
  BOOST_TEST(r.title == "Our own rate limit title");
  BOOST_TEST(!r.builtin);
  BOOST_TEST(r.where.file == path);
  BOOST_TEST(merged->digest() != base.rules().digest());
  BOOST_TEST(merged->sources().back() == path);

  rule_engine e(std::move(merged));
  BOOST_TEST(e.holds("rate_limit.requests", with_status(429, R"({"code": 1302})")));
  BOOST_TEST(e.holds("rate_limit.requests", with_status(429)));
  BOOST_TEST(!e.holds("rate_limit.requests", with_status(200, R"({"code": 1302})")));
}

BOOST_AUTO_TEST_CASE(no_builtin_rules_loads_only_user_rules) {
  temp_dir dir;
  std::string path = dir.write("override.yaml", user_override);
  core::diagnostics problems;
  auto rs = cli::load_ruleset({path}, true, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  BOOST_TEST(rs->size() == 1);
  BOOST_TEST(rs->at(0).id == "rate_limit.requests");
  BOOST_TEST(rs->sources() == std::vector<std::string>({path}),
             boost::test_tools::per_element());
  auto empty = cli::load_ruleset({}, true, problems);
  BOOST_TEST_REQUIRE(empty != nullptr);
  BOOST_TEST(empty->size() == 0);
}

BOOST_AUTO_TEST_CASE(user_regexes_and_fields_keep_working_after_merge) {
  // Regex and field-plan indices of the user layer are shifted when merged
  // after the bundled pack: the user's rule must still see its own fields.
  temp_dir dir;
  std::string path = dir.write("mine.yaml", R"(rules:
  - id: mine.custom
    category: custom
    title: Custom header and regex
    priority: 1000
    when:
      response.headers.x-gateway-reason: {regex: '^upstream quota'}
      request.body.my_flag: true
    samples:
      match:
        - {request: {body: {my_flag: true}}, response: {status: 502, headers: {X-Gateway-Reason: "Upstream quota hit"}}}
      no_match:
        - {request: {body: {my_flag: false}}, response: {status: 502, headers: {X-Gateway-Reason: "Upstream quota hit"}}}
        - {request: {body: {my_flag: true}}, response: {status: 502, headers: {X-Gateway-Reason: "quota"}}}
)");
  core::diagnostics problems;
  rule_engine e(cli::load_ruleset({path}, false, problems));
  BOOST_TEST(e.classify(R"({"request": {"body": {"my_flag": true}}, "response": {"status": 502, "headers": {"x-gateway-reason": "upstream QUOTA hit"}}})") == "mine.custom");
  BOOST_TEST(e.classify(R"({"request": {"body": {"my_flag": true}}, "response": {"status": 502, "headers": {"x-gateway-reason": "no"}}})") != "mine.custom");
}

// analyze and explain load the bundled pack without its samples
// (rules::builtin_rule_sources_lean): the same rules, at the same
// positions, classifying every sample of the full pack the same way.
BOOST_AUTO_TEST_CASE(the_lean_bundled_pack_is_the_pack_without_its_samples) {
  for (const auto& src : rules::builtin_rule_sources()) {
    std::string lean = loader::without_blocks(src.text, "samples");
    BOOST_TEST(lean.size() <= src.text.size());
    BOOST_TEST(std::count(lean.begin(), lean.end(), '\n') ==
               std::count(src.text.begin(), src.text.end(), '\n'));
    BOOST_TEST(lean.find("samples:") == std::string::npos, src.name);
  }
  core::diagnostics p_full, p_lean;
  auto full = cli::load_ruleset({}, false, p_full, {}, {}, true);
  auto lean = cli::load_ruleset({}, false, p_lean, {}, {}, false);
  BOOST_REQUIRE(full && lean);
  BOOST_TEST(p_lean.size() == p_full.size());
  BOOST_TEST(lean->digest() == full->digest());
  BOOST_REQUIRE(lean->size() == full->size());
  size_t samples = 0;
  ingest::normalizer norm(full->plan());
  rules::match_scratch scratch;
  event::event ev;
  for (int i = 0; i < full->size(); ++i) {
    const rules::rule& a = full->at(i);
    const rules::rule& b = lean->at(i);
    BOOST_TEST(b.match_samples.empty());
    BOOST_TEST(b.no_match_samples.empty());
    BOOST_TEST((a.id == b.id && a.cause == b.cause && a.category == b.category &&
                a.title == b.title && a.fixes == b.fixes && a.docs == b.docs &&
                a.priority == b.priority && a.retryable == b.retryable), a.id);
    BOOST_TEST((a.where.file == b.where.file && a.where.line == b.where.line &&
                a.where.column == b.where.column), a.id);
    for (const auto* list : {&a.match_samples, &a.no_match_samples}) {
      for (const auto& s : *list) {
        norm.normalize_copy(s.json, ev);
        if (ev.result != event::outcome::failure) continue;
        BOOST_TEST(lean->classify(ev, scratch) == full->classify(ev, scratch), a.id);
        ++samples;
      }
    }
  }
  BOOST_TEST(samples > 150);
}

BOOST_AUTO_TEST_SUITE_END()
