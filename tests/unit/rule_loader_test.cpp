// SPDX-License-Identifier: MIT
// rules/rule_loader (+ cli::load_ruleset): every diagnostic kind, with its
// message and file:line:col, and that all problems are collected.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "analyzer/cli/config.hpp"
#include "analyzer/core/diagnostic.hpp"
#include "analyzer/rules/rule_loader.hpp"
#include "test_support.hpp"

using namespace analyzer;
using test_support::contains;
using test_support::temp_dir;

namespace {

rules::rule_library load(const std::string& text,
                         const std::string& name = "rules.yaml") {
  rules::rule_library lib;
  rules::load_rule_file({name, text, false}, lib);
  return lib;
}

/// Loaded and resolved (sets filled in, rules grouped into causes).
rules::rule_library load_resolved(const std::string& text, const std::string& name = "rules.yaml") {
  auto lib = load(text, name);
  rules::resolve_library(lib);
  return lib;
}

std::string dump(const core::diagnostics& list) {
  std::string out;
  for (const auto& d : list) out += core::render(d);
  return out;
}

/// Checks one diagnostic's message (exact), place and, if given, a part of
/// its help.
void check(const core::diagnostic& d, const std::string& message,
           const std::string& file, int64_t line, int64_t column,
           const std::string& help_part = {},
           core::severity level = core::severity::error) {
  BOOST_TEST(d.message == message);
  BOOST_TEST(d.where.file == file);
  BOOST_TEST(d.where.line == line);
  BOOST_TEST(d.where.column == column);
  BOOST_TEST(d.level == level);
  if (!help_part.empty()) BOOST_TEST(contains(d.help, help_part), d.help);
}

// A rule that loads cleanly, to put beside broken ones.
const std::string good_rule = R"(  - id: t.good
    category: test
    title: A good rule
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_loader_test)

BOOST_AUTO_TEST_CASE(clean_file_loads_every_key) {
  auto lib = load(R"(pack: test
rules:
  - id: t.one
    category: test
    title: One
    priority: 42
    retryable: after_fix
    docs: https://example.com/t.one
    fixes:
      - first fix
      - second fix
    when:
      status: 401
      jwt.expired: true
    samples:
      match:
        - {ts: "2026-11-24T03:12:45Z", response: {status: 401}}
      no_match:
        - {response: {status: 200}}
        - {response: {status: 500}}
)");
  BOOST_TEST(lib.problems.empty(), dump(lib.problems));
  BOOST_TEST_REQUIRE(lib.rules.size() == 1u);
  const rules::rule& r = lib.rules[0];
  BOOST_TEST(r.id == "t.one");
  BOOST_TEST(r.category == "test");
  BOOST_TEST(r.title == "One");
  BOOST_TEST(r.priority == 42);
  BOOST_TEST(r.retryable == rules::retry_advice::after_fix);
  BOOST_TEST(r.docs == "https://example.com/t.one");
  BOOST_TEST(r.fixes == std::vector<std::string>({"first fix", "second fix"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.match_samples.size() == 1u);
  BOOST_TEST(r.no_match_samples.size() == 2u);
  BOOST_TEST(r.where.file == "rules.yaml");
  BOOST_TEST(r.where.line == 3);
  BOOST_TEST(r.when.children.size() == 2u);
  BOOST_TEST(lib.sources == std::vector<std::string>({"rules.yaml"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_bad_indentation) {
  auto lib = load("rules:\n  - id: t.one\n    category: test\n   title: bad indent\n");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  const auto& d = lib.problems[0];
  check(d, "invalid YAML: end of sequence not found", "rules.yaml", 4, 4,
        "check indentation and quoting");
  BOOST_TEST(d.snippet == "   title: bad indent");
  BOOST_TEST(lib.rules.empty());
  BOOST_TEST(contains(core::render(d), "--> rules.yaml:4:4"), core::render(d));
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_unclosed_flow_sequence) {
  auto lib = load("rules:\n  - id: t.one\n    category: [test\n    title: x\n", "flow.yml");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "invalid YAML: end of sequence flow not found",
        "flow.yml", 4, 10);
}

BOOST_AUTO_TEST_CASE(file_that_is_not_a_map) {
  auto lib = load("- id: t.one\n");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "a rule file must be a map with a `rules:` list",
        "rules.yaml", 1, 1, "start the file with `rules:`");
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_with_hint) {
  auto lib = load("rulez:\n" + good_rule);
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  check(lib.problems[0], "unknown key `rulez` in the rule file", "rules.yaml",
        1, 1, "did you mean `rules`?");
  BOOST_TEST(contains(lib.problems[0].help, "allowed keys: rules, sets, pack"));
  BOOST_TEST(lib.problems[0].snippet == "rulez:");
  BOOST_TEST(lib.problems[1].message == "`rules` must be a list of rules");
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_beside_rules) {
  auto lib = load("version: 2\nrules:\n" + good_rule);
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "unknown key `version` in the rule file", "rules.yaml",
        1, 1, "allowed keys: rules, sets, pack");
  BOOST_TEST(!contains(lib.problems[0].help, "did you mean"));
}

BOOST_AUTO_TEST_CASE(unknown_rule_key_with_did_you_mean) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    priorty: 5
    when: {status: 500}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "unknown key `priorty` in a rule", "rules.yaml", 5, 5,
        "did you mean `priority`?");
  BOOST_TEST(lib.problems[0].snippet == "    priorty: 5");
  BOOST_TEST(lib.rules.empty());  // a rule with problems is not kept
}

BOOST_AUTO_TEST_CASE(misspelt_required_key_reports_both) {
  auto lib = load_resolved(R"(rules:
  - id: t.one
    category: test
    titel: One
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  check(lib.problems[0], "unknown key `titel` in a rule", "rules.yaml", 4, 5,
        "did you mean `title`?");
  check(lib.problems[1], "rule has no `title`", "rules.yaml", 2, 5,
        "every rule needs `id`, `category` and `title`");
}

BOOST_AUTO_TEST_CASE(missing_id_category_title) {
  auto lib = load_resolved(R"(rules:
  - category: test
    title: No id
    samples: {match: [{response: {status: 500}}]}
  - id: t.no_category
    title: No category
    samples: {match: [{response: {status: 500}}]}
  - id: t.no_title
    category: test
    samples: {match: [{response: {status: 500}}]}
  - id: ""
    category: test
    title: Empty id
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 4u, dump(lib.problems));
  check(lib.problems[0], "rule has no `id`", "rules.yaml", 2, 5);
  check(lib.problems[1], "rule has no `category`", "rules.yaml", 5, 5);
  check(lib.problems[2], "rule has no `title`", "rules.yaml", 8, 5);
  check(lib.problems[3], "`id` must be a non-empty text", "rules.yaml", 11, 9);
  BOOST_TEST(lib.rules.empty());
}

BOOST_AUTO_TEST_CASE(unknown_field_name_with_hint) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      statuss: 401
      jwt.expird: true
    samples: {match: [{response: {status: 401}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  check(lib.problems[0], "unknown field `statuss`", "rules.yaml", 6, 7,
        "did you mean `status`?");
  check(lib.problems[1], "unknown field `jwt.expird`", "rules.yaml", 7, 7,
        "did you mean `jwt.expired`?");
}

BOOST_AUTO_TEST_CASE(unknown_field_in_nested_combinators) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      any:
        - {status: 401}
        - not: {request.bodyy.prompt: {exists: true}}
    samples: {match: [{response: {status: 401}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "unknown field `request.bodyy.prompt`", "rules.yaml",
        8, 17, "request.body.<path>");
}

BOOST_AUTO_TEST_CASE(invalid_regex_gives_re2_reason) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when: {message: {regex: 'a(b'}}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "invalid regex: missing ): a(b", "rules.yaml", 5, 29,
        "`a(b`");
}

BOOST_AUTO_TEST_CASE(invalid_regex_look_around_and_repetition) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      message: {regex: '(?<=token )expired'}
      code: {regex: 'x{2,1}'}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  check(lib.problems[0], "invalid regex: invalid perl operator: (?<",
        "rules.yaml", 6, 24, "no look-around");
  check(lib.problems[1], "invalid regex: invalid repetition size: {2,1}",
        "rules.yaml", 7, 21);
}

BOOST_AUTO_TEST_CASE(bad_range_bound_not_a_number) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when: {status: {range: [abc, 599]}}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "range bound `abc` is not a number", "rules.yaml", 5, 29);
}

BOOST_AUTO_TEST_CASE(bad_range_low_above_high) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when: {status: {range: [599, 500]}}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 1u, dump(lib.problems));
  check(lib.problems[0], "empty range: 599 is greater than 500", "rules.yaml",
        5, 28, "write the lower bound first");
}

BOOST_AUTO_TEST_CASE(bad_range_not_two_items) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      status: {range: [500, 550, 599]}
      code: {range: 5}
      jwt.exp_in_s: {range: [0]}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 3u, dump(lib.problems));
  check(lib.problems[0], "`range` must be a list of two bounds: [lo, hi]",
        "rules.yaml", 6, 23, "use null for an open side");
  check(lib.problems[1], "`range` must be a list of two bounds: [lo, hi]",
        "rules.yaml", 7, 21);
  check(lib.problems[2], "`range` must be a list of two bounds: [lo, hi]",
        "rules.yaml", 8, 29);
}

BOOST_AUTO_TEST_CASE(open_range_bounds_are_fine) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    when:
      jwt.exp_in_s: {range: [null, 0]}
      jwt.nbf_in_s: {range: [~, 0]}
      duration_ms: {range: [1000, null]}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST(lib.problems.empty(), dump(lib.problems));
}

BOOST_AUTO_TEST_CASE(bad_matcher_values) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: One
    priority: high
    retryable: maybe
    when:
      request.body.prompt: {exists: perhaps}
      message: {regexp: 'x'}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 4u, dump(lib.problems));
  check(lib.problems[0], "`priority` must be an integer", "rules.yaml", 5, 15);
  check(lib.problems[1], "invalid `retryable` value `maybe`", "rules.yaml", 6,
        16, "use yes, no, after_fix or unknown");
  check(lib.problems[2], "`exists` must be true or false", "rules.yaml", 8, 37);
  check(lib.problems[3], "unknown key `regexp` in the matcher of `message`",
        "rules.yaml", 9, 17, "did you mean `regex`?");
}

const char* const rules_without_samples = R"(rules:
  - id: t.none
    category: test
    title: No samples
  - id: t.no_match_only
    category: test
    title: Only no_match
    samples:
      no_match: [{response: {status: 200}}]
)";

BOOST_AUTO_TEST_CASE(samples_are_optional_for_user_rules) {
  // A user's rule without samples is a warning: the rules still load.
  auto lib = load(rules_without_samples);
  BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
  check(lib.problems[0], "rule `t.none` has no `samples`: it is not tested", "rules.yaml", 2, 5,
        "`rules check --strict` makes this an error", core::severity::warning);
  check(lib.problems[1], "rule `t.no_match_only` has no `match` sample: it is not tested",
        "rules.yaml", 9, 7, {}, core::severity::warning);
  BOOST_TEST(lib.rules.size() == 2u);
  BOOST_TEST(!core::has_errors(lib.problems));
}

BOOST_AUTO_TEST_CASE(samples_are_required_strictly_and_for_the_bundled_pack) {
  for (bool builtin : {false, true}) {
    rules::rule_library lib;
    rules::rule_source src{"rules.yaml", rules_without_samples, builtin, !builtin};
    rules::load_rule_file(src, lib);
    BOOST_TEST_REQUIRE(lib.problems.size() == 2u, dump(lib.problems));
    check(lib.problems[0], "rule `t.none` has no `samples`", "rules.yaml", 2, 5);
    check(lib.problems[1], "rule `t.no_match_only` has no `match` sample", "rules.yaml", 9, 7);
    BOOST_TEST(lib.rules.empty());
  }
}

BOOST_AUTO_TEST_CASE(rules_check_strict_refuses_rules_without_samples) {
  temp_dir dir;
  std::string path = dir.write("mine.yaml", rules_without_samples);
  core::diagnostics problems;
  int files = 0;
  BOOST_TEST(cli::load_files_only({path}, problems, files) != nullptr, dump(problems));
  problems.clear();
  BOOST_TEST(cli::load_files_only({path}, problems, files, true) == nullptr);
  BOOST_TEST(core::error_count(problems) == 2u, dump(problems));
  // analyze with the file: warnings only, the run goes on
  problems.clear();
  BOOST_TEST(cli::load_ruleset({path}, false, problems) != nullptr, dump(problems));
  BOOST_TEST(!core::has_errors(problems));
}

BOOST_AUTO_TEST_CASE(all_problems_are_collected) {
  auto lib = load(R"(rules:
  - id: t.one
    category: test
    title: Unknown field
    when: {stauts: 500}
    samples: {match: [{response: {status: 500}}]}
)" + good_rule + R"(  - id: t.two
    category: test
    title: Bad regex
    when: {message: {regex: '[a-'}}
    samples: {match: [{response: {status: 500}}]}
  - id: t.three
    category: test
    title: Bad range
    when: {status: {range: [600, 500]}}
    samples: {match: [{response: {status: 500}}]}
)");
  BOOST_TEST_REQUIRE(lib.problems.size() == 3u, dump(lib.problems));
  BOOST_TEST(lib.problems[0].message == "unknown field `stauts`");
  BOOST_TEST(lib.problems[0].where.line == 5);
  BOOST_TEST(lib.problems[1].message == "invalid regex: missing ]: [a-");
  BOOST_TEST(lib.problems[1].where.line == 15);
  BOOST_TEST(lib.problems[2].message == "empty range: 600 is greater than 500");
  BOOST_TEST(lib.problems[2].where.line == 20);
  BOOST_TEST_REQUIRE(lib.rules.size() == 1u);  // only the good rule is kept
  BOOST_TEST(lib.rules[0].id == "t.good");
}

BOOST_AUTO_TEST_CASE(duplicate_ids_across_two_files_of_one_layer) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", "rules:\n" + good_rule);
  std::string b = dir.write("b.yaml", "pack: b\nrules:\n" + good_rule);
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a, b}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 1u, dump(problems));
  check(problems[0], "duplicate rule id `t.good`", b, 3, 5,
        "first defined at " + a + ":2");
}

BOOST_AUTO_TEST_CASE(duplicate_ids_in_one_file) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", "rules:\n" + good_rule + good_rule);
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 1u, dump(problems));
  check(problems[0], "duplicate rule id `t.good`", a, 7, 5,
        "first defined at " + a + ":2");
}

BOOST_AUTO_TEST_CASE(folder_of_rule_files_loads_in_sorted_order) {
  temp_dir dir;
  dir.write("b.yaml", R"(rules:
  - id: t.b
    category: test
    title: B
    samples: {match: [{response: {status: 500}}]}
)");
  dir.write("a.yml", "rules:\n" + good_rule);
  dir.write("notes.txt", "not a rule file");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({dir.path().string()}, true, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  BOOST_TEST_REQUIRE(rs->size() == 2);
  BOOST_TEST(rs->at(0).id == "t.good");
  BOOST_TEST(rs->at(1).id == "t.b");
}

BOOST_AUTO_TEST_CASE(unreadable_rule_path) {
  core::diagnostics problems;
  auto rs = cli::load_ruleset({"/nonexistent/rules.yaml"}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 1u, dump(problems));
  // The reason is the system's, not a guess.
  BOOST_TEST(problems[0].message == "cannot read rule file: No such file or directory");
  BOOST_TEST(problems[0].where.file == "/nonexistent/rules.yaml");
}

BOOST_AUTO_TEST_CASE(match_sample_that_fails) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", R"(rules:
  - id: t.one
    category: test
    title: One
    when: {status: 401}
    samples:
      match:
        - {response: {status: 401}}
        - {response: {status: 500}}
)");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 1u, dump(problems));
  check(problems[0], "rule `t.one`: a `match` sample fails", a, 9, 11,
        "its `when` does not hold for the sample");
}

BOOST_AUTO_TEST_CASE(no_match_sample_that_holds) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", R"(rules:
  - id: t.one
    category: test
    title: One
    when: {status: {range: [500, 599]}}
    samples:
      match: [{response: {status: 503}}]
      no_match:
        - {response: {status: 404}}
        - {response: {status: 500, body: {code: 5000}}}
)");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 1u, dump(problems));
  check(problems[0], "rule `t.one`: a `no_match` sample fails", a, 10, 11,
        "its `when` holds for the sample");
}

BOOST_AUTO_TEST_CASE(match_sample_that_is_not_a_failure_or_malformed) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", R"(rules:
  - id: t.one
    category: test
    title: One
    samples:
      match:
        - {response: {status: 200}}
        - {foo: 1}
)");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 2u, dump(problems));
  check(problems[0], "rule `t.one`: a `match` sample fails", a, 7, 11,
        "not a failure");
  check(problems[1], "rule `t.one`: a `match` sample fails", a, 8, 11,
        "malformed");
}

BOOST_AUTO_TEST_CASE(sample_problems_in_several_files_are_all_listed) {
  temp_dir dir;
  std::string a = dir.write("a.yaml", R"(rules:
  - id: t.a
    category: test
    title: A
    when: {status: 401}
    samples: {match: [{response: {status: 402}}]}
)");
  std::string b = dir.write("b.yaml", R"(rules:
  - id: t.b
    category: test
    title: B
    when: {code: 1302}
    samples: {match: [{response: {status: 429, body: {code: 1303}}}]}
)");
  core::diagnostics problems;
  auto rs = cli::load_ruleset({a, b}, true, problems);
  BOOST_TEST(rs == nullptr);
  BOOST_TEST_REQUIRE(problems.size() == 2u, dump(problems));
  BOOST_TEST(problems[0].where.file == a);
  BOOST_TEST(problems[1].where.file == b);
}

BOOST_AUTO_TEST_CASE(bundled_pack_loads_cleanly) {
  core::diagnostics problems;
  auto rs = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(rs != nullptr, dump(problems));
  BOOST_TEST(problems.empty(), dump(problems));
  BOOST_TEST(rs->size() > 30);
  BOOST_TEST(rs->digest().rfind("sha256:", 0) == 0u);
  BOOST_TEST(rs->digest().size() == 7u + 64u);
  for (int i = 0; i < rs->size(); ++i) {
    BOOST_TEST(rs->at(i).builtin, rs->at(i).id);
    BOOST_TEST(!rs->at(i).match_samples.empty(), rs->at(i).id);
  }
}

BOOST_AUTO_TEST_SUITE_END()
