// SPDX-License-Identifier: MIT
// engine/callback_section: possible callbacks counted apart by URL merge
// exactly. The bound keeps the URLs of smallest hash whatever the order or
// split of the records; the section reads back to the same bytes, and a
// section whose bound does not match its counts is refused. (That reports
// leave callbacks out of the calls, whole and split: tests/audit/check_cli.py.)
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "analyzer/engine/callback_section.hpp"
#include "analyzer/engine/partial_codec.hpp"
#include "state_fixture.hpp"

using namespace analyzer;
using engine::callback_section;

namespace {

constexpr int causes = 2;  // the small state's, without unclassified

/// `n` POSTs to URL `url` (its hash), ok and failed, from input `source`.
void post(callback_section& s, uint64_t url, uint32_t source, int n) {
  for (int i = 0; i < n; ++i) {
    event::event ev;
    ev.source = source;
    ev.line = static_cast<int64_t>(url % 100000 * 10 + static_cast<uint64_t>(i));
    ev.ts_ms = test_support::state_t0 + static_cast<int64_t>(url % 1000) * 1000;
    ev.method = "POST";
    ev.endpoint = "/hooks/kling";
    ev.status = i % 2 == 0 ? 200 : 500;
    std::string bytes = "post " + std::to_string(url) + " " + std::to_string(i);
    aggregate::record_bytes b(bytes);
    if (i % 2 == 0) {
      ev.result = event::outcome::ok;
      s.at(url).add_ok(ev);
    } else {
      ev.result = event::outcome::failure;
      s.at(url).add_failure(ev, 0, b);
    }
  }
}

std::vector<uint64_t> urls(size_t n) {
  std::vector<uint64_t> out(n);
  std::iota(out.begin(), out.end(), uint64_t{1});
  return out;
}

engine::run_state state_with_inputs(size_t inputs) {
  engine::run_state s(test_support::small_causes());
  for (size_t i = 0; i < inputs; ++i) {
    s.inputs.push_back(test_support::small_input("in" + std::to_string(i) + ".jsonl", 100, i + 1));
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_section_test)

BOOST_AUTO_TEST_CASE(the_bound_keeps_the_smallest_hashes_whatever_the_order_or_split) {
  const size_t n = callback_section::max_urls + 90;
  std::vector<uint64_t> order = urls(n);
  callback_section ascending(causes, {});
  for (uint64_t u : order) post(ascending, u, 0, 2);
  BOOST_TEST(ascending.by_url.size() == callback_section::max_urls);
  BOOST_TEST(ascending.by_url.rbegin()->first == callback_section::max_urls);
  BOOST_TEST(ascending.capped);
  BOOST_TEST(ascending.rest.records == 2 * 90);

  std::mt19937 rng(7);
  for (int trial = 0; trial < 4; ++trial) {
    std::shuffle(order.begin(), order.end(), rng);
    // Three workers' sections, each over some of the URLs, absorbed in turn.
    std::vector<callback_section> parts(3, callback_section(causes, {}));
    for (size_t i = 0; i < order.size(); ++i) post(parts[(i * 7 + trial) % 3], order[i], 0, 2);
    callback_section total(causes, {});
    for (size_t k = 0; k < parts.size(); ++k) total.absorb(std::move(parts[(k + trial) % 3]), nullptr);
    BOOST_TEST(total.encode() == ascending.encode());
  }
}

BOOST_AUTO_TEST_CASE(a_section_reads_back_to_its_bytes_and_a_wrong_bound_is_refused) {
  engine::run_state state = state_with_inputs(3);
  callback_section s(causes, {});
  for (uint64_t u : urls(40)) post(s, u * 0x9E3779B97F4A7C15ull, static_cast<uint32_t>(u % 3), 3);
  std::string bytes = s.encode();
  std::string error;
  auto back = callback_section::decode(bytes, state, error);
  BOOST_REQUIRE_MESSAGE(back, error);
  BOOST_TEST(back->encode() == bytes);

  // Not capped, yet the flag says so: the bound does not match the counts.
  std::string flipped = bytes;
  BOOST_REQUIRE(flipped.size() > 1 && flipped[1] == 0);
  flipped[1] = 1;
  BOOST_TEST(!callback_section::decode(flipped, state, error));
  BOOST_TEST(error.find("bound") != std::string::npos);

  // Its records name inputs the state does not have.
  engine::run_state fewer = state_with_inputs(1);
  BOOST_TEST(!callback_section::decode(bytes, fewer, error));
}

BOOST_AUTO_TEST_CASE(inputs_renumbered_by_a_merge_follow_their_counts) {
  callback_section a(causes, {}), b(causes, {});
  post(a, 5, 0, 2);
  post(b, 5, 0, 4);
  // a's input 0 becomes 1 of the merged manifest, b's input 0 becomes 0.
  a.remap_sources({1});
  a.absorb(std::move(b), nullptr);
  const auto& inputs = a.by_url.at(5).inputs;
  BOOST_REQUIRE(inputs.size() == 2);
  BOOST_TEST(inputs[0].records == 4);
  BOOST_TEST(inputs[1].records == 2);
}

BOOST_AUTO_TEST_SUITE_END()
