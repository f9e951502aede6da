// SPDX-License-Identifier: MIT
// core/text and core/sha256: redaction, shortening, UTF-8 repair, parsing,
// digests.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>

#include "analyzer/core/sha256.hpp"
#include "analyzer/core/text.hpp"

namespace bdata = boost::unit_test::data;
using namespace analyzer::core;

namespace {
constexpr const char* jwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJhay1zYW1wbGUiLCJleHAiOjE3OTU0OTE3NjV9."
    "pXvksGqzWjbjApaMAKTlJN8dB1tk-FW5EjFm0FXQ75E";

struct redact_case {
  std::string in;
  std::string out;
};
std::ostream& operator<<(std::ostream& os, const redact_case& c) {
  return os << '"' << c.in << '"';
}

const redact_case redactions[] = {
    {std::string("token was ") + jwt + " at 03:12",
     "token was <redacted: 129 chars> at 03:12"},
    {std::string(jwt), "<redacted: 129 chars>"},
    {std::string("Authorization: Bearer ") + jwt,
     "Authorization: Bearer <redacted: 129 chars>"},
    {"Authorization: Bearer sk-live-0123456789abcdef",
     "Authorization: Bearer <redacted: 24 chars>"},
    {"authorization: bearer sk-live-0123456789abcdef",
     "authorization: bearer <redacted: 24 chars>"},
    {"Basic dXNlcjpwYXNzd29yZA==", "Basic <redacted: 20 chars>"},
    {"GET /v1/x?api_key=ak_9f8e7d6c5b4a&page=2",
     "GET /v1/x?api_key=<redacted: 15 chars>&page=2"},
    {"secret_key=SK-123abc, access_key=AK-456def",
     "secret_key=<redacted: 9 chars>, access_key=<redacted: 9 chars>"},
    {"url?token=abc.def", "url?token=<redacted: 7 chars>"},
};

const char* const kept[] = {
    "",
    "Too many requests, please try again later",
    "Failure to pass the risk control system",
    "HTTP 401: Authorization has expired (code 1004)",
    "the bearer of bad news",          // too short to be a token
    "request_id=2b3c4d5e-6f7a-4b8c",   // not a credential key
    "model kling-v2-1, duration 5, aspect 16:9",
    "keyJson and eyJ",                 // eyJ inside a word / too short
};
}  // namespace

BOOST_AUTO_TEST_SUITE(text_test)

BOOST_DATA_TEST_CASE(redact_secrets_removes_credentials,
                     bdata::make(redactions), c) {
  std::string got = redact_secrets(c.in);
  BOOST_TEST(got == c.out);
  BOOST_TEST(got.find("sk-live") == std::string::npos);
  BOOST_TEST(got.find("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9") ==
             std::string::npos);
}

BOOST_DATA_TEST_CASE(redact_secrets_keeps_ordinary_text, bdata::make(kept),
                     text) {
  BOOST_TEST(redact_secrets(text) == std::string(text));
}

// `\u001b[…` from a log reached text, Markdown, HTML and explain raw:
// terminal escape injection.
BOOST_AUTO_TEST_CASE(printable_escapes_controls_del_and_c1) {
  using analyzer::core::printable;
  BOOST_TEST(printable("a\x1b[31mred\x1b[0m") == "a\\x1b[31mred\\x1b[0m");
  BOOST_TEST(printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
  BOOST_TEST(printable("del\x7f") == "del\\x7f");
  BOOST_TEST(printable("csi\xc2\x9b" "2J") == "csi\\x9b" "2J");  // U+009B, a C1 CSI
  BOOST_TEST(printable("raw\x9b") == "raw\xef\xbf\xbd");  // an invalid byte: U+FFFD
  BOOST_TEST(printable("two\nlines\tand\r") == "two\\nlines\\tand\\r");
  BOOST_TEST(printable("two\nlines\tand\r", true) == "two\nlines\tand\\r");
  BOOST_TEST(printable("caf\xc3\xa9 \xe2\x86\x92 \xc2\xa0ok") == "caf\xc3\xa9 \xe2\x86\x92 \xc2\xa0ok");
}

BOOST_AUTO_TEST_CASE(shorten_keeps_short_text) {
  BOOST_TEST(shorten("", 0) == "");
  BOOST_TEST(shorten("abc", 3) == "abc");
  BOOST_TEST(shorten("abc", 10) == "abc");
}

BOOST_AUTO_TEST_CASE(shorten_cuts_and_appends_ellipsis) {
  BOOST_TEST(shorten("abcdef", 3) == "abc\xE2\x80\xA6");
  BOOST_TEST(shorten("abcdef", 0) == "\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(shorten_never_splits_a_utf8_sequence) {
  // "aé": the cut at 2 would split é (C3 A9).
  BOOST_TEST(shorten("a\xC3\xA9" "b", 2) == "a\xE2\x80\xA6");
  // "日本語" is 3 x 3 bytes; cuts at 4 and 5 fall inside 本.
  const std::string nihongo = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";
  BOOST_TEST(shorten(nihongo, 4) == "\xE6\x97\xA5\xE2\x80\xA6");
  BOOST_TEST(shorten(nihongo, 5) == "\xE6\x97\xA5\xE2\x80\xA6");
  BOOST_TEST(shorten(nihongo, 6) == "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
  // A 4-byte emoji.
  BOOST_TEST(shorten("x\xF0\x9F\xA6\x8Ay", 3) == "x\xE2\x80\xA6");
  for (size_t n = 0; n < nihongo.size(); ++n) {
    std::string s = shorten(nihongo, n);
    BOOST_TEST(repair_utf8(s) == s, "cut at " << n);
  }
}

BOOST_AUTO_TEST_CASE(repair_utf8_replaces_invalid_bytes) {
  BOOST_TEST(repair_utf8("plain") == "plain");
  BOOST_TEST(repair_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  BOOST_TEST(repair_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  BOOST_TEST(repair_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(repair_utf8("\xED\xA0\x80") ==
             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  BOOST_TEST(repair_utf8("\xF4\x90\x80\x80") ==
             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // > U+10FFFF
  BOOST_TEST(repair_utf8("end\xE6\x97") == "end\xEF\xBF\xBD\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(parse_int_and_parse_number) {
  BOOST_TEST(parse_int("429").value_or(0) == 429);
  BOOST_TEST(parse_int("-5").value_or(0) == -5);
  BOOST_TEST(!parse_int("").has_value());
  BOOST_TEST(!parse_int("4x").has_value());
  BOOST_TEST(!parse_int("1.5").has_value());
  BOOST_TEST(parse_number(" 1.5 ").value_or(0) == 1.5);
  BOOST_TEST(parse_number("1e3").value_or(0) == 1000.0);
  BOOST_TEST(!parse_number("abc").has_value());
  BOOST_TEST(!parse_number("inf").has_value());
  BOOST_TEST(!parse_number("nan").has_value());
}

BOOST_AUTO_TEST_CASE(case_helpers_and_trim) {
  BOOST_TEST(iequals("Authorization", "AUTHORIZATION"));
  BOOST_TEST(!iequals("Authorization", "Authorisation"));
  BOOST_TEST(to_lower("Retry-After") == "retry-after");
  BOOST_TEST(to_upper("post") == "POST");
  BOOST_TEST(trim(" \t\r\n x y \n") == "x y");
}

struct digest_case {
  std::string in;
  const char* hex;
};
std::ostream& operator<<(std::ostream& os, const digest_case& c) {
  return os << c.in.size() << " bytes";
}

// FIPS 180-4 examples and padding boundaries (55, 56, 64 bytes).
const digest_case digests[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmjklmnlmnomnopnopq",
     "41cf47a5f57defd5a91a68cda493bc036916cb6947ab503af3834b657221f8d8"},
    {std::string(55, 'a'),
     "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
    {std::string(56, 'a'),
     "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
    {std::string(64, 'a'),
     "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    {std::string(1000000, 'a'),
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

BOOST_DATA_TEST_CASE(sha256_known_vectors, bdata::make(digests), c) {
  BOOST_TEST(sha256_hex(c.in) == c.hex);
}

BOOST_AUTO_TEST_SUITE_END()
