// SPDX-License-Identifier: MIT
// The recorded traffic of the npm client kling-api 1.0.0 (eight scenarios
// through a local mock; tests/data/audit/kling-api/README.md) through the
// audit, compared with what its README expects by hand.
#include "audit_support.hpp"

using namespace analyzer;
using namespace audit_support;

namespace {

audit::audit_result audit_recording(bool marks = false) {
  auto calls = read_calls(data_path("audit/kling-api/kling-api.jsonl"), "kling-api.jsonl",
                          read_causes(data_path("audit/kling-api/kling-api.scenarios.tsv")));
  audit::fact_store store;
  feed(store, calls);
  audit::audit_options o;
  o.keep_marks = marks;
  return audit::run_audit(store, o);
}

const audit::detector_result& det(const audit::audit_result& r, audit::detector d) {
  return r.detectors[static_cast<size_t>(d)];
}

std::vector<int64_t> marked_lines(const audit::audit_result& r, audit::detector d) {
  std::vector<int64_t> out;
  for (const auto& m : r.marks) {
    if (m.id == d) out.push_back(m.at.line);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_recording_test)

BOOST_AUTO_TEST_CASE(lifecycles_match_the_readme) {
  auto r = audit_recording();
  const auto& t = r.tasks;
  BOOST_TEST(t.created == 5);
  BOOST_TEST(t.succeeded == 3);
  BOOST_TEST(t.failed == 1);
  BOOST_TEST(t.failed_by_cause.at("generation.content_policy") == 1);
  BOOST_TEST(t.pending == 1);  // scenario 7: last seen 2,553 ms before the end
  BOOST_TEST(t.orphaned == 0);
  BOOST_TEST(t.unknown_origin == 0);
  // Time to result 9,123 / 3,009 / 5 / 2,533 ms; polls 4, 2, 1, 2, 6.
  BOOST_TEST(t.time_to_result_ms.n == 4);
  BOOST_TEST(*t.time_to_result_ms.p50 == 2533);
  BOOST_TEST(*t.time_to_result_ms.p90 == 9123);
  BOOST_TEST(*t.time_to_result_ms.p99 == 9123);
  BOOST_TEST(t.polls_per_task.n == 5);
  BOOST_TEST(*t.polls_per_task.p50 == 2);
  BOOST_TEST(*t.polls_per_task.p90 == 6);
  BOOST_TEST(*t.polls_per_task.p99 == 6);
}

BOOST_AUTO_TEST_CASE(findings_match_the_readme) {
  auto r = audit_recording(true);
  using audit::detector;
  BOOST_TEST(det(r, detector::retry_after_ignored).findings == 4);
  BOOST_TEST(det(r, detector::retry_after_ignored).wasted_calls == 4);
  BOOST_TEST(marked_lines(r, detector::retry_after_ignored) == (std::vector<int64_t>{12, 13, 16, 17}),
             boost::test_tools::per_element());
  const auto& first = det(r, detector::retry_after_ignored).examples.front();
  BOOST_TEST(first.at.line == 12);
  BOOST_TEST(first.earlier->line == 11);
  BOOST_TEST(first.values.told_ms == 120000);  // Retry-After: 120
  BOOST_TEST(first.values.waited_ms == 2002);  // 2 s backoff after a 3 ms response
  BOOST_TEST(det(r, detector::poll_too_fast).findings == 1);
  BOOST_TEST(det(r, detector::poll_too_fast).wasted_calls == 4);  // 6 − 1 − ⌊2528 / 2000⌋
  BOOST_TEST(det(r, detector::poll_too_fast).examples.front().values.interval_ms == 505);
  BOOST_TEST(marked_lines(r, detector::poll_too_fast) == (std::vector<int64_t>{22, 23, 24, 25, 26, 27}),
             boost::test_tools::per_element());
  for (auto d : {detector::no_backoff, detector::retry_non_retryable, detector::duplicate_submission,
                 detector::orphaned_task}) {
    BOOST_TEST(det(r, d).findings == 0, audit::name_of(d));
    BOOST_TEST(det(r, d).wasted_calls == 0);
  }
}

BOOST_AUTO_TEST_CASE(eight_clients_by_hashed_access_key) {
  auto r = audit_recording();
  BOOST_TEST(r.clients.size() == 8u);
  BOOST_TEST(r.calls == 27);
  // Scenario n's client is SHA-256 of its access key AK-FAKE-0000-DEMO-n.
  // Those that created a task had one in flight at a time; those whose
  // creates all failed (scenarios 3, 4, 6) had none — the README's "peak in
  // flight 1 each" counts them too, but a client with no task has a peak of 0.
  const int64_t calls[] = {5, 3, 1, 1, 4, 3, 3, 7};
  const int64_t failures[] = {0, 1, 1, 1, 2, 3, 1, 0};
  const int64_t peak[] = {1, 1, 0, 0, 1, 0, 1, 1};
  for (int n = 1; n <= 8; ++n) {
    std::string id = "client:" + audit::sha256_hex("AK-FAKE-0000-DEMO-" + std::to_string(n)).substr(0, 8);
    const auto* c = client(r, id);
    BOOST_REQUIRE_MESSAGE(c != nullptr, "scenario " << n);
    BOOST_TEST(c->calls == calls[n - 1], "scenario " << n);
    BOOST_TEST(c->failures == failures[n - 1], "scenario " << n);
    BOOST_TEST(c->peak_in_flight == peak[n - 1], "scenario " << n);
  }
}

BOOST_AUTO_TEST_CASE(scenario_7_is_orphaned_with_a_grace_under_2553_ms) {
  auto calls = read_calls(data_path("audit/kling-api/kling-api.jsonl"), "kling-api.jsonl",
                          read_causes(data_path("audit/kling-api/kling-api.scenarios.tsv")));
  audit::fact_store store;
  feed(store, calls);
  audit::audit_options o;
  o.grace_ms = 2553;  // exactly the gap: still pending
  BOOST_TEST(audit::run_audit(store, o).tasks.orphaned == 0);
  o.grace_ms = 2552;
  auto r = audit::run_audit(store, o);
  BOOST_TEST(r.tasks.orphaned == 1);
  const auto& d = r.detectors[static_cast<size_t>(audit::detector::orphaned_task)];
  BOOST_TEST(d.wasted_calls == 3);  // its create and two queries (lines 18–20)
  BOOST_TEST(d.examples.front().at.line == 20);
}

BOOST_AUTO_TEST_SUITE_END()
