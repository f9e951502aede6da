// SPDX-License-Identifier: MIT
#pragma once
/// Pure functions the record stage calls for every call: who the client is,
/// what the request is (fingerprint), which tasks a query names, when a
/// Retry-After says to come back. No state, no I/O; a credential is hashed
/// and never kept or returned.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/audit/fact.hpp"

namespace analyzer::audit {

/// A client: `key` partitions the audit (64 lower-case hex digits of a
/// SHA-256, or `=` + a profile's client value); `display` is what reports
/// show (`client:` + the first 8 hex digits, or the profile's value).
struct client_identity {
  std::string key;
  std::string display;
  bool operator==(const client_identity&) const = default;
};

/// From an Authorization header value: SHA-256 (lower-case hex, UTF-8) of
/// the JWT's `iss` claim, or of the bearer token when it is not a JWT with
/// a string `iss`. A leading `Bearer ` (any case) is removed; a value
/// without a scheme is the token itself. nullopt for an empty value and for
/// a value a logger redacted (`REDACTED`, `[Filtered]`, `***`, ...).
std::optional<client_identity> client_from_authorization(std::string_view value);

/// The identity of a JWT whose `iss` is `iss` (client_from_authorization's).
client_identity client_from_issuer(std::string_view iss);

/// A profile's `client` field, shown as it is.
client_identity client_from_hint(std::string_view value);

/// With no credential logged: SHA-256 of the input's path as given.
client_identity client_from_path(std::string_view path);

/// SHA-256 of `data` as 64 lower-case hex digits (core::sha256_hex).
std::string sha256_hex(std::string_view data);

/// The URL's path and query as sent: everything after scheme and host,
/// without a fragment ("/" when the URL has no path).
std::string_view path_and_query(std::string_view url);

/// Removes JSON whitespace (outside strings) from `body` into `out`.
/// Text that is not JSON is treated the same way, harmlessly.
void strip_json_whitespace(std::string_view body, std::string& out);

/// The request fingerprint: XXH3-64 of the method (upper case), the URL's
/// path and query as sent (ids not folded) and the body without JSON
/// whitespace. `scratch` is reused between calls.
uint64_t request_fingerprint(std::string_view method, std::string_view url,
                             std::string_view body, std::string& scratch);

/// XXH3-64 of a record's bytes (a JSONL line without its line end, or a
/// HAR entry): the total order's tie-break at equal times.
uint64_t record_hash(std::string_view record_bytes);

/// XXH3-64 of a task id's text; never 0 (0 means "no task").
uint64_t task_name_hash(std::string_view id);

/// XXH3-64 of a URL's path and query, for matching callbacks with a
/// create's `callback_url` (hosts are ignored: a server's own log often
/// records only the path); never 0.
uint64_t url_hash(std::string_view url);

/// A Retry-After value: a delay in ms (`120`, `1.5`), or an absolute time
/// in ms since the epoch (an HTTP date).
struct retry_after {
  bool is_date = false;
  int64_t ms = 0;
};

/// Parses a Retry-After value: delay-seconds (a fraction is accepted), or
/// an HTTP date in any of RFC 9110's three forms (IMF-fixdate, RFC 850,
/// asctime). nullopt for anything else, and for a negative delay.
std::optional<retry_after> parse_retry_after(std::string_view value);

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94
/// 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`) as ms since the epoch.
std::optional<int64_t> parse_http_date(std::string_view value);

/// True for the header name Retry-After in any letter case.
bool is_retry_after_header(std::string_view name);

/// The deadline a Retry-After sets: for a delay, the response's arrival
/// (ts + duration) plus the delay; for a date, the date.
int64_t retry_deadline(const retry_after& ra, int64_t ts_ms, int64_t duration_ms);

/// What a call's method and URL say it is.
struct call_target {
  call_kind kind = call_kind::other;
  bool tasks_endpoint = false;  // the path ends in /tasks (2026 standard)
  /// Task names in the URL, percent-decoded: views into the URL or into
  /// `decoded`, valid until the next classify_target() with this target.
  std::vector<std::string_view> ids;
  std::string decoded;                     // scratch
  std::vector<std::string_view> segments;  // scratch
};

/// Decides create / query / other from the method and URL (contract:
/// "Creates and queries"): `GET …/v1/<group>/<kind>/<id>` is a query of
/// <id>; `GET …/tasks?task_ids=a,b` a query of each listed id; `POST
/// …/tasks` a query (of the ids its body or answer names); any other POST
/// a create; everything else other. `ids` is cleared and refilled.
void classify_target(std::string_view method, std::string_view url, call_target& out);

/// A task state as an answer writes it (`succeed` and `succeeded` are both
/// succeeded; any case). `none` for empty text, `other` for unknown text.
task_state parse_task_state(std::string_view text);

}  // namespace analyzer::audit
