// SPDX-License-Identifier: MIT
#pragma once
/// RE2 inside the profile module: compiled text-line patterns and
/// condition regexes. Only profile/*.cpp include this.

#include <memory>
#include <re2/re2.h>
#include <string>
#include <vector>

#include "analyzer/profile/profile.hpp"

namespace analyzer::profile {

struct compiled_regex {
  explicit compiled_regex(const std::string& pattern, const RE2::Options& o) : re(pattern, o) {}
  RE2 re;
};

/// Compiles `pattern` (case-sensitive for line patterns, insensitive for
/// conditions); null with RE2's reason in `error` when it is invalid.
std::shared_ptr<compiled_regex> compile_regex(const std::string& pattern, bool case_sensitive,
                                              std::string& error);

/// Names of the pattern's named groups become slots (appended to `names`);
/// returns group number → slot.
std::vector<int> group_slots(const compiled_regex& re, std::vector<std::string>& names);

}  // namespace analyzer::profile
