// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/options.hpp"
#include "analyzer/core/diagnostic.hpp"
#include "analyzer/profile/profile.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::cli {

/// Loads the bundled pack (unless `no_builtin`) and the user's rule paths,
/// merges them (user rules replace bundled ones by id), compiles them, and
/// checks every rule's own samples against it. Returns null when any
/// problem was found; `problems` then lists them all.
/// `extra`: rule texts loaded as one more layer after the paths (what
/// `rules suggest` checks its rule with).
/// `builtin_samples`: false for a command that never tests the bundled
/// pack's samples (analyze, explain): they are not parsed, which is most of
/// the start-up (rules::builtin_rule_sources_lean).
std::unique_ptr<rules::ruleset> load_ruleset(const std::vector<std::string>& paths,
                                             bool no_builtin,
                                             core::diagnostics& problems,
                                             const std::vector<rules::rule_source>& extra = {},
                                             const rules::load_limits& limits = {},
                                             bool builtin_samples = true);

/// Only the given files, as `rules check` validates them (with the bundled
/// pack's sets in scope). `strict`: a rule without samples is an error,
/// not a warning.
std::unique_ptr<rules::ruleset> load_files_only(const std::vector<std::string>& paths,
                                                core::diagnostics& problems,
                                                int& file_count, bool strict = false,
                                                const rules::load_limits& limits = {});

/// --max-rule-bytes and --max-rule-nodes.
rules::load_limits rule_limits(const options& o);

/// The bundled profiles and the user's (same id replaces a bundled one),
/// checked so that every profile's samples have one reader (the bundled
/// set alone is checked by the test suite, so only user profiles pay for it
/// at start-up). Null when any problem was found.
/// `bundled_samples`: the bundled profiles with their samples (`profiles
/// test`); without, they are not parsed (most of the profiles' start-up).
std::unique_ptr<profile::profile_set> load_profiles(const std::vector<std::string>& paths,
                                                    core::diagnostics& problems,
                                                    bool check_always = false,
                                                    bool bundled_samples = false);

/// The bundled set plus the given files, as `profiles check` validates them;
/// `file_count` counts the given files, `loaded` their profiles.
std::unique_ptr<profile::profile_set> load_profile_files(const std::vector<std::string>& paths,
                                                         core::diagnostics& problems,
                                                         int& file_count, int& loaded);

}  // namespace analyzer::cli
