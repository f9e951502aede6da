// SPDX-License-Identifier: MIT
#include "analyzer/report/json_writer.hpp"

#include <cmath>
#include <fmt/format.h>

#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"

namespace analyzer::report {

void json_writer::newline() {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(has_items_.size() * static_cast<size_t>(indent_), ' ');
}

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_ += ',';
    has_items_.back() = true;
    newline();
  }
}

json_writer& json_writer::begin_object() {
  before_value();
  out_ += '{';
  has_items_.push_back(false);
  return *this;
}

json_writer& json_writer::end_object() {
  bool had = has_items_.back();
  has_items_.pop_back();
  if (had) newline();
  out_ += '}';
  return *this;
}

json_writer& json_writer::begin_array() {
  before_value();
  out_ += '[';
  has_items_.push_back(false);
  return *this;
}

json_writer& json_writer::end_array() {
  bool had = has_items_.back();
  has_items_.pop_back();
  if (had) newline();
  out_ += ']';
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  before_value();
  json_quote(k, out_);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view s) {
  before_value();
  json_quote(s, out_);
  return *this;
}

json_writer& json_writer::value(int64_t n) {
  before_value();
  out_ += fmt::format("{}", n);
  return *this;
}

json_writer& json_writer::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    out_ += "null";
  } else {
    // Six significant decimals: stable across platforms, enough for shares.
    out_ += fmt::format("{}", std::round(d * 1e6) / 1e6);
  }
  return *this;
}

json_writer& json_writer::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  before_value();
  out_ += "null";
  return *this;
}

json_writer& json_writer::time(const std::optional<int64_t>& ms) {
  return ms ? value(event::format_time(*ms)) : null();
}

}  // namespace analyzer::report
