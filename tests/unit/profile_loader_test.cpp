// SPDX-License-Identifier: MIT
// profile/profile_loader (+ cli::load_profiles): every diagnostic kind, with
// its message and file:line:col, that all problems are collected, and the
// load-time check that every sample has one reader.
#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/config.hpp"
#include "analyzer/core/diagnostic.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "test_support.hpp"

using namespace analyzer;
using test_support::contains;

namespace {

struct loaded {
  std::vector<std::shared_ptr<profile::compiled_profile>> profiles;
  core::diagnostics problems;
};

loaded load(const std::string& text, const std::string& name = "p.yaml") {
  loaded out;
  profile::load_profile_file({name, text, false}, out.profiles, out.problems);
  return out;
}

std::string dump(const core::diagnostics& list) {
  std::string out;
  for (const auto& d : list) out += core::render(d);
  return out;
}

void check(const core::diagnostic& d, const std::string& message, int64_t line, int64_t column,
           const std::string& help_part = {}) {
  BOOST_TEST(d.message == message);
  BOOST_TEST(d.where.file == "p.yaml");
  BOOST_TEST(d.where.line == line);
  BOOST_TEST(d.where.column == column);
  BOOST_TEST(d.level == core::severity::error);
  if (!help_part.empty()) BOOST_TEST(contains(d.help, help_part), d.help);
}

// One problem expected: returns it.
core::diagnostic only(const loaded& l) {
  BOOST_TEST_REQUIRE(l.problems.size() == 1u, dump(l.problems));
  return l.problems.front();
}

const std::string head = R"(profiles:
  - id: t.one
    title: Test
    detect: {keys: [req]}
)";
const std::string sample = R"(    samples:
      - record: {req: {status: 200}}
        expect: {response.status: 200}
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(profile_loader_test)

BOOST_AUTO_TEST_CASE(clean_profile_compiles_its_pointers_into_a_trie) {
  auto l = load(head + R"(    fields:
      ts: {path: /time, as: epoch_ms}
      request.url: [{join: ["https://", /req/headers/host, /req/url]}, /req/url]
      response.status: /req/status
)" + sample);
  BOOST_TEST_REQUIRE(l.problems.empty(), dump(l.problems));
  BOOST_TEST_REQUIRE(l.profiles.size() == 1u);
  const auto& p = *l.profiles[0];
  BOOST_TEST(p.id == "t.one");
  BOOST_TEST(p.specificity == 1);
  // root → time, req → headers → host, url, status: one node per key.
  int req = p.nodes[0].child("req");
  BOOST_TEST_REQUIRE(req >= 0);
  BOOST_TEST(p.nodes[static_cast<size_t>(req)].children.size() == 3u);
  BOOST_TEST(p.field(profile::target::url)->sources.size() == 2u);
  BOOST_TEST((p.field(profile::target::ts)->sources[0].time == profile::time_format::epoch_ms));
}

BOOST_AUTO_TEST_CASE(invalid_yaml_points_at_the_problem) {
  auto l = load("profiles:\n  - id: [unclosed\n");
  BOOST_TEST_REQUIRE(!l.problems.empty());
  BOOST_TEST(contains(l.problems[0].message, "invalid YAML"));
  BOOST_TEST(l.problems[0].where.line >= 2);
}

BOOST_AUTO_TEST_CASE(unknown_key_suggests_the_nearest) {
  auto l = load(head + "    feilds: {}\n    fields: {response.status: /req/status}\n" + sample);
  BOOST_TEST_REQUIRE(!l.problems.empty());
  check(l.problems[0], "unknown key `feilds` in a profile", 5, 5, "did you mean `fields`?");
}

BOOST_AUTO_TEST_CASE(unknown_field_suggests_the_nearest) {
  auto l = load(head + "    fields:\n      response.stauts: /req/status\n" + sample);
  check(only(l), "unknown field `response.stauts`", 6, 7, "did you mean `response.status`?");
}

BOOST_AUTO_TEST_CASE(a_pointer_must_start_with_a_slash) {
  auto l = load(head + "    fields:\n      response.status: res/statusCode\n" + sample);
  check(only(l), "`res/statusCode` is not a JSON pointer", 6, 24, "starts with `/`");
}

BOOST_AUTO_TEST_CASE(unknown_time_format_suggests_the_nearest) {
  auto l = load(head + "    fields:\n      ts: {path: /time, as: epoch_mss}\n" + sample);
  check(only(l), "unknown time format `epoch_mss`", 6, 29, "did you mean `epoch_ms`?");
}

BOOST_AUTO_TEST_CASE(as_applies_only_to_time_duration_and_form) {
  auto l = load(head + "    fields:\n      request.url: {path: /u, as: epoch_s}\n" + sample);
  check(only(l), "`as` does not apply to `request.url`", 6, 35);
}

BOOST_AUTO_TEST_CASE(a_mapping_needs_exactly_one_source) {
  auto l = load(head + "    fields:\n      error: {path: /e, const: x}\n" + sample);
  check(only(l), "the mapping of `error` needs exactly one of `path`, `join`, `const`", 6, 14);
}

BOOST_AUTO_TEST_CASE(a_field_mapped_twice_is_an_error) {
  auto l = load(head + "    fields:\n      error: /e\n      error: /f\n" + sample);
  BOOST_TEST_REQUIRE(!l.problems.empty());
  // yaml-cpp keeps both keys of a map: the second is the problem.
  check(l.problems.back(), "field `error` is mapped twice", 7, 7);
}

BOOST_AUTO_TEST_CASE(a_body_alternative_cannot_have_when) {
  auto l = load(head + "    fields:\n      response.body: {path: /b, when: {exists: /x}}\n" + sample);
  check(only(l), "a body alternative cannot have `when`", 6, 39, "read in place");
}

BOOST_AUTO_TEST_CASE(unknown_condition_suggests_the_nearest) {
  auto l = load(R"(profiles:
  - id: t.one
    title: Test
    detect: {exsits: /req}
    fields: {response.status: /req/status}
)" + sample);
  check(only(l), "unknown condition `exsits`", 4, 14, "did you mean `exists`?");
}

BOOST_AUTO_TEST_CASE(invalid_regex_gives_re2s_reason) {
  auto l = load(R"(profiles:
  - id: t.one
    title: Test
    detect: {regex: {/msg: '(unclosed'}}
    fields: {response.status: /req/status}
)" + sample);
  auto d = only(l);
  BOOST_TEST(contains(d.message, "invalid regex: missing )"), d.message);
  BOOST_TEST(d.where.line == 4);
  BOOST_TEST(d.where.column == 28);
}

BOOST_AUTO_TEST_CASE(records_must_end_with_every_element) {
  auto l = load(head + "    records: /resourceSpans\n    fields: {response.status: /s}\n" + sample);
  check(only(l), "`records` must end with `/*`: the array whose elements are the records", 5, 14);
}

BOOST_AUTO_TEST_CASE(text_profiles_need_a_pattern_with_the_named_groups) {
  auto l = load(R"(profiles:
  - id: t.text
    title: Text
    format: text
    pattern: '^(?P<status>\d{3}) (?P<url>\S+)$'
    fields:
      response.status: /stauts
    samples:
      - line: '200 https://x/y'
        expect: {response.status: 200}
)");
  check(only(l), "`/stauts` is not a named group of the pattern", 7, 24, "did you mean `status`?");
  auto missing = load(R"(profiles:
  - id: t.text
    title: Text
    format: text
    fields: {response.status: /status}
)" + sample);
  BOOST_TEST_REQUIRE(!missing.problems.empty());
  BOOST_TEST(missing.problems[0].message == "a text profile needs a `pattern`");
}

BOOST_AUTO_TEST_CASE(unknown_format_suggests_the_nearest) {
  auto l = load(head + "    format: jsno\n    fields: {response.status: /s}\n" + sample);
  check(only(l), "unknown format `jsno`", 5, 13, "did you mean `json`?");
}

BOOST_AUTO_TEST_CASE(missing_id_detect_fields_and_samples_are_all_reported) {
  auto l = load("profiles:\n  - title: No id\n");
  std::string all = dump(l.problems);
  BOOST_TEST(contains(all, "profile has no `id`"), all);
  BOOST_TEST(contains(all, "has no `detect`"), all);
  BOOST_TEST(contains(all, "has no `fields` map"), all);
  BOOST_TEST(contains(all, "has no `samples`"), all);
  BOOST_TEST(l.profiles.empty());
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_file_is_collected) {
  auto l = load(head + "    fields:\n      response.stauts: /s\n      ts: {path: /t, as: x}\n" +
                sample);
  BOOST_TEST(l.problems.size() == 2u, dump(l.problems));
}

BOOST_AUTO_TEST_CASE(a_duplicate_id_within_a_layer_names_both_places) {
  std::string one = head + "    fields: {response.status: /req/status}\n" + sample;
  auto a = load(one);
  auto b = load(one, "q.yaml");
  BOOST_TEST_REQUIRE(a.problems.empty());
  std::vector<std::shared_ptr<profile::compiled_profile>> base, layer;
  for (auto& p : a.profiles) layer.push_back(p);
  for (auto& p : b.profiles) layer.push_back(p);
  core::diagnostics problems;
  profile::merge_layer(base, std::move(layer), problems);
  BOOST_TEST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0].message == "duplicate profile id `t.one`");
  BOOST_TEST(contains(problems[0].help, "first defined at p.yaml:2"));
}

BOOST_AUTO_TEST_CASE(a_user_profile_replaces_a_bundled_one_by_id) {
  test_support::temp_dir dir;
  std::string path = dir.write("pino.yaml", R"(profiles:
  - id: pino
    title: Our pino
    detect: {keys: [level, time, msg, kling]}
    fields: {response.status: /kling/status}
    samples:
      - record: {level: 30, time: 1, msg: x, kling: {status: 200}}
        expect: {response.status: 200}
)");
  core::diagnostics problems;
  auto set = cli::load_profiles({path}, problems);
  BOOST_TEST_REQUIRE(set != nullptr, dump(problems));
  const auto* p = set->find("pino");
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(p->title == "Our pino");
  BOOST_TEST(set->profiles.size() == profile::bundled_set().profiles.size());
}

BOOST_AUTO_TEST_CASE(a_profile_claiming_anothers_sample_is_a_load_time_error) {
  // Detects every canonical record as specifically as `canonical` does.
  test_support::temp_dir dir;
  std::string path = dir.write("greedy.yaml", R"(profiles:
  - id: greedy
    title: Claims canonical records
    detect: {exists: /response}
    fields: {response.status: /response/status}
    samples:
      - record: {response: {status: 200}}
        expect: {response.status: 200}
)");
  core::diagnostics problems;
  auto set = cli::load_profiles({path}, problems);
  BOOST_TEST(set == nullptr);
  std::string all = dump(problems);
  BOOST_TEST(contains(all, "as specific"), all);
  BOOST_TEST(contains(all, "`greedy`"), all);
  BOOST_TEST(contains(all, "make one `detect` more specific"), all);
}

BOOST_AUTO_TEST_CASE(the_bundled_set_loads_and_every_sample_has_one_reader) {
  const auto& set = profile::bundled_set_with_samples();
  BOOST_TEST(set.profiles.size() >= 19u);
  core::diagnostics problems;
  ingest::check_detection(set, problems);
  BOOST_TEST(problems.empty(), dump(problems));
}

// Commands that read logs load the bundled profiles without their samples
// (start-up): the same profiles, in the same order, at the same lines and
// columns, with the same digest, detecting and reading every sample of the
// full set the same way.
BOOST_AUTO_TEST_CASE(the_lean_bundled_set_is_the_set_without_its_samples) {
  const auto& full = profile::bundled_set_with_samples();
  const auto& lean = profile::bundled_set();
  BOOST_TEST(profile::digest(lean) == profile::digest(full));
  BOOST_REQUIRE(lean.profiles.size() == full.profiles.size());
  event::field_plan plan;
  for (const auto& p : full.profiles) {
    for (const auto& s : p->samples) {
      for (const auto& [k, v] : s.expect) (void)event::resolve_field(k, plan);
    }
  }
  ingest::normalizer norm(plan);
  size_t samples = 0;
  for (size_t i = 0; i < full.profiles.size(); ++i) {
    const auto& a = *full.profiles[i];
    const auto& b = *lean.profiles[i];
    BOOST_TEST(b.samples.empty());
    BOOST_TEST((a.id == b.id && a.title == b.title && a.kind == b.kind &&
                a.specificity == b.specificity && a.where.file == b.where.file &&
                a.where.line == b.where.line && a.where.column == b.where.column), a.id);
    if (a.kind == profile::compiled_profile::shape::har) continue;
    for (const auto& s : a.samples) {
      std::string buf = s.text;
      buf.reserve(buf.size() + ingest::required_padding());
      int tie_a = -1, tie_b = -1;
      BOOST_TEST(ingest::best_profile(lean, buf, buf.capacity(), norm, &tie_b) ==
                 ingest::best_profile(full, buf, buf.capacity(), norm, &tie_a), a.id);
      event::event ea, eb;
      norm.normalize_copy(s.text, ea, a);
      norm.normalize_copy(s.text, eb, b);
      BOOST_TEST((ea.result == eb.result && ea.status == eb.status && ea.code == eb.code &&
                  ea.ts_ms == eb.ts_ms && ea.method == eb.method && ea.url == eb.url &&
                  ea.message == eb.message), a.id);
      ++samples;
    }
  }
  BOOST_TEST(samples > 20u);
}

BOOST_AUTO_TEST_SUITE_END()
