// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::cli {

/// Loads the bundled pack (unless `no_builtin`) and the user's rule paths,
/// merges them (user rules replace bundled ones by id), compiles them, and
/// checks every rule's own samples against it. Returns null when any
/// problem was found; `problems` then lists them all.
/// `extra`: rule texts loaded as one more layer after the paths (what
/// `rules suggest` checks its rule with).
std::unique_ptr<rules::ruleset> load_ruleset(const std::vector<std::string>& paths,
                                             bool no_builtin,
                                             core::diagnostics& problems,
                                             const std::vector<rules::rule_source>& extra = {});

/// Only the given files, as `rules check` validates them (with the bundled
/// pack's sets in scope). `strict`: a rule without samples is an error,
/// not a warning.
std::unique_ptr<rules::ruleset> load_files_only(const std::vector<std::string>& paths,
                                                core::diagnostics& problems,
                                                int& file_count, bool strict = false);

}  // namespace analyzer::cli
