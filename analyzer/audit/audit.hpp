// SPDX-License-Identifier: MIT
#pragma once
/// The audit: lifecycles and the six detectors over a store's facts, one
/// client partition at a time in the total order (stream.hpp). Every
/// window, boundary and count is the contract's ("Audit: task lifecycles
/// and the client's own behaviour"); where it leaves a choice, the reading
/// is written at the place in auditor.cpp that makes it, and in README.md.
/// The result is the same for any thread count and any split of the input
/// into stores merged in any order.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/audit/fact_store.hpp"

namespace analyzer::audit {

enum class detector : uint8_t {
  retry_non_retryable = 0,
  retry_after_ignored = 1,
  no_backoff = 2,
  poll_too_fast = 3,
  orphaned_task = 4,
  duplicate_submission = 5,
};
inline constexpr size_t detector_count = 6;
/// The contract's ids: `retry_non_retryable`, `retry_after_ignored`, ...
std::string_view name_of(detector d);
std::optional<detector> detector_named(std::string_view id);

struct audit_options {
  int64_t grace_ms = 30 * 60'000;        // --audit-grace: orphaned after this
  int64_t poll_min_ms = 2'000;           // --audit-poll-min: mean poll interval
  int64_t retry_window_ms = 600'000;     // --audit-retry-window (600 s counts)
  int64_t duplicate_window_ms = 120'000; // --audit-duplicate-window (120 s counts)
  int64_t no_backoff_calls = 3;          // shortest run that is a finding
  int64_t poll_min_queries = 3;          // fewest queries poll_too_fast judges
  size_t examples = 5;                   // per detector
  /// Keep every record a finding counts (for `explain`), not only examples.
  bool keep_marks = false;
  /// Per-client in-flight series for charts, in buckets of this many ms (0:
  /// none), with the failures of `concurrency_causes` per bucket.
  int64_t series_bucket_ms = 0;
  std::vector<std::string> concurrency_causes;
  /// The end of the logs when the caller knows a later record time than any
  /// call's (records that are not calls); the store's own end otherwise.
  std::optional<int64_t> end_ms;
  /// Threads for the facts held in memory (a client per thread at a time;
  /// runs on disk are read as one stream). The result does not depend on it.
  size_t threads = 1;
};

/// Where a record is: an index into audit_result::sources, and its line
/// (JSONL, 1-based) or entry (HAR, 0-based); the other is -1.
struct record_pos {
  uint32_t source = 0;
  int64_t line = -1;
  int64_t entry = -1;
  bool operator==(const record_pos&) const = default;
};

/// The numbers behind one finding (what the fix text's placeholders show);
/// -1 where a detector has none.
struct finding_values {
  int64_t waited_ms = -1;    // retry_after_ignored: response → this call
  int64_t told_ms = -1;      // retry_after_ignored: response → its deadline
  int64_t gap_ms = -1;       // earlier call → this one (no_backoff: first gap)
  int64_t calls = -1;        // no_backoff: calls in the run; poll_too_fast: queries
  int64_t interval_ms = -1;  // poll_too_fast: mean interval
  int64_t idle_ms = -1;      // orphaned_task: last observation → end of logs
  std::string cause;         // retry_non_retryable: the earlier failure's cause
};

struct example {
  record_pos at;
  int64_t ts_ms = 0;
  std::string request_id;
  std::string client;  // display id
  /// The earlier call that makes this one a finding (the failure it
  /// retries, the Retry-After response, the run's first call, the task's
  /// first query or its create, the earlier create).
  std::optional<record_pos> earlier;
  int64_t earlier_ts_ms = 0;
  finding_values values;
};

struct detector_result {
  detector id = detector::retry_non_retryable;
  int64_t findings = 0;
  int64_t wasted_calls = 0;
  std::vector<example> examples;  // earliest first, at most options.examples
};

/// Exact nearest-rank percentiles (rank ⌈p/100 × n⌉ of the sorted values);
/// nullopt when n is 0.
struct percentiles {
  int64_t n = 0;
  std::optional<int64_t> p50, p90, p99;
};
percentiles nearest_rank(std::vector<int64_t> values);

struct task_totals {
  int64_t created = 0, succeeded = 0, failed = 0, pending = 0, orphaned = 0;
  int64_t unknown_origin = 0;
  std::map<std::string, int64_t> failed_by_cause;
  percentiles time_to_result_ms;  // created tasks that reached a terminal state
  percentiles polls_per_task;     // all created tasks, 0 included
};

struct series_point {
  int64_t start_ms = 0;
  int64_t peak = 0;          // most tasks in flight at one instant in it
  int64_t end = 0;           // in flight when it ends
  int64_t concurrency_failures = 0;
};

struct client_result {
  std::string id;   // display: client:3fa9c2d1
  std::string key;  // the full partition key (a hash, never a credential)
  int64_t calls = 0, failures = 0;  // untimed calls included
  int64_t peak_in_flight = 0;
  int64_t tasks = 0;  // created + unknown_origin
  std::array<int64_t, detector_count> findings{};
  std::array<int64_t, detector_count> wasted{};
  std::vector<series_point> series;  // buckets with activity, oldest first
};

/// A record a finding counts, for `explain` (options.keep_marks).
struct mark {
  record_pos at;
  detector id = detector::retry_non_retryable;
  std::optional<record_pos> earlier;
  bool operator==(const mark&) const = default;
};

struct audit_result {
  audit_options options;
  std::optional<int64_t> end_ms;  // the end of the logs
  int64_t calls = 0;              // audited calls (callbacks excluded)
  int64_t untimed_calls = 0;      // counted for their clients, not audited
  int64_t callbacks = 0;          // POSTs to an accepted create's callback_url
  int64_t callbacks_unmatched = 0;  // ... naming no task their clients created
  task_totals tasks;
  std::vector<client_result> clients;  // by calls (most first), then id
  std::array<detector_result, detector_count> detectors;
  std::vector<std::string> sources;    // what record_pos::source indexes (sorted)
  std::vector<mark> marks;             // in record order (keep_marks only)
};

/// Runs the audit over every fact of `store`.
audit_result run_audit(const fact_store& store, const audit_options& options = {});

}  // namespace analyzer::audit
