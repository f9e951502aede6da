// SPDX-License-Identifier: MIT
#pragma once
/// The variable part of a fact, encoded compactly into its block's arena:
/// one mask byte, then only the fields present. A canonical lower-case UUID
/// request id (Kling's usual) takes 16 bytes instead of 36.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/audit/fact.hpp"

namespace analyzer::audit {

/// A task named by a call, and the state its answer gave.
struct task_ref {
  uint64_t name = 0;  // task_name_hash() of the id text
  task_state state = task_state::none;
  bool operator==(const task_ref&) const = default;
};

/// What a fact carries beyond its fixed part (input to encode_extras).
struct fact_extras {
  std::string_view request_id;
  int64_t retry_deadline_ms = no_time;  // Retry-After deadline, absolute
  uint64_t url_hash = 0;           // POST: path + query (callback matching)
  uint64_t callback_url_hash = 0;  // create: its request's callback_url
  std::vector<task_ref> more_tasks;  // tasks after call_fact::task
  std::vector<uint64_t> aliases;     // create: external_task_id names
  bool empty() const;
};

/// Appends the encoding of `x` to `arena`. Returns false (appending
/// nothing) when `x` is empty.
bool encode_extras(const fact_extras& x, std::string& arena);

/// A decoded view of one encoding; the bytes must outlive it.
class extras_view {
 public:
  /// Decodes the encoding that starts at `bytes` (which may hold more
  /// after it). False on any malformed or truncated content.
  bool parse(std::string_view bytes);

  /// The request id as text ("" when absent).
  std::string request_id() const;
  int64_t retry_deadline_ms() const { return deadline_; }
  uint64_t url_hash() const { return url_; }
  uint64_t callback_url_hash() const { return callback_; }
  size_t task_count() const { return task_count_; }
  task_ref task(size_t i) const;  // i < task_count()
  size_t alias_count() const { return alias_count_; }
  uint64_t alias(size_t i) const;  // i < alias_count()
  /// Bytes the encoding took.
  size_t size() const { return size_; }

 private:
  std::string_view rid_;
  bool rid_uuid_ = false;
  int64_t deadline_ = no_time;
  uint64_t url_ = 0, callback_ = 0;
  const char* tasks_ = nullptr;
  size_t task_count_ = 0;
  const char* aliases_ = nullptr;
  size_t alias_count_ = 0;
  size_t size_ = 0;
};

/// Little-endian fixed-width and LEB128 helpers shared with serialize.cpp.
void put_u64(std::string& out, uint64_t v);
void put_u32(std::string& out, uint32_t v);
void put_varint(std::string& out, uint64_t v);
uint64_t get_u64(const char* p);
uint32_t get_u32(const char* p);

}  // namespace analyzer::audit
