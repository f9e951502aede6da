// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace analyzer::report {

/// Writes indented JSON, handling commas and nesting. Keys are written in
/// the order given, so output is deterministic.
class json_writer {
 public:
  explicit json_writer(int indent = 2) : indent_(indent) {}
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(int64_t n);
  json_writer& value(int n) { return value(static_cast<int64_t>(n)); }
  json_writer& value(double d);
  json_writer& value(bool b);
  json_writer& null();
  /// A time as RFC 3339, or null.
  json_writer& time(const std::optional<int64_t>& ms);
  template <typename T>
  json_writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }
  std::string& str() { return out_; }

 private:
  void before_value();
  void newline();
  std::string out_;
  std::vector<bool> has_items_;
  bool after_key_ = false;
  int indent_;
};

/// The fields an example of a call shows after where it comes from (the
/// report's examples and the diff's): ts, status (null for no response),
/// code, endpoint, request_id, message; then closes the example's object.
template <typename Example>
void write_call_fields(json_writer& w, const Example& ex) {
  w.key("ts").time(ex.ts_ms);
  w.key("status");
  ex.status > 0 ? w.value(ex.status) : w.null();
  w.key("code");
  ex.code ? w.value(*ex.code) : w.null();
  w.field("endpoint", ex.endpoint).field("request_id", ex.request_id)
      .field("message", ex.message).end_object();
}

/// A run's "window": its first and last record times and its --since and
/// --until bounds (null when there are none).
inline void write_window(json_writer& w, const std::optional<int64_t>& first,
                         const std::optional<int64_t>& last, const std::optional<int64_t>& since,
                         const std::optional<int64_t>& until) {
  w.key("window").begin_object();
  w.key("first").time(first);
  w.key("last").time(last);
  w.key("since").time(since);
  w.key("until").time(until);
  w.end_object();
}

}  // namespace analyzer::report
