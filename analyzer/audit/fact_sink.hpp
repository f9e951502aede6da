// SPDX-License-Identifier: MIT
#pragma once
/// The record stage's side of the audit: one `call_input` per logged call,
/// read by the normalizer, becomes one fact in a worker's store. Everything
/// the audit decides from a single record is decided here (kind, accepted,
/// fingerprint, client, task names, Retry-After deadline); nothing here
/// looks at other records.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/audit/fact_store.hpp"
#include "analyzer/audit/flat_map.hpp"
#include "analyzer/audit/identity.hpp"

namespace analyzer::audit {

/// A task an answer (or a request body) names, with the state it gives.
struct named_task {
  std::string_view id;
  std::string_view status;  // as written; "" when none
};

/// One logged call, as the record stage read it. Views need to live only
/// for the call to fact_sink::add().
struct call_input {
  // Where the record is and what it is made of.
  std::string_view source_path;  // the input as given
  /// The name the store keeps for the input, when not `source_path` (a
  /// byte-range shard names its range: its lines count from the range).
  std::string_view source_name;
  int64_t line = -1;             // 1-based (JSONL), or -1
  int64_t entry = -1;            // 0-based (HAR), or -1
  std::string_view record_bytes; // the line (no line end) or the HAR entry

  std::optional<int64_t> ts_ms;
  std::optional<double> duration_ms;

  // Request.
  std::string_view method;
  std::string_view url;          // as sent: absolute, or a path
  std::string_view endpoint;     // the path with ids folded (event::fold_ids)
  std::string_view request_body; // its text as sent (a body logged as a
                                 // JSON string: the string's content)
  std::string_view authorization;  // the header's value; "" when not logged
  std::string_view client_hint;    // a profile's `client` field; "" when none
  std::string_view external_task_id;  // request body's external_task_id
  std::string_view callback_url;      // request body's callback_url
  /// Tasks the request body names: a callback's task (legacy top-level or
  /// `data` task_id / task_status; 2026 id / status), POST /tasks ids.
  std::span<const named_task> request_tasks;

  // Response.
  int status = 0;                     // 0: no response
  std::optional<int64_t> code;        // Kling's envelope `code`
  std::string_view retry_after;       // the Retry-After value (any name case)
  std::string_view request_id;
  /// `data`'s task: the object, or every element of an array (legacy
  /// task_id / task_status; 2026 id / status).
  std::span<const named_task> answer_tasks;
  std::string_view answer_external_task_id;  // data.task_info.external_task_id

  // Classification (the rules' verdict).
  bool failure = false;
  std::string_view cause;  // the cause id of a failure
  retry_advice retryable = retry_advice::unknown;
};

/// A create that worked: status below 400, `code` 0 or absent, and an
/// answer naming a task (`first_answer_id`: the first task of `data`).
bool accepted_create(int status, std::optional<int64_t> code, std::string_view first_answer_id);

/// A call the audit keeps as a possible callback (fact_store::posts: a
/// create by its method and URL, with a time, that is not an accepted
/// create): the url_hash of its path and query, which the audit matches
/// with the accepted creates' callback_url. 0 for any other call.
/// `scratch` is reused between calls.
uint64_t possible_callback(std::string_view method, std::string_view url,
                           std::optional<int64_t> ts_ms, int status, std::optional<int64_t> code,
                           std::string_view first_answer_id, call_target& scratch);

/// Builds facts into a store. One per worker; not thread-safe.
class fact_sink {
 public:
  explicit fact_sink(fact_store& store) : store_(store) {}

  /// Adds one call. False when the store failed to spill (store.error()).
  bool add(const call_input& in);

  /// Builds the fact and its extras without adding them (for explain).
  /// Returns false for a call without a time (it is only counted).
  bool build(const call_input& in, call_fact& fact, fact_extras& extras);

 private:
  uint32_t client_of(const call_input& in);
  uint32_t source_of(std::string_view path);
  uint32_t endpoint_of(std::string_view method, std::string_view endpoint);
  void tasks_of(const call_input& in, std::string_view pq, call_fact& f, fact_extras& x);

  fact_store& store_;
  std::string scratch_;
  call_target target_;
  std::vector<task_ref> refs_;
  // Caches: records mostly share a few credentials, inputs and endpoints.
  // The credential cache is keyed by a 128-bit hash of the header value, in
  // memory only, and emptied when it grows large (tokens are re-minted).
  struct auth_slot {
    uint64_t hi = 0;
    uint32_t client = 0;
  };
  flat_map<auth_slot> auth_cache_;
  flat_map<auth_slot> issuer_cache_;   // by a 128-bit hash of a JWT's `iss`
  flat_map<uint32_t> endpoint_cache_;  // by hash of method and endpoint
  std::string last_source_;
  uint32_t last_source_index_ = 0;
  bool have_source_ = false;
};

}  // namespace analyzer::audit
