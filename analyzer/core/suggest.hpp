// SPDX-License-Identifier: MIT
#pragma once
/// "Did you mean" for load-time diagnostics (rule and profile files).

#include <string>
#include <string_view>
#include <vector>

namespace analyzer::core {

/// Levenshtein distance between two words.
size_t edit_distance(std::string_view a, std::string_view b);

/// "did you mean `x`? " for the closest option within two edits, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& options);

/// The words joined with ", ".
std::string join_words(const std::vector<std::string_view>& words);

}  // namespace analyzer::core
