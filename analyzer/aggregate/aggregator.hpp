// SPDX-License-Identifier: MIT
#pragma once
/// aggregate: events and their causes → exact, mergeable counts. Each
/// worker fills its own aggregator; merge() combines them, and the result
/// is the same whatever the number of workers or the order of chunks:
/// counts add, first/last seen take min/max, and examples keep the ones
/// earliest in input order (source, line or entry), not the first seen.
/// Memory is bounded whatever the input: values per dimension
/// (bounded_counts.hpp) and timeline cells (time_buckets.hpp) have limits.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/aggregate/bounded_counts.hpp"
#include "analyzer/aggregate/time_buckets.hpp"
#include "analyzer/event/event.hpp"

namespace analyzer::aggregate {

inline constexpr size_t max_examples = 5;

/// Where a record is, ordered by input then position.
struct record_key {
  uint32_t source = 0;
  int64_t position = 0;  // line (JSONL) or entry (HAR)
  auto operator<=>(const record_key&) const = default;
};

struct example {
  record_key key;
  int64_t line = -1;
  int64_t entry = -1;
  std::string request_id;
  std::optional<int64_t> ts_ms;
  int status = 0;
  std::optional<int64_t> code;
  std::string endpoint;  // "POST /v1/videos/text2video"
  std::string message;   // shortened, secrets removed
};

/// The limits that keep an aggregator's memory bounded.
struct limits {
  size_t max_distinct = default_max_distinct;     // --max-distinct
  size_t max_timeline_cells = default_timeline_cells;  // --max-timeline-cells
};

using code_counts = bounded_counts<int64_t, int64_t>;

/// The report's view of one record (redacted, shortened texts).
example example_of(const event::event& ev, std::string_view endpoint);

/// Failures no rule explains that share one message template.
struct template_stats {
  int64_t count = 0;
  std::map<int, int64_t> statuses;  // 0: no response
  bounded_counts<int64_t, int64_t> codes;  // bounded like every dimension
  std::optional<example> earliest;  // by input order
};

/// Failures no rule explains, grouped by message template (the message with
/// numbers, ids, quoted values and URLs masked): additive and keyed by the
/// template text, so tables merge exactly. Bounded: at most `limit`
/// templates, those of smallest template_hash (bottom-k), so which are kept
/// does not depend on input order or thread count; `capped` is set when
/// some were not (then exactly when there were more than `limit` in all).
class template_table {
 public:
  static constexpr size_t limit = 1000;
  using key = std::pair<uint64_t, std::string>;  // (hash, template)

  void add(const event::event& ev, std::string_view endpoint);
  void merge(const template_table& other);
  const std::map<key, template_stats>& entries() const { return map_; }
  bool capped() const { return capped_; }

 private:
  template_stats* slot(key&& k);
  std::map<key, template_stats> map_;
  bool capped_ = false;
};

struct cause_stats {
  explicit cause_stats(size_t max_distinct = default_max_distinct)
      : codes(max_distinct), endpoints(max_distinct) {}
  int64_t count = 0;
  std::map<int, int64_t> statuses;  // 0: no response; at most 1,000
  code_counts codes;
  bounded_counts<std::string, int64_t> endpoints;
  std::vector<example> examples;  // earliest first, at most max_examples
  std::optional<int64_t> first_seen, last_seen;
};

struct malformed_example {
  record_key key;
  int64_t line = -1;
  int64_t entry = -1;
  std::string error;
};

struct input_stats {
  int64_t records = 0;
  int64_t ok = 0;
  int64_t failures = 0;
  int64_t malformed = 0;
  int64_t skipped = 0;         // lines its profile says are not calls
  int64_t response_bodies = 0; // ok + failures that carried a response body
};

struct record_counts {
  int64_t records = 0;
  int64_t failures = 0;
  void merge(const record_counts& o) {
    records += o.records;
    failures += o.failures;
  }
  record_counts& operator+=(const record_counts& o) {
    merge(o);
    return *this;
  }
};

/// Counts for one run. Causes are indexed by the rule set's dense cause
/// index (ruleset::cause_of), not by rule: several rules may produce one
/// cause. The last slot, causes.size() - 1, is unclassified.
class aggregator {
 public:
  explicit aggregator(int cause_count, const limits& bounds = {});

  void add_ok(const event::event& ev);
  /// `cause` is the winning rule's cause index, or -1 for unclassified.
  void add_failure(const event::event& ev, int cause);
  void add_malformed(const event::event& ev);
  /// A record outside --since/--until: counted, nothing else.
  void add_filtered(const event::event& ev);
  /// A line the input's profile skips (not a call): counted apart, like
  /// add_filtered; not a record.
  void add_skipped(const event::event& ev);

  /// Adds `other` into this; both must have the same cause count.
  void merge(const aggregator& other);

  /// Cuts every bounded dimension to its kept values; call once, before
  /// the counts are read for a report.
  void finish();

  int unclassified_index() const { return static_cast<int>(causes.size()) - 1; }

  int64_t records = 0, ok = 0, failures = 0, malformed = 0, filtered = 0, skipped = 0;
  int64_t without_time = 0;  // ok and failed records with no usable time
  std::vector<input_stats> inputs;
  std::array<int64_t, 1000> statuses{};  // [0]: no response
  code_counts codes;
  std::optional<int64_t> first_ts, last_ts;
  std::vector<cause_stats> causes;
  std::vector<malformed_example> malformed_examples;
  bounded_counts<std::string, record_counts> endpoints;  // "POST /v1/videos/text2video"
  bounded_counts<std::string, record_counts> models;
  time_buckets minutes;
  template_table unexplained;  // unclassified failures by message template

 private:
  input_stats& input(uint32_t source);
  void count_common(const event::event& ev, bool failure, int cause);
  std::string key_buf_, model_buf_;
};

}  // namespace analyzer::aggregate
