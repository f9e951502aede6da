// SPDX-License-Identifier: MIT
// cli/fail_on: the --fail-on grammar (every subject, operator and number
// form; what is rejected and why) and the gate's evaluation on a summary.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/cli/config.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/report/summary.hpp"

namespace bdata = boost::unit_test::data;
using analyzer::engine::fail_on_condition;
using analyzer::engine::gate_metric;
using analyzer::engine::gate_op;
using analyzer::engine::parse_fail_on;

namespace analyzer::engine {
inline std::ostream& boost_test_print_type(std::ostream& os, gate_op op) {
  static const char* names[] = {">", ">=", "<", "<=", "=="};
  return os << names[static_cast<int>(op)];
}
inline std::ostream& boost_test_print_type(std::ostream& os, gate_metric m) {
  static const char* names[] = {"failure-rate", "category", "cause", "unclassified", "malformed"};
  return os << names[static_cast<int>(m)];
}
}  // namespace analyzer::engine

namespace {

struct parse_case {
  const char* text;
  gate_metric metric;
  const char* id;
  gate_op op;
  double threshold;
};
std::ostream& operator<<(std::ostream& os, const parse_case& c) { return os << c.text; }

struct invalid_case {
  const char* text;
  const char* says;  // a fragment the error must contain
};
std::ostream& operator<<(std::ostream& os, const invalid_case& c) { return os << c.text; }

const parse_case valid[] = {
    {"failure-rate>5%", gate_metric::failure_rate, "", gate_op::gt, 0.05},
    {"failure-rate>0.05", gate_metric::failure_rate, "", gate_op::gt, 0.05},
    {"failure-rate>=12.5%", gate_metric::failure_rate, "", gate_op::ge, 0.125},
    {"failure-rate<1", gate_metric::failure_rate, "", gate_op::lt, 1.0},
    {"failure-rate<=100%", gate_metric::failure_rate, "", gate_op::le, 1.0},
    {"failure-rate==0", gate_metric::failure_rate, "", gate_op::eq, 0.0},
    {"failure-rate > 5 %", gate_metric::failure_rate, "", gate_op::gt, 0.05},
    {"category:auth>0", gate_metric::category, "auth", gate_op::gt, 0},
    {"category:rate_limit>=3", gate_metric::category, "rate_limit", gate_op::ge, 3},
    {"cause:billing.insufficient_credits>=1", gate_metric::cause,
     "billing.insufficient_credits", gate_op::ge, 1},
    {"cause:server.unavailable<10", gate_metric::cause, "server.unavailable", gate_op::lt, 10},
    {"cause:x-y.z_1<=2", gate_metric::cause, "x-y.z_1", gate_op::le, 2},
    {"cause:unclassified.unknown==0", gate_metric::cause, "unclassified.unknown", gate_op::eq, 0},
    {"unclassified>0", gate_metric::unclassified, "", gate_op::gt, 0},
    {"unclassified==4", gate_metric::unclassified, "", gate_op::eq, 4},
    {"malformed>=10", gate_metric::malformed, "", gate_op::ge, 10},
    {"  malformed < 2  ", gate_metric::malformed, "", gate_op::lt, 2},
};

const invalid_case invalid[] = {
    {"", "empty"},
    {"   ", "empty"},
    {"failure-rate", "no comparison"},
    {"failure-rate>>5", "`>>` is not an operator"},
    {"failure-rate=5%", "`=` is not an operator"},
    {"failure-rate!=5%", "`!=` is not an operator"},
    {"failure-rate=>5%", "`=>` is not an operator"},
    {"failure-rate<>5%", "`<>` is not an operator"},
    {"failure-rate>", "missing number"},
    {"failure-rate>%", "missing number"},
    {"failure-rate>abc", "not a number"},
    {"failure-rate>-5%", "not a number"},
    {"failure-rate>1e3", "not a number"},
    {"failure-rate>5.%", "not a number"},
    {"failure-rate>5", "fraction from 0 to 1"},
    {"failure-rate>150%", "above 100%"},
    {">5", "nothing before the operator"},
    {"failures>5", "unknown subject `failures`"},
    {"Failure-Rate>5%", "unknown subject"},
    {"cause>1", "unknown subject `cause`"},
    {"cause:>1", "missing id after `cause:`"},
    {"category:>1", "missing id after `category:`"},
    {"cause:a b>1", "not a valid id"},
    {"cause:billing.insufficient_credits>=1%", "percentage applies only to failure-rate"},
    {"malformed>2.5", "whole number"},
    {"unclassified>=x", "not a number"},
};

/// 200 records: 150 ok, 40 failures, 10 malformed; causes auth.token_expired
/// 25 (auth), rate_limit.requests 12 (rate_limit), unclassified 3.
struct run_fixture {
  analyzer::aggregate::aggregator agg{2};
  analyzer::report::summary s;

  run_fixture() {
    agg.records = 200;
    agg.ok = 150;
    agg.failures = 40;
    agg.malformed = 10;
    agg.causes[0].count = 25;
    agg.causes[1].count = 12;
    agg.causes[2].count = 3;
    s.agg = &agg;
    s.causes = {row(0, "auth.token_expired", "auth"), row(1, "rate_limit.requests", "rate_limit"),
                row(2, "unclassified.unknown", "unclassified")};
    s.categories = {{"auth", 25}, {"rate_limit", 12}, {"unclassified", 3}};
    s.unclassified = 3;
  }
  analyzer::report::cause_row row(int i, const char* id, const char* category) {
    analyzer::report::cause_row r;
    r.index = i;
    r.id = id;
    r.category = category;
    r.stats = &agg.causes[static_cast<size_t>(i)];
    return r;
  }
  fail_on_condition parse(const char* text) {
    std::string error;
    auto c = parse_fail_on(text, error);
    BOOST_TEST_REQUIRE(c.has_value(), text << ": " << error);
    return *c;
  }
  double value(const char* text) { return analyzer::engine::measure(parse(text), s); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fail_on_test)

BOOST_DATA_TEST_CASE(parses_every_subject_and_operator, bdata::make(valid), c) {
  std::string error;
  auto got = parse_fail_on(c.text, error);
  BOOST_TEST_REQUIRE(got.has_value(), "rejected: " << error);
  BOOST_TEST(got->metric == c.metric);
  BOOST_TEST(got->id == c.id);
  BOOST_TEST(got->op == c.op);
  BOOST_TEST(got->threshold == c.threshold, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(error.empty());
}

BOOST_DATA_TEST_CASE(rejects_invalid_conditions_saying_why, bdata::make(invalid), c) {
  std::string error;
  auto got = parse_fail_on(c.text, error);
  BOOST_TEST(!got.has_value());
  BOOST_TEST(error.find(c.says) != std::string::npos, "error was: " << error);
}

// Shell completion offers these starts: each must begin a valid condition
// (an id after the ones ending in `:`, a number after the others).
BOOST_AUTO_TEST_CASE(every_completion_start_begins_a_valid_condition) {
  for (std::string_view start : analyzer::engine::fail_on_starts) {
    std::string text(start);
    text += start.back() == ':' ? "x.y>0" : "0";
    std::string why;
    BOOST_TEST(parse_fail_on(text, why).has_value(), text << ": " << why);
  }
}

BOOST_AUTO_TEST_CASE(keeps_the_condition_as_written) {
  std::string error;
  auto got = parse_fail_on(" failure-rate>5% ", error);
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(got->text == "failure-rate>5%");
}

BOOST_AUTO_TEST_CASE(compare_every_operator) {
  using analyzer::engine::compare;
  BOOST_TEST(compare(gate_op::gt, 2, 1));
  BOOST_TEST(!compare(gate_op::gt, 1, 1));
  BOOST_TEST(compare(gate_op::ge, 1, 1));
  BOOST_TEST(!compare(gate_op::ge, 0, 1));
  BOOST_TEST(compare(gate_op::lt, 0, 1));
  BOOST_TEST(!compare(gate_op::lt, 1, 1));
  BOOST_TEST(compare(gate_op::le, 1, 1));
  BOOST_TEST(!compare(gate_op::le, 2, 1));
  BOOST_TEST(compare(gate_op::eq, 3, 3));
  BOOST_TEST(!compare(gate_op::eq, 3, 4));
}

BOOST_AUTO_TEST_CASE(rates_compare_equal_despite_rounding) {
  using analyzer::engine::compare;
  double rate = 1.0 / 20.0;  // 5 %, as failures / records gives it
  BOOST_TEST(compare(gate_op::eq, rate, 0.05));
  BOOST_TEST(compare(gate_op::ge, rate, 0.05));
  BOOST_TEST(!compare(gate_op::gt, rate, 0.05));
  BOOST_TEST(compare(gate_op::gt, 3.0 / 7.0, 0.42));
}

BOOST_FIXTURE_TEST_CASE(measures_each_subject, run_fixture) {
  BOOST_TEST(value("failure-rate>5%") == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(value("category:auth>0") == 25);
  BOOST_TEST(value("category:unclassified>0") == 3);
  BOOST_TEST(value("cause:rate_limit.requests>0") == 12);
  BOOST_TEST(value("cause:unclassified.unknown>0") == 3);
  BOOST_TEST(value("unclassified>0") == 3);
  BOOST_TEST(value("malformed>0") == 10);
}

BOOST_FIXTURE_TEST_CASE(unknown_ids_count_zero, run_fixture) {
  BOOST_TEST(value("cause:no.such_cause>0") == 0);
  BOOST_TEST(value("category:nothing>0") == 0);
  BOOST_TEST(value("cause:auth>0") == 0);  // a category, not a cause id
}

BOOST_FIXTURE_TEST_CASE(failure_rate_is_zero_without_records, run_fixture) {
  agg.records = agg.ok = agg.failures = agg.malformed = 0;
  BOOST_TEST(value("failure-rate>0") == 0);
}

BOOST_FIXTURE_TEST_CASE(evaluates_in_order_and_flags_what_held, run_fixture) {
  std::vector<fail_on_condition> gate = {parse("failure-rate>25%"), parse("failure-rate>=20%"),
                                         parse("cause:auth.token_expired>=25"),
                                         parse("malformed<10"), parse("unclassified==3")};
  auto results = analyzer::engine::evaluate_gate(gate, s);
  BOOST_TEST_REQUIRE(results.size() == 5u);
  BOOST_TEST(results[0].condition == "failure-rate>25%");
  BOOST_TEST(!results[0].met);
  BOOST_TEST(results[1].met);
  BOOST_TEST(results[2].met);
  BOOST_TEST(results[2].value == 25);
  BOOST_TEST(!results[3].met);
  BOOST_TEST(results[4].met);
  BOOST_TEST(analyzer::engine::gate_failed(results));
}

BOOST_FIXTURE_TEST_CASE(gate_passes_when_nothing_holds, run_fixture) {
  auto results = analyzer::engine::evaluate_gate(
      {parse("failure-rate>50%"), parse("category:auth>100"), parse("cause:nope>=1")}, s);
  BOOST_TEST(!analyzer::engine::gate_failed(results));
  BOOST_TEST(!analyzer::engine::gate_failed({}));
}

BOOST_AUTO_TEST_CASE(warns_about_ids_no_rule_has) {
  analyzer::core::diagnostics problems;
  auto rules = analyzer::cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(rules != nullptr);
  std::vector<fail_on_condition> gate;
  for (const char* text : {"cause:billing.insufficient_credits>=1", "category:auth>0",
                           "cause:unclassified.unknown>0", "category:unclassified>0",
                           "failure-rate>5%", "cause:billing.insuficient_credits>0",
                           "category:billing.insufficient_credits>0", "cause:auth>0"}) {
    std::string error;
    gate.push_back(*parse_fail_on(text, error));
  }
  auto warnings = analyzer::engine::unknown_id_warnings(gate, analyzer::engine::cause_table(*rules));
  BOOST_TEST_REQUIRE(warnings.size() == 3u);
  BOOST_TEST(warnings[0].find("billing.insuficient_credits") != std::string::npos);
  BOOST_TEST(warnings[1].find("write cause:billing.insufficient_credits") != std::string::npos);
  BOOST_TEST(warnings[2].find("write category:auth") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
