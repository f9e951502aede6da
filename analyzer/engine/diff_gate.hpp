// SPDX-License-Identifier: MIT
#pragma once
/// `--fail-on` on a diff (`diff`, and `analyze --baseline`): the nightly
/// gate on what changed. Parsed before any work, with the operators,
/// number rules and errors of the report's conditions (fail_on.hpp):
///
///   new-cause<op><n>            causes in state new
///   regressed<op><n>            causes in state regressed
///   cause:<id>:state==<state>   that cause's state (new, regressed,
///                               improved, gone, unchanged)
///   failure-rate-ratio<op><x>   CURRENT's failure rate / BASE's (a
///                               positive number; ∞ when BASE had no
///                               failures and CURRENT has, 1 when neither)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/fail_on.hpp"
#include "analyzer/report/diff.hpp"

namespace analyzer::engine {

enum class diff_metric { new_causes, regressed, cause_state, failure_rate_ratio };

/// How each kind starts, for shell completion.
inline constexpr std::string_view diff_fail_on_starts[] = {
    "new-cause>", "regressed>", "cause:", "failure-rate-ratio>"};

struct diff_condition {
  std::string text;  // as written
  diff_metric metric = diff_metric::new_causes;
  std::string id;  // cause_state: the cause
  gate_op op = gate_op::gt;
  double threshold = 0;
  report::diff_state state = report::diff_state::new_;
};

/// Whether `text` is a condition on a diff rather than on a report (its
/// subject is one of the above), so that `analyze --baseline` can take both.
bool is_diff_condition(std::string_view text);

/// Parses one condition; nullopt and `error` (what is wrong) when invalid.
std::optional<diff_condition> parse_diff_condition(std::string_view text, std::string& error);

/// One result per condition, in the given order.
std::vector<report::diff_gate_result> evaluate_diff_gate(
    const std::vector<diff_condition>& conditions, const report::diff_result& d);

/// A warning for each cause:<id>:state condition whose id neither side's
/// cause table has (a typo: its state is always `unchanged`).
std::vector<std::string> unknown_diff_ids(const std::vector<diff_condition>& conditions,
                                          const std::vector<cause_info>& base,
                                          const std::vector<cause_info>& current);

}  // namespace analyzer::engine
