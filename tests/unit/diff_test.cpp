// SPDX-License-Identifier: MIT
// The diff: the two-proportion z-test against known values and its edge
// cases, the state rules at each threshold, compute_diff on built states
// (tables, order, comparability), and the diff's --fail-on conditions.
#include <boost/test/unit_test.hpp>
#include <ostream>

#include "analyzer/engine/diff.hpp"
#include "analyzer/engine/diff_gate.hpp"
#include "analyzer/engine/significance.hpp"
#include "state_fixture.hpp"

namespace analyzer::report {
std::ostream& operator<<(std::ostream& os, diff_state s) { return os << name_of(s); }
}  // namespace analyzer::report

using namespace analyzer;
using engine::classify;
using engine::two_proportion_test;
using report::diff_state;

namespace {

/// A state of `ok` successes and, per cause index, that many 429s.
engine::run_state counted_state(int64_t ok, std::vector<int64_t> per_cause) {
  engine::run_state s(test_support::small_causes());
  s.meta.rules_digest = "sha256:" + std::string(64, 'a');
  s.meta.profiles_digest = "sha256:" + std::string(64, 'b');
  s.meta.options = {{"since", ""}, {"until", ""}, {"max-record-bytes", "67108864"}};
  s.inputs.push_back(test_support::small_input("day.jsonl", 1, 1));
  int64_t line = 1;
  for (int64_t i = 0; i < ok; ++i) test_support::add_record(s, 0, line++, -1, i % 3600, -1, 200);
  for (size_t c = 0; c < per_cause.size(); ++c) {
    for (int64_t i = 0; i < per_cause[c]; ++i) {
      test_support::add_record(s, 0, line++, -1, i % 3600, static_cast<int>(c), 429, "busy");
    }
  }
  s.agg.inputs.resize(1);
  return s;
}

const report::diff_row& row(const report::diff_result& d, report::diff_dimension dim,
                            std::string_view id) {
  for (const auto& r : d.rows(dim)) {
    if (r.id == id) return r;
  }
  BOOST_FAIL("no row " << id);
  static report::diff_row none;
  return none;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(diff_test)

BOOST_AUTO_TEST_CASE(p_values_of_known_normal_quantiles) {
  BOOST_TEST(engine::two_sided_p(0) == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(engine::two_sided_p(1.959963985) == 0.05, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(engine::two_sided_p(-2.575829304) == 0.01, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(engine::two_sided_p(3.290526731) == 0.001, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(z_values_match_the_textbook_formula) {
  // Reference values from z = (p2 - p1) / sqrt(p(1-p)(1/n1 + 1/n2)), p pooled.
  struct known { int64_t x1, n1, x2, n2; double z, p; };
  for (const known& k : {known{10, 1000, 25, 1000, 2.557943557892809, 0.010529318065282936},
                         known{10, 1000, 26, 1000, 2.690995604472504, 0.007123913346574327},
                         known{45, 500, 30, 600, -2.6207427731326147, 0.008773843471506084},
                         known{100, 10000, 160, 10000, 3.745467216092345, 0.00018005836075562782},
                         known{0, 100, 5, 100, 2.2645540682891916, 0.02354005826117795}}) {
    auto t = two_proportion_test(k.x1, k.n1, k.x2, k.n2);
    BOOST_REQUIRE(t);
    BOOST_TEST(t->z == k.z, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(t->p_value == k.p, boost::test_tools::tolerance(1e-7));
    auto mirror = two_proportion_test(k.x2, k.n2, k.x1, k.n1);
    BOOST_TEST(mirror->z == -k.z, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(mirror->p_value == k.p, boost::test_tools::tolerance(1e-7));
  }
}

BOOST_AUTO_TEST_CASE(edge_cases_of_the_test) {
  BOOST_TEST(!two_proportion_test(0, 0, 5, 100));  // an empty side: nothing to test
  BOOST_TEST(!two_proportion_test(5, 100, 0, 0));
  auto zero = two_proportion_test(0, 100, 0, 200);  // pooled 0
  BOOST_TEST(zero->z == 0.0);
  BOOST_TEST(zero->p_value == 1.0);
  auto all = two_proportion_test(100, 100, 7, 7);  // pooled 1: every record failed on both
  BOOST_TEST(all->z == 0.0);
  BOOST_TEST(all->p_value == 1.0);
  auto same = two_proportion_test(10, 1000, 20, 2000);  // equal rates
  BOOST_TEST(same->z == 0.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(same->p_value == 1.0, boost::test_tools::tolerance(1e-12));
  auto tiny = two_proportion_test(0, 3, 3, 3);
  BOOST_TEST(tiny->z == 2.449489742783178, boost::test_tools::tolerance(1e-9));
  // Counts near the partial's limit (2^50) do not overflow.
  int64_t big = int64_t{1} << 50;
  auto huge = two_proportion_test(big / 4, big, big / 2, big);
  BOOST_TEST(huge->p_value == 0.0);
  BOOST_TEST(classify(big / 4, big, big / 2, big) == diff_state::regressed);
}

BOOST_AUTO_TEST_CASE(states_at_each_threshold) {
  // p just above 0.01 (0.0105) and just below (0.0071), both ways.
  BOOST_TEST(classify(10, 1000, 25, 1000) == diff_state::unchanged);
  BOOST_TEST(classify(10, 1000, 26, 1000) == diff_state::regressed);
  BOOST_TEST(classify(25, 1000, 10, 1000) == diff_state::unchanged);
  BOOST_TEST(classify(26, 1000, 10, 1000) == diff_state::improved);
  // Rate ratio exactly 1.5 counts; 1.49 does not, however significant.
  BOOST_TEST(classify(100, 10000, 150, 10000) == diff_state::regressed);
  BOOST_TEST(classify(100, 10000, 149, 10000) == diff_state::unchanged);
  BOOST_TEST(classify(150, 10000, 100, 10000) == diff_state::improved);
  BOOST_TEST(classify(149, 10000, 100, 10000) == diff_state::unchanged);
  // At least 5 failures more (fewer): 4 is noise even at p ~ 1e-99.
  BOOST_TEST(classify(2, 100000, 7, 1000) == diff_state::regressed);
  BOOST_TEST(classify(2, 100000, 6, 1000) == diff_state::unchanged);
  BOOST_TEST(classify(7, 1000, 2, 100000) == diff_state::improved);
  BOOST_TEST(classify(6, 1000, 2, 100000) == diff_state::unchanged);
  // Rates, not counts: twice the failures of twice the traffic is unchanged.
  BOOST_TEST(classify(50, 1000, 100, 2000) == diff_state::unchanged);
  // New and gone, with or without records on the other side.
  BOOST_TEST(classify(0, 1000, 1, 1000) == diff_state::new_);
  BOOST_TEST(classify(0, 0, 3, 10) == diff_state::new_);
  BOOST_TEST(classify(3, 10, 0, 0) == diff_state::gone);
  BOOST_TEST(classify(3, 10, 0, 50) == diff_state::gone);
  BOOST_TEST(classify(0, 10, 0, 10) == diff_state::unchanged);
  // A tiny sample never regresses: 1 of 3 → 3 of 3 is 2 failures apart.
  BOOST_TEST(classify(1, 3, 3, 3) == diff_state::unchanged);
}

BOOST_AUTO_TEST_CASE(tables_rates_and_order) {
  // Causes: rate_limit 10 → 26 (regressed), billing 26 → 10 (improved),
  // unclassified 0 → 4 (new); 1,000 records a side.
  auto base = counted_state(964, {10, 26, 0});
  auto current = counted_state(960, {26, 10, 4});
  auto d = engine::compute_diff(base, "base.partial", current, "current.partial");
  BOOST_TEST(d.comparable);
  BOOST_TEST(d.base.records == 1000);
  BOOST_TEST(d.current.failures == 40);
  BOOST_TEST(*d.failure_rate_ratio == 40.0 / 36.0, boost::test_tools::tolerance(1e-12));
  const auto& causes = d.rows(report::diff_dimension::causes);
  BOOST_REQUIRE_EQUAL(causes.size(), 3u);
  BOOST_TEST(causes[0].id == "unclassified.unknown");
  BOOST_TEST(causes[0].state == diff_state::new_);
  BOOST_TEST(!causes[0].rate_ratio);
  BOOST_TEST(causes[0].first_seen.has_value());
  BOOST_TEST(causes[0].example.has_value());
  BOOST_TEST(causes[1].id == "rate_limit.requests");
  BOOST_TEST(causes[1].state == diff_state::regressed);
  BOOST_TEST(causes[1].current.rate == 0.026, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(*causes[1].rate_ratio == 2.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(*causes[1].p_value == 0.007123913346574327, boost::test_tools::tolerance(1e-7));
  BOOST_TEST(causes[1].fixes.front() == "Honour `Retry-After`.");
  BOOST_TEST(causes[2].state == diff_state::improved);
  // Categories follow their causes; statuses and codes count failures only.
  BOOST_TEST(row(d, report::diff_dimension::categories, "rate_limit").state == diff_state::regressed);
  const auto& status = row(d, report::diff_dimension::statuses, "429");
  BOOST_TEST(status.base.count == 36);
  BOOST_TEST(status.current.count == 40);
  BOOST_TEST(status.state == diff_state::unchanged);
  const auto& endpoint = row(d, report::diff_dimension::endpoints, "POST /v1/videos/text2video");
  BOOST_TEST(*endpoint.current.records == 1000);
  BOOST_TEST(endpoint.current.count == 40);
  BOOST_TEST(d.count(report::diff_dimension::causes, diff_state::new_) == 1u);
}

BOOST_AUTO_TEST_CASE(equal_sides_are_unchanged_everywhere) {
  auto a = counted_state(500, {40, 7, 3});
  auto b = counted_state(500, {40, 7, 3});
  auto d = engine::compute_diff(a, "a", b, "b");
  for (auto dim : report::diff_dimensions) {
    for (const auto& r : d.rows(dim)) {
      BOOST_TEST(r.state == diff_state::unchanged);
      BOOST_TEST(*r.p_value == 1.0, boost::test_tools::tolerance(1e-12));
      BOOST_TEST(*r.rate_ratio == 1.0, boost::test_tools::tolerance(1e-12));
    }
  }
  BOOST_TEST(*d.failure_rate_ratio == 1.0);
}

BOOST_AUTO_TEST_CASE(an_empty_side) {
  auto empty = counted_state(0, {0, 0, 0});
  auto day = counted_state(100, {5, 2, 0});
  auto d = engine::compute_diff(empty, "empty", day, "day");
  for (const auto& r : d.rows(report::diff_dimension::causes)) {
    BOOST_TEST(r.state == diff_state::new_);
    BOOST_TEST(!r.p_value);  // nothing to test against
    BOOST_TEST(r.base.rate == 0.0);
  }
  BOOST_TEST(!d.failure_rate_ratio);  // infinite
  auto back = engine::compute_diff(day, "day", empty, "empty");
  for (const auto& r : back.rows(report::diff_dimension::causes)) {
    BOOST_TEST(r.state == diff_state::gone);
    BOOST_TEST(r.last_seen.has_value());  // from BASE
  }
  BOOST_TEST(*back.failure_rate_ratio == 0.0);
  auto none = engine::compute_diff(empty, "a", empty, "b");
  BOOST_TEST(none.rows(report::diff_dimension::causes).empty());
  BOOST_TEST(*none.failure_rate_ratio == 1.0);
}

BOOST_AUTO_TEST_CASE(incomparable_sides_are_named) {
  auto a = counted_state(10, {1, 0, 0});
  auto b = counted_state(10, {1, 0, 0});
  b.meta.rules_digest = "sha256:" + std::string(64, 'c');
  b.meta.options[2].second = "1024";
  b.meta.options[0].second = "2026-11-25T00:00:00.000Z";  // the window: never a difference
  auto why = engine::incomparable_reasons(a, b);
  BOOST_REQUIRE_EQUAL(why.size(), 2u);
  BOOST_TEST(why[0].find("the rules differ") == 0u);
  BOOST_TEST(why[1] == "--max-record-bytes differs (BASE 67108864, CURRENT 1024)");
  BOOST_TEST(!engine::compute_diff(a, "a", b, "b").comparable);
}

BOOST_AUTO_TEST_CASE(gate_conditions_parse_like_analyze) {
  std::string why;
  auto c = engine::parse_diff_condition("new-cause > 0", why);
  BOOST_REQUIRE(c);
  BOOST_TEST((c->metric == engine::diff_metric::new_causes && c->op == engine::gate_op::gt));
  c = engine::parse_diff_condition("cause:rate_limit.requests:state==regressed", why);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->id == "rate_limit.requests");
  BOOST_TEST((c->state == diff_state::regressed));
  BOOST_TEST(engine::parse_diff_condition("failure-rate-ratio>=1.5", why)->threshold == 1.5);
  BOOST_TEST(engine::is_diff_condition("regressed>=2"));
  BOOST_TEST(!engine::is_diff_condition("failure-rate>5%"));
  BOOST_TEST(!engine::is_diff_condition("cause:x>=1"));
  for (auto [text, error] : std::initializer_list<std::pair<const char*, const char*>>{
           {"new-cause>1.5", "a count must be a whole number, not `1.5`"},
           {"regressed=>1", "`=>` is not an operator: use one of >, >=, <, <=, =="},
           {"failure-rate-ratio>50%", "failure-rate-ratio is a ratio (2 means twice the base rate), not a percentage"},
           {"cause:x:state==up", "`up` is not a state: use new, regressed, improved, gone or unchanged"},
           {"cause:x:state>new", "a state is compared with == only (cause:<id>:state==<state>)"},
           {"cause::state==new", "missing id after `cause:`"},
           {"regressed>", "missing number after the operator"}}) {
    why.clear();
    BOOST_TEST(!engine::parse_diff_condition(text, why), text);
    BOOST_TEST(why == error, text);
  }
}

BOOST_AUTO_TEST_CASE(gate_evaluation) {
  auto base = counted_state(964, {10, 26, 0});
  auto current = counted_state(960, {26, 10, 4});
  auto d = engine::compute_diff(base, "b", current, "c");
  std::vector<engine::diff_condition> gate;
  std::string why;
  for (const char* t : {"new-cause>0", "new-cause>1", "regressed>=1", "cause:billing.insufficient_credits:state==improved",
                        "cause:nope:state==unchanged", "failure-rate-ratio>1.2", "failure-rate-ratio<1.2"}) {
    gate.push_back(*engine::parse_diff_condition(t, why));
  }
  auto r = engine::evaluate_diff_gate(gate, d);
  std::vector<bool> met;
  for (const auto& g : r) met.push_back(g.met);
  BOOST_TEST(met == (std::vector<bool>{true, false, true, true, true, false, true}),
             boost::test_tools::per_element());
  BOOST_TEST(*r[0].number == 1.0);
  BOOST_TEST(r[3].text == "improved");
  auto warnings = engine::unknown_diff_ids(gate, base.causes, current.causes);
  BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
  BOOST_TEST(warnings[0].find("`nope`") != std::string::npos);
  // An infinite ratio (no failures before) is above any threshold.
  auto none = counted_state(100, {0, 0, 0});
  auto e = engine::compute_diff(none, "b", current, "c");
  auto inf = engine::evaluate_diff_gate(
      {*engine::parse_diff_condition("failure-rate-ratio>1000", why),
       *engine::parse_diff_condition("failure-rate-ratio<1000", why)}, e);
  BOOST_TEST(inf[0].met);
  BOOST_TEST(!inf[1].met);
  BOOST_TEST(!inf[0].number);
}

BOOST_AUTO_TEST_CASE(text_form_escapes_what_a_partial_holds) {
  // A partial's ids, titles and paths are data: no terminal escape from
  // them reaches a terminal, coloured (no output filter) or not.
  report::diff_result d;
  d.base.name = "base\x1b[2J.partial";
  report::diff_row r;
  r.id = "evil\x1b]0;pwned\x07";
  r.title = "title\x1b[31m";
  r.fixes = {"fix\xc2\x9b" "1m"};  // U+009B, the C1 CSI
  r.state = diff_state::new_;
  r.current.count = 1;
  d.rows(report::diff_dimension::causes).push_back(r);
  for (bool color : {false, true}) {
    std::string out = report::write_diff_text(d, color);
    BOOST_TEST(out.find("\x1b]0;") == std::string::npos);
    BOOST_TEST(out.find("\x1b[2J") == std::string::npos);
    BOOST_TEST(out.find("title\x1b[31m") == std::string::npos);
    BOOST_TEST(out.find('\x07') == std::string::npos);
    BOOST_TEST(out.find("\xc2\x9b") == std::string::npos);
    BOOST_TEST(out.find("fix\\x9b1m") != std::string::npos);  // shown, escaped
    BOOST_TEST(out.find("evil") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
