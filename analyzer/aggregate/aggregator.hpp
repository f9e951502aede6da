// SPDX-License-Identifier: MIT
#pragma once
/// aggregate: events and their causes → exact, mergeable counts. Each
/// worker fills its own aggregator; merge() combines them, and the result
/// is the same whatever the number of workers, the order of chunks, or how
/// the input was split into partials: counts add, first/last seen take
/// min/max, and examples keep the earliest by the global record order
/// (record_key), which comes from the records themselves.
/// Memory is bounded whatever the input: values per dimension
/// (bounded_counts.hpp) and timeline cells (time_buckets.hpp) have limits,
/// whose admission rules depend only on the values, so they merge exactly too.

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/aggregate/bounded_counts.hpp"
#include "analyzer/aggregate/time_buckets.hpp"
#include "analyzer/event/event.hpp"

namespace analyzer::aggregate {

inline constexpr size_t max_examples = 5;
inline constexpr size_t max_malformed_examples = 20;

/// The time key of a record without a time: after every time.
inline constexpr int64_t no_time = std::numeric_limits<int64_t>::max();

/// A record's place in the global order that picks examples: its time
/// (none: last), then the XXH3-64 of its bytes, then where it is. Time and
/// hash come from the record itself, so the same records give the same
/// picks however the input was split (by file, by time, line by line, into
/// files a user cut): only identical records tie on both, and they differ
/// in nothing an example shows but where they are. `source` is the input's
/// index in the run's manifest, which is sorted by path and byte range, so
/// position ties break the same way in one run and in merged partials.
struct record_key {
  int64_t ts = no_time;
  uint64_t hash = 0;
  uint32_t source = 0;
  int64_t line = -1;   // 1-based, counted from the start of the input's range
  int64_t entry = -1;  // 0-based entry (HAR) or record index within a line
  auto operator<=>(const record_key&) const = default;
};

/// The bytes of the record being counted: hashed (XXH3-64) only when an
/// example needs the full key. Records with no bytes of their own (a line
/// the reader rejected unread) pass their error text.
class record_bytes {
 public:
  explicit record_bytes(std::string_view bytes) : bytes_(bytes) {}
  uint64_t hash() const;
  std::string_view bytes() const { return bytes_; }

 private:
  std::string_view bytes_;
  mutable uint64_t hash_ = 0;
  mutable bool hashed_ = false;
};

struct example {
  record_key key;
  int64_t line = -1;   // = key.line
  int64_t entry = -1;  // = key.entry
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
example example_of(const event::event& ev, std::string_view endpoint, const record_key& key);

/// Failures no rule explains that share one message template.
struct template_stats {
  int64_t count = 0;
  std::map<int, int64_t> statuses;  // 0: no response
  code_counts codes;  // bounded like every dimension
  std::optional<example> earliest;  // by the global record order
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

  void add(const event::event& ev, std::string_view endpoint, const record_key& at);
  void merge(const template_table& other, const std::vector<uint32_t>* source_map = nullptr);
  const std::map<key, template_stats>& entries() const { return map_; }
  bool capped() const { return capped_; }
  /// Input indices renumbered (run_state::merge); `map` keeps their order.
  void remap_sources(const std::vector<uint32_t>& map);

  /// Rebuilds a table read from a partial; false when it breaks the
  /// table's invariants (more than `limit`, a hash that is not the text's).
  bool restore(std::map<key, template_stats> entries, bool capped);

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
  int64_t skipped = 0;          // lines its profile says are not calls
  int64_t response_bodies = 0;  // ok + failures that carried a response body
  /// POSTs to a client's callback_url: not calls, not in `records` (set
  /// only when a report settles them, callback_section.hpp; 0 in a partial).
  int64_t callbacks = 0;
  void merge(const input_stats& o) {
    callbacks += o.callbacks;
    records += o.records;
    ok += o.ok;
    failures += o.failures;
    malformed += o.malformed;
    skipped += o.skipped;
    response_bodies += o.response_bodies;
  }
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
  bool operator==(const record_counts&) const = default;
};

/// Counts for one run. Causes are indexed by the rule set's dense cause
/// index (ruleset::cause_of), not by rule: several rules may produce one
/// cause. The last slot, causes.size() - 1, is unclassified. Inputs
/// (`source` of events and keys) are manifest indices.
/// Texts already found short and free of secrets (endpoints, models): the
/// secret scan runs once per distinct text, not once per record. A
/// direct-mapped cache; a collision only costs one more scan.
class clean_texts {
 public:
  bool known(std::string_view s) const {
    if (slots_.empty() || s.empty()) return false;
    return slots_[slot(s)] == s;
  }
  void remember(std::string_view s) {
    if (s.empty()) return;
    if (slots_.empty()) slots_.resize(size);
    slots_[slot(s)].assign(s);
  }

 private:
  static constexpr size_t size = 512;
  static size_t slot(std::string_view s) { return std::hash<std::string_view>{}(s) & (size - 1); }
  std::vector<std::string> slots_;
};

class aggregator {
 public:
  explicit aggregator(int cause_count, const limits& bounds = {});

  void add_ok(const event::event& ev);
  /// `cause` is the winning rule's cause index, or -1 for unclassified.
  void add_failure(const event::event& ev, int cause, const record_bytes& bytes);
  void add_malformed(const event::event& ev, const record_bytes& bytes);
  /// A record outside --since/--until: counted, nothing else.
  void add_filtered(const event::event& ev);
  /// A line the input's profile skips (not a call): counted apart, like
  /// add_filtered; not a record.
  void add_skipped(const event::event& ev);

  /// Adds `other` into this; both must have the same cause count.
  /// `source_map[i]` is this aggregator's input index of other's input i
  /// (null: the same inputs); it must keep their order.
  void merge(const aggregator& other, const std::vector<uint32_t>* source_map = nullptr);

  /// Input indices renumbered: input i becomes map[i] (which must keep
  /// their order), for a merge whose manifest interleaves both sides'.
  void remap_sources(const std::vector<uint32_t>& map, size_t input_count);

  /// Cuts every bounded dimension to its kept values; call once, before
  /// the counts are read for a report.
  void finish();

  int unclassified_index() const { return static_cast<int>(causes.size()) - 1; }
  /// The limits it was made with.
  const limits& bounds() const { return bounds_; }

  int64_t records = 0, ok = 0, failures = 0, malformed = 0, filtered = 0, skipped = 0;
  int64_t without_time = 0;  // ok and failed records with no usable time
  /// Callbacks (logged POSTs to an accepted create's callback_url): not
  /// Kling calls, so not in `records`. Set only when a report settles them
  /// (callback_section.hpp); 0 in a worker's aggregator and in a partial.
  int64_t callbacks = 0;
  std::vector<input_stats> inputs;
  std::array<int64_t, 1000> statuses{};  // [0]: no response
  code_counts codes;
  std::optional<int64_t> first_ts, last_ts;
  std::vector<cause_stats> causes;
  std::vector<malformed_example> malformed_examples;  // earliest first
  bounded_counts<std::string, record_counts> endpoints;  // "POST /v1/videos/text2video"
  bounded_counts<std::string, record_counts> models;
  time_buckets minutes;
  template_table unexplained;  // unclassified failures by message template

 private:
  input_stats& input(uint32_t source);
  void count_common(const event::event& ev, bool failure, int cause);
  std::string key_buf_, model_buf_;
  clean_texts clean_;
  limits bounds_;
};

/// The key of the record `ev` (its time, hash and position).
record_key key_of(const event::event& ev, const record_bytes& bytes);

}  // namespace analyzer::aggregate
