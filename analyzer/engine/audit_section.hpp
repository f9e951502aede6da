// SPDX-License-Identifier: MIT
#pragma once
/// The audit in the engine: a record sink that turns every logged call into
/// one audit fact (analyzer/audit/fact_sink.hpp), and the run state's
/// `audit` section that holds the facts, merges them exactly (a fact store
/// merge: the audit itself runs when a report is rendered, over all of
/// them) and writes them into partials (docs/partial-format.md, section
/// `audit`). The thresholds travel with the facts: partials audited with
/// different thresholds do not merge.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/audit/audit.hpp"
#include "analyzer/audit/fact_sink.hpp"
#include "analyzer/audit/fact_store.hpp"
#include "analyzer/engine/record_stage.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::engine {

/// The thresholds a user sets (contract defaults), shown in the report.
struct audit_thresholds {
  int64_t grace_ms = 30 * 60'000;         // --audit-grace
  int64_t poll_min_ms = 2'000;            // --audit-poll-min
  int64_t retry_window_ms = 600'000;      // --audit-retry-window
  int64_t duplicate_window_ms = 120'000;  // --audit-duplicate-window
  bool operator==(const audit_thresholds&) const = default;
};

/// `30m`, `2s`, `1500ms`, `600` (seconds), `1.5h`: whole milliseconds,
/// nullopt when it is not a duration or is negative.
std::optional<int64_t> parse_duration(std::string_view text);

/// The audit's part of a run.
struct audit_request {
  audit_thresholds thresholds;
  audit::store_options store;  // per worker: memory before a run is spilled
  /// The run's store, which the workers' facts move into: its budget is
  /// the whole (the workers' stores are empty by then).
  size_t merged_budget = size_t{160} << 20;
};

class audit_section final : public state_section {
 public:
  static constexpr std::string_view section_name = "audit";
  audit_section(const audit_thresholds& t, audit::store_options o)
      : thresholds(t), store(std::move(o)) {}

  std::string_view name() const override { return section_name; }
  void remap_sources(const std::vector<uint32_t>&) override {}  // facts name inputs by path
  std::string merge(state_section& other, const std::vector<uint32_t>& map) override;
  std::string encode() const override;

  /// The section of a partial (section_decoder).
  static std::unique_ptr<state_section> decode(std::string_view bytes, const run_state& state,
                                               std::string& error);

  audit_thresholds thresholds;
  audit::fact_store store;
  std::string error;  // a failed spill: the run cannot be audited
};

/// Separates a path from its byte range's start in the store's source names.
inline constexpr char range_mark = '\x1f';

/// The audit section of `state`, or null.
const audit_section* audit_of(const run_state& state);

/// The audit options of a report: the thresholds, the run's end of the
/// logs, examples, the in-flight chart's buckets.
audit::audit_options audit_options_for(const audit_thresholds& t, size_t threads);

/// Runs the audit over the state's facts (null when it has none). Records
/// are cited as reports cite them: a byte-range shard's lines at their true
/// numbers in its file (`sources` by manifest index, summary_build.hpp).
/// `series`: also the per-client in-flight series (the HTML report's chart).
std::shared_ptr<const audit::audit_result> run_state_audit(
    const run_state& state, const std::vector<report::source_view>& sources,
    bool keep_marks = false, bool series = true);

/// Names for the facts' inputs, by manifest index, and what a record's
/// cause is to the audit.
struct audit_sink_config {
  const rules::ruleset* rules = nullptr;
  std::vector<std::string> source_names;  // by manifest index: the input as named
  /// A byte-range shard: the store's name for its one input (path, then
  /// range_mark and the range's start), so lines resolve when rendered.
  std::string range_name;
  audit_request request;
};

/// One worker's facts; finish() merges them into the run's audit section.
class audit_sink final : public record_sink {
 public:
  explicit audit_sink(const audit_sink_config& config);
  void add(const record_fact& f, std::string& ordered) override;
  void finish(run_state& state) override;

 private:
  const audit_sink_config& config_;
  audit::fact_store store_;
  audit::fact_sink sink_;
  std::vector<audit::named_task> request_tasks_, answer_tasks_;
  bool failed_ = false;
};

}  // namespace analyzer::engine
