// SPDX-License-Identifier: MIT
// The audit of merged partials equals the audit of one run: the generated
// traffic and the kling-api recording, shuffled, cut into random
// partitions (some spilled to disk, some serialized and read back as a
// partial is), merged in random order, give the same result every time.
#include <algorithm>
#include <random>

#include "audit_support.hpp"

using namespace analyzer;
using namespace audit_support;

namespace {

std::vector<const owned_call*> all_calls(const std::list<owned_call>& a, const std::list<owned_call>& b) {
  std::vector<const owned_call*> out;
  for (const auto& c : a) out.push_back(&c);
  for (const auto& c : b) out.push_back(&c);
  return out;
}

std::string audit_of(const audit::fact_store& s, size_t threads = 1) {
  audit::audit_options o;
  o.threads = threads;
  o.keep_marks = true;
  o.series_bucket_ms = 60000;
  o.concurrency_causes = {"rate_limit.concurrency", "rate_limit.requests"};
  return dump(audit::run_audit(s, o));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_determinism_test)

BOOST_AUTO_TEST_CASE(any_split_any_merge_order_same_audit) {
  auto generated = read_calls(data_path("audit/generated/traffic.jsonl"), "traffic.jsonl",
                              read_causes(data_path("audit/generated/traffic.causes.tsv")));
  auto recorded = read_calls(data_path("audit/kling-api/kling-api.jsonl"), "kling-api.jsonl",
                             read_causes(data_path("audit/kling-api/kling-api.scenarios.tsv")));
  auto calls = all_calls(generated, recorded);
  audit::fact_store one;
  {
    audit::fact_sink sink(one);
    for (const auto* c : calls) BOOST_REQUIRE(sink.add(c->in));
  }
  const std::string reference = audit_of(one);
  for (size_t threads : {2, 3, 8, 64}) BOOST_TEST(audit_of(one, threads) == reference, threads);
  const std::string reference_bytes = one.serialize();
  BOOST_TEST(reference.find("\nmark ") != std::string::npos);  // a real dump, with findings
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < 40; ++round) {
    BOOST_TEST_CONTEXT("round " << round) {
      std::shuffle(calls.begin(), calls.end(), rng);
      size_t parts = 1 + rng() % 7;
      std::vector<audit::fact_store> stores;
      for (size_t p = 0; p < parts; ++p) {
        // Some partitions spill to disk every few facts, in blocks of a few
        // facts, so reading a run crosses blocks.
        size_t budget = rng() % 3 == 0 ? size_t{1} << (rng() % 20) : size_t{128} << 20;
        auto block = static_cast<uint32_t>(1 + rng() % 8);
        stores.emplace_back(audit::store_options{budget, "", block});
      }
      {
        std::vector<audit::fact_sink> sinks;
        for (auto& s : stores) sinks.emplace_back(s);
        for (const auto* c : calls) BOOST_REQUIRE(sinks[rng() % parts].add(c->in));
      }
      // Some partitions travel as bytes, as partials do.
      for (auto& s : stores) {
        if (rng() % 2 == 0) continue;
        audit::fact_store back;
        std::string error;
        BOOST_REQUIRE_MESSAGE(back.attach(std::make_shared<const std::string>(s.serialize()), error), error);
        s = std::move(back);
      }
      // Merge in random order, as a tree or a chain.
      std::shuffle(stores.begin(), stores.end(), rng);
      while (stores.size() > 1) {
        size_t i = rng() % (stores.size() - 1);
        BOOST_REQUIRE(stores[i].merge(std::move(stores[i + 1])));
        stores.erase(stores.begin() + static_cast<long>(i) + 1);
      }
      BOOST_TEST(stores.front().size() == one.size());
      BOOST_TEST(audit_of(stores.front(), 1 + rng() % 4) == reference);
      BOOST_TEST(stores.front().serialize() == reference_bytes);
    }
  }
}

BOOST_AUTO_TEST_CASE(ties_at_the_same_millisecond_do_not_depend_on_input_order) {
  // Two clients' worth of calls at one instant, among them a Retry-After
  // response with no duration and a call it holds back: which comes first
  // is decided by content hash, never by input order.
  auto generated = read_calls(data_path("audit/generated/traffic.jsonl"), "traffic.jsonl",
                              read_causes(data_path("audit/generated/traffic.causes.tsv")));
  std::vector<owned_call*> calls;
  for (auto& c : generated) {
    c.in.ts_ms = 1795000000000;  // everything at one instant
    c.in.duration_ms = 0;
    calls.push_back(&c);
  }
  std::string first;
  std::mt19937_64 rng(5);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(calls.begin(), calls.end(), rng);
    audit::fact_store s;
    audit::fact_sink sink(s);
    for (auto* c : calls) BOOST_REQUIRE(sink.add(c->in));
    std::string d = audit_of(s);
    if (round == 0) first = d;
    BOOST_TEST(d == first);
  }
}

BOOST_AUTO_TEST_SUITE_END()
