// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/cli/options.hpp"

namespace analyzer::cli {

/// The whole program: parse options, run the chosen command, return the
/// exit code. Throws broken_pipe when stdout closes.
exit_code main_entry(int argc, char** argv);

exit_code run_analyze(const options& o);
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

}  // namespace analyzer::cli
