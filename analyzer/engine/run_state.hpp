// SPDX-License-Identifier: MIT
#pragma once
/// The whole analysis state of a run, or of runs merged: what a partial
/// holds (partial_codec.hpp) and every report is rendered from
/// (summary_build.hpp). It is additive and keyed by stable ids: causes by
/// id (the cause table travels with the state), inputs by identity
/// (manifest.hpp); derived numbers (shares, incidents, display buckets)
/// are not in it. Two states merge when their rules, profiles and
/// result-changing options are the same; the result does not depend on the
/// order or grouping of merges.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/engine/manifest.hpp"

namespace analyzer::engine {

/// A cause as reports show it: the rules' metadata, carried in the state so
/// that `merge` renders a report without the rule files (the rules digest
/// guarantees that partials agree on it).
struct cause_info {
  std::string id, category, title;
  std::string retryable;  // yes | no | after_fix | unknown
  std::vector<std::string> fixes;
  std::string docs;
  bool operator==(const cause_info&) const = default;
};

/// What must agree between states that merge, and what reports show.
struct run_meta {
  std::string tool_version;  // the writer's (informational)
  std::string rules_digest;  // sha256:<hex>
  int64_t rule_count = 0;
  std::string profiles_digest;
  /// The options that change results, as (flag, canonical value): `since`
  /// and `until` as absolute times, `max-record-bytes`, `input-format`,
  /// `profile`, ... (absent flags have empty values).
  std::vector<std::pair<std::string, std::string>> options;
  std::optional<int64_t> since_ms, until_ms;  // the window (also in options)
};

/// A capability's own state in a run (the audit's facts, later): merged
/// with the state, written as its own partial section.
class state_section {
 public:
  virtual ~state_section() = default;
  virtual std::string_view name() const = 0;
  /// Whether a reader that does not know it must refuse the partial.
  virtual bool required() const { return true; }
  /// Renumbers this section's inputs (merged manifests interleave).
  virtual void remap_sources(const std::vector<uint32_t>& map) = 0;
  /// Adds `other` (same name), whose inputs are numbered by `map`. Returns
  /// a refusal text, or empty.
  virtual std::string merge(state_section& other, const std::vector<uint32_t>& map) = 0;
  virtual std::string encode() const = 0;
};

class run_state {
 public:
  /// An empty state for `causes` (the last is unclassified.unknown), its
  /// counts bounded by `bounds` (the run's --max-distinct and
  /// --max-timeline-cells, which are among its options).
  explicit run_state(std::vector<cause_info> causes, const aggregate::limits& bounds = {});

  run_meta meta;
  std::vector<cause_info> causes;  // by the aggregator's cause index
  std::vector<input_entry> inputs;  // the manifest, sorted (manifest.hpp)
  aggregate::aggregator agg;
  std::vector<std::unique_ptr<state_section>> sections;  // sorted by name

  state_section* section(std::string_view name) const;
};

/// Why `a` and `b` cannot be merged (rules, profiles, options, cause
/// tables), naming the values; empty when they can. `a_name`/`b_name` say
/// which partial is which.
std::string incompatible(const run_state& a, std::string_view a_name, const run_state& b,
                         std::string_view b_name);

enum class merge_outcome { merged, skipped_duplicate, refused };

struct merge_result {
  merge_outcome outcome = merge_outcome::merged;
  std::string message;  // the refusal, or the duplicate warning
};

/// Merges states one at a time, in any order and grouping: the result is
/// the same. A state whose inputs were all merged already is skipped (the
/// same input counts once); one that shares only some of them, or whose
/// byte ranges overlap another's, is refused, as is an incompatible one
/// (the total is then unchanged).
class state_merger {
 public:
  merge_result add(run_state&& state, std::string_view name);
  bool empty() const { return !total_; }
  /// The merged state (null when nothing was added).
  std::optional<run_state> take() { return std::move(total_); }

 private:
  std::optional<run_state> total_;
  std::string first_name_;
};

}  // namespace analyzer::engine
