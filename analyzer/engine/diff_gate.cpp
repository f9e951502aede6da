// SPDX-License-Identifier: MIT
#include "analyzer/engine/diff_gate.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"

namespace analyzer::engine {

namespace {

constexpr std::string_view op_chars = "<>=!";
constexpr std::string_view state_suffix = ":state";
constexpr std::string_view states_help = "new, regressed, improved, gone or unchanged";

/// The text before the first operator character.
std::string_view subject_of(std::string_view text) {
  return core::trim(text.substr(0, text.find_first_of(op_chars)));
}

bool is_state_subject(std::string_view subject) {
  return subject.substr(0, 6) == "cause:" && subject.size() > state_suffix.size() &&
         subject.substr(subject.size() - state_suffix.size()) == state_suffix;
}

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  });
}

bool parse_state(std::string_view rest, diff_condition& c, std::string& error) {
  if (c.op != gate_op::eq) {
    error = fmt::format("a state is compared with == only (cause:<id>:state==<state>)");
    return false;
  }
  std::string_view name = core::trim(rest);
  auto state = report::diff_state_named(name);
  if (!state) {
    error = name.empty() ? fmt::format("missing state after ==: use {}", states_help)
                         : fmt::format("`{}` is not a state: use {}", name, states_help);
    return false;
  }
  c.state = *state;
  return true;
}

bool parse_number(std::string_view rest, diff_condition& c, std::string& error) {
  std::string_view num = core::trim(rest);
  if (num.empty()) {
    error = "missing number after the operator";
    return false;
  }
  if (num.back() == '%') {
    error = c.metric == diff_metric::failure_rate_ratio
                ? "failure-rate-ratio is a ratio (2 means twice the base rate), not a percentage"
                : "a percentage applies only to failure-rate; this condition compares a count";
    return false;
  }
  if (!plain_number(num) || !core::parse_number(num)) {
    error = fmt::format("`{}` is not a number (write e.g. 0, 3 or 1.5)", num);
    return false;
  }
  if (c.metric != diff_metric::failure_rate_ratio && num.find('.') != std::string_view::npos) {
    error = fmt::format("a count must be a whole number, not `{}`", num);
    return false;
  }
  c.threshold = *core::parse_number(num);
  return true;
}

bool parse_subject(std::string_view subject, diff_condition& c, std::string& error) {
  if (subject == "new-cause") {
    c.metric = diff_metric::new_causes;
  } else if (subject == "regressed") {
    c.metric = diff_metric::regressed;
  } else if (subject == "failure-rate-ratio") {
    c.metric = diff_metric::failure_rate_ratio;
  } else if (is_state_subject(subject)) {
    c.metric = diff_metric::cause_state;
    std::string_view id = subject.substr(6, subject.size() - 6 - state_suffix.size());
    if (!valid_id(id)) {
      error = id.empty() ? std::string("missing id after `cause:`")
                         : fmt::format("`{}` is not a valid id (letters, digits, `_`, `.`, `-`)", id);
      return false;
    }
    c.id = std::string(id);
  } else {
    error = fmt::format("unknown subject `{}`: a diff takes new-cause, regressed, "
                        "cause:<id>:state or failure-rate-ratio", subject);
    return false;
  }
  return true;
}

const report::diff_row* cause_row(const report::diff_result& d, std::string_view id) {
  for (const auto& r : d.rows(report::diff_dimension::causes)) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace

bool is_diff_condition(std::string_view text) {
  std::string_view s = subject_of(text);
  return s == "new-cause" || s == "regressed" || s == "failure-rate-ratio" || is_state_subject(s);
}

std::optional<diff_condition> parse_diff_condition(std::string_view text, std::string& error) {
  diff_condition c;
  c.text = std::string(core::trim(text));
  std::string_view subject, rest;
  if (!split_condition(c.text, subject, rest, error) || !parse_subject(subject, c, error) ||
      !parse_operator(rest, c.op, error)) {
    return std::nullopt;
  }
  bool ok = c.metric == diff_metric::cause_state ? parse_state(rest, c, error)
                                                 : parse_number(rest, c, error);
  if (!ok) return std::nullopt;
  return c;
}

std::vector<report::diff_gate_result> evaluate_diff_gate(
    const std::vector<diff_condition>& conditions, const report::diff_result& d) {
  using report::diff_dimension;
  using report::diff_state;
  std::vector<report::diff_gate_result> out;
  for (const auto& c : conditions) {
    report::diff_gate_result g;
    g.condition = c.text;
    switch (c.metric) {
      case diff_metric::new_causes:
      case diff_metric::regressed: {
        auto state = c.metric == diff_metric::new_causes ? diff_state::new_ : diff_state::regressed;
        g.number = static_cast<double>(d.count(diff_dimension::causes, state));
        g.met = compare(c.op, *g.number, c.threshold);
        break;
      }
      case diff_metric::cause_state: {
        const report::diff_row* r = cause_row(d, c.id);
        diff_state state = r != nullptr ? r->state : diff_state::unchanged;
        g.text = std::string(report::name_of(state));
        g.met = state == c.state;
        break;
      }
      case diff_metric::failure_rate_ratio:
        g.number = d.failure_rate_ratio;
        // Infinite (no base failures, some now): above any threshold.
        g.met = g.number ? compare(c.op, *g.number, c.threshold)
                         : (c.op == gate_op::gt || c.op == gate_op::ge);
        break;
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<std::string> unknown_diff_ids(const std::vector<diff_condition>& conditions,
                                          const std::vector<cause_info>& base,
                                          const std::vector<cause_info>& current) {
  auto has = [](const std::vector<cause_info>& t, const std::string& id) {
    return std::any_of(t.begin(), t.end(), [&](const cause_info& c) { return c.id == id; });
  };
  std::vector<std::string> out;
  for (const auto& c : conditions) {
    if (c.metric != diff_metric::cause_state || has(base, c.id) || has(current, c.id)) continue;
    out.push_back(fmt::format("--fail-on `{}`: neither side's rules have the cause id `{}`, so its "
                              "state is always unchanged", c.text, c.id));
  }
  return out;
}

}  // namespace analyzer::engine
