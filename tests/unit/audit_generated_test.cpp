// SPDX-License-Identifier: MIT
// The generator's scripted clients (tests/audit/gen_traffic.py) through the
// audit: every client's calls, failures, peak in flight, lifecycle states
// and per-detector findings, wasted calls and the exact records a finding
// counts, and the totals with their percentiles, as the generator expects.
#include "audit_support.hpp"

using namespace analyzer;
using namespace audit_support;

namespace {

const std::string prefix = "audit/generated/traffic";

struct generated {
  std::list<owned_call> calls;
  audit::audit_result result;
  simdjson::dom::parser parser;
  simdjson::dom::element expected;

  generated() {
    calls = read_calls(data_path(prefix + ".jsonl"), "traffic.jsonl",
                       read_causes(data_path(prefix + ".causes.tsv")));
    audit::fact_store store;
    feed(store, calls);
    audit::audit_options o;
    o.keep_marks = true;
    result = audit::run_audit(store, o);
    BOOST_REQUIRE(!parser.load(data_path(prefix + ".expected.json")).get(expected));
  }
};

int64_t num(simdjson::dom::element e, std::string_view key) {
  int64_t v = -1;
  BOOST_REQUIRE_MESSAGE(!e[key].get(v), "expected.json has no number " << key);
  return v;
}

/// -1 for null (a percentile of nothing).
int64_t num_or_null(simdjson::dom::element e, std::string_view key) {
  return at(e, key).is_null() ? -1 : num(e, key);
}

/// The lines of `r`'s marks for detector `d` and client `id` (all clients
/// when empty).
std::vector<int64_t> marked(const audit::audit_result& r, audit::detector d,
                            const std::set<int64_t>* lines_of_client) {
  std::vector<int64_t> out;
  for (const auto& m : r.marks) {
    if (m.id != d) continue;
    if (lines_of_client != nullptr && lines_of_client->count(m.at.line) == 0) continue;
    out.push_back(m.at.line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int64_t> lines(simdjson::dom::element arr) {
  std::vector<int64_t> out;
  for (auto v : arr.get_array()) out.push_back(v.get_int64());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_generated_test)

BOOST_AUTO_TEST_CASE(every_scripted_client_gets_exactly_its_expected_findings) {
  generated g;
  // Which lines belong to which client: by the Authorization's identity.
  std::map<std::string, std::set<int64_t>> lines_of;
  for (const auto& c : g.calls) {
    auto id = audit::client_from_authorization(c.in.authorization);
    if (id) lines_of[id->display].insert(c.in.line);
  }
  for (auto [name, exp] : at(g.expected, "clients").get_object()) {
    BOOST_TEST_CONTEXT("client " << name) {
      std::string_view id = exp["client"].get_string();
      const auto* c = client(g.result, id);
      BOOST_REQUIRE(c != nullptr);
      BOOST_TEST(c->calls == num(exp, "calls"));
      BOOST_TEST(c->failures == num(exp, "failures"));
      BOOST_TEST(c->peak_in_flight == num(exp, "peak_in_flight"));
      auto tasks = at(exp, "tasks");
      BOOST_TEST(c->tasks == num(tasks, "created") + num(tasks, "unknown_origin"));
      for (size_t d = 0; d < audit::detector_count; ++d) {
        auto det = static_cast<audit::detector>(d);
        BOOST_TEST_CONTEXT("detector " << audit::name_of(det)) {
          auto e = at(at(exp, "detectors"), audit::name_of(det));
          BOOST_TEST(c->findings[d] == num(e, "findings"));
          BOOST_TEST(c->wasted[d] == num(e, "wasted_calls"));
          auto want = lines(at(e, "marked_lines"));
          auto got = marked(g.result, det, &lines_of[std::string(id)]);
          BOOST_TEST(got == want, boost::test_tools::per_element());
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(totals_and_exact_percentiles) {
  generated g;
  auto tot = at(g.expected, "totals");
  const auto& t = g.result.tasks;
  auto et = at(tot, "tasks");
  BOOST_TEST(t.created == num(et, "created"));
  BOOST_TEST(t.succeeded == num(et, "succeeded"));
  BOOST_TEST(t.failed == num(et, "failed"));
  BOOST_TEST(t.pending == num(et, "pending"));
  BOOST_TEST(t.orphaned == num(et, "orphaned"));
  BOOST_TEST(t.unknown_origin == num(et, "unknown_origin"));
  BOOST_TEST(t.created == t.succeeded + t.failed + t.orphaned + t.pending);
  std::map<std::string, int64_t> by;
  for (auto [k, v] : at(et, "failed_by_cause").get_object()) by[std::string(k)] = v.get_int64();
  BOOST_TEST((t.failed_by_cause == by));
  for (auto [name, p] : {std::pair{"time_to_result_ms", &t.time_to_result_ms},
                         std::pair{"polls_per_task", &t.polls_per_task}}) {
    BOOST_TEST_CONTEXT(name) {
      auto e = at(et, name);
      BOOST_TEST(p->n == num(e, "n"));
      BOOST_TEST(p->p50.value_or(-1) == num_or_null(e, "p50"));
      BOOST_TEST(p->p90.value_or(-1) == num_or_null(e, "p90"));
      BOOST_TEST(p->p99.value_or(-1) == num_or_null(e, "p99"));
    }
  }
  BOOST_TEST(g.result.calls == num(tot, "calls"));
  BOOST_TEST(g.result.callbacks == num(tot, "callbacks"));
  BOOST_TEST(g.result.callbacks_unmatched == num(tot, "callbacks_unmatched"));
  BOOST_TEST(*g.result.end_ms == num(g.expected, "end_ms"));
  for (const auto& d : g.result.detectors) {
    BOOST_TEST_CONTEXT(audit::name_of(d.id)) {
      auto e = at(at(tot, "detectors"), audit::name_of(d.id));
      BOOST_TEST(d.findings == num(e, "findings"));
      BOOST_TEST(d.wasted_calls == num(e, "wasted_calls"));
      BOOST_TEST(d.examples.size() == std::min<size_t>(5, static_cast<size_t>(d.findings)));
      auto want = lines(at(e, "marked_lines"));
      BOOST_TEST(marked(g.result, d.id, nullptr) == want, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(examples_are_the_earliest_findings_with_their_numbers) {
  generated g;
  const auto& ra = g.result.detectors[static_cast<size_t>(audit::detector::retry_after_ignored)];
  BOOST_REQUIRE(!ra.examples.empty());
  // The first: retry_after_ignored's "told 30 s, retried after 1 s".
  const auto& e = ra.examples.front();
  BOOST_TEST(e.values.waited_ms == 1000);
  BOOST_TEST(e.values.told_ms == 30000);
  BOOST_TEST(!e.request_id.empty());
  BOOST_TEST(e.earlier.has_value());
  for (const auto& d : g.result.detectors) {
    for (size_t i = 1; i < d.examples.size(); ++i) {
      BOOST_TEST(d.examples[i - 1].ts_ms <= d.examples[i].ts_ms);
    }
    for (const auto& x : d.examples) {
      // The generator's UUIDs, unpacked; a 503's text body has none.
      BOOST_TEST((x.request_id.size() == 36u || x.request_id.empty()));
      BOOST_TEST(x.client.rfind("client:", 0) == 0u);
    }
  }
  const auto& nr = g.result.detectors[static_cast<size_t>(audit::detector::retry_non_retryable)];
  BOOST_REQUIRE(!nr.examples.empty());
  BOOST_TEST(nr.examples.front().values.cause == "billing.insufficient_credits");
  BOOST_TEST(nr.examples.front().values.gap_ms == 300);
}

BOOST_AUTO_TEST_SUITE_END()
