// SPDX-License-Identifier: MIT
// engine/run_state + manifest: merging states is exact and refuses what it
// cannot merge. The small state split by input, merged in every order,
// equals the whole; the same input counts once; incompatible states, inputs
// shared in part and overlapping ranges are refused with their reason.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/engine/partial_codec.hpp"
#include "analyzer/report/summary.hpp"
#include "state_fixture.hpp"

using namespace analyzer;
using engine::merge_outcome;

namespace {

std::string json_of(const engine::run_state& s) {
  std::vector<std::string> notes;
  return report::write_json(engine::build_summary(s, notes));
}

/// What a run over some of the small state's inputs writes.
engine::run_state part(const std::vector<size_t>& keep) { return test_support::small_state(keep); }

engine::run_state through_a_partial(const engine::run_state& s) {
  auto got = engine::read_partials(engine::encode_state(s, engine::partial_form::binary, true));
  BOOST_REQUIRE(!got.error);
  return std::move(got.states.at(0));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(merge_test)

BOOST_AUTO_TEST_CASE(any_split_in_any_order_equals_the_whole) {
  const std::string want = json_of(test_support::small_state());
  BOOST_TEST(json_of(part({0, 1, 2, 3})) == want);
  std::vector<std::vector<size_t>> splits = {{3}, {1}, {0}, {2}};
  std::sort(splits.begin(), splits.end());
  do {
    engine::state_merger m;
    for (const auto& keep : splits) {
      auto r = m.add(through_a_partial(part(keep)), "p");
      BOOST_TEST((r.outcome == merge_outcome::merged), r.message);
    }
    BOOST_TEST(json_of(*m.take()) == want);
  } while (std::next_permutation(splits.begin(), splits.end()));
  // A tree: (c.har + a.jsonl) + (big.jsonl's second range + its first).
  engine::state_merger left, right, top;
  left.add(part({3}), "c");
  left.add(part({0}), "a");
  right.add(part({2}), "r2");
  right.add(part({1}), "r1");
  top.add(*right.take(), "right");
  top.add(*left.take(), "left");
  BOOST_TEST(json_of(*top.take()) == want);
}

BOOST_AUTO_TEST_CASE(the_same_inputs_count_once) {
  engine::state_merger m;
  m.add(part({0, 1}), "ab");
  auto again = m.add(part({0, 1}), "ab again");
  BOOST_TEST((again.outcome == merge_outcome::skipped_duplicate));
  BOOST_TEST(again.message.find("already merged") != std::string::npos);
  auto inner = m.add(part({1}), "b");
  BOOST_TEST((inner.outcome == merge_outcome::skipped_duplicate));
  BOOST_TEST(json_of(*m.take()) == json_of(part({0, 1})));
}

BOOST_AUTO_TEST_CASE(inputs_shared_in_part_are_refused) {
  engine::state_merger m;
  m.add(part({0, 1}), "ab");
  auto r = m.add(part({1, 3}), "bc");
  BOOST_TEST((r.outcome == merge_outcome::refused));
  BOOST_TEST(r.message.find("shares some inputs (big.jsonl") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(overlapping_ranges_and_mixed_whole_are_refused) {
  engine::run_state other = part({2});
  other.inputs[0].range = engine::byte_range{900, 1700};  // overlaps [0, 1000)
  other.inputs[0].checksum = 99;
  engine::state_merger m;
  m.add(part({1}), "r1");
  auto r = m.add(std::move(other), "r2");
  BOOST_TEST((r.outcome == merge_outcome::refused));
  BOOST_TEST(r.message == "r2: byte ranges 0-1000 and 900-1700 of big.jsonl overlap");
  engine::run_state whole = part({1});
  whole.inputs[0].range.reset();
  whole.inputs[0].checksum = 77;
  engine::state_merger w;
  w.add(part({1}), "r1");
  auto mixed = w.add(std::move(whole), "whole");
  BOOST_TEST((mixed.outcome == merge_outcome::refused));
  BOOST_TEST(mixed.message.find("both whole and in byte ranges") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(incompatible_states_are_refused_naming_both_values) {
  auto refusal = [](auto change) {
    engine::run_state b = part({1});
    change(b);
    engine::state_merger m;
    m.add(part({0}), "a.partial");
    auto r = m.add(std::move(b), "b.partial");
    BOOST_TEST((r.outcome == merge_outcome::refused));
    return r.message;
  };
  BOOST_TEST(refusal([](auto& s) { s.meta.rules_digest = "sha256:ff"; })
                 .find("the rules differ: a.partial was analyzed with rules sha256:aaa") == 0u);
  BOOST_TEST(refusal([](auto& s) { s.meta.profiles_digest = "sha256:ff"; })
                 .find("the input profiles differ") == 0u);
  BOOST_TEST(refusal([](auto& s) { s.meta.options[0].second = "2026-11-24T00:00:00.000Z"; }) ==
             "--since differs: not given in a.partial, 2026-11-24T00:00:00.000Z in b.partial (a "
             "relative time such as 24h is resolved when each run starts: give every run the same "
             "absolute time, as kt-dask does)");
  BOOST_TEST(refusal([](auto& s) { s.causes[0].title = "changed"; })
                 .find("carry different causes under one rules digest") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(manifests_merge_in_order_and_map_both_sides) {
  engine::run_state a = part({0, 3});
  engine::run_state b = part({1, 2});
  std::vector<uint32_t> ma, mb;
  auto merged = engine::merge_manifests(a.inputs, b.inputs, ma, mb);
  BOOST_TEST_REQUIRE(merged.size() == 4u);
  BOOST_TEST(merged[0].path == "a.jsonl");
  BOOST_TEST(merged[3].path == "c.har");
  BOOST_TEST((ma == std::vector<uint32_t>{0, 3}));
  BOOST_TEST((mb == std::vector<uint32_t>{1, 2}));
  BOOST_TEST((engine::compare_inputs(merged, a.inputs) == engine::overlap::all));
  BOOST_TEST((engine::compare_inputs(a.inputs, b.inputs) == engine::overlap::none));
}

BOOST_AUTO_TEST_SUITE_END()
