// SPDX-License-Identifier: MIT
// report writers on a small built summary (tests/unit/state_fixture.hpp):
// what each format shows for known counts, independent of any rule file or
// sample (the golden tests run the real binary on samples/).
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "analyzer/report/summary.hpp"
#include "state_fixture.hpp"

using namespace analyzer;

namespace {

struct built {
  engine::run_state state = test_support::small_state();
  report::summary s;
  std::vector<std::string> notes;
  built() {
    s = engine::build_summary(state, notes);
    s.tool_version = "9.9.9";
    s.generated_at = "2026-11-24T04:00:00.000Z";
  }
};

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_writers_test)

BOOST_AUTO_TEST_CASE(the_summary_joins_counts_with_the_cause_table) {
  built b;
  BOOST_TEST(b.notes.empty());  // the ranges of big.jsonl chain from byte 0
  BOOST_TEST_REQUIRE(b.s.causes.size() == 3u);
  BOOST_TEST(b.s.causes[0].id == "rate_limit.requests");  // 4 failures
  BOOST_TEST(b.s.causes[0].stats->count == 4);
  BOOST_TEST(b.s.causes[1].id == "billing.insufficient_credits");  // 1, then by id
  BOOST_TEST(b.s.causes[2].id == "unclassified.unknown");
  BOOST_TEST(b.s.unclassified == 1);
  BOOST_TEST_REQUIRE(b.s.inputs.size() == 3u);  // big.jsonl's two ranges are one row
  BOOST_TEST(b.s.inputs[1].path == "big.jsonl");
  BOOST_TEST(b.s.inputs[1].stats.records == 4);
  BOOST_TEST(b.s.inputs[1].raw_bytes == 1700);
  BOOST_TEST(report::shown_line(b.s, 2, 2) == 12);  // the second range starts at line 11
}

BOOST_AUTO_TEST_CASE(json_report) {
  built b;
  std::string j = report::write_json(b.s);
  BOOST_TEST(has(j, R"("schema": "kling-triage/report@1")"));
  BOOST_TEST(has(j, R"("version": "9.9.9")"));
  BOOST_TEST(has(j, R"("records": 10,)"));
  BOOST_TEST(has(j, R"("failures": 6,)"));
  BOOST_TEST(has(j, R"("share": 0.666667)"));  // 4 of 6 failures
  // The earliest example of rate_limit.requests is big.jsonl's (t0 + 5 s),
  // cited at its true line.
  auto first = j.find(R"("id": "rate_limit.requests")");
  auto ex = j.find(R"("source": "big.jsonl")", first);
  BOOST_TEST_REQUIRE(ex != std::string::npos);
  std::string_view cited = R"("source": "big.jsonl",
          "line": 12,)";
  BOOST_TEST(j.compare(ex, cited.size(), cited) == 0);
  BOOST_TEST(has(j, R"("source": "c.har",
          "line": null,
          "entry": 1)"));
  BOOST_TEST(!has(j, R"("partial")"));
  b.s.embedded_partial = "kling-triage/partial@1 base64:AAAA";
  j = report::write_json(b.s);
  BOOST_TEST(has(j, R"("partial": "kling-triage/partial@1 base64:AAAA"
})"));
}

BOOST_AUTO_TEST_CASE(text_report) {
  built b;
  std::string t = report::write_text(b.s, false);
  BOOST_TEST(has(t, "kling-triage 9.9.9"));
  BOOST_TEST(has(t, "rate_limit.requests"));
  BOOST_TEST(has(t, "Honour `Retry-After`."));
  BOOST_TEST(has(t, "big.jsonl:12"));  // the earliest example, at its true line
  BOOST_TEST(has(t, "Malformed records (1)"));
  BOOST_TEST(has(t, "a.jsonl:4"));
  BOOST_TEST(!has(t, "\x1b["));  // no colour asked for
  BOOST_TEST(has(report::write_text(b.s, true), "\x1b["));
}

BOOST_AUTO_TEST_CASE(markdown_report) {
  built b;
  std::string m = report::write_markdown(b.s);
  BOOST_TEST(has(m, "`rate_limit.requests`: 4 failures"));
  BOOST_TEST(has(m, "| `big.jsonl:12` |"));
  BOOST_TEST(has(m, "| `c.har#1` |"));
  BOOST_TEST(has(m, "kling-triage 9.9.9"));
}

BOOST_AUTO_TEST_CASE(html_report_is_self_contained) {
  built b;
  std::string h = report::write_html(b.s);
  BOOST_TEST(has(h, "<!DOCTYPE html>"));
  BOOST_TEST(has(h, "rate_limit.requests"));
  BOOST_TEST(has(h, "big.jsonl:12"));
  BOOST_TEST(!has(h, "<script"));
  BOOST_TEST(!has(h, "src=\"http"));
  BOOST_TEST(!has(h, "href=\"http://"));
}

BOOST_AUTO_TEST_CASE(a_gap_in_byte_ranges_is_shown_relative_and_named) {
  built b;
  b.state.inputs[1].range = engine::byte_range{50, 1000};  // bytes 0-50 missing
  std::vector<std::string> notes;
  report::summary s = engine::build_summary(b.state, notes);
  BOOST_TEST_REQUIRE(notes.size() == 1u);
  BOOST_TEST(notes[0] == "big.jsonl: bytes 0-50 were not read for this report (a --byte-range "
                         "shard, or a partial missing from the merge); lines after them are "
                         "counted from byte 50: big.jsonl@50");
  BOOST_TEST(report::source_of(s, 1) == "big.jsonl@50");
  BOOST_TEST(report::source_of(s, 2) == "big.jsonl@50");
  BOOST_TEST(report::shown_line(s, 2, 2) == 12);  // still counted on from the chain's start
}

BOOST_AUTO_TEST_SUITE_END()
