// SPDX-License-Identifier: MIT
#pragma once
/// Small text helpers used across modules. ASCII-only case folding: HTTP
/// header names, schemes and methods are ASCII.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace analyzer::core {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Parses a whole string as a signed integer; nullopt if it is not one.
inline std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

/// Parses a whole string as a finite number; nullopt if it is not one.
std::optional<double> parse_number(std::string_view s);

/// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence,
/// appending "…" when something was cut.
std::string shorten(std::string_view s, size_t max_bytes);

/// Replaces bytes that are not valid UTF-8 with U+FFFD.
std::string repair_utf8(std::string_view s);

/// Appends `s` as a JSON string literal (quotes included); invalid UTF-8
/// becomes U+FFFD, so the output always parses.
void json_quote(std::string_view s, std::string& out);

/// The redaction policy of core/redact.hpp (kept under its old name).
std::string redact_secrets(std::string_view s);

/// Text safe to show on a terminal: invalid UTF-8 becomes U+FFFD, and C0
/// controls, DEL and C1 controls (U+0080-U+009F) are written as `\x1b`,
/// `\x7f`, `\x9b`, as ripgrep and lnav do (no escape sequence from a log
/// reaches the terminal). `keep_layout` keeps newlines and tabs (a whole
/// output); without it they are escaped too (`\n`, `\t`: one value).
std::string printable(std::string_view s, bool keep_layout = false);

/// False when printable(s, keep_layout) == s.
bool needs_escaping(std::string_view s, bool keep_layout = false);

}  // namespace analyzer::core
