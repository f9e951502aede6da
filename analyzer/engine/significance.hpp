// SPDX-License-Identifier: MIT
#pragma once
/// The statistics of a diff (contract "Diff against a baseline"): a
/// two-sided two-proportion z-test of a failure's rate on two sides, and
/// the state a row gets from its counts and that test. Pure functions.

#include <cstdint>
#include <optional>

#include "analyzer/report/diff.hpp"

namespace analyzer::engine {

/// A change is significant below this p-value.
inline constexpr double significance_level = 0.01;
/// Regressed: the rate at least this many times the base rate (improved:
/// the base rate at least this many times the current one) ...
inline constexpr int64_t min_ratio_num = 3, min_ratio_den = 2;  // 1.5×
/// ... and at least this many more (fewer) failures.
inline constexpr int64_t min_count_change = 5;

struct proportion_test {
  double z = 0;        // (p2 - p1) / SE under the pooled proportion
  double p_value = 1;  // two-sided: P(|Z| >= |z|) = erfc(|z| / sqrt 2)
};

/// P(|Z| >= |z|) for a standard normal Z.
double two_sided_p(double z);

/// The test of x1 of n1 against x2 of n2 (counts of failures among
/// records). nullopt when a side has no records (nothing to test). When
/// the pooled proportion is 0 or 1 both rates are equal: z 0, p 1.
std::optional<proportion_test> two_proportion_test(int64_t x1, int64_t n1, int64_t x2, int64_t n2);

/// The state of a row with `base` failures of `base_records` and
/// `current` of `current_records`: new, gone, regressed, improved (rate
/// ratio at least 1.5 exactly, in integers; at least 5 failures more or
/// fewer; p below 0.01), else unchanged.
report::diff_state classify(int64_t base, int64_t base_records, int64_t current,
                            int64_t current_records);

}  // namespace analyzer::engine
