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

}  // namespace analyzer::report
