// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/options.hpp"
#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/diff_gate.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "analyzer/engine/run_state.hpp"

namespace analyzer::cli {

/// The whole program: parse options, run the chosen command, return the
/// exit code. Throws broken_pipe when stdout closes.
exit_code main_entry(int argc, char** argv);

exit_code run_analyze(const options& o);
exit_code run_merge(const options& o);
exit_code run_diff(const options& o);
exit_code run_rules_list(const options& o);
exit_code run_rules_check(const options& o);
exit_code run_rules_test(const options& o);
exit_code run_rules_suggest(const options& o);
exit_code run_explain(const options& o);
exit_code run_profiles_list(const options& o);
exit_code run_profiles_check(const options& o);
exit_code run_profiles_test(const options& o);
exit_code run_profiles_detect(const options& o);
exit_code run_completion(const options& o);

/// `generated_at`: now, or SOURCE_DATE_EPOCH when set (reproducible runs).
int64_t now_ms();

/// Every --fail-on condition of a report; false after reporting each
/// invalid one (a diff's condition included: it needs --baseline).
bool parse_gate(const std::vector<std::string>& texts,
                std::vector<engine::fail_on_condition>& gate);

/// The --audit-* thresholds (contract defaults for those not given); `given`
/// says whether any was. False after reporting an invalid one.
bool parse_audit_thresholds(const options& o, engine::audit_thresholds& t, bool& given);

/// Whether the text report gets colours (--color, a terminal, NO_COLOR).
bool color_wanted(const options& o);

/// Adds every partial of `path` ("-": stdin; a JSON report carrying one)
/// to `merger`; false after printing why not (merge.cpp).
bool merge_file(const std::string& path, engine::state_merger& merger);

/// The baseline of `analyze --baseline`: its state and the diff's gate.
struct baseline_input {
  const engine::run_state* state = nullptr;
  std::string name;
  std::vector<engine::diff_condition> gate;
};

/// The state of every partial in `path` merged (a diff's side), or
/// nullopt after printing why not (diff.cpp).
std::optional<engine::run_state> read_side(const std::string& path);

/// Splits --fail-on texts into the report's conditions and the diff's;
/// false after reporting each invalid one.
bool parse_gates(const std::vector<std::string>& texts, bool diff_allowed,
                 std::vector<engine::fail_on_condition>& report_gate,
                 std::vector<engine::diff_condition>& diff_gate);

/// The diff of `current` against `base` with its gate evaluated, tool
/// version and time set; warns about incomparable sides and unknown ids.
report::diff_result make_diff(const engine::run_state& base, const std::string& base_name,
                              const engine::run_state& current, const std::string& current_name,
                              const std::vector<engine::diff_condition>& gate);

/// A line on stderr per met diff condition.
void report_diff_gate(const std::vector<report::diff_gate_result>& gate);

/// How a report (or a diff) in `o.format` leaves: redaction written in its
/// format; control characters escaped in every human-readable format (the
/// coloured text form escapes each value itself: its colours are control
/// sequences).
output_style report_style(const options& o, bool color);

/// What analyze and merge end with: the partial (--partial), the report
/// (unless only a partial was asked for), input errors and met conditions
/// on stderr; the exit code.
exit_code deliver(const options& o, const engine::run_state& state,
                  const std::vector<engine::fail_on_condition>& gate, bool color,
                  const baseline_input* baseline = nullptr);

}  // namespace analyzer::cli
