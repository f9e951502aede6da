// SPDX-License-Identifier: MIT
#pragma once
/// From a run's state to what the reporters render: causes joined with
/// their metadata and sorted, inputs grouped into rows (a file read as
/// byte-range shards is one row, its records at their true lines), the
/// unexplained templates, the timeline and incidents. Everything derived is
/// computed here, at render time, from merged state.

#include <string>
#include <vector>

#include "analyzer/engine/run_state.hpp"
#include "analyzer/report/summary.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::engine {

/// The cause table of a rule set: every cause by the rules' cause index,
/// then unclassified.unknown.
std::vector<cause_info> cause_table(const rules::ruleset& rules);

/// The summary of `state`, which must outlive it (it points into the
/// aggregate). `notes` receives a warning per gap in a file's byte ranges
/// (their lines are then counted from the range, see manifest.hpp).
/// tool_version, generated_at, show_prompts and gate are the caller's.
/// How much of the audit a summary needs: none (a shard that writes only
/// its partial and gates on no audit condition), its counts, or also the
/// in-flight series the HTML report charts.
enum class audit_detail { none, counts, charts };

report::summary build_summary(const run_state& state, std::vector<std::string>& notes,
                              audit_detail audit = audit_detail::charts);

}  // namespace analyzer::engine
