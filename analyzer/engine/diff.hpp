// SPDX-License-Identifier: MIT
#pragma once
/// `diff`: two run states (a baseline and the current run, each read from
/// partials or from a JSON report that carries one) → what changed
/// (report/diff.hpp). Rows are keyed by the states' stable ids (cause id,
/// category, endpoint, model, status, code), so the two sides need not
/// share a rule set to be compared; when their rules, profiles or
/// result-changing options differ the diff says so (`comparable`).

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/run_state.hpp"
#include "analyzer/report/diff.hpp"

namespace analyzer::engine {

/// Why `base` and `current` do not measure the same way, one sentence per
/// difference (rules digest, profiles digest, every result-changing
/// option the partials record: max-record-bytes, input-format, profile,
/// ...); empty when they do. The window (--since,
/// --until) is what a diff compares, so it is never a difference.
std::vector<std::string> incomparable_reasons(const run_state& base, const run_state& current);

/// The diff of `current` against `base`, every table sorted (state, then
/// current count descending, then id). `*_name` name the sides' files.
/// The gate, generated_at and tool_version are the caller's.
report::diff_result compute_diff(const run_state& base, std::string_view base_name,
                                 const run_state& current, std::string_view current_name);

}  // namespace analyzer::engine
