// SPDX-License-Identifier: MIT
// report/escape: JSON, HTML and Markdown escaping of log-derived text.
#include <boost/test/unit_test.hpp>
#include <string>

#include "analyzer/report/escape.hpp"

using analyzer::report::html_escape;
using analyzer::report::json_quote;
using analyzer::report::markdown_escape;

BOOST_AUTO_TEST_SUITE(escape_test)

BOOST_AUTO_TEST_CASE(json_quote_plain_text) {
  BOOST_TEST(json_quote("") == "\"\"");
  BOOST_TEST(json_quote("Too many requests") == "\"Too many requests\"");
}

BOOST_AUTO_TEST_CASE(json_quote_escapes_quotes_and_backslashes) {
  BOOST_TEST(json_quote(R"(say "hi" \ bye)") == R"("say \"hi\" \\ bye")");
}

BOOST_AUTO_TEST_CASE(json_quote_escapes_control_characters) {
  BOOST_TEST(json_quote("a\nb\rc\td") == R"("a\nb\rc\td")");
  BOOST_TEST(json_quote(std::string("\x01\x1f", 2)) == R"("\u0001\u001f")");
  BOOST_TEST(json_quote(std::string("nul\0!", 5)) == R"("nul\u0000!")");
  BOOST_TEST(json_quote("\b\f") == R"("\u0008\u000c")");
}

BOOST_AUTO_TEST_CASE(json_quote_keeps_valid_utf8) {
  BOOST_TEST(json_quote("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\xA6\x8A") ==
             "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\xA6\x8A\"");
}

BOOST_AUTO_TEST_CASE(json_quote_replaces_invalid_utf8_with_fffd) {
  BOOST_TEST(json_quote("a\xFF" "b") == "\"a\xEF\xBF\xBD" "b\"");
  // A lone continuation byte, a cut sequence, an overlong encoding.
  BOOST_TEST(json_quote("\x80") == "\"\xEF\xBF\xBD\"");
  BOOST_TEST(json_quote("x\xE6\x97") == "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"");
  BOOST_TEST(json_quote("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  // Repair and escaping together.
  BOOST_TEST(json_quote("\"\xFF\n") == "\"\\\"\xEF\xBF\xBD\\n\"");
}

BOOST_AUTO_TEST_CASE(json_quote_appends_to_existing_output) {
  std::string out = "[";
  json_quote("a", out);
  out += ',';
  json_quote("b\"", out);
  BOOST_TEST(out == R"(["a","b\"")");
}

BOOST_AUTO_TEST_CASE(html_escape_special_characters) {
  BOOST_TEST(html_escape(R"(<a href="x?a=1&b='2'">fox</a>)") ==
             "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;fox&lt;/a&gt;");
  BOOST_TEST(html_escape("plain text 429") == "plain text 429");
  BOOST_TEST(html_escape("") == "");
  BOOST_TEST(html_escape("&amp;") == "&amp;amp;");  // no double-decoding
}

BOOST_AUTO_TEST_CASE(markdown_escape_table_cell_text) {
  BOOST_TEST(markdown_escape("a|b") == "a\\|b");
  BOOST_TEST(markdown_escape("back\\slash") == "back\\\\slash");
  BOOST_TEST(markdown_escape("line1\nline2\r\nline3") ==
             "line1 line2  line3");
  BOOST_TEST(markdown_escape("*bold* _em_ `code` [link] <tag>") ==
             "\\*bold\\* \\_em\\_ \\`code\\` \\[link\\] \\<tag\\>");
  BOOST_TEST(markdown_escape("POST /v1/videos/text2video") ==
             "POST /v1/videos/text2video");
}

BOOST_AUTO_TEST_SUITE_END()
