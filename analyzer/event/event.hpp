// SPDX-License-Identifier: MIT
#pragma once
/// event: the normalized form of one logged call, whatever shape the log
/// wrote it in. Ingest fills it; rules read it; aggregate counts it. It
/// holds no I/O and no regex.
///
/// Lifetime: text views point into the input chunk or into the normalizer
/// that filled the event; they stay valid until that normalizer handles its
/// next record. Anything kept longer must be copied.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/event/field.hpp"

namespace analyzer::event {

/// `skipped`: a line the input's profile says is not a call (a connection
/// notice); counted apart, never classified.
enum class outcome : uint8_t { ok, failure, malformed, skipped };

/// Why a record is a failure (error-reference.md section 1), checked in
/// this order.
enum class failure_kind : uint8_t { none, transport, http, code, task };

enum class token_kind : uint8_t { absent, none, jwt, opaque };

/// What the Authorization header proves, computed for failures only. The
/// token itself is never kept.
struct auth_evidence {
  bool present = false;
  bool redacted = false;  // the value is a logger's redaction marker
  bool well_formed = false;
  std::string_view scheme;  // lower case; "none" when no scheme word
  token_kind token = token_kind::absent;
  std::optional<int64_t> exp_in_s;
  std::optional<int64_t> nbf_in_s;
};

struct event {
  // Provenance: which input, and the 1-based line (JSONL) or the 0-based
  // entry index (HAR); the other is -1. A line holding many records (an
  // OTLP export) sets both: the line, and the record's 0-based index in it.
  uint32_t source = 0;
  int64_t line = -1;
  int64_t entry = -1;
  uint16_t profile = 0;  // index in the run's profile set

  outcome result = outcome::ok;
  failure_kind failure = failure_kind::none;
  std::string_view malformed_reason;

  std::optional<int64_t> ts_ms;
  std::optional<double> duration_ms;
  std::string_view method;  // upper case
  std::string_view url;
  std::string_view host;
  std::string_view endpoint;  // path, ids folded, no query
  std::string_view model;
  int status = 0;  // 0: no response
  std::optional<int64_t> code;
  std::string_view message;
  std::string_view message_from;  // which part of the record it came from
  std::string_view error;
  std::string_view request_id;
  std::string_view task_id;
  std::string_view task_status;  // lower case
  std::optional<bool> request_body_json_valid;
  bool response_body = false;  // the record carried a response body
  bool request_headers_logged = false;  // failures: the log kept request headers
  auth_evidence auth;

  /// Values of the field_plan's items, by slot; filled for failures only.
  std::vector<field_value> extras;

  bool has_response() const { return status > 0; }
};

/// Reads a field of the event (builtin or extra slot).
field_value get_field(const event& ev, const field_ref& ref);

std::string_view name_of(failure_kind k);
std::string_view name_of(token_kind k);

}  // namespace analyzer::event
