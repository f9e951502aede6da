// SPDX-License-Identifier: MIT
// ingest/normalizer: every JSON Lines input shape of the contract → event.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include "analyzer/core/text.hpp"
#include "analyzer/event/event.hpp"
#include "analyzer/event/field.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "normalizer_fixture.hpp"
#include "test_support.hpp"

namespace bdata = boost::unit_test::data;
using namespace analyzer;
using event::failure_kind;
using event::outcome;
using event::token_kind;
using test_support::make_jwt;
using test_support::norm_fixture;
using test_support::now_ms;
using test_support::jwt_with;
using test_support::with_auth;

namespace {

// ---- time keys and encodings -------------------------------------------

struct time_case {
  const char* record;
  int64_t ms;
};
std::ostream& operator<<(std::ostream& os, const time_case& c) {
  return os << c.record;
}

const time_case times[] = {
    {R"({"ts": "2026-11-24T03:12:45.123Z", "response": {"status": 200}})", now_ms + 123},
    {R"({"time": "2026-11-24T03:12:45.123Z", "response": {"status": 200}})", now_ms + 123},
    {R"({"timestamp": "2026-11-24T03:12:45.123Z", "response": {"status": 200}})", now_ms + 123},
    {R"({"@timestamp": "2026-11-24T03:12:45.123Z", "response": {"status": 200}})", now_ms + 123},
    {R"({"response": {"status": 200}, "ts": "2026-11-24 11:12:45.123+08:00"})", now_ms + 123},
    {R"({"ts": 1795489965, "response": {"status": 200}})", now_ms},
    {R"({"ts": 1795489965.123, "response": {"status": 200}})", now_ms + 123},
    {R"({"ts": 1795489965123, "response": {"status": 200}})", now_ms + 123},
    {R"({"timestamp": "1795489965123", "response": {"status": 200}})", now_ms + 123},
    {R"({"@timestamp": "1795489965", "response": {"status": 200}})", now_ms},
    {R"({"time": 1795489965123, "response": {"status": 200}})", now_ms + 123},
};

// ---- status spellings --------------------------------------------------

const char* const status_503[] = {
    R"({"response": {"status": 503}})",
    R"({"response": {"status_code": 503}})",
    R"({"response": {"status": "503"}})",
    R"({"response": {"body": {"code": 5001}, "status_code": 503}})",
};

// ---- malformed records -------------------------------------------------

struct malformed_case {
  const char* record;
  const char* reason;  // a part of the reason
};
std::ostream& operator<<(std::ostream& os, const malformed_case& c) {
  return os << c.record;
}

const malformed_case malformed[] = {
    {R"([{"response": {"status": 200}}])", "array"},
    {R"([])", "array"},
    {R"(42)", ""},
    {R"("a string")", "string"},
    {R"(null)", ""},
    {R"(true)", ""},
    {R"({"a":1})", "not a logged call for profile `canonical`: it has keys a, the profile needs request, response, error"},
    {R"({})", "not a logged call for profile `canonical`: it has no keys"},
    {R"({"ts": "2026-11-24T03:12:45Z", "duration_ms": 5})",
     "it has keys ts, duration_ms, the profile needs request"},
    {R"({"a":1} x)", ""},
    {R"({"response": {"status": 200}} {"response": {"status": 200}})", ""},
    {R"({"response": {"status": 200})", ""},
    {R"({"response": {"status": 500, }})", ""},
    {R"(not json at all)", ""},
    {R"({"response": {"status": 200}, "ts": })", ""},
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(normalizer_test, norm_fixture)

BOOST_DATA_TEST_CASE(time_under_any_key_and_encoding, bdata::make(times), c) {
  run(c.record);
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST_REQUIRE(ev.ts_ms.has_value());
  BOOST_TEST(*ev.ts_ms == c.ms);
}

BOOST_AUTO_TEST_CASE(unparseable_time_leaves_ts_absent) {
  run(R"({"ts": "last tuesday", "response": {"status": 200}})");
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST(!ev.ts_ms.has_value());
}

BOOST_DATA_TEST_CASE(status_or_status_code, bdata::make(status_503), record) {
  run(record);
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.status == 503);
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(field("status") == "503");
}

BOOST_AUTO_TEST_CASE(canonical_record) {
  declare({"request.body.prompt", "response.headers.retry-after"});
  run(R"({"ts": "2026-11-24T03:12:45.123Z",
 "request":  {"method": "post", "url": "https://api-singapore.klingai.com/v1/videos/text2video",
              "headers": {"Authorization": "Bearer eyJ.x.y", "Content-Type": "application/json"},
              "body": {"model_name": "kling-v1-6", "prompt": "a red fox", "duration": "5"}},
 "response": {"status": 429, "headers": {"Retry-After": "5"},
              "body": {"code": 1302, "message": "Too many requests", "request_id": "req-42"}},
 "duration_ms": 231})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(ev.ts_ms.value_or(0) == now_ms + 123);
  BOOST_TEST(ev.duration_ms.value_or(0) == 231.0);
  BOOST_TEST(ev.method == "POST");
  BOOST_TEST(ev.url == "https://api-singapore.klingai.com/v1/videos/text2video");
  BOOST_TEST(ev.host == "api-singapore.klingai.com");
  BOOST_TEST(ev.endpoint == "/v1/videos/text2video");
  BOOST_TEST(ev.model == "kling-v1-6");
  BOOST_TEST(ev.status == 429);
  BOOST_TEST(ev.code.value_or(0) == 1302);
  BOOST_TEST(ev.message == "Too many requests");
  BOOST_TEST(ev.request_id == "req-42");
  BOOST_TEST(field("request.body.prompt") == "a red fox");
  BOOST_TEST(field("response.headers.retry-after") == "5");
  BOOST_TEST(field("failure") == "http");
  BOOST_TEST(field("duration_ms") == "231");
}

BOOST_AUTO_TEST_CASE(successful_call_is_ok) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "GET", "url": "https://api.klingai.com/v1/videos/text2video/8734512093"}, "response": {"status": 200, "body": {"code": 0, "message": "SUCCEED", "request_id": "r1", "data": {"task_id": "8734512093", "task_status": "succeed"}}}})");
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST(ev.failure == failure_kind::none);
  BOOST_TEST(ev.endpoint == "/v1/videos/text2video/{id}");
  BOOST_TEST(ev.code.value_or(-1) == 0);
  BOOST_TEST(ev.task_id == "8734512093");
  BOOST_TEST(ev.task_status == "succeed");
  BOOST_TEST(ev.request_id == "r1");
}

// ---- headers -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(headers_as_object_in_any_letter_case) {
  declare({"response.headers.retry-after", "request.headers.content-type",
           "request.headers.X-Request-Source"});
  for (const char* name : {"Retry-After", "retry-after", "RETRY-AFTER", "rEtRy-AfTeR"}) {
    run(std::string(R"({"request": {"headers": {"content-TYPE": "application/json", "x-request-source": "batch"}}, "response": {"status": 429, "headers": {")") +
        name + R"(": "17"}}})");
    BOOST_TEST(field("response.headers.retry-after") == "17", name);
    BOOST_TEST(field("request.headers.content-type") == "application/json");
    BOOST_TEST(field("request.headers.x-request-source") == "batch");
  }
}

BOOST_AUTO_TEST_CASE(headers_as_name_value_list) {
  declare({"response.headers.retry-after", "request.headers.content-type"});
  run(R"({"request": {"headers": [{"name": "Content-Type", "value": "text/plain"}, {"name": "Authorization", "value": "Bearer abcdefgh"}]}, "response": {"status": 429, "headers": [{"name": "retry-after", "value": "30"}]}})");
  BOOST_TEST(field("response.headers.retry-after") == "30");
  BOOST_TEST(field("request.headers.content-type") == "text/plain");
  BOOST_TEST(field("auth.present") == "true");
  BOOST_TEST(field("auth.scheme") == "bearer");
}

BOOST_AUTO_TEST_CASE(header_value_number_or_list_reads_as_text) {
  declare({"response.headers.retry-after", "response.headers.x-multi"});
  run(R"({"response": {"status": 429, "headers": {"Retry-After": 5, "X-Multi": ["first", "second"]}}})");
  BOOST_TEST(field("response.headers.retry-after") == "5");
  BOOST_TEST(field("response.headers.x-multi") == "first");
}

BOOST_AUTO_TEST_CASE(absent_header_is_absent) {
  declare({"response.headers.retry-after"});
  run(R"({"response": {"status": 429, "headers": {"Content-Type": "application/json"}}})");
  BOOST_TEST(field("response.headers.retry-after") == "(absent)");
}

// ---- bodies ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(body_as_json_object) {
  declare({"response.body.data.task_status_msg"});
  run(R"({"response": {"status": 400, "body": {"code": 1201, "message": "Invalid parameter", "request_id": "req-1201", "data": {"task_status_msg": "x"}}}})");
  BOOST_TEST(ev.code.value_or(0) == 1201);
  BOOST_TEST(ev.message == "Invalid parameter");
  BOOST_TEST(ev.request_id == "req-1201");
  BOOST_TEST(field("response.body.data.task_status_msg") == "x");
}

BOOST_AUTO_TEST_CASE(body_as_string_holding_json) {
  declare({"response.body.code", "response.body.message"});
  run(R"({"response": {"status": 400, "body": "  {\"code\": 1201, \"message\": \"Invalid parameter\", \"request_id\": \"req-s\"}"}})");
  BOOST_TEST(ev.code.value_or(0) == 1201);
  BOOST_TEST(ev.message == "Invalid parameter");
  BOOST_TEST(ev.request_id == "req-s");
  BOOST_TEST(field("response.body.code") == "1201");
  BOOST_TEST(field("response.body.message") == "Invalid parameter");
}

BOOST_AUTO_TEST_CASE(body_as_plain_text) {
  run(R"({"response": {"status": 502, "body": "upstream connect error or disconnect/reset before headers"}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(!ev.code.has_value());
  BOOST_TEST(ev.message == "upstream connect error or disconnect/reset before headers");
}

BOOST_AUTO_TEST_CASE(body_text_that_only_starts_like_json_is_text) {
  run(R"({"response": {"status": 502, "body": "{bad gateway}"}})");
  BOOST_TEST(!ev.code.has_value());
  BOOST_TEST(ev.message == "{bad gateway}");
}

BOOST_AUTO_TEST_CASE(body_as_html_gives_text_without_tags) {
  run(R"({"response": {"status": 502, "body": "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"}})");
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(ev.message == "502 Bad Gateway 502 Bad Gateway nginx");
}

BOOST_AUTO_TEST_CASE(body_empty_or_null_gives_no_message) {
  for (const char* body : {R"("")", "null", R"("   ")"}) {
    run(std::string(R"({"response": {"status": 500, "body": )") + body + "}}");
    BOOST_TEST(ev.result == outcome::failure, body);
    BOOST_TEST(ev.failure == failure_kind::http, body);
    BOOST_TEST(!ev.code.has_value(), body);
    BOOST_TEST(field("message") == "(absent)", body);
  }
}

BOOST_AUTO_TEST_CASE(generic_error_shapes_give_the_message) {
  struct shape {
    const char* body;
    const char* message;
  };
  const shape shapes[] = {
      {R"({"error": {"message": "Rate limit exceeded", "type": "rate_limit_error"}})", "Rate limit exceeded"},
      {R"({"error": "quota exhausted"})", "quota exhausted"},
      {R"({"detail": "Not Found"})", "Not Found"},
      {R"({"msg": "service busy"})", "service busy"},
      {R"("{\"error\": {\"message\": \"Too many concurrent tasks\"}}")", "Too many concurrent tasks"},
  };
  for (const auto& s : shapes) {
    run(std::string(R"({"response": {"status": 429, "body": )") + s.body + "}}");
    BOOST_TEST(ev.message == s.message, s.body);
  }
}

// ---- no response -------------------------------------------------------

BOOST_AUTO_TEST_CASE(error_string_without_response_is_transport_failure) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api-singapore.klingai.com/v1/videos/text2video"}, "error": "connect ECONNREFUSED 203.0.113.7:443", "duration_ms": 3})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(ev.status == 0);
  BOOST_TEST(!ev.has_response());
  BOOST_TEST(field("status") == "(absent)");
  BOOST_TEST(ev.error == "connect ECONNREFUSED 203.0.113.7:443");
  BOOST_TEST(ev.message == "connect ECONNREFUSED 203.0.113.7:443");
  BOOST_TEST(field("failure") == "transport");
  BOOST_TEST(ev.endpoint == "/v1/videos/text2video");
}

BOOST_AUTO_TEST_CASE(error_object_with_message_is_transport_failure) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "GET", "url": "https://api.klingai.com/v1/videos/text2video/1234"}, "error": {"code": "ECONNABORTED", "message": "timeout of 30000ms exceeded"}})");
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(ev.error == "timeout of 30000ms exceeded");
  BOOST_TEST(ev.message == "timeout of 30000ms exceeded");
}

BOOST_AUTO_TEST_CASE(error_only_record_is_a_call) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "error": "getaddrinfo ENOTFOUND api.klingai.com"})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(ev.error == "getaddrinfo ENOTFOUND api.klingai.com");
}

// ---- HAR entries as JSON Lines -----------------------------------------

BOOST_AUTO_TEST_CASE(har_entry_per_line) {
  declare({"request.body.prompt", "request.body.image_list.0.image",
           "response.headers.retry-after", "response.body.request_id"});
  const std::string jwt = jwt_with(1800, -5);
  run(R"({"startedDateTime": "2026-11-24T03:12:45.123Z", "time": 231.5,
  "request": {"method": "post", "url": "https://api-singapore.klingai.com/v1/videos/image2video?trace=1", "httpVersion": "HTTP/1.1",
    "headers": [{"name": "Content-Type", "value": "application/json"}, {"name": "Authorization", "value": "Bearer )" + jwt + R"("}],
    "queryString": [], "cookies": [],
    "postData": {"mimeType": "application/json", "text": "{\"model_name\":\"kling-v2-1\",\"prompt\":\"a fox\",\"image_list\":[{\"image\":\"https://cdn.example.com/a.png\"}]}"}},
  "response": {"status": 429, "statusText": "Too Many Requests", "httpVersion": "HTTP/1.1",
    "headers": [{"name": "Retry-After", "value": "7"}], "cookies": [],
    "content": {"size": 66, "mimeType": "application/json", "encoding": "base64",
      "text": "eyJjb2RlIjoxMzAyLCJtZXNzYWdlIjoiVG9vIG1hbnkgcmVxdWVzdHMiLCJyZXF1ZXN0X2lkIjoicmVxLWhhci0xIn0="},
    "redirectURL": ""},
  "cache": {}, "timings": {"send": 1, "wait": 200, "receive": 30.5}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(ev.ts_ms.value_or(0) == now_ms + 123);
  BOOST_TEST(ev.duration_ms.value_or(0) == 231.5);  // HAR `time` is the duration
  BOOST_TEST(ev.method == "POST");
  BOOST_TEST(ev.host == "api-singapore.klingai.com");
  BOOST_TEST(ev.endpoint == "/v1/videos/image2video");
  BOOST_TEST(ev.status == 429);
  BOOST_TEST(ev.code.value_or(0) == 1302);
  BOOST_TEST(ev.message == "Too many requests");
  BOOST_TEST(ev.request_id == "req-har-1");
  BOOST_TEST(ev.model == "kling-v2-1");
  BOOST_TEST(field("request.body.prompt") == "a fox");
  BOOST_TEST(field("request.body.image_list.0.image") == "https://cdn.example.com/a.png");
  BOOST_TEST(field("response.headers.retry-after") == "7");
  BOOST_TEST(field("response.body.request_id") == "req-har-1");
  BOOST_TEST(field("request.body_json_valid") == "true");
  BOOST_TEST(field("auth.token_kind") == "jwt");
  BOOST_TEST(field("auth.well_formed") == "true");
  BOOST_TEST(field("jwt.exp_in_s") == "1800");
}

BOOST_AUTO_TEST_CASE(har_entry_status_0_with_error_is_transport_failure) {
  run(R"({"startedDateTime": "2026-11-24T03:12:45.000Z", "time": 12.5, "request": {"method": "GET", "url": "https://api.klingai.com/v1/videos/text2video/1234", "headers": []}, "response": {"status": 0, "statusText": "", "headers": [], "content": {"size": 0, "mimeType": "x-unknown"}, "_error": "net::ERR_CONNECTION_REFUSED"}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(ev.status == 0);
  BOOST_TEST(field("status") == "(absent)");
  BOOST_TEST(ev.error == "net::ERR_CONNECTION_REFUSED");
  BOOST_TEST(ev.message == "net::ERR_CONNECTION_REFUSED");
  BOOST_TEST(ev.duration_ms.value_or(0) == 12.5);
  BOOST_TEST(ev.ts_ms.value_or(0) == now_ms);
}

BOOST_AUTO_TEST_CASE(har_entry_status_minus_1_with_failure_text) {
  run(R"({"startedDateTime": "2026-11-24T03:12:45.000Z", "time": -1, "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video"}, "response": {"status": -1, "headers": [], "content": {"size": -1, "mimeType": "x-unknown"}}, "_failureText": "net::ERR_TIMED_OUT"})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(ev.status == 0);
  BOOST_TEST(ev.error == "net::ERR_TIMED_OUT");
  BOOST_TEST(!ev.duration_ms.has_value());  // time -1: unknown
}

BOOST_AUTO_TEST_CASE(har_entry_status_0_without_error_text) {
  run(R"({"startedDateTime": "2026-11-24T03:12:45.000Z", "time": 7.4, "request": {"method": "GET", "url": "https://api.klingai.com/"}, "response": {"status": 0, "statusText": "", "headers": [], "content": {}, "_error": null}})");
  BOOST_TEST(ev.failure == failure_kind::transport);
  BOOST_TEST(field("error") == "(absent)");
}

BOOST_AUTO_TEST_CASE(har_post_data_params_are_request_body_fields) {
  declare({"request.body.prompt", "request.body.duration", "request.body.mode"});
  run(R"({"startedDateTime": "2026-11-24T03:12:45.000Z", "time": 40, "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video", "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "prompt", "value": "a fox"}, {"name": "duration", "value": "5"}]}}, "response": {"status": 400, "content": {"mimeType": "text/plain", "text": "bad form"}}})");
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(field("request.body.prompt") == "a fox");
  BOOST_TEST(field("request.body.duration") == "5");
  BOOST_TEST(field("request.body.mode") == "(absent)");
  BOOST_TEST(field("request.body_json_valid") == "false");  // a form is not JSON
  BOOST_TEST(ev.message == "bad form");
}

BOOST_AUTO_TEST_CASE(har_empty_post_data_is_no_body) {
  run(R"({"startedDateTime": "2026-11-24T03:12:45.000Z", "time": 0, "request": {"method": "GET", "url": "https://api.klingai.com/x", "postData": {"mimeType": "", "params": [], "text": ""}}, "response": {"status": 404, "content": {"size": 0, "mimeType": "", "text": ""}}})");
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(field("request.body_json_valid") == "(absent)");
}

// ---- both API standards ------------------------------------------------

BOOST_AUTO_TEST_CASE(legacy_failed_task_is_task_failure_with_its_message) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "GET", "url": "https://api.klingai.com/v1/videos/text2video/CjhMfGdnXAoAAAAAAB2Ytw"}, "response": {"status": 200, "body": {"code": 0, "message": "SUCCEED", "request_id": "r-task", "data": {"task_id": "CjhMfGdnXAoAAAAAAB2Ytw", "task_status": "failed", "task_status_msg": "Failure to pass the risk control system"}}}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::task);
  BOOST_TEST(ev.status == 200);
  BOOST_TEST(ev.code.value_or(-1) == 0);
  BOOST_TEST(ev.message == "Failure to pass the risk control system");
  BOOST_TEST(ev.task_status == "failed");
  BOOST_TEST(ev.task_id == "CjhMfGdnXAoAAAAAAB2Ytw");
  BOOST_TEST(ev.endpoint == "/v1/videos/text2video/{id}");
  BOOST_TEST(field("task.status") == "failed");
  BOOST_TEST(field("task.id") == "CjhMfGdnXAoAAAAAAB2Ytw");
  BOOST_TEST(field("failure") == "task");
}

BOOST_AUTO_TEST_CASE(standard_2026_failed_task_is_task_failure_with_its_message) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "GET", "url": "https://api.klingai.com/tasks?task_ids=tv_01ZA9XM2GSRPM5058HFV4D2W30"}, "response": {"status": 200, "body": {"code": 0, "message": "success", "data": {"id": "tv_01ZA9XM2GSRPM5058HFV4D2W30", "status": "failed", "message": "Image pixel is invalid"}}}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::task);
  BOOST_TEST(ev.message == "Image pixel is invalid");
  BOOST_TEST(ev.task_status == "failed");
  BOOST_TEST(ev.task_id == "tv_01ZA9XM2GSRPM5058HFV4D2W30");
  BOOST_TEST(ev.endpoint == "/tasks");
}

BOOST_AUTO_TEST_CASE(standard_2026_task_list_and_upper_case_status) {
  run(R"({"response": {"status": 200, "body": {"code": 0, "data": [{"id": "tv_01ZA9XM2GSRPM5058HFV4D2W30", "status": "FAILED", "message": "Image pixel is invalid"}]}}})");
  BOOST_TEST(ev.failure == failure_kind::task);
  BOOST_TEST(ev.task_status == "failed");
  BOOST_TEST(ev.message == "Image pixel is invalid");
}

BOOST_AUTO_TEST_CASE(tasks_not_failed_are_ok) {
  for (const char* status : {"succeed", "succeeded", "processing", "submitted"}) {
    run(std::string(R"({"response": {"status": 200, "body": {"code": 0, "message": "SUCCEED", "data": {"task_status": ")") +
        status + R"(", "status": "x"}}}})");
    BOOST_TEST(ev.result == outcome::ok, status);
    BOOST_TEST(ev.task_status == status);
  }
}

BOOST_AUTO_TEST_CASE(nonzero_code_with_http_200_is_code_failure) {
  run(R"({"response": {"status": 200, "body": {"code": 1102, "message": "Account balance not enough", "request_id": "r-1102"}}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.failure == failure_kind::code);
  BOOST_TEST(ev.code.value_or(0) == 1102);
  BOOST_TEST(ev.message == "Account balance not enough");
  BOOST_TEST(field("failure") == "code");
}

BOOST_AUTO_TEST_CASE(http_status_wins_over_code_and_task) {
  run(R"({"response": {"status": 500, "body": {"code": 5000, "message": "Server internal error", "data": {"task_status": "failed"}}}})");
  BOOST_TEST(ev.failure == failure_kind::http);
  BOOST_TEST(ev.message == "Server internal error");
}

// ---- malformed ---------------------------------------------------------

BOOST_DATA_TEST_CASE(malformed_records_have_a_reason, bdata::make(malformed), c) {
  run(c.record);
  BOOST_TEST(ev.result == outcome::malformed);
  BOOST_TEST(!ev.malformed_reason.empty());
  std::string reason = core::to_lower(ev.malformed_reason);
  BOOST_TEST(test_support::contains(reason, core::to_lower(c.reason)),
             "reason: " << reason);
}

BOOST_AUTO_TEST_CASE(provenance_is_left_untouched) {
  ev.source = 3;
  ev.line = 77;
  ev.entry = -1;
  run(R"([1])");
  BOOST_TEST(ev.source == 3u);
  BOOST_TEST(ev.line == 77);
  run(R"({"response": {"status": 200}})");
  BOOST_TEST(ev.source == 3u);
  BOOST_TEST(ev.line == 77);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_string_is_repaired_not_malformed) {
  run("{\"request\": {\"url\": \"https://api.klingai.com/v1/\xC3\"}, \"response\": {\"status\": 500, \"body\": {\"message\": \"bad \xFF byte\"}}}");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.status == 500);
  BOOST_TEST(ev.message == "bad \xEF\xBF\xBD byte");
  BOOST_TEST(ev.url == "https://api.klingai.com/v1/\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(state_does_not_leak_between_records) {
  declare({"response.headers.retry-after"});
  run(with_auth("Bearer " + jwt_with(-60, -1800)));
  BOOST_TEST(field("jwt.expired") == "true");
  run(R"({"response": {"status": 500, "body": {"code": 5000}}})");
  BOOST_TEST(field("auth.present") == "false");
  BOOST_TEST(field("jwt.expired") == "(absent)");
  BOOST_TEST(field("message") == "(absent)");
  BOOST_TEST(field("response.headers.retry-after") == "(absent)");
  BOOST_TEST(!ev.ts_ms.has_value());
  BOOST_TEST(ev.method.empty());
}

// ---- model ------------------------------------------------------------

// The model read from a request body logged as a string holding JSON must
// survive the response body being parsed the same way (HAR postData.text
// plus content.text, or JSONL string bodies on both sides).
BOOST_AUTO_TEST_CASE(model_from_string_request_body_survives_string_response_body) {
  run(R"({"request": {"method": "POST", "body": "{\"model_name\": \"kling-v2-1\", \"prompt\": \"a fox\"}"}, "response": {"status": 429, "body": "{\"code\": 1302, \"message\": \"Too many requests\"}"}})");
  BOOST_TEST(ev.code.value_or(0) == 1302);
  BOOST_TEST(ev.message == "Too many requests");
  BOOST_TEST(ev.model == "kling-v2-1");
  run(R"({"request": {"method": "POST", "body": "{\"model_name\": \"kling-v2-1\"}"}, "response": {"status": 200, "body": "{\"code\": 0, \"message\": \"SUCCEED\", \"data\": {\"task_id\": \"8734512093\", \"task_status\": \"submitted\"}}"}})");
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST(ev.model == "kling-v2-1");
  BOOST_TEST(ev.task_id == "8734512093");
}

BOOST_AUTO_TEST_SUITE_END()
