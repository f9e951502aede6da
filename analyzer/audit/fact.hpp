// SPDX-License-Identifier: MIT
#pragma once
/// audit: task lifecycles and the client's own behaviour (contract.md,
/// "Audit"). The record stage turns every logged call into one compact
/// `call_fact` (fact_builder.hpp); facts are kept partitioned by client in a
/// mergeable, serializable `fact_store` (fact_store.hpp); the audit is a
/// keyed second stage over each client's facts in time order
/// (auditor.hpp), whose `audit_result` reporters render. The module never
/// prints, never sees a credential after hashing it, and depends on core
/// only.

#include <cstdint>
#include <limits>
#include <string_view>

namespace analyzer::audit {

/// What a call is to the audit (contract: "Creates and queries").
enum class call_kind : uint8_t {
  other = 0,   // neither: a list call, a GET that names no task, ...
  create = 1,  // a POST other than /tasks (a callback is one until resolved)
  query = 2,   // names one or more tasks
};

/// A task's state as one answer gave it. `none`: the answer named the task
/// but gave no state (an error answer, a 429 poll).
enum class task_state : uint8_t {
  none = 0,
  submitted = 1,
  processing = 2,
  succeeded = 3,
  failed = 4,
  other = 5,
};
inline constexpr bool is_terminal(task_state s) {
  return s == task_state::succeeded || s == task_state::failed;
}

/// A cause's retry advice (rules' `retryable`), kept with the cause.
enum class retry_advice : uint8_t { yes = 0, no = 1, after_fix = 2, unknown = 3 };

std::string_view name_of(call_kind k);
std::string_view name_of(task_state s);
std::string_view name_of(retry_advice r);

/// Where a record is, packed in 64 bits: source index (24 bits), whether the
/// number is a HAR entry (1 bit), and the 1-based line or 0-based entry
/// (39 bits; larger numbers saturate).
struct record_ref {
  uint32_t source = 0;
  bool is_entry = false;
  int64_t number = 0;

  static constexpr uint32_t max_source = (1u << 24) - 1;
  static constexpr int64_t max_number = (int64_t{1} << 39) - 1;

  uint64_t pack() const;
  static record_ref unpack(uint64_t v);
};

inline constexpr int64_t no_time = std::numeric_limits<int64_t>::min();

/// The times a store holds. A call's start and the end of the logs are
/// times of years 1970-9999 (what the record stage reads as a time); a
/// Retry-After deadline is an HTTP date (years 1-9999) or a start plus a
/// duration (< 2^31 ms) plus at most ten years. Anything else is not added,
/// and attach() refuses it, so no arithmetic on times can overflow.
inline constexpr int64_t min_fact_time_ms = 0;                // 1970-01-01T00:00:00.000Z
inline constexpr int64_t max_fact_time_ms = 253402300799999;  // 9999-12-31T23:59:59.999Z
inline constexpr int64_t min_deadline_ms = -62135596800000;   // 0001-01-01T00:00:00.000Z
inline constexpr int64_t max_deadline_ms =
    max_fact_time_ms + 2147483647 + int64_t{11} * 366 * 86400 * 1000;
constexpr bool is_fact_time(int64_t ms) { return ms >= min_fact_time_ms && ms <= max_fact_time_ms; }

/// One logged call, as the audit needs it: 64 bytes, fixed size. Text the
/// audit only compares (fingerprint, task ids, URLs) is hashed; text it
/// shows (client, source, cause, endpoint) is an index into the tables of
/// the store that holds the fact; variable parts (request id, further task
/// ids, Retry-After deadline, URL hashes) live in the store's extras.
struct call_fact {
  int64_t ts_ms = 0;           // record start, ms since the epoch (UTC)
  uint64_t content_hash = 0;   // XXH3 of the record's bytes: tie-break
  uint64_t fingerprint = 0;    // request fingerprint (identity.hpp)
  uint64_t task = 0;           // first task named (hash of its id); 0: none
  uint64_t where = 0;          // record_ref::pack()
  int32_t duration_ms = 0;     // 0 when not logged
  uint32_t client = 0;         // store's client table
  uint32_t endpoint = 0;       // store's endpoint table: "METHOD /folded"
  uint32_t extra = 0;          // 1 + offset into the block's extras; 0: none
  uint16_t cause = 0;          // store's cause table; 0: ok (no failure)
  uint8_t flags = 0;           // kind (2 bits), failure, accepted
  task_state state = task_state::none;  // of `task`

  static constexpr uint8_t kind_mask = 0x03;
  static constexpr uint8_t failure_bit = 0x04;
  static constexpr uint8_t accepted_bit = 0x08;
  static constexpr uint8_t known_flags = 0x0f;

  call_kind kind() const { return static_cast<call_kind>(flags & kind_mask); }
  bool failure() const { return (flags & failure_bit) != 0; }
  bool accepted() const { return (flags & accepted_bit) != 0; }
};
static_assert(sizeof(call_fact) == 64, "call_fact is meant to stay 64 bytes");

}  // namespace analyzer::audit
