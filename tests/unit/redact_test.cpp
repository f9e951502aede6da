// SPDX-License-Identifier: MIT
// core/redact: the one redaction policy every output goes through.
#include <boost/test/unit_test.hpp>

#include <string>

#include "analyzer/core/redact.hpp"

BOOST_AUTO_TEST_SUITE(redact_test)

using analyzer::core::clip;
using analyzer::core::is_credential_name;
using analyzer::core::may_hold_secret;
using analyzer::core::redact;
using analyzer::core::redact_field;
using analyzer::core::redact_style;

const std::string jwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrZXkiLCJleHAiOjE3OTU0ODk5NjV9."
    "c2lnbmF0dXJlX2hlcmU";

BOOST_AUTO_TEST_CASE(credential_names) {
  for (const char* n : {"Authorization", "proxy-authorization", "x-api-key", "api-key", "Cookie",
                        "set-cookie", "access_token", "X-Auth-Token", "client_secret", "secret_key",
                        "password", "db_passwd", "X-Amz-Signature", "sig", "auth", "apiKey",
                        "AWS_CREDENTIALS"}) {
    BOOST_TEST(is_credential_name(n), n);
  }
  for (const char* n : {"content-type", "model_name", "prompt", "request_id", "task_id",
                        "retry-after", "duration", "author", "status"}) {
    BOOST_TEST(!is_credential_name(n), n);
  }
}

BOOST_AUTO_TEST_CASE(bare_keys_in_free_text) {
  BOOST_TEST(redact("key sk-proj-Ab3dEf6hIj9kLm2nOp5q rejected") ==
             "key <redacted: 28 chars> rejected");
  BOOST_TEST(redact("sk_live_4eC39HqLyjWDarjtT1zdp7dc") == "<redacted: 32 chars>");
  BOOST_TEST(redact("hash 0123456789abcdef0123456789ABCDEF here") == "hash <redacted: 32 chars> here");
  BOOST_TEST(redact("token=" + jwt) == "token=<redacted: " + std::to_string(jwt.size()) + " chars>");
  BOOST_TEST(redact("got " + jwt + ".") == "got <redacted: " + std::to_string(jwt.size() + 1) + " chars>");
}

BOOST_AUTO_TEST_CASE(schemes_keep_the_word) {
  BOOST_TEST(redact("Authorization: Bearer abc123DEF456ghi") ==
             "Authorization: Bearer <redacted: 15 chars>");
  BOOST_TEST(redact("Basic dXNlcjpwYXNzd29yZA==") == "Basic <redacted: 20 chars>");
  // Words after a scheme name are not credentials.
  BOOST_TEST(redact("Bearer authentication failed") == "Bearer authentication failed");
  BOOST_TEST(redact("basic information") == "basic information");
}

BOOST_AUTO_TEST_CASE(values_after_credential_names) {
  BOOST_TEST(redact("https://x/v1?api_key=hunter2hunter2&q=1") ==
             "https://x/v1?api_key=<redacted: 14 chars>&q=1");
  BOOST_TEST(redact(R"({"secret_key": "correct horse battery"})") ==
             R"({"secret_key": "<redacted: 21 chars>"})");
  BOOST_TEST(redact(R"(JSON-escaped {\"access_key\":\"AKIA0123456789ABCD\"})") ==
             R"(JSON-escaped {\"access_key\":\"<redacted: 18 chars>\"})");
  BOOST_TEST(redact("X-Api-Key: a1b2c3d4e5f6") == "X-Api-Key: <redacted: 12 chars>");
  BOOST_TEST(redact("password:p4ss") == "password:<redacted: 4 chars>");
  BOOST_TEST(redact("https://alice:s3cr3t-pw@api.example.com/x") ==
             "https://alice:<redacted: 9 chars>@api.example.com/x");
}

BOOST_AUTO_TEST_CASE(keys_echoed_by_servers) {
  BOOST_TEST(redact("bad key AbCdEf0123456789xyz") == "bad key <redacted: 19 chars>");
  BOOST_TEST(redact("Invalid access key for key a1b2c3d4e5f6a7b8c9d0") ==
             "Invalid access key for key <redacted: 20 chars>");
}

// What must survive: our own report text, ids, digests, words.
BOOST_AUTO_TEST_CASE(no_false_positives) {
  for (std::string s : {
           std::string("rules: 34, digest sha256:") + std::string(64, 'a'),
           std::string("request_id 05c62e78-06ab-4640-97ca-b99bd75239c1"),
           std::string("\"task_id\":\"Cj0BxGA7uYFtCk5GNqAs6U\",\"id\":\"701345354355382567\""),
           std::string("POST /v1/videos/text2video/{id}"),
           std::string("  auth.token_kind            jwt"),
           std::string("  Authorization              Bearer <jwt: exp 2026-11-24T03:12:45Z>"),
           std::string("--> rules/api_keys.yaml:7:24"),
           std::string("kling-triage: error: logs/tokens.jsonl: truncated gzip stream"),
           std::string("The API key is invalid: rotate the key: create a new one"),
           std::string("Token expired at 2026-11-24T03:12:45Z"),
           std::string("\"category\":\"auth\",\"cause\":\"auth.invalid_token\""),
           std::string("{\"auth\": 12, \"token_errors\": 3}"),
           std::string("--fail-on cause:auth.invalid_key>=1 category:token_errors==1"),
           std::string("<redacted: 40 chars>"),
           std::string("\"Authorization\":\"Bearer [REDACTED]\""),
           std::string("api_key=*** password=<hidden> token=REDACTED"),
       }) {
    BOOST_TEST(redact(s) == s, s);
  }
}

// `rules suggest` prints whole records: HAR's {name, value} lists, and JSON
// logged as a string inside JSON (quotes escaped once per level).
BOOST_AUTO_TEST_CASE(name_value_lists_and_nested_json_strings) {
  BOOST_TEST(redact(R"([{"name":"api_key","value":"a1b2c3d4e5f6g7"},{"name":"q","value":"x"}])") ==
             R"([{"name":"api_key","value":"<redacted: 14 chars>"},{"name":"q","value":"x"}])");
  BOOST_TEST(redact(R"({"body":"{\"note\":\"{\\\"secret_key\\\":\\\"q2qLcgCDNP9e26\\\"}\"}"})") ==
             R"({"body":"{\"note\":\"{\\\"secret_key\\\":\\\"<redacted: 14 chars>\\\"}\"}"})");
  // An escaped quote never lets a value run past its own string.
  BOOST_TEST(redact(R"({"m":"token: \"abc","rule":null})") ==
             R"({"m":"token: \"<redacted: 3 chars>","rule":null})");
}

BOOST_AUTO_TEST_CASE(placeholders_are_words_not_prefixes) {
  BOOST_TEST(redact("password=hiddenKey123") == "password=<redacted: 12 chars>");
}

BOOST_AUTO_TEST_CASE(markdown_and_html_escapes_are_seen_through) {
  BOOST_TEST(redact("sk\\_live\\_4eC39HqLyjWDarjtT1zdp7dc", redact_style::markdown) ==
             "\\<redacted: 32 chars\\>");
  BOOST_TEST(redact("api\\_key=abc123def", redact_style::markdown) ==
             "api\\_key=\\<redacted: 9 chars\\>");
  BOOST_TEST(redact("&quot;secret_key&quot;: &quot;p4ssw0rd-long&quot;", redact_style::html) ==
             "&quot;secret_key&quot;: &quot;&lt;redacted: 13 chars&gt;&quot;");
}

BOOST_AUTO_TEST_CASE(fields_by_name) {
  BOOST_TEST(redact_field("request.headers.x-api-key", "short") == "<redacted: 5 chars>");
  BOOST_TEST(redact_field("request.body.password", "correct horse") == "<redacted: 13 chars>");
  BOOST_TEST(redact_field("request.body.prompt", "a fox") == "a fox");
  BOOST_TEST(redact_field("response.body.message", "bad key AbCdEf0123456789xyz") ==
             "bad key <redacted: 19 chars>");
}

// A key cut for display is no longer recognisable: clip redacts first.
BOOST_AUTO_TEST_CASE(clip_redacts_before_cutting) {
  std::string text = "failed for key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv";
  BOOST_TEST(clip(text, 20) == "failed for key <reda\u2026");
  BOOST_TEST(clip(text, 200).find("Ab3dEf") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(fast_path_finds_every_kind) {
  BOOST_TEST(!may_hold_secret("{\"source\":\"logs/a.jsonl\",\"line\":1,\"status\":200,\"cause\":\"ok\"}"));
  std::string pad(100, 'x');
  for (std::string s : {std::string("eyJhbG"), std::string("sk-"), std::string("api_KEY"),
                        std::string("Bearer"), std::string("https://"),
                        std::string(40, 'f')}) {
    BOOST_TEST(may_hold_secret(pad + " " + s + " " + pad), s);
    BOOST_TEST(may_hold_secret(s), s);
  }
  // Found by fuzz_redact: a hex run at the very start (the vector scan
  // skipped byte 0), and a name an escape would join (`ke\y`).
  BOOST_TEST(may_hold_secret(std::string(32, 'a') + std::string(40, '"')));
  BOOST_TEST(redact("ske\\ykyL:\"00") == "ske\\ykyL:\"00");
  // A hex run split across two 32-byte blocks.
  BOOST_TEST(may_hold_secret(std::string(20, 'x') + " " + std::string(33, 'a') + " " + std::string(40, 'x')));
  BOOST_TEST(!may_hold_secret(std::string(20, 'x') + " " + std::string(31, 'a') + " " + std::string(40, 'x')));
}

BOOST_AUTO_TEST_SUITE_END()
