// SPDX-License-Identifier: MIT
#include "analyzer/engine/significance.hpp"

#include <cmath>

namespace analyzer::engine {

double two_sided_p(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

std::optional<proportion_test> two_proportion_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2) {
  if (n1 <= 0 || n2 <= 0) return std::nullopt;
  double a = static_cast<double>(n1), b = static_cast<double>(n2);
  double p1 = static_cast<double>(x1) / a, p2 = static_cast<double>(x2) / b;
  double pooled = static_cast<double>(x1 + x2) / (a + b);
  double variance = pooled * (1 - pooled) * (1 / a + 1 / b);
  if (!(variance > 0)) return proportion_test{};
  proportion_test t;
  t.z = (p2 - p1) / std::sqrt(variance);
  t.p_value = two_sided_p(t.z);
  return t;
}

namespace {

/// a/na at least 1.5 × b/nb, exactly: 2·a·nb >= 3·b·na (128-bit: counts
/// go up to 2^50).
bool at_least_ratio(int64_t a, int64_t na, int64_t b, int64_t nb) {
  __extension__ typedef __int128 wide;
  return wide{min_ratio_den} * a * nb >= wide{min_ratio_num} * b * na;
}

}  // namespace

report::diff_state classify(int64_t base, int64_t base_records, int64_t current,
                            int64_t current_records) {
  using report::diff_state;
  if (base == 0 && current > 0) return diff_state::new_;
  if (base > 0 && current == 0) return diff_state::gone;
  if (base == 0) return diff_state::unchanged;
  auto test = two_proportion_test(base, base_records, current, current_records);
  if (!test || !(test->p_value < significance_level)) return diff_state::unchanged;
  if (current - base >= min_count_change &&
      at_least_ratio(current, current_records, base, base_records)) {
    return diff_state::regressed;
  }
  if (base - current >= min_count_change &&
      at_least_ratio(base, base_records, current, current_records)) {
    return diff_state::improved;
  }
  return diff_state::unchanged;
}

}  // namespace analyzer::engine
