// SPDX-License-Identifier: MIT
// aggregate/bounded_counts and aggregate/time_buckets: memory bounded
// whatever the input, results exact and independent of how the input is
// split and in which order the parts are merged.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"

BOOST_AUTO_TEST_SUITE(bounded_test)

using analyzer::aggregate::bounded_counts;
using analyzer::aggregate::minute_bucket;
using analyzer::aggregate::time_buckets;
using analyzer::aggregate::value_hash;

namespace {
using counts = bounded_counts<std::string, int64_t>;

/// A skewed stream: a few heavy values and a long tail of distinct ones.
std::vector<std::string> stream(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = rng();
    out.push_back(r % 4 == 0 ? "POST /v1/videos/text2video" : "v" + std::to_string(r % 20000));
  }
  return out;
}

std::map<std::string, int64_t> as_map(const counts& c) {
  return {c.begin(), c.end()};
}

counts split_and_merge(const std::vector<std::string>& values, size_t parts, uint32_t order_seed,
                       size_t limit) {
  std::vector<counts> shards(parts, counts(limit));
  for (size_t i = 0; i < values.size(); ++i) shards[(i * 7919) % parts].add(values[i], 1);
  std::vector<size_t> order(parts);
  for (size_t i = 0; i < parts; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(order_seed));
  counts total(limit);
  for (size_t i : order) total.merge(shards[i]);
  total.finish();
  return total;
}
}  // namespace

// 300,000 distinct codes, endpoints and models took 410 MB and made a
// 71 MB report: a dimension now keeps `limit` values whatever the input.
BOOST_AUTO_TEST_CASE(memory_is_bounded_and_kept_counts_are_exact) {
  auto values = stream(100000, 1);
  counts one(500);
  std::map<std::string, int64_t> exact;
  for (const auto& v : values) {
    one.add(v, 1);
    ++exact[v];
    BOOST_TEST_REQUIRE(one.size() < 1000u);  // never more than 2 x limit
  }
  one.finish();
  BOOST_TEST(one.size() == 500u);
  BOOST_TEST(one.truncated());
  int64_t kept = 0;
  for (const auto& [k, n] : one) {
    BOOST_TEST(n == exact[k], k);  // exact, not estimated
    kept += n;
  }
  BOOST_TEST(kept + one.other() == static_cast<int64_t>(values.size()));
  // The kept values are the 500 smallest hashes of all values seen.
  std::vector<std::pair<uint64_t, std::string>> all;
  for (const auto& [k, n] : exact) all.emplace_back(value_hash(k), k);
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < 500; ++i) BOOST_TEST(one.values().count(all[i].second) == 1u);
  // The distinct estimate is close (k minimum values: ~1/sqrt(500)).
  double other_distinct = static_cast<double>(exact.size() - 500);
  BOOST_TEST(std::fabs(static_cast<double>(one.other_distinct_estimate()) - other_distinct) <
             0.15 * other_distinct);
}

BOOST_AUTO_TEST_CASE(any_split_and_merge_order_gives_the_same_result) {
  auto values = stream(60000, 2);
  counts want = split_and_merge(values, 1, 0, 300);
  for (size_t parts : {2u, 3u, 7u, 16u}) {
    for (uint32_t order : {1u, 2u, 3u}) {
      counts got = split_and_merge(values, parts, order, 300);
      BOOST_TEST(as_map(got) == as_map(want), parts << " parts, order " << order);
      BOOST_TEST(got.other() == want.other());
      BOOST_TEST(got.other_distinct_estimate() == want.other_distinct_estimate());
    }
  }
}

BOOST_AUTO_TEST_CASE(nothing_is_cut_below_the_limit) {
  counts c(100);
  for (int i = 0; i < 1000; ++i) c.add("v" + std::to_string(i % 60), 1);
  c.finish();
  BOOST_TEST(c.size() == 60u);
  BOOST_TEST(!c.truncated());
  BOOST_TEST(c.other() == 0);
  BOOST_TEST(c.other_distinct_estimate() == 0);
}

BOOST_AUTO_TEST_CASE(integer_keys_too) {
  bounded_counts<int64_t, int64_t> a(50), b(50), whole(50);
  for (int64_t i = 0; i < 10000; ++i) {
    (i % 2 ? a : b).add(i * 7, 1);
    whole.add(i * 7, 1);
  }
  a.merge(b);
  a.finish();
  whole.finish();
  BOOST_TEST((std::map<int64_t, int64_t>(a.begin(), a.end()) ==
              std::map<int64_t, int64_t>(whole.begin(), whole.end())));
  BOOST_TEST(a.other() == 10000 - 50);
}

// Random times across centuries: the per-minute buckets widen instead of
// growing without bound, and the widening does not depend on the split.
BOOST_AUTO_TEST_CASE(time_buckets_widen_deterministically) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> times;
  for (int i = 0; i < 50000; ++i) times.push_back(static_cast<int64_t>(rng() % 253402300799999ull));
  auto build = [&](size_t parts) {
    std::vector<time_buckets> shards(parts, time_buckets(5000));
    for (size_t i = 0; i < times.size(); ++i) {
      shards[i % parts].add(times[i], i % 3 == 0, static_cast<int>(i % 5));
      BOOST_TEST_REQUIRE(shards[i % parts].buckets().size() <= 5000u);
    }
    time_buckets total(5000);
    for (size_t i = parts; i-- > 0;) total.merge(shards[i]);
    return total;
  };
  time_buckets one = build(1);
  BOOST_TEST(one.resolution_minutes() > 1440);
  int64_t records = 0;
  for (const auto& [m, b] : one.buckets()) {
    BOOST_TEST(m % one.resolution_minutes() == 0);
    records += b.records;
  }
  BOOST_TEST(records == 50000);
  for (size_t parts : {2u, 5u}) {
    time_buckets got = build(parts);
    BOOST_TEST(got.resolution_minutes() == one.resolution_minutes());
    std::map<int64_t, int64_t> a, b;
    for (const auto& [m, x] : got.buckets()) a[m] = x.records * 1000003 + x.failures;
    for (const auto& [m, x] : one.buckets()) b[m] = x.records * 1000003 + x.failures;
    BOOST_TEST((a == b));
  }
  // Within budget: one bucket per minute, as before.
  time_buckets day(5000);
  for (int i = 0; i < 1440; ++i) day.add(int64_t{1795478400000} + i * 60000, true, 0);
  BOOST_TEST(day.resolution_minutes() == 1);
  BOOST_TEST(day.buckets().size() == 1440u);
}

BOOST_AUTO_TEST_SUITE_END()
