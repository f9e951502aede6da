// SPDX-License-Identifier: MIT
// aggregate/aggregator: counts are exact and merge() is order-independent:
// the same events split across 1, 2 or 3 aggregators, merged in any order,
// give identical results in every field.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/event/event.hpp"

using namespace analyzer;
using aggregate::aggregator;
using event::outcome;

namespace {

constexpr int rule_count = 3;
constexpr int64_t t0 = 1795489965000;  // 2026-11-24T03:12:45Z

/// One input record and what the worker decided for it.
struct item {
  event::event ev;
  int rule = -1;  // failures: winning rule or -1
  std::string bytes;  // the record as read (its hash orders examples)
};

/// A varied, deterministic set of records over 3 sources: ok calls,
/// failures of every cause (with more than max_examples each), malformed
/// lines, records without time, with and without model.
std::vector<item> make_items() {
  static const char* const endpoints[] = {"/v1/videos/text2video",
                                          "/v1/videos/image2video",
                                          "/v1/videos/text2video/{id}", "/tasks"};
  static const char* const methods[] = {"POST", "POST", "GET", ""};
  static const char* const models[] = {"kling-v2-1", "", "kling-v1-6"};
  static const char* const messages[] = {"Too many requests", "Authorization has expired",
                                         "Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig leaked",
                                         ""};
  static const char* const request_ids[] = {"req-a", "req-b", "", "req-c"};
  std::vector<item> out;
  std::mt19937 rng(20261124);
  for (uint32_t source = 0; source < 3; ++source) {
    int n = source == 1 ? 40 : 70;
    for (int i = 0; i < n; ++i) {
      item it;
      event::event& ev = it.ev;
      ev.source = source;
      if (source == 2) {
        ev.entry = i;  // a HAR input
      } else {
        ev.line = i * 3 + 1;
      }
      unsigned r = rng();
      size_t k = r % 4;
      ev.method = methods[k];
      ev.endpoint = endpoints[(r >> 3) % 4];
      ev.model = models[(r >> 5) % 3];
      if ((r >> 7) % 9 != 0) {
        ev.ts_ms = t0 + static_cast<int64_t>((r >> 8) % 3600000) -
                   static_cast<int64_t>(source) * 86400000;
      }
      switch ((r >> 2) % 7) {
        case 0:
        case 1:
          ev.result = outcome::ok;
          ev.status = 200;
          ev.code = 0;
          break;
        case 2:
          ev.result = outcome::malformed;
          ev.malformed_reason = i % 2 ? "a JSON array, not an object"
                                      : "token=abcdef1234 leaked";
          break;
        default:
          ev.result = outcome::failure;
          ev.status = (r >> 12) % 5 == 0 ? 0 : 400 + static_cast<int>((r >> 14) % 130);
          if ((r >> 16) % 3 != 0) ev.code = 1000 + static_cast<int64_t>((r >> 18) % 6);
          ev.message = messages[(r >> 20) % 4];
          ev.request_id = request_ids[(r >> 22) % 4];
          it.rule = static_cast<int>((r >> 24) % (rule_count + 1)) - 1;
          break;
      }
      it.bytes = "record " + std::to_string(source) + ":" + std::to_string(i);
      out.push_back(it);
    }
  }
  return out;
}

void feed(aggregator& a, const item& it) {
  aggregate::record_bytes bytes(it.bytes);
  switch (it.ev.result) {
    case outcome::ok: a.add_ok(it.ev); break;
    case outcome::failure: a.add_failure(it.ev, it.rule, bytes); break;
    case outcome::malformed: a.add_malformed(it.ev, bytes); break;
    case outcome::skipped: a.add_skipped(it.ev); break;
  }
}

/// The key the aggregator must order `it` by.
aggregate::record_key key_of(const item& it) {
  return aggregate::key_of(it.ev, aggregate::record_bytes(it.bytes));
}

std::string opt(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : "-";
}

/// Every field of an aggregator as text, unordered maps sorted.
std::string dump(const aggregator& a) {
  std::ostringstream o;
  o << "records " << a.records << " ok " << a.ok << " failures " << a.failures
    << " malformed " << a.malformed << " filtered " << a.filtered << "\n";
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    const auto& in = a.inputs[i];
    o << "input " << i << ": " << in.records << " " << in.ok << " " << in.failures
      << " " << in.malformed << "\n";
  }
  for (size_t s = 0; s < a.statuses.size(); ++s) {
    if (a.statuses[s] != 0) o << "status " << s << ": " << a.statuses[s] << "\n";
  }
  for (const auto& [c, n] : a.codes) o << "code " << c << ": " << n << "\n";
  o << "window " << opt(a.first_ts) << " " << opt(a.last_ts) << "\n";
  for (size_t i = 0; i < a.causes.size(); ++i) {
    const auto& c = a.causes[i];
    o << "cause " << i << ": " << c.count << " first " << opt(c.first_seen)
      << " last " << opt(c.last_seen) << "\n";
    for (const auto& [s, n] : c.statuses) o << "  status " << s << ": " << n << "\n";
    for (const auto& [s, n] : c.codes) o << "  code " << s << ": " << n << "\n";
    std::map<std::string, int64_t> sorted(c.endpoints.begin(), c.endpoints.end());
    for (const auto& [s, n] : sorted) o << "  endpoint " << s << ": " << n << "\n";
    for (const auto& ex : c.examples) {
      o << "  example " << ex.key.source << ":" << ex.key.ts << "/" << ex.key.hash << " line " << ex.line
        << " entry " << ex.entry << " id " << ex.request_id << " ts " << opt(ex.ts_ms)
        << " status " << ex.status << " code " << opt(ex.code) << " " << ex.endpoint
        << " | " << ex.message << "\n";
    }
  }
  for (const auto& m : a.malformed_examples) {
    o << "malformed " << m.key.source << ":" << m.key.hash << " line " << m.line
      << " entry " << m.entry << " " << m.error << "\n";
  }
  std::map<std::string, aggregate::record_counts> endpoints(a.endpoints.begin(),
                                                            a.endpoints.end());
  for (const auto& [k, v] : endpoints) {
    o << "endpoint " << k << ": " << v.records << " " << v.failures << "\n";
  }
  std::map<std::string, aggregate::record_counts> models(a.models.begin(), a.models.end());
  for (const auto& [k, v] : models) {
    o << "model " << k << ": " << v.records << " " << v.failures << "\n";
  }
  std::map<int64_t, aggregate::minute_bucket> minutes(a.minutes.buckets().begin(), a.minutes.buckets().end());
  for (const auto& [k, b] : minutes) {
    o << "minute " << k << ": " << b.records << " " << b.failures;
    for (const auto& [c, n] : b.causes) o << " c" << c << "=" << n;
    o << "\n";
  }
  return o.str();
}

aggregator all_in_one(const std::vector<item>& items) {
  aggregator a(rule_count);
  for (const auto& it : items) feed(a, it);
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(aggregator_test)

BOOST_AUTO_TEST_CASE(counts_are_exact) {
  std::vector<item> items = make_items();
  aggregator a = all_in_one(items);
  int64_t ok = 0, failures = 0, malformed = 0, with_ts = 0;
  std::map<int, int64_t> per_cause;
  for (const auto& it : items) {
    ok += it.ev.result == outcome::ok;
    failures += it.ev.result == outcome::failure;
    malformed += it.ev.result == outcome::malformed;
    if (it.ev.result == outcome::failure) {
      ++per_cause[it.rule < 0 ? rule_count : it.rule];
    }
    with_ts += it.ev.result != outcome::malformed && it.ev.ts_ms.has_value();
  }
  BOOST_TEST(a.records == static_cast<int64_t>(items.size()));
  BOOST_TEST(a.ok == ok);
  BOOST_TEST(a.failures == failures);
  BOOST_TEST(a.malformed == malformed);
  BOOST_TEST(a.records == a.ok + a.failures + a.malformed);
  BOOST_TEST(a.inputs.size() == 3u);
  BOOST_TEST(a.inputs[1].records == 40);
  BOOST_TEST_REQUIRE(a.causes.size() == static_cast<size_t>(rule_count) + 1);
  BOOST_TEST(a.unclassified_index() == rule_count);
  for (int c = 0; c <= rule_count; ++c) {
    BOOST_TEST(a.causes[static_cast<size_t>(c)].count == per_cause[c], "cause " << c);
  }
  int64_t minute_records = 0;
  for (const auto& [m, b] : a.minutes.buckets()) minute_records += b.records;
  BOOST_TEST(minute_records == with_ts);
}

BOOST_AUTO_TEST_CASE(examples_are_the_five_earliest_by_time_then_record_hash) {
  std::vector<item> items = make_items();
  // Feed in reverse: the earliest must still win.
  aggregator a(rule_count);
  for (auto it = items.rbegin(); it != items.rend(); ++it) feed(a, *it);
  for (int c = 0; c <= rule_count; ++c) {
    std::vector<aggregate::record_key> keys;
    for (const auto& it : items) {
      if (it.ev.result != outcome::failure) continue;
      if ((it.rule < 0 ? rule_count : it.rule) != c) continue;
      keys.push_back(key_of(it));
    }
    std::sort(keys.begin(), keys.end());
    BOOST_TEST_REQUIRE(keys.size() > aggregate::max_examples, "cause " << c);
    keys.resize(aggregate::max_examples);
    const auto& ex = a.causes[static_cast<size_t>(c)].examples;
    BOOST_TEST_REQUIRE(ex.size() == aggregate::max_examples);
    for (size_t i = 0; i < ex.size(); ++i) {
      BOOST_TEST((ex[i].key == keys[i]), "cause " << c << " #" << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(examples_and_malformed_errors_never_hold_secrets) {
  aggregator a = all_in_one(make_items());
  for (const auto& c : a.causes) {
    for (const auto& ex : c.examples) {
      BOOST_TEST(ex.message.find("eyJhbGciOiJIUzI1NiJ9") == std::string::npos, ex.message);
    }
  }
  for (const auto& m : a.malformed_examples) {
    BOOST_TEST(m.error.find("abcdef1234") == std::string::npos, m.error);
  }
}

BOOST_AUTO_TEST_CASE(first_and_last_seen) {
  aggregator a(1);
  event::event ev;
  ev.result = outcome::failure;
  ev.status = 500;
  ev.method = "POST";
  ev.endpoint = "/v1/videos/text2video";
  for (int64_t ts : {t0 + 5000, t0 - 70000, t0 + 130000, t0}) {
    ev.line = ts - t0;
    ev.ts_ms = ts;
    a.add_failure(ev, 0, aggregate::record_bytes("r"));
  }
  ev.ts_ms.reset();
  a.add_failure(ev, 0, aggregate::record_bytes("r"));  // no time: counted, no effect on the window
  BOOST_TEST(a.causes[0].count == 5);
  BOOST_TEST(a.causes[0].first_seen.value_or(0) == t0 - 70000);
  BOOST_TEST(a.causes[0].last_seen.value_or(0) == t0 + 130000);
  BOOST_TEST(a.first_ts.value_or(0) == t0 - 70000);
  BOOST_TEST(a.last_ts.value_or(0) == t0 + 130000);
  BOOST_TEST(a.causes[0].endpoints.at("POST /v1/videos/text2video") == 5);
  BOOST_TEST(a.causes[0].statuses.at(500) == 5);
  BOOST_TEST(a.endpoints.at("POST /v1/videos/text2video").failures == 5);
  // Minutes: floor(ts / 60000), negative offsets included.
  BOOST_TEST(a.minutes.buckets().size() == 3u);  // t0 and t0 + 5 s share a minute
  BOOST_TEST(a.minutes.buckets().count((t0 - 70000) / 60000) == 1u);
}

BOOST_AUTO_TEST_CASE(merge_of_1_2_and_3_aggregators_in_any_order_is_identical) {
  std::vector<item> items = make_items();
  const std::string want = dump(all_in_one(items));

  // Two parts, split odd/even, merged both ways.
  {
    aggregator a(rule_count), b(rule_count);
    for (size_t i = 0; i < items.size(); ++i) feed(i % 2 ? a : b, items[i]);
    aggregator ab(rule_count);
    ab.merge(a);
    ab.merge(b);
    aggregator ba(rule_count);
    ba.merge(b);
    ba.merge(a);
    BOOST_TEST(dump(ab) == want);
    BOOST_TEST(dump(ba) == want);
    a.merge(b);  // merging into a non-empty one
    BOOST_TEST(dump(a) == want);
  }
  // Three parts by a shuffled assignment, fed in shuffled order, merged in
  // every order.
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    std::vector<item> shuffled = items;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    aggregator parts[3] = {aggregator(rule_count), aggregator(rule_count), aggregator(rule_count)};
    for (const auto& it : shuffled) feed(parts[rng() % 3], it);
    int order[3] = {0, 1, 2};
    do {
      aggregator total(rule_count);
      for (int k : order) total.merge(parts[k]);
      BOOST_TEST(dump(total) == want, "round " << round << " order " << order[0]
                                                 << order[1] << order[2]);
    } while (std::next_permutation(order, order + 3));
    // Nested merges: (p0 + p1) + p2 == p2 + (p1 + p0).
    aggregator left(rule_count), right(rule_count), inner(rule_count);
    left.merge(parts[0]);
    left.merge(parts[1]);
    left.merge(parts[2]);
    inner.merge(parts[1]);
    inner.merge(parts[0]);
    right.merge(parts[2]);
    right.merge(inner);
    BOOST_TEST(dump(left) == want);
    BOOST_TEST(dump(right) == want);
  }
}

BOOST_AUTO_TEST_CASE(merge_with_an_empty_aggregator_changes_nothing) {
  std::vector<item> items = make_items();
  aggregator a = all_in_one(items);
  const std::string want = dump(a);
  aggregator empty(rule_count);
  a.merge(empty);
  BOOST_TEST(dump(a) == want);
  empty.merge(a);
  BOOST_TEST(dump(empty) == want);
}

BOOST_AUTO_TEST_CASE(malformed_examples_keep_the_twenty_first_by_record_hash) {
  aggregator a(0), b(0);
  event::event ev;
  ev.result = outcome::malformed;
  ev.malformed_reason = "not JSON";
  std::vector<aggregate::record_key> keys;
  for (int64_t line = 100; line >= 1; --line) {
    ev.line = line;
    std::string bytes = "garbage " + std::to_string(line % 40);  // identical lines tie
    (line % 3 == 0 ? a : b).add_malformed(ev, aggregate::record_bytes(bytes));
    keys.push_back(aggregate::key_of(ev, aggregate::record_bytes(bytes)));
  }
  a.merge(b);
  std::sort(keys.begin(), keys.end());
  BOOST_TEST(a.malformed == 100);
  BOOST_TEST_REQUIRE(a.malformed_examples.size() == 20u);
  for (size_t i = 0; i < 20; ++i) {
    BOOST_TEST((a.malformed_examples[i].key == keys[i]));
    BOOST_TEST(a.malformed_examples[i].key.ts == aggregate::no_time);
  }
}

BOOST_AUTO_TEST_CASE(filtered_records_are_only_counted) {
  aggregator a(1);
  event::event ev;
  ev.result = outcome::failure;
  ev.status = 500;
  ev.ts_ms = t0;
  a.add_filtered(ev);
  BOOST_TEST(a.filtered == 1);
  BOOST_TEST(a.records == 0);
  BOOST_TEST(a.failures == 0);
  BOOST_TEST(a.minutes.buckets().empty());
  BOOST_TEST(!a.first_ts.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
