// SPDX-License-Identifier: MIT
#include "analyzer/core/text.hpp"

#include "analyzer/core/redact.hpp"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

namespace analyzer::core {

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 64) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = (c >= 0xC2 && c <= 0xDF)   ? 2
             : (c >= 0xE0 && c <= 0xEF) ? 3
             : (c >= 0xF0 && c <= 0xF4) ? 4
                                        : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
  if (n == 3 && c == 0xED && b(i + 1) > 0x9F) return 0;  // surrogate
  if (n == 4 && c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
  if (n == 4 && c == 0xF4 && b(i + 1) > 0x8F) return 0;  // > U+10FFFF
  return n;
}

}  // namespace

std::string shorten(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void json_quote(std::string_view s, std::string& out) {
  std::string repaired;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      repaired = repair_utf8(s);
      s = repaired;
      break;
    }
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string redact_secrets(std::string_view s) { return redact(s); }

namespace {
bool is_control(unsigned char c, bool keep_layout) {
  if (keep_layout && (c == '\n' || c == '\t')) return false;
  return c < 0x20 || c == 0x7F;
}
}  // namespace

bool needs_escaping(std::string_view s, bool keep_layout) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_control(c, keep_layout)) return true;
    if (c < 0x80) continue;
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return true;  // invalid UTF-8 (a lone 0x9b is a CSI on some terminals)
    if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) return true;  // C1
    i += n - 1;
  }
  return false;
}

std::string printable(std::string_view s, bool keep_layout) {
  if (!needs_escaping(s, keep_layout)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_control(c, keep_layout)) {
      out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t")
           : c == '\r' ? std::string("\\r") : fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i + 1]));
      i += 2;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace analyzer::core
