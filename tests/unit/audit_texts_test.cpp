// SPDX-License-Identifier: MIT
// The detector texts: the bundled data file loads clean, placeholders are
// filled from a finding, broken files are reported with file:line:col.
#include <boost/test/unit_test.hpp>

#include "analyzer/audit/detector_texts.hpp"

using namespace analyzer;
using namespace analyzer::audit;

BOOST_AUTO_TEST_SUITE(audit_texts_test)

BOOST_AUTO_TEST_CASE(the_bundled_file_loads_clean_and_names_every_detector) {
  core::diagnostics problems;
  auto t = load_detector_texts("builtin:audit/detectors.yaml", builtin_detector_file(), problems);
  for (const auto& p : problems) BOOST_TEST_MESSAGE(core::render(p));
  BOOST_TEST(problems.empty());
  for (size_t i = 0; i < detector_count; ++i) {
    BOOST_TEST((t.detectors[i].id == static_cast<detector>(i)));
    BOOST_TEST(!t.detectors[i].title.empty());
    BOOST_TEST(!t.detectors[i].fix.empty());
  }
  BOOST_TEST(t.in_flight_against == std::vector<std::string>{"rate_limit.concurrency"});
  BOOST_TEST(builtin_detector_texts().detectors[1].fix == t.detectors[1].fix);
}

BOOST_AUTO_TEST_CASE(the_fix_is_filled_from_the_finding) {
  const auto& t = builtin_detector_texts();
  finding_values v;
  v.waited_ms = 1000;
  v.told_ms = 30000;
  audit_options o;
  BOOST_TEST(fill(t.detectors[static_cast<size_t>(detector::retry_after_ignored)].fix, v, o) ==
             "honour Retry-After: your client waited 1 s when told 30 s");
  finding_values p;
  p.interval_ms = 505;
  p.calls = 6;
  BOOST_TEST(fill(t.detectors[static_cast<size_t>(detector::poll_too_fast)].fix, p, o) ==
             "poll every 2 s or slower, or set callback_url: your client polled every 505 ms (6 queries)");
  BOOST_TEST(fill("{cause} after {gap}, window {retry_window}", finding_values{}, o) ==
             "? after ?, window 600 s");
}

BOOST_AUTO_TEST_CASE(durations_for_people) {
  BOOST_TEST(format_duration(0) == "0 ms");
  BOOST_TEST(format_duration(350) == "350 ms");
  BOOST_TEST(format_duration(1000) == "1 s");
  BOOST_TEST(format_duration(2533) == "2.5 s");
  BOOST_TEST(format_duration(9999) == "9.9 s");
  BOOST_TEST(format_duration(120000) == "120 s");
  BOOST_TEST(format_duration(601000) == "601 s");
  BOOST_TEST(format_duration(1800000) == "30 min");
  BOOST_TEST(format_duration(12600000) == "3.5 h");
}

BOOST_AUTO_TEST_CASE(broken_files_are_reported_where_they_break) {
  core::diagnostics problems;
  load_detector_texts("d.yaml", "detectors:\n  - id: no_backoff\n    title: T\n    description: D\n"
                      "    fix: \"wait {forever}\"\n    colour: red\n  - id: nonsense\n",
                      problems);
  std::vector<std::string> messages;
  for (const auto& p : problems) messages.push_back(p.message);
  auto has = [&](std::string_view m) {
    return std::any_of(messages.begin(), messages.end(),
                       [&](const std::string& s) { return s.find(m) != std::string::npos; });
  };
  BOOST_TEST(has("unknown placeholder `{forever}`"));
  BOOST_TEST(has("unknown key `colour`"));
  BOOST_TEST(has("`id` must name one of"));
  BOOST_TEST(has("detector `retry_after_ignored` is missing"));
  auto placeholder = std::find_if(problems.begin(), problems.end(), [](const auto& p) {
    return p.message.find("placeholder") != std::string::npos;
  });
  BOOST_TEST(placeholder->where.file == "d.yaml");
  BOOST_TEST(placeholder->where.line == 5);
  BOOST_TEST(placeholder->where.column == 10);
  BOOST_TEST(placeholder->snippet == "    fix: \"wait {forever}\"");
  core::diagnostics syntax;
  load_detector_texts("e.yaml", "detectors: [\n", syntax);
  BOOST_REQUIRE(!syntax.empty());
  BOOST_TEST(syntax.front().message.find("invalid YAML") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
