// SPDX-License-Identifier: MIT
#pragma once
/// cli: the only module that prints or exits. Raw flags (options) become a
/// validated configuration (config) before any work; run.cpp is the
/// pipeline as named phases.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace analyzer::cli {

enum class exit_code : int { ok = 0, findings = 1, error = 2 };

enum class command {
  none, analyze, merge, diff, rules_list, rules_check, rules_test, rules_suggest, explain, completion,
  profiles_list, profiles_check, profiles_test, profiles_detect
};

struct cli_command;

enum class color_mode { auto_detect, always, never };

/// Flags as given, before validation.
struct options {
  command cmd = command::none;
  std::vector<std::string> inputs;  // analyze: INPUT...; merge: PARTIAL...
  std::string format = "text";
  std::string output;
  std::string events;
  std::string partial;                      // --partial FILE: write the run's state
  std::string partial_encoding = "binary";  // or base64 (one line of text)
  bool embed_partial = false;               // JSON report: carry the partial
  std::string byte_range;                   // --byte-range START:END
  std::string baseline;                     // analyze --baseline FILE: diff against it
  std::string diff_base, diff_current;      // diff BASE CURRENT
  std::vector<std::string> rule_paths;
  bool no_builtin_rules = false;
  std::vector<std::string> profile_paths;  // --profiles
  std::string profile_id;                  // --profile: read every input with it
  std::optional<std::string> since, until;  // nullopt: not given ("" is an error)
  unsigned threads = 0;  // 0: all hardware threads
  std::string input_format = "auto";
  uint64_t max_record_bytes = uint64_t{16} << 20;
  // Limits that bound memory and work whatever the input (README "Limits").
  uint64_t max_depth = 1024;
  uint64_t max_distinct = 1000;
  uint64_t max_timeline_cells = 250000;
  uint64_t max_rule_bytes = uint64_t{1} << 20;
  uint64_t max_rule_nodes = 100000;
  std::string color = "auto";
  std::vector<std::string> fail_on;  // raw --fail-on conditions
  bool audit = false;                // --audit (also on with an audit gate or threshold)
  bool no_audit = false;             // explain --no-audit
  // The audit's thresholds as given (empty: the contract's default).
  std::string audit_grace, audit_poll_min, audit_retry_window, audit_duplicate_window;
  std::string progress = "auto";
  bool stats = false;
  bool show_prompts = false;
  std::string explain_target;
  bool verbose = false;
  bool strict = false;  // rules check: a rule without samples is an error
  std::string shell;                        // completion: bash, zsh or fish
  std::shared_ptr<const cli_command> cli;  // completion: the command tree
};

/// Parses argv. Returns the exit code to use immediately (help, version,
/// usage error) or nullopt to go on.
std::optional<exit_code> parse_options(int argc, char** argv, options& out);

}  // namespace analyzer::cli
