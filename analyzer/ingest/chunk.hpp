// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analyzer/ingest/byte_source.hpp"

namespace analyzer::ingest {

/// `json`: one pretty-printed JSON document (an array) holding many records,
/// read whole and split by its profile's `records:` (a Bruno CLI report).
enum class input_format { auto_detect, jsonl, har, json };
std::string_view name_of(input_format f);

/// A heap buffer whose capacity includes simdjson's padding.
struct buffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
};

/// Recycles chunk buffers: fresh pages cost a fault each, so reusing a few
/// buffers is measurably faster than allocating one per chunk.
class buffer_pool {
 public:
  /// Buffers larger than this are freed on release, not kept.
  static constexpr size_t kept_capacity = size_t{8} << 20;
  /// A buffer of at least `min_capacity` bytes (contents unspecified).
  buffer acquire(size_t min_capacity);
  void release(buffer b);

 private:
  std::mutex mutex_;
  std::vector<buffer> free_;
};

/// One record the reader delimited itself: a HAR entry, or a record the
/// reader already knows to be malformed (`error` set).
struct record_span {
  size_t offset = 0;
  size_t length = 0;
  int64_t number = 0;  // entry index (HAR), or line when `is_line`
  bool is_line = false;
  std::string error;
};

/// A slice of one input, cut at record boundaries. JSON Lines chunks hold
/// whole lines (the worker splits them; `first_line` numbers them); HAR
/// chunks and reader-made malformed records list their records explicitly.
struct chunk {
  uint64_t seq = 0;
  uint32_t source = 0;
  int profile = -1;  // the input's profile (index in the run's set); -1: none reads it
  buffer buf;
  size_t size = 0;
  int64_t first_line = 1;
  bool explicit_records = false;
  std::vector<record_span> records;
};

}  // namespace analyzer::ingest
