// SPDX-License-Identifier: MIT
// ingest/evidence: what the normalizer proves for failures only: the
// Authorization header and JWT claims, request body validity, and the
// extra fields of the rules' field plan.
#include <boost/test/unit_test.hpp>
#include <string>

#include "analyzer/event/event.hpp"
#include "normalizer_fixture.hpp"
#include "test_support.hpp"

using namespace analyzer;
using event::failure_kind;
using event::outcome;
using event::token_kind;
using test_support::jwt_with;
using test_support::make_jwt;
using test_support::norm_fixture;
using test_support::with_auth;

BOOST_FIXTURE_TEST_SUITE(evidence_test, norm_fixture)

BOOST_AUTO_TEST_CASE(authorization_header_is_never_a_field) {
  declare({"request.headers.authorization"});
  run(with_auth("Bearer sk-secret-0123456789"));
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(field("auth.present") == "true");
  BOOST_TEST(field("request.headers.authorization") == "(absent)");
}

BOOST_AUTO_TEST_CASE(authorization_header_name_in_any_case) {
  for (const char* name : {"authorization", "AUTHORIZATION", "AuThOrIzAtIoN"}) {
    run(std::string(R"({"request": {"headers": {")") + name +
          R"(": "Bearer sk-0123456789"}}, "response": {"status": 401}})");
    BOOST_TEST(field("auth.present") == "true", name);
    BOOST_TEST(field("auth.token_kind") == "opaque", name);
  }
}

// ---- auth and JWT evidence ---------------------------------------------

BOOST_AUTO_TEST_CASE(no_authorization_header) {
  run(R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video", "headers": {"Content-Type": "application/json"}}, "response": {"status": 401, "body": {"code": 1001, "message": "Authorization is empty"}}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.auth.present == false);
  BOOST_TEST(field("auth.present") == "false");
  BOOST_TEST(field("auth.scheme") == "(absent)");
  BOOST_TEST(field("auth.well_formed") == "(absent)");
  BOOST_TEST(field("auth.token_kind") == "(absent)");
  BOOST_TEST(field("jwt.expired") == "(absent)");
  BOOST_TEST(field("jwt.exp_in_s") == "(absent)");
}

BOOST_AUTO_TEST_CASE(bearer_jwt_is_well_formed) {
  run(with_auth("Bearer " + jwt_with(1800, -5)));
  BOOST_TEST(ev.auth.present);
  BOOST_TEST(ev.auth.well_formed);
  BOOST_TEST(ev.auth.scheme == "bearer");
  BOOST_TEST(ev.auth.token == token_kind::jwt);
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "true");
  BOOST_TEST(field("auth.token_kind") == "jwt");
  BOOST_TEST(field("jwt.exp_in_s") == "1800");
  BOOST_TEST(field("jwt.expired") == "false");
  BOOST_TEST(field("jwt.nbf_in_s") == "-5");
  BOOST_TEST(field("jwt.not_yet_valid") == "false");
}

BOOST_AUTO_TEST_CASE(bearer_scheme_in_any_case_is_well_formed) {
  run(with_auth("bEARER " + jwt_with(1800, -5)));
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "true");
}

BOOST_AUTO_TEST_CASE(bearer_with_two_spaces_is_not_well_formed) {
  run(with_auth("bearer  x"));
  BOOST_TEST(field("auth.present") == "true");
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "false");
  BOOST_TEST(field("auth.token_kind") == "opaque");
}

BOOST_AUTO_TEST_CASE(bearer_with_tab_or_inner_space_is_not_well_formed) {
  run(with_auth("Bearer\\tabcdef"));
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "false");
  run(with_auth("Bearer abc def"));
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "false");
}

BOOST_AUTO_TEST_CASE(token_scheme) {
  run(with_auth("Token abc"));
  BOOST_TEST(field("auth.scheme") == "token");
  BOOST_TEST(field("auth.well_formed") == "false");
  BOOST_TEST(field("auth.token_kind") == "opaque");
}

BOOST_AUTO_TEST_CASE(token_scheme_carrying_a_jwt) {
  run(with_auth("Token " + jwt_with(1800, -5)));
  BOOST_TEST(field("auth.scheme") == "token");
  BOOST_TEST(field("auth.well_formed") == "false");
  BOOST_TEST(field("auth.token_kind") == "jwt");
}

BOOST_AUTO_TEST_CASE(raw_jwt_without_scheme) {
  run(with_auth(jwt_with(1800, -5)));
  BOOST_TEST(field("auth.present") == "true");
  BOOST_TEST(field("auth.scheme") == "none");
  BOOST_TEST(field("auth.well_formed") == "false");
  BOOST_TEST(field("auth.token_kind") == "jwt");
  BOOST_TEST(field("jwt.exp_in_s") == "1800");
}

BOOST_AUTO_TEST_CASE(opaque_api_key) {
  run(with_auth("Bearer sk-kling-0123456789abcdef"));
  BOOST_TEST(field("auth.scheme") == "bearer");
  BOOST_TEST(field("auth.well_formed") == "true");
  BOOST_TEST(field("auth.token_kind") == "opaque");
  BOOST_TEST(field("jwt.expired") == "(absent)");
  BOOST_TEST(field("jwt.exp_in_s") == "(absent)");
}

BOOST_AUTO_TEST_CASE(empty_authorization_header) {
  run(with_auth(""));
  BOOST_TEST(field("auth.present") == "true");
  BOOST_TEST(field("auth.token_kind") == "none");
  BOOST_TEST(field("auth.well_formed") == "false");
}

BOOST_AUTO_TEST_CASE(three_parts_whose_middle_is_not_a_json_object_is_opaque) {
  run(with_auth("Bearer abc.def.ghi"));
  BOOST_TEST(field("auth.token_kind") == "opaque");
  run(with_auth("Bearer " + test_support::base64url("{\"alg\":\"HS256\"}") +
                "." + test_support::base64url("[1,2]") + ".sig"));
  BOOST_TEST(field("auth.token_kind") == "opaque");
  run(with_auth("Bearer a.b.c.d"));
  BOOST_TEST(field("auth.token_kind") == "opaque");
}

BOOST_AUTO_TEST_CASE(jwt_expired_before_the_record_time) {
  run(with_auth("Bearer " + jwt_with(-60, -1805)));
  BOOST_TEST(field("jwt.expired") == "true");
  BOOST_TEST(field("jwt.exp_in_s") == "-60");
  BOOST_TEST(field("jwt.nbf_in_s") == "-1805");
  BOOST_TEST(field("jwt.not_yet_valid") == "false");
  BOOST_TEST(ev.auth.exp_in_s.value_or(0) == -60);
}

BOOST_AUTO_TEST_CASE(jwt_exp_equal_to_record_time_is_expired) {
  run(with_auth("Bearer " + jwt_with(0, -1800)));
  BOOST_TEST(field("jwt.exp_in_s") == "0");
  BOOST_TEST(field("jwt.expired") == "true");
}

BOOST_AUTO_TEST_CASE(jwt_exp_after_the_record_time_is_not_expired) {
  run(with_auth("Bearer " + jwt_with(1, -5)));
  BOOST_TEST(field("jwt.exp_in_s") == "1");
  BOOST_TEST(field("jwt.expired") == "false");
}

BOOST_AUTO_TEST_CASE(jwt_nbf_after_the_record_time_is_not_yet_valid) {
  run(with_auth("Bearer " + jwt_with(1830, 30)));
  BOOST_TEST(field("jwt.not_yet_valid") == "true");
  BOOST_TEST(field("jwt.nbf_in_s") == "30");
  BOOST_TEST(field("jwt.expired") == "false");
}

BOOST_AUTO_TEST_CASE(jwt_claims_against_epoch_millisecond_time) {
  run(with_auth("Bearer " + jwt_with(-120, -1920), "1795489965000"));
  BOOST_TEST(field("jwt.exp_in_s") == "-120");
  BOOST_TEST(field("jwt.expired") == "true");
}

BOOST_AUTO_TEST_CASE(jwt_without_record_time_has_no_claim_fields) {
  run(R"({"request": {"headers": {"Authorization": "Bearer )" +
      jwt_with(-60, -1800) + R"("}}, "response": {"status": 401}})");
  BOOST_TEST(field("auth.token_kind") == "jwt");
  BOOST_TEST(field("jwt.expired") == "(absent)");
  BOOST_TEST(field("jwt.exp_in_s") == "(absent)");
  BOOST_TEST(field("jwt.not_yet_valid") == "(absent)");
}

BOOST_AUTO_TEST_CASE(jwt_without_exp_claim_has_no_exp_fields) {
  run(with_auth("Bearer " + make_jwt(R"({"iss":"ak"})")));
  BOOST_TEST(field("auth.token_kind") == "jwt");
  BOOST_TEST(field("jwt.expired") == "(absent)");
  BOOST_TEST(field("jwt.nbf_in_s") == "(absent)");
}

// ---- request body validity and rule extras -----------------------------

BOOST_AUTO_TEST_CASE(request_body_json_valid_true_false_absent) {
  struct body_case {
    const char* body;  // JSON text of request.body, or nullptr for none
    const char* valid;
  };
  const body_case cases[] = {
      {R"({"prompt": "a fox"})", "true"},
      {R"("{\"prompt\": \"a fox\"}")", "true"},
      {R"("{\"prompt\": \"a fox\",}")", "false"},
      {R"("{\"prompt\": \"a fox\"")", "false"},
      {R"("prompt=a+fox&duration=5")", "false"},
      {R"("")", "(absent)"},
      {"null", "(absent)"},
      {nullptr, "(absent)"},
  };
  for (const auto& c : cases) {
    std::string request = c.body == nullptr
                              ? std::string(R"({"method": "POST"})")
                              : std::string(R"({"method": "POST", "body": )") + c.body + "}";
    run(R"({"request": )" + request + R"(, "response": {"status": 400}})");
    BOOST_TEST(field("request.body_json_valid") == c.valid,
               (c.body ? c.body : "(no body)"));
  }
}

BOOST_AUTO_TEST_CASE(request_body_paths_through_field_plan) {
  declare({"request.body.prompt", "request.body.duration",
           "request.body.image_list.0.image", "request.body.image_list.1.image",
           "request.body.image_list", "request.body.cfg_scale",
           "request.body.missing", "request.body.negative_prompt",
           "request.body.watermark"});
  run(R"({"request": {"method": "POST", "body": {"model_name": "kling-v2-1", "prompt": "a red fox", "duration": 5, "cfg_scale": 0.5, "negative_prompt": null, "watermark": false, "image_list": [{"image": "https://cdn.example.com/a.png"}]}}, "response": {"status": 400, "body": {"code": 1201}}})");
  BOOST_TEST(field("request.body.prompt") == "a red fox");
  BOOST_TEST(field("request.body.duration") == "5");
  BOOST_TEST(field("request.body.cfg_scale") == "0.5");
  BOOST_TEST(field("request.body.image_list.0.image") == "https://cdn.example.com/a.png");
  BOOST_TEST(field("request.body.image_list.1.image") == "(absent)");
  BOOST_TEST(field("request.body.image_list") == R"([{"image":"https://cdn.example.com/a.png"}])");
  BOOST_TEST(field("request.body.missing") == "(absent)");
  BOOST_TEST(field("request.body.negative_prompt") == "(absent)");  // null counts as absent
  BOOST_TEST(field("request.body.watermark") == "false");
  BOOST_TEST(ev.model == "kling-v2-1");
}

BOOST_AUTO_TEST_CASE(request_body_paths_in_a_string_body) {
  declare({"request.body.prompt", "request.body.duration"});
  run(R"({"request": {"method": "POST", "body": "{\"model_name\": \"kling-v1-6\", \"prompt\": \"a fox\", \"duration\": \"10\"}"}, "response": {"status": 400}})");
  BOOST_TEST(field("request.body.prompt") == "a fox");
  BOOST_TEST(field("request.body.duration") == "10");
  BOOST_TEST(ev.model == "kling-v1-6");
}

BOOST_AUTO_TEST_CASE(extras_are_filled_for_failures_only) {
  declare({"request.body.prompt"});
  run(R"({"request": {"body": {"prompt": "a fox"}}, "response": {"status": 200}})");
  BOOST_TEST(ev.result == outcome::ok);
  BOOST_TEST(field("request.body.prompt") == "(absent)");
  run(R"({"request": {"body": {"prompt": "a fox"}}, "response": {"status": 500}})");
  BOOST_TEST(field("request.body.prompt") == "a fox");
}

BOOST_AUTO_TEST_SUITE_END()
