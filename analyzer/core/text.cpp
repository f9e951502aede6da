// SPDX-License-Identifier: MIT
#include "analyzer/core/text.hpp"

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

bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '+' || c == '/' || c == '=' || c == '~';
}

size_t token_end(std::string_view s, size_t i) {
  while (i < s.size() && is_token_char(s[i])) ++i;
  return i;
}

bool starts_with_icase(std::string_view s, size_t i, std::string_view word) {
  return s.size() - i >= word.size() && iequals(s.substr(i, word.size()), word);
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

std::string redact_secrets(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  static constexpr std::string_view schemes[] = {"bearer ", "basic ",
                                                 "token "};
  static constexpr std::string_view keys[] = {"api_key=", "apikey=",
                                              "access_key=", "secret_key=",
                                              "token="};
  size_t i = 0;
  while (i < s.size()) {
    bool at_word_start = i == 0 || !is_token_char(s[i - 1]);
    if (at_word_start && starts_with_icase(s, i, "eyJ")) {
      size_t end = token_end(s, i);
      // A JWT has at least one dot; anything eyJ-prefixed and long is
      // base64 JSON and treated as a token too.
      if (end - i >= 16) {
        out += "<redacted>";
        i = end;
        continue;
      }
    }
    bool matched = false;
    if (at_word_start) {
      for (auto w : schemes) {
        if (!starts_with_icase(s, i, w)) continue;
        size_t j = i + w.size();
        while (j < s.size() && s[j] == ' ') ++j;
        size_t end = token_end(s, j);
        if (end - j >= 8) {
          out.append(s.substr(i, w.size()));
          out += "<redacted>";
          i = end;
          matched = true;
        }
        break;
      }
      for (auto w : keys) {
        if (matched || !starts_with_icase(s, i, w)) continue;
        size_t end = token_end(s, i + w.size());
        if (end > i + w.size()) {
          out.append(s.substr(i, w.size()));
          out += "<redacted>";
          i = end;
          matched = true;
        }
      }
    }
    if (!matched) out += s[i++];
  }
  return out;
}

}  // namespace analyzer::core
