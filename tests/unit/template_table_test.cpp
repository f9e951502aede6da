// SPDX-License-Identifier: MIT
// aggregate/template_table: unexplained failures by message template are
// counted exactly, keep the earliest example, stay bounded, and merge to the
// same result whatever the split of the records and their order.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"

using namespace analyzer;

namespace {

/// Letters only, so that the template keeps the word: 0 → "a", 27 → "bb".
std::string word(size_t n) {
  std::string out;
  do {
    out += static_cast<char>('a' + n % 26);
    n /= 26;
  } while (n > 0);
  return out;
}

struct record {
  std::string message;
  int64_t line;
  int status;
};

event::event to_event(const record& r) {
  event::event ev;
  ev.result = event::outcome::failure;
  ev.failure = event::failure_kind::http;
  ev.message = r.message;
  ev.line = r.line;
  ev.ts_ms = 1795489965000 + r.line * 1000;  // later lines, later times
  ev.status = r.status;
  return ev;
}

/// Signature of a table: every (template, count, statuses, example line).
std::vector<std::string> signature(const aggregate::template_table& t) {
  std::vector<std::string> out;
  for (const auto& [k, st] : t.entries()) {
    std::string row = k.second + "|" + std::to_string(st.count);
    for (const auto& [s, n] : st.statuses) row += "|" + std::to_string(s) + ":" + std::to_string(n);
    row += "|" + std::to_string(st.earliest ? st.earliest->line : -1);
    out.push_back(row);
  }
  return out;
}

/// Adds `ev`, ordered by the key the aggregator would give it (its message
/// stands in for the record's bytes).
void add(aggregate::template_table& t, const event::event& ev, std::string_view endpoint) {
  t.add(ev, endpoint, aggregate::key_of(ev, aggregate::record_bytes(ev.message)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(template_table_test)

BOOST_AUTO_TEST_CASE(messages_with_different_values_share_a_template) {
  aggregate::template_table t;
  std::vector<record> records{{"Task not found by id: 42", 7, 400},
                              {"Task not found by id: 874531209385614336", 3, 400},
                              {"Task not found by id: 9", 9, 404},
                              {"", 5, 418}};
  for (const auto& r : records) add(t, to_event(r), "GET /x");
  BOOST_TEST_REQUIRE(t.entries().size() == 2u);
  for (const auto& [k, st] : t.entries()) {
    if (k.second.empty()) {
      BOOST_TEST(st.count == 1);
      continue;
    }
    BOOST_TEST(k.second == "Task not found by id: #");
    BOOST_TEST(st.count == 3);
    BOOST_TEST(st.statuses.at(400) == 2);
    BOOST_TEST(st.statuses.at(404) == 1);
    BOOST_TEST(st.earliest->line == 3);  // the earliest, not the first seen
    BOOST_TEST(st.earliest->message == "Task not found by id: 874531209385614336");
  }
  BOOST_TEST(!t.capped());
}

BOOST_AUTO_TEST_CASE(bounded_and_merged_exactly_whatever_the_split) {
  const size_t distinct = aggregate::template_table::limit + 700;
  std::vector<record> records;
  std::mt19937 rng(20261124);
  for (int64_t i = 0; i < 6000; ++i) {
    records.push_back({"upstream said " + word(rng() % distinct) + " again", i + 1,
                       400 + static_cast<int>(rng() % 3)});
  }
  aggregate::template_table whole;
  for (const auto& r : records) add(whole, to_event(r), "POST /x");
  BOOST_TEST(whole.entries().size() == aggregate::template_table::limit);
  BOOST_TEST(whole.capped());
  auto want = signature(whole);
  for (int parts : {2, 3, 7}) {
    std::vector<record> shuffled = records;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<aggregate::template_table> tables(static_cast<size_t>(parts));
    for (size_t i = 0; i < shuffled.size(); ++i) {
      add(tables[i % tables.size()], to_event(shuffled[i]), "POST /x");
    }
    aggregate::template_table merged;
    for (const auto& t : tables) merged.merge(t);
    BOOST_TEST(merged.capped());
    BOOST_TEST(signature(merged) == want, boost::test_tools::per_element());
  }
  // under the limit: nothing dropped, not capped
  aggregate::template_table small, a, b;
  for (size_t i = 0; i < 200; ++i) {
    record r{"gone " + word(i), static_cast<int64_t>(i), 410};
    add(small, to_event(r), "x");
    add((i % 2 ? a : b), to_event(r), "x");
  }
  a.merge(b);
  BOOST_TEST(!a.capped());
  BOOST_TEST(signature(a) == signature(small), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(templates_never_hold_a_secret) {
  aggregate::template_table t;
  add(t, to_event({"bad key api_key=sk-live-0123456789abcdef for Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln", 1, 401}), "x");
  for (const auto& [k, st] : t.entries()) {
    BOOST_TEST(k.second.find("sk-live") == std::string::npos, k.second);
    BOOST_TEST(k.second.find("eyJ") == std::string::npos, k.second);
    BOOST_TEST(st.earliest->message.find("sk-live") == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
