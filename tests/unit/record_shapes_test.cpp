// SPDX-License-Identifier: MIT
// ingest: the shapes real failures come in beyond Kling's own envelope
// (error-reference.md sections 1-3): wrapper jobs that failed on HTTP 200,
// FastAPI `detail` in its three forms, task lists with a failed element,
// where the message came from; and what the log recorded of the request
// (whether it kept headers at all, a redacted Authorization value).
#include <boost/test/unit_test.hpp>
#include <string>

#include "analyzer/event/event.hpp"
#include "normalizer_fixture.hpp"
#include "test_support.hpp"

using namespace analyzer;
using event::failure_kind;
using event::outcome;
using test_support::norm_fixture;

namespace {
/// `s` inside a JSON string literal.
std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string response(int status, const std::string& body) {
  return R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "GET", "url": "https://api.reseller.example/v1/jobs/j1", "headers": {"Accept": "application/json"}}, "response": {"status": )" +
         std::to_string(status) + R"(, "body": )" + body + "}}";
}

std::string with_request_headers(const std::string& headers) {
  return R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api-singapore.klingai.com/v1/videos/text2video")" +
         headers + R"(}, "response": {"status": 401, "body": "Unauthorized"}})";
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(record_shapes_test, norm_fixture)

BOOST_AUTO_TEST_CASE(a_wrapper_job_that_failed_on_http_200_is_a_task_failure) {
  for (const char* status : {"failed", "FAILED", "error", " Failed "}) {
    run(response(200, std::string(R"({"id": "job_1", "status": ")") + status +
                          R"(", "error": "Image pixel is invalid"})"));
    BOOST_TEST(ev.result == outcome::failure, status);
    BOOST_TEST(ev.failure == failure_kind::task, status);
    BOOST_TEST(field("message") == "Image pixel is invalid");
    BOOST_TEST(field("message.from") == "error");
  }
  run(response(200, R"({"id": "job_1", "status": "FAILED", "message": "Failure to pass the risk control system"})"));
  BOOST_TEST(field("task.status") == "failed");
  BOOST_TEST(field("message") == "Failure to pass the risk control system");
  BOOST_TEST(field("message.from") == "message");
  for (const char* ok : {R"({"status": "succeeded", "output": "https://cdn/x.mp4"})",
                         R"({"status": "processing"})", R"({"status": 200, "error": null})",
                         R"({"code": 0, "message": "SUCCEED", "data": {"task_status": "processing"}})"}) {
    run(response(200, ok));
    BOOST_TEST(ev.result == outcome::ok, ok);
  }
}

BOOST_AUTO_TEST_CASE(detail_as_text_object_or_list_is_the_message) {
  run(response(401, R"({"detail": "Invalid or missing API key"})"));
  BOOST_TEST(field("message") == "Invalid or missing API key");
  BOOST_TEST(field("message.from") == "detail");
  run(response(500, R"({"detail": {"msg": "Image pixel is invalid", "type": "task_failed"}})"));
  BOOST_TEST(field("message") == "Image pixel is invalid");
  BOOST_TEST(field("message.from") == "detail");
  run(response(502, R"({"detail": {"type": "upstream", "message": "Failure to pass the risk control system"}})"));
  BOOST_TEST(field("message") == "Failure to pass the risk control system");
  run(response(422, R"({"detail": [{"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"}, {"msg": "second"}]})"));
  BOOST_TEST(field("message") == "Field required");
  run(response(422, R"({"detail": [[{"msg": "too deep"}]]})"));
  BOOST_TEST(field("message") == "(absent)");
  BOOST_TEST(ev.result == outcome::failure);
}

BOOST_AUTO_TEST_CASE(any_failed_element_of_a_task_list_fails_the_record) {
  run(response(200, R"({"code": 0, "message": "SUCCEED", "data": [{"id": "a", "status": "succeeded"}, {"id": "b", "status": "failed", "message": "INVALID_IMAGE"}, {"id": "c", "status": "failed", "message": "other"}]})"));
  BOOST_TEST(ev.failure == failure_kind::task);
  BOOST_TEST(field("task.id") == "b");
  BOOST_TEST(field("message") == "INVALID_IMAGE");
  BOOST_TEST(field("message.from") == "task");
  run(response(200, R"({"code": 0, "message": "SUCCEED", "data": [{"id": "a", "status": "succeeded"}, {"id": "b", "status": "processing"}]})"));
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST(ev.task_id == "a");  // the first task, as before
}

BOOST_AUTO_TEST_CASE(message_from_names_the_part_of_the_record) {
  run(response(429, R"({"code": 1102, "message": "Account balance not enough"})"));
  BOOST_TEST(field("message.from") == "message");
  run(response(400, R"({"error": {"message": "Bad Request", "type": "x"}})"));
  BOOST_TEST(field("message.from") == "error");
  run(response(503, R"("<html><title>503</title></html>")"));
  BOOST_TEST(field("message.from") == "text");
  run(R"({"request": {"method": "POST"}, "error": "socket hang up"})");
  BOOST_TEST(field("message.from") == "transport");
  run(response(502, R"("")"));
  BOOST_TEST(field("message") == "(absent)");
  BOOST_TEST(field("message.from") == "(absent)");
}

BOOST_AUTO_TEST_CASE(request_headers_logged_tells_an_absent_header_from_an_unlogged_one) {
  run(with_request_headers(R"(, "headers": {"Content-Type": "application/json"})"));
  BOOST_TEST(field("request.headers_logged") == "true");
  BOOST_TEST(field("auth.present") == "false");
  run(with_request_headers(R"(, "headers": [{"name": "user-agent", "value": "x"}])"));
  BOOST_TEST(field("request.headers_logged") == "true");
  run(with_request_headers(""));
  BOOST_TEST(field("request.headers_logged") == "false");
  run(with_request_headers(R"(, "headers": {})"));
  BOOST_TEST(field("request.headers_logged") == "false");
  run(with_request_headers(R"(, "headers": [])"));
  BOOST_TEST(field("request.headers_logged") == "false");
  run(with_request_headers(R"(, "headers": {"Authorization": "Bearer x"})"));
  BOOST_TEST(field("request.headers_logged") == "true");
  run(response(200, R"({"status": "processing"})"));
  BOOST_TEST(field("request.headers_logged") == "(absent)");  // successes: not computed
}

BOOST_AUTO_TEST_CASE(a_redacted_authorization_value_is_present_and_redacted) {
  for (const char* v : {"REDACTED", "[REDACTED]", "[Filtered]", "***", "<redacted>", "xxx",
                        "[Redacted]", "Bearer [REDACTED]", "Bearer ***", "bearer <hidden>",
                        "Bearer sk-****abcd", "\"[FILTERED]\"", "XXXXXXXX"}) {
    run(with_request_headers(std::string(R"(, "headers": {"Authorization": ")") +
                             json_escape(v) + "\"}"));
    BOOST_TEST(field("auth.present") == "true", v);
    BOOST_TEST(field("auth.redacted") == "true", v);
  }
  for (const char* v : {"Bearer sk-0123456789abcdef", "Token abc", "Bearer ", "Bearer redactedtoken1",
                        "Bearer x"}) {
    run(with_request_headers(std::string(R"(, "headers": {"Authorization": ")") + v + "\"}"));
    BOOST_TEST(field("auth.redacted") == "false", v);
  }
  run(with_request_headers(R"(, "headers": {"Accept": "x"})"));
  BOOST_TEST(field("auth.redacted") == "(absent)");
}

BOOST_AUTO_TEST_SUITE_END()
