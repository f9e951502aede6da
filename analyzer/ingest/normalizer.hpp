// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "analyzer/event/event.hpp"

namespace analyzer::ingest {

/// Turns one record (a JSON Lines line or a HAR entry) into an event. One
/// normalizer per thread: it owns the parsers and scratch space the event's
/// views point into, so an event is valid until the next normalize() call.
class normalizer {
 public:
  /// `plan` lists the extra fields rules need; it must outlive this.
  explicit normalizer(const event::field_plan& plan);
  ~normalizer();
  normalizer(const normalizer&) = delete;
  normalizer& operator=(const normalizer&) = delete;

  /// Parses `text` (a JSON object; `capacity` - `text.size()` bytes after
  /// it must be readable, at least simdjson's padding) into `ev`. Sets
  /// ev.result: ok, failure (with ev.failure and, for failures, the auth
  /// evidence and the plan's extras) or malformed (with a reason).
  /// Provenance fields (source, line, entry) are left untouched.
  void normalize(std::string_view text, size_t capacity, event::event& ev);

  /// Same, for text without padding guarantees (copies it).
  void normalize_copy(std::string_view text, event::event& ev);

  /// Every field found in the record's bodies and headers, as
  /// (`request.body.prompt`, value) pairs, for `explain`. Call right after
  /// normalize() on the same record. Authorization values are left out.
  std::vector<std::pair<std::string, std::string>> flatten_last();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

/// Bytes of zero padding a buffer needs after the last record.
size_t required_padding();

}  // namespace analyzer::ingest
