// SPDX-License-Identifier: MIT
// Bugs found in review, one test each, named after what went wrong.
#include <boost/test/unit_test.hpp>

#include <string>

#include "analyzer/event/event.hpp"
#include "analyzer/ingest/normalizer.hpp"

BOOST_AUTO_TEST_SUITE(regression_test)

using analyzer::event::event;
using analyzer::event::field_plan;
using analyzer::ingest::normalizer;

// The model came from a request body logged as a string holding JSON; the
// response body, also a string holding JSON, was parsed with the same
// parser afterwards and overwrote the bytes the model pointed into.
BOOST_AUTO_TEST_CASE(model_survives_a_string_response_body) {
  field_plan plan;
  normalizer n(plan);
  event ev;
  n.normalize_copy(
      R"({"ts":"2026-11-24T03:00:00Z","request":{"method":"POST","url":"https://x/v1/videos/text2video",)"
      R"("body":"{\"model_name\":\"kling-v2-1\",\"prompt\":\"a fox\"}"},)"
      R"("response":{"status":200,"body":"{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r-1\"}"}})",
      ev);
  BOOST_TEST(ev.model == "kling-v2-1");
  BOOST_TEST(ev.request_id == "r-1");
}

// A transport failure after a record with an HTML error page reported the
// page as its own message.
BOOST_AUTO_TEST_CASE(text_body_message_does_not_leak_into_the_next_record) {
  field_plan plan;
  normalizer n(plan);
  event ev;
  n.normalize_copy(R"({"response":{"status":502,"body":"<html><h1>502 Bad Gateway</h1></html>"}})", ev);
  BOOST_TEST(ev.message == "502 Bad Gateway");
  n.normalize_copy(R"({"request":{"method":"GET","url":"https://x/"},"error":"connect ECONNREFUSED"})", ev);
  BOOST_TEST(ev.message == "connect ECONNREFUSED");
  n.normalize_copy(R"({"response":{"status":401,"body":null}})", ev);
  BOOST_TEST(ev.message.empty());
}

// "Authorization: Bearer" with nothing after it is an empty token, not an
// opaque token that reads "Bearer".
BOOST_AUTO_TEST_CASE(lone_bearer_word_is_an_empty_token) {
  field_plan plan;
  normalizer n(plan);
  event ev;
  n.normalize_copy(R"({"request":{"headers":{"Authorization":"Bearer "}},"response":{"status":401}})", ev);
  BOOST_TEST(ev.auth.present);
  BOOST_TEST(ev.auth.scheme == "bearer");
  BOOST_TEST(static_cast<int>(ev.auth.token) == static_cast<int>(analyzer::event::token_kind::none));
  BOOST_TEST(!ev.auth.well_formed);
}

BOOST_AUTO_TEST_SUITE_END()
