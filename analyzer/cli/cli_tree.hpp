// SPDX-License-Identifier: MIT
#pragma once
/// The command-line interface as data: every command, option and positional
/// argument, read off the CLI11 definition in options.cpp. Shell completions
/// are rendered from it, so they cannot drift from what the parser accepts.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace analyzer::cli {

/// What a value is, for completion: one of `choices`, a path, a --fail-on
/// condition, or free text (a time, a number) that nothing can complete.
enum class value_kind { none, choice, path, fail_on, text };

struct cli_option {
  std::vector<std::string> names;  // "-f", "--format"; a positional's name
  std::string description;
  std::string value_name;  // "" for a flag; TEXT, UINT, COND, TIME, ...
  std::vector<std::string> choices;
  value_kind kind = value_kind::none;
  bool repeatable = false;

  bool is_flag() const { return value_name.empty(); }
};

struct cli_command {
  std::string name;  // "" for the program itself
  std::string path;  // "rules list"; "" for the program itself
  std::string description;
  std::vector<cli_option> options;
  std::vector<cli_option> positionals;
  std::vector<cli_command> subcommands;
};

/// Every visible command, option and positional of `app` and its
/// subcommands, in definition order (hidden ones, group "", are left out).
cli_command describe(const CLI::App& app);

/// Every command in pre-order: the program first, then each subcommand
/// before its own subcommands.
std::vector<const cli_command*> flatten(const cli_command& root);

}  // namespace analyzer::cli
