// SPDX-License-Identifier: MIT
#include "analyzer/engine/fail_on.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "analyzer/audit/audit.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/rules/rule.hpp"

namespace analyzer::engine {

namespace {

constexpr std::string_view op_chars = "<>=!";
constexpr std::string_view op_help = "use one of >, >=, <, <=, ==";

struct op_token {
  std::string_view text;
  gate_op op;
};

// Longest first, so `>=` is not read as `>` followed by `=5`.
constexpr op_token ops[] = {{">=", gate_op::ge}, {"<=", gate_op::le}, {"==", gate_op::eq},
                            {">", gate_op::gt},  {"<", gate_op::lt}};

bool valid_id(std::string_view id) {
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  });
}

/// `failure-rate`, `unclassified`, `malformed`, `category:<id>`, `cause:<id>`.
bool parse_subject(std::string_view left, fail_on_condition& c, std::string& error) {
  if (left.empty()) {
    error = "nothing before the operator: expected failure-rate, category:<id>, cause:<id>, "
            "unclassified, malformed, audit:<detector> or orphaned";
    return false;
  }
  if (left == "failure-rate") {
    c.metric = gate_metric::failure_rate;
    return true;
  }
  if (left == "orphaned") {
    c.metric = gate_metric::orphaned;
    return true;
  }
  if (left.substr(0, 6) == "audit:") {
    std::string_view id = core::trim(left.substr(6));
    if (!audit::detector_named(id)) {
      std::string known;
      for (size_t i = 0; i < audit::detector_count; ++i) {
        known += fmt::format("{}{}", i == 0 ? "" : ", ", audit::name_of(static_cast<audit::detector>(i)));
      }
      error = fmt::format("`{}` is not an audit detector (one of {})", id, known);
      return false;
    }
    c.metric = gate_metric::audit;
    c.id = std::string(id);
    return true;
  }
  if (left == "unclassified" || left == "malformed") {
    c.metric = left == "malformed" ? gate_metric::malformed : gate_metric::unclassified;
    return true;
  }
  for (auto [prefix, metric] : {std::pair{std::string_view("category:"), gate_metric::category},
                                std::pair{std::string_view("cause:"), gate_metric::cause}}) {
    if (left.substr(0, prefix.size()) != prefix) continue;
    std::string_view id = core::trim(left.substr(prefix.size()));
    if (id.empty()) {
      error = fmt::format("missing id after `{}`", prefix);
      return false;
    }
    if (!valid_id(id)) {
      error = fmt::format("`{}` is not a valid id (letters, digits, `_`, `.`, `-`)", id);
      return false;
    }
    c.metric = metric;
    c.id = std::string(id);
    return true;
  }
  error = fmt::format("unknown subject `{}`: expected failure-rate, category:<id>, cause:<id>, "
                      "unclassified, malformed, audit:<detector> or orphaned", left);
  return false;
}

bool parse_rate(std::string_view num, bool percent, fail_on_condition& c, std::string& error) {
  double v = *core::parse_number(num);
  if (percent && v > 100) {
    error = fmt::format("a failure rate above 100% can never be reached (`{}%`)", num);
    return false;
  }
  if (!percent && v > 1) {
    error = fmt::format("failure-rate is a fraction from 0 to 1 or a percentage: write `{}%` "
                        "or `{}`", num, v / 100);
    return false;
  }
  c.threshold = percent ? v / 100 : v;
  return true;
}

bool parse_count(std::string_view num, bool percent, fail_on_condition& c, std::string& error) {
  if (percent) {
    error = "a percentage applies only to failure-rate; this condition compares a count";
    return false;
  }
  if (num.find('.') != std::string_view::npos) {
    error = fmt::format("a count must be a whole number, not `{}`", num);
    return false;
  }
  c.threshold = *core::parse_number(num);
  return true;
}

bool parse_threshold(std::string_view rest, fail_on_condition& c, std::string& error) {
  std::string_view num = core::trim(rest);
  bool percent = !num.empty() && num.back() == '%';
  if (percent) num = core::trim(num.substr(0, num.size() - 1));
  if (num.empty()) {
    error = "missing number after the operator";
    return false;
  }
  if (!plain_number(num) || !core::parse_number(num)) {
    error = fmt::format("`{}` is not a number (write e.g. 5, 0.05 or 5%)", core::trim(rest));
    return false;
  }
  return c.metric == gate_metric::failure_rate ? parse_rate(num, percent, c, error)
                                               : parse_count(num, percent, c, error);
}

double count_of(const std::vector<report::cause_row>& causes, std::string_view id) {
  for (const auto& c : causes) {
    if (c.id == id) return static_cast<double>(c.stats->count);
  }
  return 0;
}

double count_of(const std::vector<report::category_row>& categories, std::string_view id) {
  for (const auto& c : categories) {
    if (c.id == id) return static_cast<double>(c.count);
  }
  return 0;
}

}  // namespace

bool split_condition(std::string_view condition, std::string_view& subject,
                     std::string_view& rest, std::string& error) {
  if (condition.empty()) {
    error = "empty condition";
    return false;
  }
  size_t at = condition.find_first_of(op_chars);
  if (at == std::string_view::npos) {
    error = fmt::format("no comparison: {} followed by a number", op_help);
    return false;
  }
  subject = core::trim(condition.substr(0, at));
  rest = condition.substr(at);
  return true;
}

bool parse_operator(std::string_view& rest, gate_op& op, std::string& error) {
  for (const auto& t : ops) {
    if (rest.substr(0, t.text.size()) != t.text) continue;
    rest.remove_prefix(t.text.size());
    std::string_view after = core::trim(rest);
    if (!after.empty() && op_chars.find(after.front()) != std::string_view::npos) {
      error = fmt::format("`{}{}` is not an operator: {}", t.text, after.front(), op_help);
      return false;
    }
    op = t.op;
    return true;
  }
  size_t n = rest.find_first_not_of(op_chars);
  error = fmt::format("`{}` is not an operator: {}", rest.substr(0, n), op_help);
  return false;
}

bool plain_number(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '.'; }) &&
         std::count(s.begin(), s.end(), '.') <= 1;
}

std::optional<fail_on_condition> parse_fail_on(std::string_view text, std::string& error) {
  fail_on_condition c;
  c.text = std::string(core::trim(text));
  std::string_view subject, rest;
  if (!split_condition(c.text, subject, rest, error) || !parse_subject(subject, c, error) ||
      !parse_operator(rest, c.op, error) || !parse_threshold(rest, c, error)) {
    return std::nullopt;
  }
  return c;
}

bool compare(gate_op op, double value, double threshold) {
  // Rates are quotients: 1/20 must equal 5%.
  bool equal = std::fabs(value - threshold) <= 1e-9;
  switch (op) {
    case gate_op::gt: return value > threshold && !equal;
    case gate_op::ge: return value > threshold || equal;
    case gate_op::lt: return value < threshold && !equal;
    case gate_op::le: return value < threshold || equal;
    case gate_op::eq: return equal;
  }
  return false;
}

double measure(const fail_on_condition& c, const report::summary& s) {
  const auto& agg = *s.agg;
  switch (c.metric) {
    case gate_metric::failure_rate:
      return agg.records > 0
                 ? static_cast<double>(agg.failures) / static_cast<double>(agg.records)
                 : 0.0;
    case gate_metric::category: return count_of(s.categories, c.id);
    case gate_metric::cause: return count_of(s.causes, c.id);
    case gate_metric::unclassified: return static_cast<double>(s.unclassified);
    case gate_metric::malformed: return static_cast<double>(agg.malformed);
    case gate_metric::audit: {
      if (!s.audit) return 0;
      auto d = audit::detector_named(c.id);
      return d ? static_cast<double>(s.audit->detectors[static_cast<size_t>(*d)].findings) : 0;
    }
    case gate_metric::orphaned:
      return s.audit ? static_cast<double>(s.audit->tasks.orphaned) : 0;
  }
  return 0;
}

std::vector<report::gate_result> evaluate_gate(const std::vector<fail_on_condition>& conditions,
                                               const report::summary& s) {
  std::vector<report::gate_result> out;
  for (const auto& c : conditions) {
    double v = measure(c, s);
    out.push_back({c.text, v, compare(c.op, v, c.threshold)});
  }
  return out;
}

bool needs_audit(const std::vector<fail_on_condition>& conditions) {
  return std::any_of(conditions.begin(), conditions.end(), [](const auto& c) {
    return c.metric == gate_metric::audit || c.metric == gate_metric::orphaned;
  });
}

bool gate_failed(const std::vector<report::gate_result>& results) {
  return std::any_of(results.begin(), results.end(), [](const auto& r) { return r.met; });
}

std::vector<std::string> unknown_id_warnings(const std::vector<fail_on_condition>& conditions,
                                             const std::vector<cause_info>& table) {
  std::set<std::string, std::less<>> causes{std::string(rules::unclassified_id)};
  std::set<std::string, std::less<>> categories{std::string(rules::unclassified_category)};
  for (const auto& c : table) {
    causes.insert(c.id);
    categories.insert(c.category);
  }
  std::vector<std::string> out;
  for (const auto& c : conditions) {
    bool is_cause = c.metric == gate_metric::cause;
    if (!is_cause && c.metric != gate_metric::category) continue;
    const auto& own = is_cause ? causes : categories;
    if (own.count(c.id) > 0) continue;
    const auto& other = is_cause ? categories : causes;
    std::string hint = other.count(c.id) > 0
                           ? fmt::format(" (`{}` is a {}: write {}:{})", c.id,
                                         is_cause ? "category" : "cause id",
                                         is_cause ? "category" : "cause", c.id)
                           : "";
    out.push_back(fmt::format("--fail-on `{}`: no loaded rule has the {} `{}`, so it counts 0{}",
                              c.text, is_cause ? "cause id" : "category", c.id, hint));
  }
  return out;
}

}  // namespace analyzer::engine
