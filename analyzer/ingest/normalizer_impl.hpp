// SPDX-License-Identifier: MIT
#pragma once
/// Internals of the normalizer, shared by its .cpp files only.

#include <array>
#include <deque>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/event/event.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::ingest {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Where a request or response body is in the record.
struct body_ref {
  enum class kind : uint8_t { none, json, text, form };
  kind type = kind::none;
  const char* begin = nullptr;  // json / form: first byte of the value
  const char* end = nullptr;    // json / form: one past its last byte, when known
  const char* limit = nullptr;  // end of the record text
  std::string_view text;        // text: the string's content
  bool base64 = false;
};

/// One task of a task query (`data`, or an element of a `data` array).
struct task_fields {
  std::string_view id;
  std::string_view status;
  std::string_view message;
};

/// Fields of Kling's envelope and of the generic error shapes.
struct envelope {
  std::optional<int64_t> code;
  std::string_view message;
  std::string_view msg;
  std::string_view error_message;
  std::string_view detail;      // `detail` text, `detail.msg`, `detail[0].msg`
  std::string_view job_status;  // a wrapper's top-level `status` text
  std::string_view request_id;
  std::string_view task_id;
  std::string_view task_status;
  std::string_view task_message;
  bool parsed = false;
};

struct normalizer::impl {
  impl(const event::field_plan& p, size_t depth_limit);

  const event::field_plan& plan;
  size_t max_depth;
  std::string depth_reason;  // too_deep_reason(max_depth), the event's view
  od::parser parser;       // the record
  // Bodies logged as strings holding JSON: one parser per side, since views
  // into both (the model, the envelope's message) live until the next record.
  od::parser body_parser;      // response
  od::parser req_body_parser;  // request
  od::parser header_parsers[2];  // request / response headers, failures only
  od::parser extra_parsers[2];   // request / response bodies, for rule fields
  simdjson::dom::parser req_dom;
  simdjson::dom::parser resp_dom;
  simdjson::dom::parser small_dom;  // JWT claims, validity checks

  // Scratch the event's views may point into.
  std::string method_buf, endpoint_buf, task_status_buf, message_buf;
  std::string scheme_buf, copy_buf, resp_text_buf, req_text_buf, utf8_buf;
  std::string url_buf, reason_buf, header_copy[2];
  std::array<std::string, 16> join_bufs;  // `join` results, one per target
  std::string decoded_resp, decoded_req, jwt_buf;
  std::deque<std::string> value_pool;
  std::deque<std::vector<event::field_value>> list_pool;  // item field values
  od::parser item_parser;  // arrays whose elements rules test (any_item)

  // The audit's captures (capture_calls): reset per record when on.
  bool capturing = false;
  bool headers_loaded = false;
  call_capture call;

  // Per-record captures.
  std::string_view authorization;
  bool has_authorization = false;
  int request_header_count = 0;  // headers the log recorded for the request
  std::vector<std::string_view> header_values;  // by plan slot
  body_ref req_body, resp_body;
  // Where the headers are: read only for failures (successes never need them).
  std::string_view headers_raw[2];  // request, response: the raw JSON text
  const char* record_capacity_end = nullptr;
  od::document* doc = nullptr;  // the record being walked
  envelope env;
  std::string_view record;  // the current record text

  // The profile reading the record, and what its pointers captured.
  const profile::compiled_profile* prof = nullptr;
  std::vector<profile::captured> slots;
  std::vector<uint16_t> touched;      // slots this record filled (reset clears only these)
  std::vector<uint8_t> field_rank;    // per field: the best source rank found, 255 none
  std::vector<uint16_t> deferred;     // filled slots feeding a source with `when`
  int offered = 0;                    // fields ranked from slots (applied after the walk)
  std::vector<uint8_t> applied_rank;  // per field: the rank applied during the walk, 255 none
  uint8_t body_rank[2] = {255, 255};  // rank of the body read so far, per side
  bool headers_copied[2] = {false, false};  // headers_raw holds a string's text
  std::vector<std::pair<const profile::field_map*, std::string_view>> named_headers;
  std::vector<std::string_view>* record_spans = nullptr;  // envelope walk: records found

  void reset();
  error_code walk(od::value v, const std::vector<profile::trie_node>& nodes, uint32_t at,
                  event::event& ev);
  error_code walk_members(od::value v, const std::vector<profile::trie_node>& nodes,
                          uint32_t at, event::event& ev);
  error_code walk_keyed(od::value v, const std::vector<profile::trie_node>& nodes,
                        uint32_t at, event::event& ev);
  error_code read_body(od::value v, const profile::trie_node& n, event::event& ev);
  void capture(od::value v, profile::captured& out);
  profile::captured& slot(int index);  // marks it touched
  bool detect_holds() const;
  void offer(int index);               // a filled slot: the fields it can be the source of
  const profile::source* pick(const profile::field_map& f);
  std::string_view value_of(const profile::source& s, int buffer);
  void apply_fields(event::event& ev);
  void apply_field(const profile::field_map& f, const profile::source& s, event::event& ev);
  void apply_value(const profile::field_map& f, const profile::source& s, std::string_view text,
                   profile::captured::kind type, event::event& ev);
  std::string_view top_level_keys(std::string_view text);
  error_code parse_headers(od::value v, event::field_area area);
  void load_headers();
  void on_header(std::string_view name, std::string_view value,
                 event::field_area area);
  error_code parse_body(od::value v, body_ref& body, bool is_response,
                        event::event& ev);
  error_code scan_envelope(od::object obj);
  error_code scan_data(od::value v);
  void finish_task(event::event& ev);
  error_code scan_request_body(od::object obj, event::event& ev);
  error_code scan_request_for_call(od::object obj, event::event& ev);
  void forget_body(int side);
  void load_call_headers();
  void analyze_text_bodies(event::event& ev);
  error_code finish(event::event& ev);
  void compute_message(event::event& ev);
  void compute_auth(event::event& ev);
  error_code compute_extras(event::event& ev);
  error_code body_json_valid(std::optional<bool>& out);
  std::string_view body_text(const body_ref& body, std::string& decoded);
  std::string_view raw_body(const body_ref& body);
  bool extras_in_one_pass(int side, event::event& ev);
  void item_extras(std::string_view array, size_t capacity, event::field_area area,
                   std::string_view key, event::event& ev);
  error_code extras_from_dom(int side, event::event& ev);
  /// Frees parser memory grown past `keep_bytes` by an unusually large
  /// record, so one huge record does not pin its allocation for the run.
  void shrink_parsers();
};

/// The raw JSON text of an object or array value (consumes it; the parser
/// skips it through its structural index). Empty for other types.
std::string_view raw_container(od::value v);

/// A member's key: read in place when it has no escapes (the usual case).
error_code key_of(simdjson::simdjson_result<od::field>& f, std::string_view& out);

/// Calls `on_member(key, value)` for each member of an object, in document
/// order, and stops at the first error (the parser's or one it returns).
template <typename F>
error_code for_each_member(od::object obj, F&& on_member) {
  for (auto f : obj) {
    std::string_view key;
    if (auto e = key_of(f, key)) return e;
    od::value v;
    if (auto e = f.value().get(v)) return e;
    if (error_code e = on_member(key, v)) return e;
  }
  return simdjson::SUCCESS;
}

/// Same for a value; a value that is not an object has no members.
template <typename F>
error_code for_each_member(od::value v, F&& on_member) {
  od::object obj;
  if (v.get_object().get(obj)) return simdjson::SUCCESS;
  return for_each_member(obj, std::forward<F>(on_member));
}

/// Reads a string or a number's raw text; empty for other types.
std::string_view scalar_text(od::value v);

/// A task or job status that means it failed (error-reference.md s. 1).
bool is_failed_status(std::string_view status);

/// Reads an integer from a number or a numeric string.
std::optional<int64_t> scalar_int(od::value v);

/// The end of the JSON value starting at `begin` ('{' or '['), found by a
/// string-aware bracket count; `limit` if it never closes.
const char* find_value_end(const char* begin, const char* limit);

/// Strips HTML tags and collapses whitespace into `out`, at most `max`
/// bytes.
void plain_text(std::string_view in, std::string& out, size_t max);

}  // namespace analyzer::ingest
