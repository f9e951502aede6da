// SPDX-License-Identifier: MIT
// report/timeline: bucket choice, zero filling, exact sums, and incident
// windows on synthetic minute data.
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "analyzer/report/timeline.hpp"

namespace {

using analyzer::report::minute_map;
namespace report = analyzer::report;

// 2026-11-24T13:00:00Z in minutes since the epoch.
constexpr int64_t t0 = 1795525200 / 60;
const std::vector<std::string> ids{"server.unavailable", "rate_limit.requests", "auth.bad"};
const std::vector<std::string> categories{"server", "rate_limit", "auth"};

void add(minute_map& m, int64_t minute, int64_t records, int64_t failures, int cause = 0) {
  auto& b = m[minute];
  b.records += records;
  b.failures += failures;
  if (failures > 0) b.causes[cause] += failures;
}

/// `minutes` minutes of `per_minute` calls, each failing with probability
/// `permille`/1000 (fixed seed: the same data on every platform).
minute_map noise(int64_t minutes, int64_t per_minute, uint32_t permille, uint32_t seed = 7) {
  std::mt19937 rng(seed);
  minute_map m;
  for (int64_t i = 0; i < minutes; ++i) {
    int64_t failures = 0;
    for (int64_t r = 0; r < per_minute; ++r) failures += rng() % 1000 < permille ? 1 : 0;
    add(m, t0 + i, per_minute, failures, static_cast<int>(rng() % 3));
  }
  return m;
}

report::incident_scan scan(const minute_map& m) { return report::detect_incidents(m, ids); }

}  // namespace

BOOST_AUTO_TEST_SUITE(timeline_test)

BOOST_AUTO_TEST_CASE(bucket_size_follows_the_window) {
  BOOST_TEST(report::choose_bucket_seconds(t0, t0) == 60);
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 59) == 60);        // an hour
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 179) == 60);       // 3 h
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 180) == 300);
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 12 * 60) == 900);
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 1439) == 3600);    // a day
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 3 * 1440) == 3600);
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 30 * 1440) == 86400);  // a month
  BOOST_TEST(report::choose_bucket_seconds(t0, t0 + 200 * 1440 - 1) == 86400);
  BOOST_TEST(report::choose_bucket_seconds(0, t0) == 86400 * 104);  // a stray 1970 time
}

BOOST_AUTO_TEST_CASE(buckets_are_contiguous_zero_filled_and_oldest_first) {
  minute_map m;
  add(m, t0 + 10, 3, 1, 1);
  add(m, t0, 5, 2, 0);
  auto t = report::build_timeline(m, categories);
  BOOST_TEST(t.bucket_seconds == 60);
  BOOST_REQUIRE(t.buckets.size() == 11u);
  for (size_t i = 0; i < t.buckets.size(); ++i) {
    BOOST_TEST(t.buckets[i].start_ms == (t0 + static_cast<int64_t>(i)) * 60000);
  }
  BOOST_TEST(t.buckets[0].records == 5);
  BOOST_TEST(t.buckets[0].by_category.at("server") == 2);
  BOOST_TEST(t.buckets[5].records == 0);
  BOOST_TEST(t.buckets[5].by_category.empty());
  BOOST_TEST(t.buckets[10].by_category.at("rate_limit") == 1);
}

BOOST_AUTO_TEST_CASE(empty_input_gives_an_empty_timeline) {
  auto t = report::build_timeline({}, categories);
  BOOST_TEST(t.buckets.empty());
  BOOST_TEST(scan({}).incidents.empty());
}

BOOST_AUTO_TEST_CASE(bucket_sums_equal_the_totals) {
  minute_map m = noise(2 * 1440 + 17, 7, 120);
  int64_t records = 0, failures = 0;
  for (const auto& [k, b] : m) {
    records += b.records;
    failures += b.failures;
  }
  auto t = report::build_timeline(m, categories);
  BOOST_TEST(t.bucket_seconds == 3600);
  BOOST_TEST(t.buckets.front().start_ms % (3600 * 1000) == 0);  // aligned
  int64_t r = 0, f = 0, by_category = 0;
  for (const auto& b : t.buckets) {
    r += b.records;
    f += b.failures;
    for (const auto& [cat, n] : b.by_category) by_category += n;
  }
  BOOST_TEST(r == records);
  BOOST_TEST(f == failures);
  BOOST_TEST(by_category == failures);
  auto daily = report::regroup(t, 86400);
  int64_t daily_failures = 0;
  for (const auto& b : daily.buckets) daily_failures += b.failures;
  BOOST_TEST(daily.buckets.size() == 3u);
  BOOST_TEST(daily_failures == failures);
}

BOOST_AUTO_TEST_CASE(known_incident_is_found) {
  minute_map m = noise(180, 20, 25);
  for (int64_t i = 70; i < 90; ++i) add(m, t0 + i, 8, 8, 1);  // 8 more calls, all failing
  auto s = scan(m);
  BOOST_TEST(s.resolution_minutes == 1);
  BOOST_REQUIRE(s.incidents.size() == 1u);
  const auto& inc = s.incidents.front();
  BOOST_TEST(inc.start_ms == (t0 + 70) * 60000);
  BOOST_TEST(inc.end_ms == (t0 + 90) * 60000);
  BOOST_TEST(inc.records == 20 * 28);
  BOOST_TEST(inc.failures >= 160);
  BOOST_TEST(inc.peak_failure_rate > 0.25);
  BOOST_REQUIRE(!inc.top_causes.empty());
  BOOST_TEST(inc.top_causes.front().first == "rate_limit.requests");
  BOOST_TEST(inc.top_causes.size() <= 3u);
}

BOOST_AUTO_TEST_CASE(flat_noise_gives_no_incident) {
  BOOST_TEST(scan(noise(1440, 20, 30)).incidents.empty());     // a day at 3 %
  BOOST_TEST(scan(noise(1440, 20, 300, 11)).incidents.empty());  // a day at 30 %
  BOOST_TEST(scan(noise(1440, 1, 350, 3)).incidents.empty());  // sparse, 35 %
}

BOOST_AUTO_TEST_CASE(a_single_noisy_minute_gives_no_incident) {
  minute_map m = noise(180, 20, 25);
  m[t0 + 100] = {};
  add(m, t0 + 100, 20, 20, 0);  // every call of one minute fails
  BOOST_TEST(scan(m).incidents.empty());
  add(m, t0 + 102, 0, 15, 0);  // and most of another, one minute later
  BOOST_TEST(scan(m).incidents.empty());
}

BOOST_AUTO_TEST_CASE(hot_minutes_merge_across_one_gap_only) {
  minute_map m;
  for (int64_t i = 0; i < 120; ++i) add(m, t0 + i, 20, 0);
  for (int64_t i : {40, 41, 43, 44}) add(m, t0 + i, 0, 10, 0);  // one cold minute inside
  for (int64_t i : {80, 81, 84, 85}) add(m, t0 + i, 0, 10, 0);  // two: not merged
  auto s = scan(m);
  BOOST_REQUIRE(s.incidents.size() == 1u);
  BOOST_TEST(s.incidents.front().start_ms == (t0 + 40) * 60000);
  BOOST_TEST(s.incidents.front().end_ms == (t0 + 45) * 60000);
}

BOOST_AUTO_TEST_CASE(low_traffic_is_judged_at_a_coarser_resolution) {
  minute_map m;
  for (int64_t i = 0; i < 1440; ++i) add(m, t0 + i, 1, i % 50 == 0 ? 1 : 0, 2);
  for (int64_t i = 600; i < 780; ++i) m[t0 + i] = {1, 1, {{0, 1}}};  // 3 h down
  auto s = scan(m);
  BOOST_TEST(s.resolution_minutes > 1);
  BOOST_REQUIRE(s.incidents.size() == 1u);
  BOOST_TEST(s.incidents.front().start_ms <= (t0 + 600) * 60000);
  BOOST_TEST(s.incidents.front().end_ms >= (t0 + 780) * 60000);
  BOOST_TEST(s.incidents.front().top_causes.front().first == "server.unavailable");
}

BOOST_AUTO_TEST_CASE(result_does_not_depend_on_insertion_order) {
  minute_map a = noise(180, 20, 25);
  for (int64_t i = 70; i < 90; ++i) add(a, t0 + i, 10, 10, 1);
  minute_map b;
  b.rehash(4096);
  std::vector<int64_t> keys;
  for (const auto& [k, v] : a) keys.push_back(k);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) b[*it] = a.at(*it);
  auto sa = scan(a), sb = scan(b);
  BOOST_REQUIRE(sa.incidents.size() == sb.incidents.size());
  BOOST_TEST(sa.baseline == sb.baseline);
  BOOST_TEST(sa.incidents.front().start_ms == sb.incidents.front().start_ms);
  BOOST_TEST((sa.incidents.front().top_causes == sb.incidents.front().top_causes));
}

BOOST_AUTO_TEST_SUITE_END()
