// SPDX-License-Identifier: MIT
#pragma once
/// The facts of a store in the audit's total order: by client (key), then
/// time, then the record's content hash, then where the record is (source
/// path, line or entry). Nothing in this order depends on thread count,
/// input order or how the input was split: equal (time, content hash) means
/// byte-identical records, whose facts only differ in where they are.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "analyzer/audit/fact_store.hpp"

namespace analyzer::audit {

/// Ranks of a store's client keys and source paths, for ordering.
class order {
 public:
  explicit order(const fact_store& s);
  /// From tables that are not a store's (a serialized run's).
  order(const std::vector<client_entry>& clients, const std::vector<std::string>& sources);
  /// True when `a` comes before `b` (indices are the store's).
  bool before(const call_fact& a, const call_fact& b) const;
  /// Record positions alone: by source path, then line or entry.
  bool before_where(uint64_t a, uint64_t b) const;
  uint32_t client_rank(uint32_t client) const { return client_rank_[client]; }

 private:
  std::vector<uint32_t> client_rank_;
  std::vector<uint32_t> source_rank_;
};

struct stream_item {
  call_fact fact;           // indices are the store's
  std::string_view extras;  // its encoding; empty when none
};

/// The facts a store holds in memory, partitioned by client (rank) and in
/// the total order within each partition. Read-only once built, so threads
/// can read partitions at once.
class memory_index {
 public:
  /// `deferred`: partitions are left in memory order until
  /// order_partition() (each exactly once, before it is read).
  memory_index(const fact_store& s, const order& ord, bool deferred = false);
  /// Orders the partition of rank `rank` (deferred indexes); partitions
  /// may be ordered on different threads at once.
  void order_partition(const order& ord, uint32_t rank);
  size_t size() const { return index_.size(); }
  /// Positions of the partition of the client with rank `rank`.
  size_t begin(uint32_t rank) const { return start_[rank]; }
  size_t end(uint32_t rank) const { return start_[rank + 1]; }
  /// The fact at `pos`; fetches ahead of it (up to `limit`) into the cache.
  void item(size_t pos, size_t limit, stream_item& out) const;

 private:
  struct sort_key {
    int64_t ts;
    uint64_t hash;
    uint32_t index;
  };
  void sort_partition(const order& ord, size_t c, std::vector<sort_key>& keys);

  const fact_store& store_;
  std::vector<uint32_t> index_;  // (block << 14 | index)
  std::vector<size_t> start_;    // per client rank, and the end
};

/// Iterates a store's facts (in memory and in runs) in the total order,
/// merging the sorted runs. The store must not change while it runs.
class fact_stream {
 public:
  /// `memory_only`: only the facts held in memory (for writing a run).
  fact_stream(const fact_store& s, const order& ord, bool memory_only = false);
  /// Positions [first, last) of a memory index: one client's partition.
  fact_stream(const fact_store& s, const order& ord, const memory_index& mem, size_t first,
              size_t last);
  ~fact_stream();
  fact_stream(const fact_stream&) = delete;
  fact_stream& operator=(const fact_stream&) = delete;

  /// The next fact; false at the end.
  bool next(stream_item& out);

 /// Reads one run in its order (internal; scan_all uses it too).
  struct cursor;

 private:
  bool advance(size_t source);
  void sift_down(size_t i);
  bool less(size_t a, size_t b) const;

  void start(bool memory_only);

  const fact_store& store_;
  const order& order_;
  std::unique_ptr<memory_index> own_;
  const memory_index* memory_ = nullptr;
  size_t memory_pos_ = 0, memory_end_ = 0;
  std::vector<cursor> cursors_;
  std::vector<stream_item> heads_;  // per source: 0 = memory, 1.. = runs
  std::vector<size_t> heap_;        // sources with a head, min first
};

/// Every fact of a store, in no particular order (memory first, then each
/// run in its order); indices are the store's.
void scan_all(const fact_store& s, const std::function<void(const stream_item&)>& fn);

}  // namespace analyzer::audit
