// SPDX-License-Identifier: MIT
// core/msg_template: messages with their variable parts masked (as lnav's
// log_msg_format), and the regex that matches the whole template.
#include <re2/re2.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "analyzer/core/msg_template.hpp"

using namespace analyzer;

namespace {
struct template_case {
  const char* message;
  const char* template_text;
};

const template_case cases[] = {
    {"Task not found by id: 874531209385614336", "Task not found by id: #"},
    {"Task not found by external id: batch-42-7", "Task not found by external id: #"},
    {"The model 'kling-v1' has been discontinued", "The model '#' has been discontinued"},
    {"Invalid parameter: duration \"7\" is not supported", "Invalid parameter: duration \"#\" is not supported"},
    {"timeout of 10000ms exceeded", "timeout of #ms exceeded"},
    {"connect ECONNREFUSED 203.0.113.10:443", "connect ECONNREFUSED #:#"},
    {"request c6c1b0a4-6d0e-4c47-9d55-2f0f6f0f2a11 failed", "request # failed"},
    {"object at 0x7f3b2c1d0e50 closed", "object at # closed"},
    {"see https://docs.example.com/errors?code=17 for details.", "see # for details."},
    {"camera_control is only supported in std mode with 5s duration and kling-v1",
     "camera_control is only supported in std mode with #s duration and kling-v1"},
    {"text2video kling-v2-5-turbo is busy", "text2video kling-v2-5-turbo is busy"},  // names stay
    {"job job_7f3a9c failed at step 3.", "job # failed at step #."},
    {"I'm a teapot, don't brew", "I'm a teapot, don't brew"},  // apostrophes are not quotes
    {"  many   spaces\t here  ", "many spaces here"},
    {"Invalid token Bearer <redacted>", "Invalid token Bearer #"},
    {"", ""},
};
}  // namespace

BOOST_AUTO_TEST_SUITE(msg_template_test)

BOOST_AUTO_TEST_CASE(variables_are_masked_and_literals_kept) {
  for (const auto& c : cases) {
    BOOST_TEST(core::message_template(c.message) == c.template_text, c.message);
  }
}

BOOST_AUTO_TEST_CASE(one_template_for_messages_that_differ_in_values) {
  BOOST_TEST(core::message_template("Task not found by id: 1") ==
             core::message_template("Task not found by id: 874531209385614336"));
  BOOST_TEST(core::message_template("The model 'a' has been discontinued") ==
             core::message_template("The model 'kling-v0-9' has been discontinued"));
  BOOST_TEST(core::message_template("Task not found by id: 1") !=
             core::message_template("Task not found by name: 1"));
}

BOOST_AUTO_TEST_CASE(the_template_regex_matches_its_messages_and_only_them) {
  for (const auto& c : cases) {
    std::string re = core::template_regex(c.message);
    RE2 pattern("(?i)" + re);
    BOOST_TEST_REQUIRE(pattern.ok(), re << ": " << pattern.error());
    BOOST_TEST(RE2::PartialMatch(c.message, pattern), c.message << " / " << re);
  }
  RE2 by_id("(?i)" + core::template_regex("Task not found by id: 874531209385614336"));
  BOOST_TEST(RE2::PartialMatch("Task not found by id: 42", by_id));
  BOOST_TEST(!RE2::PartialMatch("Task not found by id: 42 (retry later)", by_id));
  BOOST_TEST(!RE2::PartialMatch("Element id not found", by_id));
  RE2 redacted("(?i)" + core::template_regex("Invalid token Bearer <redacted>"));
  BOOST_TEST(RE2::PartialMatch("Invalid token Bearer sk-0123456789abcdef", redacted));
}

BOOST_AUTO_TEST_CASE(long_messages_are_cut_and_the_regex_left_open) {
  std::string message(400, 'a');
  message += " 123";
  std::string t = core::message_template(message);
  BOOST_TEST(t.size() == core::max_template_bytes);
  std::string re = core::template_regex(message);
  BOOST_TEST(re.back() != '$');
  BOOST_TEST(RE2::PartialMatch(message, RE2("(?i)" + re)));
  std::string utf8;
  for (int i = 0; i < 150; ++i) utf8 += "\xC3\xA9";  // é: never cut in half
  BOOST_TEST(core::message_template(utf8).size() % 2 == 0u);
}

BOOST_AUTO_TEST_CASE(the_hash_is_stable) {
  BOOST_TEST(core::template_hash("") == 14695981039346656037ull);
  BOOST_TEST(core::template_hash("Task not found by id: #") == core::template_hash("Task not found by id: #"));
  BOOST_TEST(core::template_hash("a") == 0xaf63dc4c8601ec8cull);  // FNV-1a 64 of "a"
}

BOOST_AUTO_TEST_SUITE_END()
