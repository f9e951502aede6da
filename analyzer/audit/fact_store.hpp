// SPDX-License-Identifier: MIT
#pragma once
/// The audit's state: every call's fact, partitioned by client, mergeable
/// and serializable. Each worker fills its own store; merge() combines
/// stores (tables are merged by value, so any split of the input gives the
/// same facts); serialize() writes the facts sorted by (client, time order)
/// — the partitions a later merge reads one at a time — and attach() takes
/// such bytes back, validated as hostile input.
///
/// Memory: 64 bytes per fact plus its extras (~18 bytes with a UUID request
/// id) in blocks of 16,384 facts, so growth never doubles. When the facts
/// held in memory pass `memory_budget`, they are sorted and written as one
/// run to an unlinked temporary file, and memory is freed; the audit merges
/// the runs in order, reading each a block at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/audit/extras.hpp"
#include "analyzer/audit/fact.hpp"
#include "analyzer/audit/identity.hpp"

namespace analyzer::audit {

struct store_options {
  /// Bytes of facts and extras held in memory before a run is spilled.
  size_t memory_budget = size_t{128} << 20;
  /// Folder for spilled runs; empty: $TMPDIR, else /tmp.
  std::string spill_dir;
  /// Facts per block in a spilled run: what reading a run holds in memory.
  uint32_t spill_block_facts = 4096;
};

struct client_entry {
  std::string key;
  std::string display;
  int64_t untimed_calls = 0;     // calls without a time: counted, not audited
  int64_t untimed_failures = 0;
};

struct cause_entry {
  std::string id;  // "" for index 0: no failure
  retry_advice retryable = retry_advice::unknown;
};

/// A POST that was not an accepted create: a callback if its URL is some
/// accepted create's callback_url (decided when the audit runs).
struct post_entry {
  uint64_t url_hash = 0;
  uint32_t client = 0;
  int64_t ts_ms = 0;
  uint64_t content_hash = 0;
  uint64_t where = 0;
  std::vector<task_ref> tasks;  // what its request body names
};

/// An accepted create's callback_url and its client.
struct callback_owner {
  uint64_t url_hash = 0;
  uint32_t client = 0;
  bool operator==(const callback_owner&) const = default;
};

/// A client's calls without a time, at most (a partial's reader refuses
/// more, and so does a merge that would add up past it).
inline constexpr int64_t max_untimed_calls = int64_t{1} << 62;

class fact_store {
 public:
  explicit fact_store(store_options options = {});
  ~fact_store();
  fact_store(fact_store&&) noexcept;
  fact_store& operator=(fact_store&&) noexcept;
  fact_store(const fact_store&) = delete;
  fact_store& operator=(const fact_store&) = delete;

  // Tables: append-only, so an index stays valid for the store's life.
  uint32_t client(const client_identity& id);
  uint32_t source(std::string_view path);
  uint16_t cause(std::string_view id, retry_advice advice);  // 0 for ""
  uint32_t endpoint(std::string_view method_and_endpoint);

  /// Adds one fact whose indices are this store's. May spill a run; false
  /// when that failed (error() says why; the fact is still kept).
  bool add(const call_fact& fact, const fact_extras& extras);
  /// A call with no time: counted for its client, not audited.
  void add_untimed(uint32_t client, bool failure);
  /// The end of the logs is the greatest record time of the run: records
  /// that are not calls can still move it.
  void note_time(int64_t ts_ms);

  /// Moves every fact of `other` into this store. False if a spill failed.
  /// Call merge_problem() first: merge() does not check the bounds.
  bool merge(fact_store&& other);
  /// Why `other` cannot be merged into this store (a client's untimed calls
  /// would add up past max_untimed_calls), or empty.
  std::string merge_problem(const fact_store& other) const;

  /// Writes the store (format kling-triage audit facts, version 1; see
  /// serialize.cpp) by handing consecutive byte ranges to `out`.
  bool serialize(const std::function<void(std::string_view)>& out) const;
  std::string serialize() const;

  /// Adds the facts of serialized bytes. The bytes are checked completely
  /// (checksum, bounds, indices, enums, extras, order) before anything is
  /// added; on a problem nothing is added and `error` names the byte offset.
  bool attach(std::shared_ptr<const std::string> bytes, std::string& error);
  /// The same for bytes kept alive by `owner` (a mapped partial file).
  bool attach(std::shared_ptr<const void> owner, std::string_view bytes, std::string& error);

  size_t size() const { return facts_; }
  size_t memory_bytes() const;
  size_t spilled_runs() const;  // defined below, once `segment` is complete
  int64_t end_ms() const { return end_ms_; }
  const std::string& error() const { return error_; }

  const std::vector<client_entry>& clients() const { return clients_; }
  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<cause_entry>& causes() const { return causes_; }
  const std::vector<std::string>& endpoints() const { return endpoints_; }
  const std::vector<post_entry>& posts() const { return posts_; }
  const std::vector<callback_owner>& callback_owners() const { return owners_; }

  struct block;
  struct segment;
  /// For fact_stream (stream.hpp): the facts in memory and in runs.
  const std::vector<block>& blocks() const { return blocks_; }
  const std::vector<segment>& segments() const { return segments_; }

 private:
  bool spill();
  void note_side_tables(const call_fact& f, const fact_extras& x);
  void add_owner(uint64_t url_hash, uint32_t client);

  store_options options_;
  std::vector<client_entry> clients_;
  std::vector<std::string> sources_;
  std::vector<cause_entry> causes_;
  std::vector<std::string> endpoints_;
  std::unordered_map<std::string, uint32_t> client_index_, source_index_, endpoint_index_;
  std::unordered_map<std::string, uint16_t> cause_index_;
  std::vector<block> blocks_;
  std::vector<segment> segments_;
  std::vector<post_entry> posts_;
  std::vector<callback_owner> owners_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> owner_index_;  // url → clients
  size_t facts_ = 0;
  size_t block_bytes_ = 0;
  int64_t end_ms_ = no_time;
  std::string error_;

  friend struct store_access;
};

/// A block of facts in memory.
struct fact_store::block {
  static constexpr size_t capacity = 16384;
  std::vector<call_fact> facts;
  std::string extras;
};

/// A run: serialized facts held in memory (an attached partial) or in an
/// unlinked temporary file (a spilled run, read a block at a time), and
/// maps from its table indices to the store's.
struct fact_store::segment {
  std::shared_ptr<const void> owner;  // keeps `bytes` alive
  std::string_view bytes;             // memory-backed; empty for a file
  std::shared_ptr<const int> fd;      // file-backed: closed with the last copy
  size_t facts_offset = 0;            // first block
  uint64_t facts = 0;
  std::vector<uint32_t> clients, sources, endpoints;
  std::vector<uint16_t> causes;
};

// Out of the class body: clang instantiates the constexpr vector::size()
// where it is used, and `segment` must be complete by then.
inline size_t fact_store::spilled_runs() const { return segments_.size(); }

}  // namespace analyzer::audit
