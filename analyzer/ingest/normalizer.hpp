// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "analyzer/event/event.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::ingest {

/// Nesting levels of JSON a record may have where it is read (--max-depth).
inline constexpr size_t default_max_depth = 1024;

/// Records larger than this are handled one at a time across the workers,
/// and the parser memory they needed is given back right after (see
/// release_memory): a few huge records then cost their size once, not
/// once per thread and parser.
inline constexpr size_t big_record_bytes = size_t{4} << 20;

/// The malformed-record reason for a record nested deeper than the limit.
std::string too_deep_reason(size_t max_depth);

/// Turns one record (a JSON Lines line or a HAR entry) into an event. One
/// normalizer per thread: it owns the parsers and scratch space the event's
/// views point into, so an event is valid until the next normalize() call.
/// A task a body names (id and state as written; views into the record).
struct task_view {
  std::string_view id;
  std::string_view status;
};

/// What the audit reads of a call beyond the event (normalizer::capture_calls):
/// views valid until the next normalize(). The Authorization value is handed
/// over only to be hashed; the normalizer keeps nothing of it.
struct call_capture {
  std::string_view authorization;  // "" when not logged
  std::string_view retry_after;    // the response's Retry-After value, any name case
  std::string_view request_body;   // as logged: JSON text, or a string body's content
  std::string_view external_task_id, callback_url;  // request body's
  std::vector<task_view> request_tasks;  // a callback's task (top level or data), task_ids
  std::vector<task_view> answer_tasks;   // data's task, or every element of a data array
  std::string_view answer_external_task_id;  // data.task_info.external_task_id
};

class normalizer {
 public:
  /// `plan` lists the extra fields rules need; it must outlive this. A
  /// record whose nesting the normalizer has to follow deeper than
  /// `max_depth` levels (the envelope's `data`, the bodies of a failure,
  /// explain's field list) is malformed, never walked recursively.
  explicit normalizer(const event::field_plan& plan, size_t max_depth = default_max_depth);
  ~normalizer();
  normalizer(const normalizer&) = delete;
  normalizer& operator=(const normalizer&) = delete;

  /// Parses `text` (a JSON object; `capacity` - `text.size()` bytes after
  /// it must be readable, at least simdjson's padding) into `ev`. Sets
  /// ev.result: ok, failure (with ev.failure and, for failures, the auth
  /// evidence and the plan's extras) or malformed (with a reason).
  /// Provenance fields (source, line, entry) are left untouched.
  /// The record is read with `profile` (a JSON or text profile without
  /// `records:`); the 3-argument form uses the bundled `canonical` profile.
  /// A record the profile's `detect` rejects is malformed (its top-level
  /// keys and the profile named); one its `skip` accepts is skipped.
  void normalize(std::string_view text, size_t capacity, event::event& ev);
  void normalize(std::string_view text, size_t capacity, event::event& ev,
                 const profile::compiled_profile& profile);

  /// Same, for text without padding guarantees (copies it).
  void normalize_copy(std::string_view text, event::event& ev);
  void normalize_copy(std::string_view text, event::event& ev,
                      const profile::compiled_profile& profile);

  /// A profile with `records:` (one line holds many records, e.g. an OTLP
  /// export): the records of one line, as views into `text` (each then read
  /// with normalize() and the same profile). False with `why` set when the
  /// line is not such an envelope. Same padding contract as normalize().
  bool split_records(std::string_view text, size_t capacity,
                     const profile::compiled_profile& profile,
                     std::vector<std::string_view>& records, std::string& why);

  /// Whether the profile's `detect` holds for one record or line (records:
  /// the envelope's), for input detection.
  bool detects(std::string_view text, size_t capacity,
               const profile::compiled_profile& profile);

  /// Every field found in the record's bodies and headers, as
  /// (`request.body.prompt`, value) pairs, for `explain`. Call right after
  /// normalize() on the same record. Authorization values are left out.
  std::vector<std::pair<std::string, std::string>> flatten_last();

  /// Gives back parser memory grown past big_record_bytes. The last
  /// event's views become invalid.
  void release_memory();
  /// Also read what the audit needs of every call (call_capture) during the
  /// walk: off by default, it costs a few comparisons per body member.
  void capture_calls(bool on);
  /// The last record's call_capture (after normalize() on an ok or failed
  /// record; reads its headers when the record pass did not).
  const call_capture& last_call();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

/// Bytes of zero padding a buffer needs after the last record.
size_t required_padding();

}  // namespace analyzer::ingest
