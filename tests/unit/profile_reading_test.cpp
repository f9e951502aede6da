// SPDX-License-Identifier: MIT
// Mapped records through the real reader and worker: detection per input,
// text lines and skipped lines (counts reconcile), many records per line
// (numbered by line and index), a gateway's own failure as a transport
// error, time conversions, and the malformed reasons that never misread.
#include <boost/test/unit_test.hpp>
#include <string>

#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "test_support.hpp"

using namespace analyzer;
using test_support::contains;
using test_support::options_with;
using test_support::read_bytes;
using test_support::run_worker;

namespace {
std::string profile_of(const test_support::read_result& r) {
  if (r.report.profile < 0) return "(none)";
  return profile::bundled_set().profiles[static_cast<size_t>(r.report.profile)]->id;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(profile_reading_test)

BOOST_AUTO_TEST_CASE(strftime_patterns_with_and_without_a_zone) {
  using event::parse_time_pattern;
  BOOST_TEST(parse_time_pattern("2026-12-01 07:08:51,955", "%Y-%m-%d %H:%M:%S,%f").value_or(0) ==
             event::parse_time_text("2026-12-01T07:08:51.955Z").value_or(1));
  BOOST_TEST(parse_time_pattern("01/Dec/2026:07:08:51 +0100", "%d/%b/%Y:%H:%M:%S %z").value_or(0) ==
             event::parse_time_text("2026-12-01T06:08:51Z").value_or(1));
  BOOST_TEST(!parse_time_pattern("2026-12-01 07:08", "%Y-%m-%d %H:%M:%S").has_value());
  BOOST_TEST(!parse_time_pattern("2026-13-01 07:08:51", "%Y-%m-%d %H:%M:%S").has_value());
}

BOOST_AUTO_TEST_CASE(text_lines_skip_what_is_not_a_call_and_counts_reconcile) {
  std::string text =
      "2026-12-01 08:53:12,693 DEBUG urllib3.connectionpool Starting new HTTP connection (1): 127.0.0.1:34171\n"
      "2026-12-01 08:53:12,700 DEBUG urllib3.connectionpool http://127.0.0.1:34171 \"POST /v1/videos/text2video HTTP/1.1\" 200 200\n"
      "2026-12-01 08:53:12,703 DEBUG urllib3.connectionpool http://127.0.0.1:34171 \"POST /v1/videos/text2video HTTP/1.1\" 429 116\n"
      "2026-12-01 08:53:12,705 DEBUG some.other.logger something else entirely\n";
  auto read = read_bytes(text, options_with(1 << 16), "app.log");
  BOOST_TEST(profile_of(read) == "urllib3");
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.skipped == 1);
  BOOST_TEST(r.agg.records == 3);  // ok + failures + malformed; the skipped line is apart
  BOOST_TEST(r.agg.ok == 1);
  BOOST_TEST(r.agg.failures == 1);
  BOOST_TEST_REQUIRE(r.agg.malformed == 1);
  BOOST_TEST(contains(r.agg.malformed_examples[0].error, "does not match the pattern of profile `urllib3`"));
  BOOST_TEST(r.events.size() == 3u);  // no event for the skipped line
}

BOOST_AUTO_TEST_CASE(a_text_line_starting_with_a_bracket_is_never_a_json_array) {
  std::string ok = "{\"ts\":\"2026-11-24T03:12:45Z\",\"response\":{\"status\":200}}\n";
  std::string text = ok + ok + ok +
      "[Axios][Request] 2026-12-01T08:53:08+0000 POST http://127.0.0.1:45147/v1/videos/text2video\n"
      "[1,2]\n";
  auto read = read_bytes(text, options_with(1 << 16));
  BOOST_TEST(profile_of(read) == "canonical");
  auto r = run_worker(read.chunks);
  BOOST_TEST_REQUIRE(r.agg.malformed_examples.size() == 2u);
  for (const auto& m : r.agg.malformed_examples) {  // in the order of their bytes' hash
    BOOST_TEST(m.error == (m.line == 4 ? "not JSON: a line of plain text"
                                       : "a JSON array, not an object"));
  }
}

BOOST_AUTO_TEST_CASE(an_input_no_profile_reads_says_so_once) {
  std::string text = "{\"level\":\"info\",\"ts\":1,\"x\":{}}\n{\"level\":\"info\",\"ts\":2,\"x\":{}}\n";
  auto read = read_bytes(text, options_with(1 << 16));
  BOOST_TEST(read.report.profile == -1);
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.malformed == 2);
  BOOST_TEST(contains(r.agg.malformed_examples[0].error, "kling-triage profiles detect"));
}

BOOST_AUTO_TEST_CASE(many_records_in_one_line_are_numbered_by_line_and_index) {
  // Two spans in one OTLP export line (attributes as the JS SDK writes them).
  auto span = [](const char* method, int status, const char* start) {
    return std::string(R"({"traceId":"t","spanId":"s","name":")") + method +
           R"(","kind":3,"startTimeUnixNano":")" + start +
           R"(","attributes":[{"key":"http.request.method","value":{"stringValue":")" + method +
           R"("}},{"key":"url.full","value":{"stringValue":"https://api-singapore.klingai.com/v1/videos/text2video"}},{"key":"http.response.status_code","value":{"intValue":)" +
           std::to_string(status) + R"(}}],"status":{"code":0}})";
  };
  std::string line = R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[)" +
                     span("POST", 200, "1796115203549000000") + "," +
                     span("POST", 429, "1796115203615000000") + "]}]}]}";
  std::string text = "\n" + line + "\n";
  auto read = read_bytes(text, options_with(1 << 16), "traces.jsonl");
  BOOST_TEST(profile_of(read) == "otlp-spans");
  auto r = run_worker(read.chunks);
  BOOST_TEST_REQUIRE(r.events.size() == 2u);
  BOOST_TEST(r.events[0].line.value_or(-1) == 2);
  BOOST_TEST(r.events[0].entry.value_or(-1) == 0);
  BOOST_TEST(r.events[1].entry.value_or(-1) == 1);
  BOOST_TEST(r.events[1].status.value_or(0) == 429);
  BOOST_TEST(r.agg.ok == 1);
  BOOST_TEST(r.agg.failures == 1);
}

BOOST_AUTO_TEST_CASE(a_gateways_own_connect_failure_is_a_transport_error) {
  std::string ok = R"({"msec":"1796115206.172","request_method":"POST","host":"gw","request_uri":"/v1/videos/text2video","status":200,"upstream_addr":"10.0.0.2:443","upstream_status":"200","upstream_connect_time":"0.002"})";
  std::string refused = R"({"msec":"1796115206.332","request_method":"POST","host":"gw","request_uri":"/v1/videos/text2video","status":502,"upstream_addr":"10.0.0.2:443","upstream_status":"502","upstream_connect_time":"-"})";
  std::string own404 = R"({"msec":"1796115206.400","request_method":"GET","host":"gw","request_uri":"/nope","status":404,"upstream_addr":"-","upstream_connect_time":"-"})";
  auto read = read_bytes(ok + "\n" + refused + "\n" + own404 + "\n", options_with(1 << 16));
  BOOST_TEST(profile_of(read) == "nginx-json");
  auto r = run_worker(read.chunks);
  BOOST_TEST_REQUIRE(r.events.size() == 3u);
  BOOST_TEST(r.events[0].status.value_or(0) == 200);
  BOOST_TEST(!r.events[1].status.has_value());  // not Kling's 502: no answer from Kling
  BOOST_TEST(r.agg.statuses[0] == 1);
  BOOST_TEST(r.events[2].status.value_or(0) == 404);  // nginx's own answer, no upstream at all
}

BOOST_AUTO_TEST_CASE(nanosecond_epochs_are_exact) {
  const auto& set = profile::bundled_set();
  const auto* spans = set.find("otlp-spans");
  BOOST_TEST_REQUIRE(spans != nullptr);
  event::field_plan plan;
  ingest::normalizer norm(plan);
  std::string record = R"({"startTimeUnixNano":"1796115203549999999","attributes":[{"key":"http.method","value":{"stringValue":"GET"}},{"key":"http.status_code","value":{"intValue":"200"}}]})";
  event::event ev;
  norm.normalize_copy(record, ev, *spans);
  BOOST_TEST(ev.status == 200);  // intValue as a string (proto3 JSON)
  BOOST_TEST(ev.ts_ms.value_or(0) == 1796115203549);
}

BOOST_AUTO_TEST_SUITE_END()
