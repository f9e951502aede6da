// SPDX-License-Identifier: MIT
#pragma once
/// Records and failures over time (the timeline and incident windows) in
/// bounded memory, exactly mergeable.
///
/// Counts are kept per minute while the cells — buckets plus (bucket,
/// cause) pairs — fit in the budget (--max-timeline-cells). Past it, every
/// bucket widens to the next resolution of a fixed ladder: 1, 5, 15 and 60
/// minutes, 1 day, then 10, 100, 1,000 and 10,000 days. Each is a multiple
/// of the one before and buckets are aligned on the epoch, so widening
/// only adds buckets together: counts stay exact. The resolution reached
/// is the smallest at which the whole run fits: a part of the input has
/// no more cells than the whole at any resolution, so it never needs a
/// coarser one, and a merge takes the coarser of the two parts, then
/// widens further while over budget. Hence the same buckets whatever the
/// thread count, the split of the input or the order of merges. A log with
/// random times across centuries ends at a few hundred buckets.

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>

namespace analyzer::aggregate {

/// One bucket of traffic: records, failures, and failures by cause index.
struct minute_bucket {
  int64_t records = 0;
  int64_t failures = 0;
  std::map<int, int64_t> causes;
};

/// Key: the bucket's first minute since the epoch (a multiple of the
/// resolution).
using minute_map = std::unordered_map<int64_t, minute_bucket>;

inline constexpr size_t default_timeline_cells = 250000;

class time_buckets {
 public:
  explicit time_buckets(size_t max_cells = default_timeline_cells);

  /// A record at `ms` (a time: years 1970-9999); a failure adds to cause.
  void add(int64_t ms, bool failure, int cause);
  void merge(const time_buckets& o);

  const minute_map& buckets() const { return buckets_; }
  /// Minutes per bucket: 1 unless the budget made it coarser.
  int64_t resolution_minutes() const;
  size_t max_cells() const { return max_cells_; }

  /// Rebuilds a state read from a partial: buckets of `resolution` minutes
  /// (one of the ladder's), keyed by their first minute. False when the
  /// resolution is not one of the ladder's, a key is not aligned on it or
  /// not a time, a bucket is empty, or the cells exceed the budget at a
  /// resolution that could still widen (what add() and merge() never leave).
  bool restore(int64_t resolution, minute_map buckets);

 private:
  void widen_to(size_t level);
  void fit();

  minute_map buckets_;
  size_t level_ = 0;
  size_t cells_ = 0;
  size_t max_cells_;
};

}  // namespace analyzer::aggregate
