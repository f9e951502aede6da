// SPDX-License-Identifier: MIT
// The audit's pure functions: client identity, fingerprints, Retry-After,
// task names from query URLs, task states.
#include <boost/test/unit_test.hpp>

#include "analyzer/audit/identity.hpp"
#include "test_support.hpp"

using namespace analyzer::audit;
using test_support::base64url;
using test_support::make_jwt;

BOOST_AUTO_TEST_SUITE(audit_identity_test)

BOOST_AUTO_TEST_CASE(sha256_is_libcrypto_s) {
  BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(a_jwt_client_is_its_issuer_whatever_the_token) {
  auto a = client_from_authorization("Bearer " + make_jwt(R"({"iss":"AK-1","exp":1800})"));
  auto b = client_from_authorization("bearer  " + make_jwt(R"({"exp":99,"iss":"AK-1","nbf":3})"));
  BOOST_REQUIRE(a && b);
  BOOST_TEST(a->key == sha256_hex("AK-1"));
  BOOST_TEST(a->display == "client:" + sha256_hex("AK-1").substr(0, 8));
  BOOST_TEST((*a == *b));  // a fresh token of the same key: the same client
  // Escapes in the claim are decoded before hashing.
  auto e = client_from_authorization("Bearer " + make_jwt(R"({"iss":"AK-\u00e9\/x"})"));
  BOOST_TEST(e->key == sha256_hex("AK-\xc3\xa9/x"));
}

BOOST_AUTO_TEST_CASE(a_token_that_is_not_a_jwt_is_hashed_itself) {
  auto k = client_from_authorization("Bearer sk-live-1234");
  BOOST_TEST(k->key == sha256_hex("sk-live-1234"));
  // No scheme: the value is the token (auth.bad_scheme is the rules' call).
  BOOST_TEST(client_from_authorization("sk-live-1234")->key == sha256_hex("sk-live-1234"));
  // Three segments that are not JSON objects: not a JWT.
  std::string fake = base64url("[1]") + "." + base64url("{}") + ".sig";
  BOOST_TEST(client_from_authorization("Bearer " + fake)->key == sha256_hex(fake));
  // A JWT without a string iss: the token.
  std::string no_iss = make_jwt(R"({"iss":42})");
  BOOST_TEST(client_from_authorization("Bearer " + no_iss)->key == sha256_hex(no_iss));
  // The key itself is never in what is returned.
  BOOST_TEST(k->display.find("sk-live") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(redacted_or_empty_credentials_are_no_identity) {
  for (const char* v : {"", "Bearer", "Bearer ", "Bearer ********", "REDACTED", "[REDACTED]",
                        "Bearer [Filtered]", "***", "<redacted>", "xxx", "Bearer XXXXXXXX"}) {
    BOOST_TEST(!client_from_authorization(v).has_value(), v);
  }
}

BOOST_AUTO_TEST_CASE(fallback_identities) {
  BOOST_TEST(client_from_path("logs/a.jsonl").display ==
             "client:" + sha256_hex("logs/a.jsonl").substr(0, 8));
  auto h = client_from_hint("billing-service");
  BOOST_TEST(h.display == "billing-service");
  BOOST_TEST(h.key != client_from_path("billing-service").key);
}

BOOST_AUTO_TEST_CASE(path_and_query_as_sent) {
  BOOST_TEST(path_and_query("https://api.klingai.com/v1/videos/text2video?x=1#frag") ==
             "/v1/videos/text2video?x=1");
  BOOST_TEST(path_and_query("https://api.klingai.com") == "/");
  BOOST_TEST(path_and_query("https://api.klingai.com?x") == "?x");
  BOOST_TEST(path_and_query("/tasks?task_ids=a") == "/tasks?task_ids=a");
  BOOST_TEST(path_and_query("//host:8080/p") == "/p");
}

BOOST_AUTO_TEST_CASE(fingerprints_ignore_json_whitespace_and_host_not_ids) {
  std::string s;
  auto fp = [&](std::string_view m, std::string_view u, std::string_view b) {
    return request_fingerprint(m, u, b, s);
  };
  uint64_t a = fp("POST", "https://api-singapore.klingai.com/v1/videos/text2video",
                  R"({"prompt":"a b","duration":"5"})");
  BOOST_TEST(a == fp("post", "https://api.klingai.com/v1/videos/text2video",
                     "{ \"prompt\" : \"a b\",\n \"duration\": \"5\" }"));
  BOOST_TEST(a != fp("POST", "https://x/v1/videos/text2video", R"({"prompt":"a  b","duration":"5"})"));
  BOOST_TEST(a != fp("POST", "https://x/v1/videos/text2video?v=2", R"({"prompt":"a b","duration":"5"})"));
  BOOST_TEST(a != fp("PUT", "https://x/v1/videos/text2video", R"({"prompt":"a b","duration":"5"})"));
  BOOST_TEST(fp("GET", "/v1/videos/text2video/111111", "") != fp("GET", "/v1/videos/text2video/222222", ""));
  // Escaped quotes do not end a string.
  std::string out;
  strip_json_whitespace(R"({"a": "x\" y" , "b" : 1})", out);
  BOOST_TEST(out == R"({"a":"x\" y","b":1})");
}

BOOST_AUTO_TEST_CASE(retry_after_seconds) {
  BOOST_TEST(parse_retry_after("120")->ms == 120000);
  BOOST_TEST(!parse_retry_after("120")->is_date);
  BOOST_TEST(parse_retry_after(" 0 ")->ms == 0);
  BOOST_TEST(parse_retry_after("1.5")->ms == 1500);
  for (const char* bad : {"", "-1", "1.", "abc", "5s", "1e3", "99999999999999"}) {
    BOOST_TEST(!parse_retry_after(bad).has_value(), bad);
  }
  retry_after ra{false, 5000};
  BOOST_TEST(retry_deadline(ra, 1000, 250) == 6250);  // after the response arrived
  retry_after at{true, 9000};
  BOOST_TEST(retry_deadline(at, 1000, 250) == 9000);
  BOOST_TEST(is_retry_after_header("RETRY-AFTER"));
  BOOST_TEST(is_retry_after_header("retry-after"));
  BOOST_TEST(!is_retry_after_header("x-retry-after"));
}

BOOST_AUTO_TEST_CASE(retry_after_http_dates_in_all_three_forms) {
  const int64_t t = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
  BOOST_TEST(*parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == t);
  BOOST_TEST(*parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == t);
  BOOST_TEST(*parse_http_date("Sun Nov  6 08:49:37 1994") == t);
  BOOST_TEST(*parse_http_date("sun, 06 nov 1994 08:49:37 utc") == t);
  BOOST_TEST(parse_retry_after("Tue, 24 Nov 2026 14:01:00 GMT")->is_date);
  BOOST_TEST(*parse_http_date("Mon, 29 Feb 2028 00:00:00 GMT") == 1835395200000);
  for (const char* bad : {"Sun, 06 Nov 1994 08:49:37", "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 29 Feb 2027 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "Nov 6 1994"}) {
    BOOST_TEST(!parse_http_date(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(creates_queries_and_the_rest) {
  call_target t;
  classify_target("POST", "https://api.klingai.com/v1/videos/text2video", t);
  BOOST_TEST((t.kind == call_kind::create));
  classify_target("POST", "https://x/text-to-video/kling-2.6", t);
  BOOST_TEST((t.kind == call_kind::create));
  classify_target("GET", "https://x/v1/videos/text2video/8600100000007919", t);
  BOOST_TEST((t.kind == call_kind::query));
  BOOST_TEST(t.ids == std::vector<std::string_view>{"8600100000007919"});
  classify_target("GET", "https://gw/kling/v1/images/generations/job%2D42?x=1", t);
  BOOST_TEST(t.ids == std::vector<std::string_view>{"job-42"});  // a prefix, percent-decoded
  classify_target("GET", "https://x/v1/videos/text2video?pageNum=1", t);  // a list
  BOOST_TEST((t.kind == call_kind::other));
  classify_target("GET", "https://x/v1/videos/text2video/", t);
  BOOST_TEST((t.kind == call_kind::other));
  classify_target("GET", "https://x/tasks?task_ids=a,%20b&x=1&task_ids=c", t);
  BOOST_TEST((t.kind == call_kind::query));
  BOOST_TEST(t.tasks_endpoint);
  BOOST_TEST(t.ids == (std::vector<std::string_view>{"a", "b", "c"}), boost::test_tools::per_element());
  classify_target("GET", "https://x/tasks?task_ids=%61%2C%62,c", t);  // escapes, then plain
  BOOST_TEST(t.ids == (std::vector<std::string_view>{"a", "b", "c"}), boost::test_tools::per_element());
  classify_target("GET", "https://x/tasks", t);
  BOOST_TEST((t.kind == call_kind::other));
  classify_target("POST", "https://x/tasks", t);
  BOOST_TEST((t.kind == call_kind::query));
  BOOST_TEST(t.ids.empty());
  classify_target("DELETE", "https://x/v1/videos/text2video/1234", t);
  BOOST_TEST((t.kind == call_kind::other));
}

BOOST_AUTO_TEST_CASE(task_states_of_both_standards) {
  BOOST_TEST((parse_task_state("succeed") == task_state::succeeded));
  BOOST_TEST((parse_task_state("SUCCEEDED") == task_state::succeeded));
  BOOST_TEST((parse_task_state("failed") == task_state::failed));
  BOOST_TEST((parse_task_state("submitted") == task_state::submitted));
  BOOST_TEST((parse_task_state("processing") == task_state::processing));
  BOOST_TEST((parse_task_state("queued") == task_state::other));
  BOOST_TEST((parse_task_state("") == task_state::none));
}

BOOST_AUTO_TEST_SUITE_END()
