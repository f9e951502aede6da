// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/cli/options.hpp"
#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "analyzer/engine/run_state.hpp"

namespace analyzer::cli {

/// The whole program: parse options, run the chosen command, return the
/// exit code. Throws broken_pipe when stdout closes.
exit_code main_entry(int argc, char** argv);

exit_code run_analyze(const options& o);
exit_code run_merge(const options& o);
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

/// Every --fail-on condition; false after reporting each invalid one.
bool parse_gate(const std::vector<std::string>& texts,
                std::vector<engine::fail_on_condition>& gate);

/// The --audit-* thresholds (contract defaults for those not given); `given`
/// says whether any was. False after reporting an invalid one.
bool parse_audit_thresholds(const options& o, engine::audit_thresholds& t, bool& given);

/// Whether the text report gets colours (--color, a terminal, NO_COLOR).
bool color_wanted(const options& o);

/// What analyze and merge end with: the partial (--partial), the report
/// (unless only a partial was asked for), input errors and met conditions
/// on stderr; the exit code.
exit_code deliver(const options& o, const engine::run_state& state,
                  const std::vector<engine::fail_on_condition>& gate, bool color);

}  // namespace analyzer::cli
