// SPDX-License-Identifier: MIT
#include "analyzer/core/suggest.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace analyzer::core {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& options) {
  std::string_view best;
  size_t best_d = 3;
  for (auto o : options) {
    // The distance is at least the difference in length: a long word (a
    // hostile file's key) costs nothing against short options.
    size_t longer = std::max(word.size(), o.size());
    if (longer - std::min(word.size(), o.size()) >= best_d) continue;
    size_t d = edit_distance(word, o);
    if (d < best_d) {
      best_d = d;
      best = o;
    }
  }
  return best.empty() ? std::string() : fmt::format("did you mean `{}`? ", best);
}

std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

}  // namespace analyzer::core
