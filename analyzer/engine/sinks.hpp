// SPDX-License-Identifier: MIT
#pragma once
/// The record stage's two built-in sinks: the aggregate (the counts every
/// report is rendered from) and the --events writer.

#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine/record_sink.hpp"
#include "analyzer/profile/profile.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::engine {

/// Counts one fact into `agg` as its kind says (ok, failure, malformed,
/// skipped, outside the window).
void count_fact(aggregate::aggregator& agg, const record_fact& f);

/// Counts every fact into the worker's aggregator; finish() merges it into
/// the run's.
class aggregate_sink final : public record_sink {
 public:
  explicit aggregate_sink(int cause_count, const aggregate::limits& bounds = {})
      : agg_(cause_count, bounds) {}
  void add(const record_fact& f, std::string& ordered) override;
  void finish(run_state& state) override;
  const aggregate::aggregator& result() const { return agg_; }

 private:
  aggregate::aggregator agg_;
};

struct events_config {
  const rules::ruleset* rules = nullptr;
  const profile::profile_set* profiles = nullptr;
  std::vector<std::string> profile_json;  // each profile's id, JSON-quoted
  std::vector<std::string> source_json;   // each input's path, JSON-quoted, by manifest index
};

/// One JSON object per record (contract: `--events` records), in input
/// order: malformed, ok and failed records; skipped lines and records
/// outside the window are not written.
class events_sink final : public record_sink {
 public:
  explicit events_sink(const events_config& config) : config_(config) {}
  void add(const record_fact& f, std::string& ordered) override;

 private:
  const events_config& config_;
};

}  // namespace analyzer::engine
