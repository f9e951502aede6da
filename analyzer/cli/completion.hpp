// SPDX-License-Identifier: MIT
#pragma once
/// `kling-triage completion bash|zsh|fish`: a completion script rendered
/// from the command-line definition (cli_tree) and the loaded rules' ids.

#include <string>
#include <vector>

#include "analyzer/cli/cli_tree.hpp"

namespace analyzer::cli {

/// What --fail-on conditions complete to, besides the ids.
struct completion_ids {
  std::vector<std::string> causes;      // cause:<id>
  std::vector<std::string> categories;  // category:<id>
  std::vector<std::string> fail_on_subjects;  // failure-rate>, cause:, ...
};

/// The script for `shell` ("bash", "zsh" or "fish"); empty for another.
std::string render_completion(const std::string& shell, const cli_command& root,
                              const completion_ids& ids, const std::string& version);

}  // namespace analyzer::cli
