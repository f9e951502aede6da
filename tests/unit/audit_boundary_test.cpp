// SPDX-License-Identifier: MIT
// Every window and boundary of the contract's audit, on small logs built
// here: the retry window (600 s counts), Retry-After (exactly N s after is
// allowed; a call already under way is not a finding), the poll threshold
// (a mean of exactly 2.0 s is not too fast), duplicates (120 s counts), the
// grace period (exactly 30 min is pending), no_backoff runs, task identity,
// percentiles and peak_in_flight.
#include <fmt/format.h>
#include <numeric>

#include "audit_support.hpp"

using namespace analyzer;
using namespace audit_support;
using audit::detector;

namespace {

constexpr int64_t t0 = 1795000000000;  // 2026-11-18T11:06:40Z
constexpr const char* host = "https://api-singapore.klingai.com";

struct call_log {
  std::vector<std::string> lines;
  std::map<int64_t, std::string> causes;
  std::string auth = "Bearer sk-test-key";

  call_log& add(int64_t t, std::string_view method, std::string_view url, int status,
           std::string_view req_body, std::string_view resp_body, std::string_view cause = "ok",
           int64_t duration = 100, std::string_view resp_headers = "{}") {
    std::string req = fmt::format(R"("method":"{}","url":"{}","headers":{{"Authorization":"{}"}})",
                                  method, url, auth);
    if (!req_body.empty()) req += fmt::format(R"(,"body":{})", req_body);
    std::string resp = fmt::format(R"("status":{},"headers":{})", status, resp_headers);
    if (!resp_body.empty()) resp += fmt::format(R"(,"body":{})", resp_body);
    lines.push_back(fmt::format(R"({{"ts":"{}","request":{{{}}},"response":{{{}}},"duration_ms":{}}})",
                                event::format_time(t0 + t), req, resp, duration));
    if (cause != "ok") causes[static_cast<int64_t>(lines.size())] = std::string(cause);
    return *this;
  }
  static std::string body(std::string_view prompt, std::string_view extra = "") {
    return fmt::format(R"({{"model_name":"kling-v1-6","prompt":"{}"{}}})", prompt, extra);
  }
  call_log& create(int64_t t, std::string_view task, std::string_view prompt = "p",
              std::string_view extra = "", std::string_view answer_extra = "") {
    return add(t, "POST", std::string(host) + "/v1/videos/text2video", 200, body(prompt, extra),
               fmt::format(R"({{"code":0,"message":"SUCCEED","request_id":"r{}","data":{{"task_id":"{}","task_status":"submitted"{}}}}})",
                           lines.size() + 1, task, answer_extra));
  }
  call_log& fail(int64_t t, int status, int code, std::string_view cause, std::string_view prompt = "p",
            std::string_view headers = "{}", int64_t duration = 100) {
    return add(t, "POST", std::string(host) + "/v1/videos/text2video", status, body(prompt),
               fmt::format(R"({{"code":{},"message":"m","request_id":"r{}"}})", code, lines.size() + 1),
               cause, duration, headers);
  }
  call_log& poll(int64_t t, std::string_view name, std::string_view state, std::string_view answered = "",
            int64_t duration = 50) {
    std::string id(answered.empty() ? name : answered);
    return add(t, "GET", fmt::format("{}/v1/videos/text2video/{}", host, name), 200, "",
               fmt::format(R"({{"code":0,"message":"SUCCEED","data":{{"task_id":"{}","task_status":"{}"}}}})",
                           id, state),
               state == "failed" ? "generation.content_policy" : "ok", duration);
  }
  audit::audit_result run(audit::audit_options o = {}) const {
    auto calls = read_lines(lines, "t.jsonl", causes);
    audit::fact_store store;
    feed(store, calls);
    o.keep_marks = true;
    return audit::run_audit(store, o);
  }
};

int64_t findings(const audit::audit_result& r, detector d) {
  return r.detectors[static_cast<size_t>(d)].findings;
}
int64_t wasted(const audit::audit_result& r, detector d) {
  return r.detectors[static_cast<size_t>(d)].wasted_calls;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_boundary_test)

BOOST_AUTO_TEST_CASE(a_retry_at_exactly_600_s_counts_601_s_does_not) {
  for (auto [gap, want] : {std::pair{600000, 1}, std::pair{600001, 0}, std::pair{601000, 0}}) {
    call_log l;
    l.fail(0, 429, 1102, "billing.insufficient_credits").fail(gap, 429, 1102, "billing.insufficient_credits");
    BOOST_TEST(findings(l.run(), detector::retry_non_retryable) == want, "gap " << gap);
  }
}

BOOST_AUTO_TEST_CASE(retrying_a_retryable_or_a_different_request_is_not_retry_non_retryable) {
  call_log l;
  l.fail(0, 429, 1302, "rate_limit.requests").fail(1000, 429, 1302, "rate_limit.requests");
  l.fail(2000, 429, 1102, "billing.insufficient_credits", "other prompt");
  l.fail(3000, 429, 1102, "billing.insufficient_credits", "yet another");
  BOOST_TEST(findings(l.run(), detector::retry_non_retryable) == 0);
  // Whatever the retry's own answer: a success after a 1102 still counts.
  call_log s;
  s.fail(0, 429, 1102, "billing.insufficient_credits").create(5000, "T1");
  BOOST_TEST(findings(s.run(), detector::retry_non_retryable) == 1);
}

BOOST_AUTO_TEST_CASE(a_call_exactly_n_s_after_retry_after_is_allowed) {
  const char* ra = R"({"Retry-After":"5"})";
  for (auto [at, want] : {std::pair{5250, 0}, std::pair{5249, 1}}) {
    call_log l;
    l.fail(0, 429, 1302, "rate_limit.requests", "p", ra, 250).create(at, "T1");
    auto r = l.run();
    BOOST_TEST(findings(r, detector::retry_after_ignored) == want, "at " << at);
    if (want == 1) {
      const auto& e = r.detectors[1].examples.front();
      BOOST_TEST(e.values.waited_ms == 4999);
      BOOST_TEST(e.values.told_ms == 5000);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_fractional_duration_is_rounded_down) {
  call_log l;
  l.add(0, "POST", std::string(host) + "/v1/videos/text2video", 429, call_log::body("p"),
        R"({"code":1302,"message":"m"})", "rate_limit.requests", 0, R"({"retry-after":"1"})");
  l.lines.back().replace(l.lines.back().find("\"duration_ms\":0"), 15, "\"duration_ms\":0.9");
  l.create(1000, "T1");
  BOOST_TEST(findings(l.run(), detector::retry_after_ignored) == 0);
}

BOOST_AUTO_TEST_CASE(a_call_under_way_when_the_response_arrived_did_not_ignore_it) {
  const char* ra = R"({"Retry-After":"10"})";
  call_log l;
  l.fail(0, 429, 1302, "rate_limit.requests", "a", ra, 3000);  // answered at 3000
  l.create(1000, "T1", "b");                                    // started before that
  l.create(4000, "T2", "c");                                    // after: a finding
  l.create(13000, "T3", "d");                                   // the deadline: not
  auto r = l.run();
  BOOST_TEST(findings(r, detector::retry_after_ignored) == 1);
  BOOST_REQUIRE(!r.marks.empty());
  BOOST_TEST(r.marks.front().at.line == 3);
}

BOOST_AUTO_TEST_CASE(retry_after_is_per_method_and_folded_endpoint) {
  // Polls of different tasks share their folded endpoint
  // (/v1/videos/text2video/{id}): a 429 on one holds back the others.
  const char* ra = R"({"Retry-After":"5"})";
  const std::string t1 = "8600100000000001", t2 = "8600100000000002", t3 = "8600100000000003";
  call_log l;
  l.create(0, t1, "a").create(10, t2, "b");
  l.add(100, "GET", std::string(host) + "/v1/videos/text2video/" + t1, 429,
        "", R"({"code":1302,"message":"m"})", "rate_limit.requests", 10, ra);
  l.poll(1000, t2, "processing");          // another task, same folded endpoint
  l.create(1100, t3, "c");                 // another endpoint: fine
  l.poll(5110, t1, "succeed");             // exactly at the deadline
  auto r = l.run();
  BOOST_TEST(findings(r, detector::retry_after_ignored) == 1);
  BOOST_REQUIRE(r.marks.size() == 1u);
  BOOST_TEST(r.marks.front().at.line == 4);
}

BOOST_AUTO_TEST_CASE(retry_after_http_dates_and_past_dates) {
  std::string date = "Wed, 18 Nov 2026 11:07:40 GMT";  // t0 + 60 s
  int64_t at = *audit::parse_http_date(date) - t0;
  BOOST_REQUIRE(at == 60000);
  call_log l;
  l.fail(0, 503, 5001, "server.unavailable", "p", fmt::format(R"({{"Retry-After":"{}"}})", date));
  l.fail(at - 1, 503, 5001, "server.unavailable");
  l.create(at, "T1");
  BOOST_TEST(findings(l.run(), detector::retry_after_ignored) == 1);
  call_log past;
  past.fail(0, 503, 5001, "server.unavailable", "p", R"({"Retry-After":"Sun, 06 Nov 1994 08:49:37 GMT"})");
  past.create(10, "T1");
  BOOST_TEST(findings(past.run(), detector::retry_after_ignored) == 0);
}

BOOST_AUTO_TEST_CASE(a_mean_poll_interval_of_exactly_2_s_is_not_too_fast) {
  for (auto [span, want, lost] : {std::tuple{4000, 0, 0}, std::tuple{3999, 1, 1}, std::tuple{0, 1, 2}}) {
    call_log l;
    l.create(0, "T1").poll(100, "T1", "processing").poll(100 + span / 2, "T1", "processing");
    l.poll(100 + span, "T1", "succeed");
    auto r = l.run();
    BOOST_TEST(findings(r, detector::poll_too_fast) == want, "span " << span);
    BOOST_TEST(wasted(r, detector::poll_too_fast) == lost, "span " << span);
  }
  call_log two;  // two queries, however fast: not judged
  two.create(0, "T1").poll(1, "T1", "processing").poll(2, "T1", "succeed");
  BOOST_TEST(findings(two.run(), detector::poll_too_fast) == 0);
  audit::audit_options o;
  o.poll_min_ms = 1000;  // the threshold is an option
  call_log l;
  l.create(0, "T1").poll(100, "T1", "processing").poll(1600, "T1", "processing").poll(3100, "T1", "succeed");
  BOOST_TEST(findings(l.run(), detector::poll_too_fast) == 1);
  BOOST_TEST(findings(l.run(o), detector::poll_too_fast) == 0);
}

BOOST_AUTO_TEST_CASE(duplicates_120_s_apart_count_121_s_do_not) {
  for (auto [gap, want] : {std::pair{120000, 1}, std::pair{120001, 0}, std::pair{121000, 0}}) {
    call_log l;
    l.create(0, "T1").create(gap, "T2");
    BOOST_TEST(findings(l.run(), detector::duplicate_submission) == want, "gap " << gap);
  }
  call_log other;  // another prompt, or a create that failed, is not a duplicate
  other.create(0, "T1").create(10, "T2", "q").fail(20, 500, 5000, "server.internal");
  BOOST_TEST(findings(other.run(), detector::duplicate_submission) == 0);
}

BOOST_AUTO_TEST_CASE(exactly_the_grace_period_is_pending_a_ms_more_is_orphaned) {
  for (auto [idle, orphaned] : {std::pair{1800000, 0}, std::pair{1800001, 1}}) {
    call_log l;
    l.create(0, "T1", "a").poll(1000, "T1", "processing");
    l.create(1000 + idle - 10, "T2", "b").poll(1000 + idle, "T2", "succeed");  // ends the logs
    auto r = l.run();
    BOOST_TEST(r.tasks.orphaned == orphaned, "idle " << idle);
    BOOST_TEST(r.tasks.pending == 1 - orphaned);
    BOOST_TEST(wasted(r, detector::orphaned_task) == 2 * orphaned);
  }
  // The caller may know a later end (records that are not calls).
  call_log l;
  l.create(0, "T1").poll(1000, "T1", "processing");
  audit::audit_options o;
  o.end_ms = t0 + 1000 + 1800001;
  BOOST_TEST(l.run(o).tasks.orphaned == 1);
}

BOOST_AUTO_TEST_CASE(no_backoff_runs) {
  // Equal gaps count as not growing; the success ends the run.
  call_log l;
  for (int i = 0; i < 4; ++i) l.fail(i * 1000, 500, 5000, "server.internal");
  l.create(4000, "T1");
  auto r = l.run();
  BOOST_TEST(findings(r, detector::no_backoff) == 1);
  BOOST_TEST(wasted(r, detector::no_backoff) == 3);
  BOOST_TEST(r.detectors[2].examples.front().values.calls == 4);
  BOOST_TEST(r.detectors[2].examples.front().at.line == 4);       // the run's last call
  BOOST_TEST(r.detectors[2].examples.front().earlier->line == 1); // its first
  // Shrinking gaps are not backoff either; another request in between
  // does not break the run.
  call_log s;
  s.fail(0, 500, 5000, "server.internal").fail(3000, 500, 5000, "server.internal", "other");
  s.fail(4000, 500, 5000, "server.internal").fail(5000, 500, 5000, "server.internal");
  BOOST_TEST(findings(s.run(), detector::no_backoff) == 1);
  BOOST_TEST(wasted(s.run(), detector::no_backoff) == 2);
  // A non-retryable failure ends a run (it is retry_non_retryable's).
  call_log n;
  n.fail(0, 500, 5000, "server.internal").fail(1000, 500, 5000, "server.internal");
  n.fail(2000, 429, 1102, "billing.insufficient_credits").fail(3000, 500, 5000, "server.internal");
  BOOST_TEST(findings(n.run(), detector::no_backoff) == 0);
  // Growing gaps: backoff.
  call_log g;
  for (int64_t t : {0, 1000, 3000, 7000, 15000}) g.fail(t, 503, 5001, "server.unavailable");
  BOOST_TEST(findings(g.run(), detector::no_backoff) == 0);
}

BOOST_AUTO_TEST_CASE(task_identity_across_names_and_order) {
  // A query by external_task_id whose answer names the task; a 429 that
  // names only the external id; a query logged before its create.
  call_log l;
  l.poll(0, "T1", "submitted");
  l.create(10, "T1", "a", R"(,"external_task_id":"job-1")");
  l.poll(3000, "job-1", "processing", "T1");
  l.add(6000, "GET", std::string(host) + "/v1/videos/text2video/job-1", 429,
        "", R"({"code":1302,"message":"m"})", "rate_limit.requests", 10);
  l.poll(9000, "T1", "succeed");
  auto r = l.run();
  BOOST_TEST(r.tasks.created == 1);
  BOOST_TEST(r.tasks.unknown_origin == 0);
  BOOST_TEST(r.tasks.succeeded == 1);
  BOOST_TEST(*r.tasks.polls_per_task.p50 == 4);
  BOOST_TEST(*r.tasks.time_to_result_ms.p50 == 8990);
  // An external id reused by a later create names the later task.
  call_log reuse;
  reuse.create(0, "T1", "a", R"(,"external_task_id":"job")").poll(1000, "T1", "succeed");
  reuse.create(200000, "T2", "b", R"(,"external_task_id":"job")").poll(203000, "job", "succeed", "T2");
  reuse.add(206000, "GET", std::string(host) + "/v1/videos/text2video/job", 500, "", "", "server.internal");
  auto rr = reuse.run();
  BOOST_TEST(rr.tasks.created == 2);
  BOOST_TEST(rr.tasks.unknown_origin == 0);
  BOOST_TEST(*rr.tasks.polls_per_task.p99 == 2);  // T2: both queries by "job"
  // A task queried but never created here: unknown_origin, no polls counted.
  call_log u;
  u.poll(0, "X1", "processing").poll(3000, "X1", "succeed");
  BOOST_TEST(u.run().tasks.unknown_origin == 1);
  BOOST_TEST(u.run().tasks.created == 0);
}

BOOST_AUTO_TEST_CASE(a_task_succeeded_at_any_observation_is_succeeded) {
  call_log l;
  l.create(0, "T1").poll(1000, "T1", "failed").poll(2000, "T1", "succeed");
  auto r = l.run();
  BOOST_TEST(r.tasks.succeeded == 1);
  BOOST_TEST(r.tasks.failed == 0);
  BOOST_TEST(*r.tasks.time_to_result_ms.p50 == 1000);  // the first terminal observation
}

BOOST_AUTO_TEST_CASE(nearest_rank_percentiles) {
  auto p = audit::nearest_rank({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
  BOOST_TEST(*p.p50 == 5);
  BOOST_TEST(*p.p90 == 9);
  BOOST_TEST(*p.p99 == 10);
  auto one = audit::nearest_rank({42});
  BOOST_TEST((*one.p50 == 42 && *one.p90 == 42 && *one.p99 == 42));
  auto none = audit::nearest_rank({});
  BOOST_TEST((none.n == 0 && !none.p50 && !none.p99));
  std::vector<int64_t> hundred(100);
  std::iota(hundred.begin(), hundred.end(), 1);
  auto h = audit::nearest_rank(hundred);
  BOOST_TEST((*h.p50 == 50 && *h.p90 == 90 && *h.p99 == 99));
  std::vector<int64_t> many(101);
  std::iota(many.begin(), many.end(), 1);
  auto m = audit::nearest_rank(many);
  BOOST_TEST((*m.p50 == 51 && *m.p90 == 91 && *m.p99 == 100));
}

BOOST_AUTO_TEST_CASE(peak_in_flight_counts_closed_intervals) {
  call_log l;
  l.create(0, "T1", "a").create(1000, "T2", "b").poll(5000, "T1", "succeed");
  l.create(5000, "T3", "c");  // the very ms T1 finished: both in flight
  l.poll(6000, "T2", "succeed").poll(7000, "T3", "succeed");
  l.create(8000, "T4", "d").poll(9000, "T4", "succeed");
  auto r = l.run();
  BOOST_TEST(r.clients.front().peak_in_flight == 3);
  call_log seq;
  seq.create(0, "T1", "a").poll(1000, "T1", "succeed").create(1001, "T2", "b").poll(2000, "T2", "succeed");
  BOOST_TEST(seq.run().clients.front().peak_in_flight == 1);
  // A pending task is in flight until its last observation; an unknown one
  // from its first query.
  call_log u;
  u.poll(0, "X", "processing").poll(5000, "X", "processing").create(1000, "T1").poll(2000, "T1", "succeed");
  BOOST_TEST(u.run().clients.front().peak_in_flight == 2);
}

BOOST_AUTO_TEST_CASE(in_flight_series_against_concurrency_failures) {
  call_log l;
  l.create(0, "T1", "a").create(100, "T2", "b");
  l.fail(200, 429, 1303, "rate_limit.concurrency", "c").fail(61000, 429, 1303, "rate_limit.concurrency", "c");
  l.poll(62000, "T1", "succeed").poll(62100, "T2", "succeed");
  audit::audit_options o;
  o.series_bucket_ms = 60000;
  o.concurrency_causes = {"rate_limit.concurrency"};
  auto r = l.run(o);
  const auto& s = r.clients.front().series;
  BOOST_REQUIRE(s.size() == 2u);
  BOOST_TEST(s[0].peak == 2);
  BOOST_TEST(s[0].concurrency_failures == 1);
  BOOST_TEST(s[1].peak == 2);
  BOOST_TEST(s[1].end == 0);
  BOOST_TEST(s[1].concurrency_failures == 1);
}

BOOST_AUTO_TEST_CASE(calls_without_a_time_are_counted_not_audited) {
  call_log l;
  l.create(0, "T1");
  auto calls = read_lines(l.lines, "t.jsonl", l.causes);
  calls.front().in.ts_ms.reset();
  audit::fact_store store;
  feed(store, calls);
  auto r = audit::run_audit(store);
  BOOST_TEST(r.untimed_calls == 1);
  BOOST_TEST(r.calls == 0);
  BOOST_TEST(r.clients.front().calls == 1);
  BOOST_TEST(r.tasks.created == 0);
}

BOOST_AUTO_TEST_CASE(callbacks_of_both_standards) {
  call_log l;
  l.create(0, "T1", "a", R"(,"callback_url":"https://app.example.com/hook?k=1")");
  l.create(10, "T2", "b", R"(,"callback_url":"https://app.example.com/hook?k=1")");
  l.auth = "";
  // Legacy task object; 2026 id/status inside data; a path-only URL (a
  // server's own call_log); a URL that is no callback_url: an ordinary call.
  l.add(5000, "POST", "https://app.example.com/hook?k=1", 200,
        R"({"task_id":"T1","task_status":"succeed"})", "{}");
  l.add(6000, "POST", "/hook?k=1", 200, R"({"data":{"id":"T2","status":"failed"}})", "{}");
  l.add(7000, "POST", "https://app.example.com/other", 200, R"({"task_id":"T1","task_status":"failed"})", "{}");
  auto r = l.run();
  BOOST_TEST(r.callbacks == 2);
  BOOST_TEST(r.callbacks_unmatched == 0);
  BOOST_TEST(r.tasks.succeeded == 1);
  BOOST_TEST(r.tasks.failed == 1);
  BOOST_TEST(r.calls == 3);  // two creates and the POST to /other
  BOOST_TEST(*r.tasks.polls_per_task.p99 == 0);
}

BOOST_AUTO_TEST_SUITE_END()
