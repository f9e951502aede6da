// SPDX-License-Identifier: MIT
#include "analyzer/core/msg_template.hpp"

#include <algorithm>
#include <cstdint>

#include "analyzer/core/text.hpp"

namespace analyzer::core {

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/// Characters of a token: a word, number, id, dotted or dashed name.
constexpr bool is_token_char(char c) {
  return is_digit(c) || is_alpha(c) || c == '_' || c == '-' || c == '.' || c == '+' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return !s.empty();
}

bool is_number(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  size_t digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    size_t frac = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++frac;
    if (frac == 0) return false;
  }
  return digits > 0 && i == t.size();
}

bool is_uuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !is_hex(t[i])) return false;
  }
  return true;
}

bool is_ipv4(std::string_view t) {
  int parts = 0;
  size_t i = 0;
  while (i <= t.size()) {
    size_t start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start || i - start > 3) return false;
    ++parts;
    if (i == t.size()) break;
    if (t[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

/// A token of 6+ characters of which at least a third (of the letters and
/// digits) are digits: task and request ids, not words like text2video.
bool is_id(std::string_view t) {
  if (t.size() < 6) return false;
  size_t digits = 0, alnum = 0;
  for (char c : t) {
    if (is_digit(c)) ++digits;
    if (is_digit(c) || is_alpha(c)) ++alnum;
  }
  return digits >= 2 && digits * 3 >= alnum;
}

/// The kind of a whole token, with a number's unit suffix in `unit`.
msg_var classify_token(std::string_view t, std::string& unit) {
  if (is_uuid(t)) return msg_var::uuid;
  if (is_ipv4(t)) return msg_var::ip;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') &&
      all_of(t.substr(2), [](char c) { return is_hex(c); })) {
    return msg_var::hex;
  }
  if (is_number(t)) return msg_var::number;
  size_t n = 0;
  while (n < t.size() && (is_digit(t[n]) || t[n] == '.')) ++n;
  if (n > 0 && is_number(t.substr(0, n)) && t.size() - n <= 3 &&
      all_of(t.substr(n), [](char c) { return is_alpha(c); })) {
    unit = std::string(t.substr(n));  // 10000ms, 5s, 512MB
    return msg_var::number;
  }
  if (t.size() >= 8 && all_of(t, [](char c) { return is_hex(c); }) &&
      std::any_of(t.begin(), t.end(), [](char c) { return is_digit(c); })) {
    return msg_var::hex;
  }
  if (is_id(t)) return msg_var::id;
  return msg_var::none;
}

struct splitter {
  std::string_view s;
  size_t i = 0;
  std::vector<msg_piece> out;

  void literal(std::string_view text) {
    if (text.empty()) return;
    if (out.empty() || out.back().var != msg_var::none) out.push_back({});
    for (char c : text) {
      bool space = is_space(c);
      if (space && (out.back().text.empty() ? out.size() == 1 : out.back().text.back() == ' ')) {
        continue;  // collapse runs; none at the very start
      }
      out.back().text += space ? ' ' : c;
    }
    if (out.back().text.empty()) out.pop_back();
  }
  void variable(msg_var v, std::string text = {}) { out.push_back({v, std::move(text)}); }

  /// `scheme://...` up to whitespace, without trailing punctuation.
  bool url() {
    size_t j = i;
    while (j < s.size() && (is_alpha(s[j]) || (j > i && (is_digit(s[j]) || s[j] == '+' ||
                                                         s[j] == '.' || s[j] == '-')))) {
      ++j;
    }
    if (j == i || s.substr(j, 3) != "://") return false;
    j += 3;
    while (j < s.size() && !is_space(s[j]) && s[j] != '"' && s[j] != '\'') ++j;
    while (j > i && std::string_view(".,;:)]}>").find(s[j - 1]) != std::string_view::npos) --j;
    variable(msg_var::url);
    i = j;
    return true;
  }

  /// A quoted value: the quote opens after a non-word character and closes
  /// before one (so "don't" is no quote), within 120 bytes on one line.
  bool quoted() {
    char q = s[i];
    if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1]))) return false;
    size_t close = s.find(q, i + 1);
    if (close == std::string_view::npos || close - i > 120) return false;
    if (s.substr(i + 1, close - i - 1).find('\n') != std::string_view::npos) return false;
    if (close + 1 < s.size() && (is_digit(s[close + 1]) || is_alpha(s[close + 1]))) return false;
    variable(msg_var::quoted, std::string(1, q));
    i = close + 1;
    return true;
  }

  void token() {
    size_t j = i;
    while (j < s.size() && is_token_char(s[j])) ++j;
    std::string_view t = s.substr(i, j - i);
    // Sentence punctuation is not part of the value: "id 42." → "id #."
    std::string_view tail;
    while (!t.empty() && (t.back() == '.' || t.back() == '-' || t.back() == '+')) {
      t.remove_suffix(1);
      tail = s.substr(i + t.size(), j - i - t.size());
    }
    std::string unit;
    msg_var v = t.empty() ? msg_var::none : classify_token(t, unit);
    if (v == msg_var::none) {
      literal(s.substr(i, j - i));
    } else {
      variable(v, unit);
      literal(tail);
    }
    i = j;
  }

  void run() {
    while (i < s.size()) {
      char c = s[i];
      if (s.substr(i, 10) == "<redacted>") {
        variable(msg_var::secret);
        i += 10;
      } else if (is_alpha(c) && url()) {
      } else if ((c == '\'' || c == '"' || c == '`') && quoted()) {
      } else if (is_token_char(c)) {
        token();
      } else {
        literal(s.substr(i, 1));
        ++i;
      }
    }
    if (!out.empty() && out.back().var == msg_var::none) {
      while (!out.back().text.empty() && out.back().text.back() == ' ') out.back().text.pop_back();
      if (out.back().text.empty()) out.pop_back();
    }
  }
};

std::string piece_text(const msg_piece& p) {
  switch (p.var) {
    case msg_var::none: return p.text;
    case msg_var::quoted: return p.text + "#" + p.text;
    case msg_var::number: return "#" + p.text;
    default: return "#";
  }
}

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ') {
      out += "\\s+";
      continue;
    }
    if (std::string_view("\\.^$|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string piece_regex(const msg_piece& p) {
  switch (p.var) {
    case msg_var::none: return regex_escape(p.text);
    case msg_var::number: return "[-+]?[0-9][0-9.]*" + regex_escape(p.text);
    case msg_var::quoted: {
      std::string q = p.text == "`" ? "`" : p.text;
      return q + "[^" + q + "]*" + q;
    }
    case msg_var::uuid: return "[0-9A-Fa-f-]{36}";
    case msg_var::ip: return "[0-9.]+";
    case msg_var::hex:
    case msg_var::id: return "[A-Za-z0-9_.+-]+";
    case msg_var::url:
    case msg_var::secret: return "\\S+";
  }
  return {};
}

}  // namespace

std::vector<msg_piece> split_message(std::string_view message, bool* cut) {
  splitter sp{trim(message), 0, {}};
  sp.run();
  // Cut at max_template_bytes of template text, on a piece boundary.
  size_t size = 0;
  for (size_t k = 0; k < sp.out.size(); ++k) {
    size += piece_text(sp.out[k]).size();
    if (size <= max_template_bytes) continue;
    if (sp.out[k].var == msg_var::none) {
      size_t keep = sp.out[k].text.size() - (size - max_template_bytes);
      while (keep > 0 && (static_cast<unsigned char>(sp.out[k].text[keep]) & 0xC0) == 0x80) --keep;
      sp.out[k].text.resize(keep);
      sp.out.resize(sp.out[k].text.empty() ? k : k + 1);
    } else {
      sp.out.resize(k);
    }
    if (cut != nullptr) *cut = true;
    return sp.out;
  }
  if (cut != nullptr) *cut = false;
  return sp.out;
}

std::string message_template(std::string_view message) {
  std::string out;
  for (const auto& p : split_message(message)) out += piece_text(p);
  return out;
}

std::string template_regex(std::string_view message) {
  bool cut = false;
  auto pieces = split_message(message, &cut);
  std::string out = "^\\s*";
  for (const auto& p : pieces) out += piece_regex(p);
  if (!cut) out += "\\s*$";
  return out;
}

uint64_t template_hash(std::string_view template_text) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (char c : template_text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace analyzer::core
