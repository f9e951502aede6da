// SPDX-License-Identifier: MIT
// The redaction policy (redact.hpp): a cheap scan for candidate bytes, and
// a careful look, one line at a time, at the lines that hold one.
#include "analyzer/core/redact.hpp"

#if defined(__x86_64__)
#  include <immintrin.h>
#endif
#include <array>
#include <cstdint>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"

namespace analyzer::core {

namespace {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }
/// Characters of a token value: base64(url), hex, JWT dots, key prefixes.
constexpr bool is_token_char(char c) {
  return is_name_char(c) || c == '~' || c == '+' || c == '/' || c == '=';
}
constexpr char fold(char c) { return static_cast<char>(c | 0x20); }

/// Both kinds of runs see through a backslash escape (`api\_key`, the
/// Markdown form) as the character it escapes.
template <typename Pred>
size_t run_end(std::string_view s, size_t i, Pred pred, size_t* chars = nullptr) {
  size_t n = 0;
  while (i < s.size()) {
    if (pred(s[i])) {
      ++i;
    } else if (s[i] == '\\' && i + 1 < s.size() && pred(s[i + 1]) && s[i + 1] != '\\') {
      i += 2;
    } else {
      break;
    }
    ++n;
  }
  if (chars != nullptr) *chars = n;
  return i;
}

std::string unescaped(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

bool contains_icase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

/// 8+ token characters holding a letter and a digit (a key, not a word).
bool key_shaped(std::string_view s, size_t min_chars) {
  std::string u = unescaped(s);
  if (u.size() < min_chars) return false;
  bool letter = false, digit = false;
  for (char c : u) {
    letter = letter || is_alpha(c);
    digit = digit || is_digit(c);
  }
  return letter && digit;
}

/// A Bearer/Basic token: long enough, and not an English word.
bool credential_shaped(std::string_view s) {
  std::string u = unescaped(s);
  if (u.size() < 8) return false;
  bool lower = false, upper = false;
  for (char c : u) {
    if (is_digit(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == '.') {
      return true;
    }
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
  }
  return lower && upper;
}

bool starts_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_scheme_word(std::string_view w) {
  return iequals(w, "bearer") || iequals(w, "basic") || iequals(w, "token");
}

/// The quote at s[i], as its exact bytes ("" when none): `"`, `'`, `` ` ``,
/// the JSON-escaped `\"` and the HTML entities for `"` and `'`.
std::string_view quote_at(std::string_view s, size_t i) {
  if (i >= s.size()) return {};
  // `"`, `\"`, `\\\"`: JSON inside JSON strings (a body logged as a string,
  // then quoted again) escapes its quotes once per level.
  size_t k = i;
  while (k < s.size() && s[k] == '\\') ++k;
  if (k < s.size() && s[k] == '"') return s.substr(i, k + 1 - i);
  if (k > i) return {};
  for (std::string_view q : {"&quot;", "&#39;", "&#x27;", "'", "`"}) {
    if (s.substr(i, q.size()) == q) return s.substr(i, q.size());
  }
  return {};
}

size_t skip_spaces(std::string_view s, size_t i, size_t max = 8) {
  size_t start = i;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t') && i - start < max) ++i;
  return i;
}

/// Where a value ends when it is not quoted.
size_t bare_value_end(std::string_view s, size_t i) {
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '&' ||
        c == ')' || c == '}' || c == ']' || c == '<' || c == '>' || c == '"' || c == '\'' ||
        c == '`' || c == '|') {
      break;
    }
    if (c == '\\' && i + 1 < s.size() && s[i + 1] == '"') break;
    i += (c == '\\' && i + 1 < s.size()) ? 2 : 1;
  }
  return i;
}

/// A value some other tool already masked: `[REDACTED]`, `***`, `<hidden>`.
bool is_placeholder(std::string_view v) {
  while (!v.empty() && std::string_view("[](){}<>*\"'`").find(v.front()) != std::string_view::npos) {
    v.remove_prefix(1);
  }
  while (!v.empty() && std::string_view("[](){}<>*\"'`").find(v.back()) != std::string_view::npos) {
    v.remove_suffix(1);
  }
  if (v.empty()) return true;
  for (std::string_view w : {"redacted", "hidden", "masked", "removed", "filtered", "omitted"}) {
    if (v.size() >= w.size() && iequals(v.substr(0, w.size()), w) &&
        (v.size() == w.size() || !is_alnum(v[w.size()]))) {
      return true;  // `redacted`, `REDACTED`, `redacted: 10 chars`; not `hiddenKey1`
    }
  }
  return v.find_first_not_of("xX*") == std::string_view::npos;
}

bool keep_bare(std::string_view v) {
  if (is_placeholder(v)) return true;
  if (v.empty() || v == "null" || v == "true" || v == "false") return true;
  // Counts and `file:line:col` positions: digit groups of up to 9.
  if (v.find_first_not_of("0123456789:") == std::string_view::npos) {
    size_t group = 0;
    for (char c : v) {
      group = c == ':' ? 0 : group + 1;
      if (group > 9) return false;
    }
    return true;
  }
  return v.rfind("<redacted", 0) == 0 || v.rfind("\\<redacted", 0) == 0 ||
         v.rfind("&lt;redacted", 0) == 0;
}

size_t char_count(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) continue;  // an escape shows one char
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

/// Redacts one line (or any text without newlines that matter).
class line_redactor {
 public:
  line_redactor(std::string_view s, std::string& out, redact_style style)
      : s_(s), out_(out), style_(style) {}


  void run() {
    size_t i = 0;
    while (i < s_.size()) {
      char c = s_[i];
      if (c == ':' && s_.substr(i, 3) == "://") {
        i = userinfo(i + 3);
        continue;
      }
      bool word_start = is_name_char(c) && (i == 0 || !is_name_char(s_[i - 1]));
      if (!word_start) {
        out_ += c;
        ++i;
        continue;
      }
      i = word(i);
    }
  }

 private:
  void mark(std::string_view secret) { out_ += redaction_mark(char_count(secret), style_); }

  // One word (a run of name characters) and what may follow it.
  size_t word(size_t i) {
    word_start_ = i;
    size_t end = run_end(s_, i, is_name_char);
    std::string_view w = s_.substr(i, end - i);
    // The raw word, as the candidate scan sees it: an escape never joins a
    // name (`ke\\y` is no key).
    if (is_credential_name(w)) {
      if (size_t next = named_value(end); next != 0) return next;
    }
    if (is_scheme_word(w)) {
      if (size_t next = scheme_value(end); next != 0) return next;
    }
    // Keys inside the word too (`calls-sk-…`, `key_0123…`): at every start
    // of a run of letters and digits, a JWT, an sk- key or 32+ hex digits.
    size_t k = i;
    while (k < end) {
      if (size_t t = key_at(k); t != 0) {
        out_.append(s_.substr(i, k - i));
        mark(s_.substr(k, t - k));
        if (t >= end) return t;
        i = k = t;
        continue;
      }
      size_t a = k;
      while (a < end && is_alnum(s_[a])) ++a;
      while (a < end && !is_alnum(s_[a])) ++a;
      k = a;
    }
    out_.append(s_.substr(i, end - i));
    return end;
  }

  // The end of a key starting at k (a JWT, an sk- key, 32+ hex digits), or 0.
  size_t key_at(size_t k) const {
    std::string_view rest = s_.substr(k);
    size_t chars = 0;
    if (starts_icase(rest, "eyj")) {  // any case: a method or status text may be upper-cased
      size_t t = run_end(s_, k, is_token_char, &chars);
      if (chars >= 16) return t;
    }
    if (starts_icase(rest, "sk-") || starts_icase(rest, "sk_") || starts_icase(rest, "sk\\_")) {
      size_t t = run_end(s_, k, is_token_char, &chars);
      if (chars >= 11) return t;
    }
    size_t a = k;
    while (a < s_.size() && is_alnum(s_[a])) ++a;
    if (a - k >= 32 && hex_run(k, a) && !after_digest(k)) return a;
    return 0;
  }

  bool hex_run(size_t a, size_t b) const {
    for (size_t k = a; k < b; ++k) {
      if (!is_hex(s_[k])) return false;
    }
    return true;
  }
  bool after_digest(size_t k) const {
    return k >= 7 && iequals(s_.substr(k - 7, 7), "sha256:");
  }

  // After a credential-like name: [quote] spaces (= | :) spaces [quote]
  // value. Returns where to go on, or 0 when there is no value.
  size_t named_value(size_t end) {
    size_t p = end;
    std::string_view closing = quote_at(s_, p);
    p += closing.size();
    if (!closing.empty()) p = name_value_bridge(p, closing);
    p = skip_spaces(s_, p, 2);
    if (p >= s_.size() || (s_[p] != '=' && s_[p] != ':')) {
      return context_value(end);
    }
    char sep = s_[p++];
    if (p < s_.size() && (s_[p] == '=' || (sep == ':' && s_[p] == '/'))) return 0;  // ==, ://
    size_t before_space = p;
    p = skip_spaces(s_, p);
    bool spaced = p > before_space;
    std::string_view open = quote_at(s_, p);
    size_t v = p + open.size();
    // `Authorization: Bearer <token>`: the scheme stays, the token goes.
    size_t scheme_end = run_end(s_, v, is_name_char);
    if (scheme_end > v && is_scheme_word(s_.substr(v, scheme_end - v)) &&
        scheme_end < s_.size() && s_[scheme_end] == ' ') {
      size_t t = skip_spaces(s_, scheme_end);
      size_t te = open.empty() ? bare_value_end(s_, t) : quoted_end(t, open);
      if (te > t && is_placeholder(s_.substr(t, te - t))) return 0;
      if (te > t) {
        out_.append(s_.substr(word_start_, t - word_start_));
        mark(s_.substr(t, te - t));
        return te;
      }
    }
    size_t ve = open.empty() ? bare_value_end(s_, v) : quoted_end(v, open);
    std::string_view value = s_.substr(v, ve - v);
    if (value.empty()) return 0;
    if (open.empty()) {
      if (keep_bare(value)) return 0;
      if (sep == ':' && spaced && !key_shaped(value, 8)) return 0;
    } else if (is_placeholder(value)) {
      return 0;
    }
    out_.append(s_.substr(word_start_, v - word_start_));
    mark(value);
    return ve;
  }

  // HAR and many loggers list headers and parameters as {"name": "api_key",
  // "value": "…"}: after the name's closing quote, `, "value"` makes the
  // value the credential's. Returns where the separator is looked for.
  size_t name_value_bridge(size_t p, std::string_view quote) const {
    size_t k = skip_spaces(s_, p, 2);
    if (k >= s_.size() || s_[k] != ',') return p;
    k = skip_spaces(s_, k + 1, 2);
    if (s_.substr(k, quote.size()) != quote) return p;
    k += quote.size();
    if (!iequals(s_.substr(k, 5), "value")) return p;
    k += 5;
    if (s_.substr(k, quote.size()) != quote) return p;
    return k + quote.size();
  }

  // A credential-like word, spaces, and a key-shaped token: "bad key …".
  size_t context_value(size_t end) {
    size_t p = skip_spaces(s_, end, 3);
    if (p == end) return 0;
    std::string_view q = quote_at(s_, p);
    size_t t = p + q.size();
    size_t chars = 0;
    size_t te = run_end(s_, t, is_token_char, &chars);
    if (chars < 16 || !key_shaped(s_.substr(t, te - t), 16)) return 0;
    out_.append(s_.substr(word_start_, t - word_start_));
    mark(s_.substr(t, te - t));
    return te;
  }

  // `Bearer <token>`, `Basic <token>`, `Token <token>`.
  size_t scheme_value(size_t end) {
    if (end >= s_.size() || s_[end] != ' ') return 0;
    size_t t = skip_spaces(s_, end);
    size_t te = run_end(s_, t, is_token_char);
    if (!credential_shaped(s_.substr(t, te - t))) return context_value(end);
    out_.append(s_.substr(word_start_, t - word_start_));
    mark(s_.substr(t, te - t));
    return te;
  }

  // A quoted value ends at its closing quote, and never runs past the end
  // of an enclosing JSON string (a quote escaped fewer times) or into an
  // HTML tag: redacting inside a JSON report or an HTML page keeps it well
  // formed.
  size_t quoted_end(size_t v, std::string_view quote) const {
    bool entity = quote.front() == '&';
    bool json = quote.back() == '"';
    size_t depth = json ? quote.size() - 1 : 0;  // backslashes before its quote
    size_t k = v;
    while (k < s_.size()) {
      char c = s_[k];
      if (c == '\n') break;
      if (c == '\\' || c == '"') {
        size_t run = k;
        while (run < s_.size() && s_[run] == '\\') ++run;
        if (run < s_.size() && s_[run] == '"') {
          size_t escapes = run - k;
          if (!json || escapes <= depth) break;  // this string's end, or an enclosing one's
          k = run + 1;
          continue;
        }
        k = std::max(run, k + 1);
        continue;
      }
      if (!json && s_.substr(k, quote.size()) == quote) break;
      if (entity && c == '<') break;
      ++k;
    }
    return std::min(k, s_.size());
  }

  // `scheme://user:password@host`: the password goes.
  size_t userinfo(size_t p) {
    out_.append("://");
    size_t k = p;
    size_t colon = std::string_view::npos;
    while (k < s_.size()) {
      char c = s_[k];
      if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '"' || c == '\\' || c == '<') break;
      if (c == ':' && colon == std::string_view::npos) colon = k;
      if (c == '@') {
        if (colon == std::string_view::npos || colon + 1 == k) break;
        out_.append(s_.substr(p, colon + 1 - p));
        mark(s_.substr(colon + 1, k - colon - 1));
        return k;
      }
      ++k;
    }
    return p;
  }

  std::string_view s_;
  std::string& out_;
  redact_style style_;
  size_t word_start_ = 0;  // the word the value rules work on
};

// Folded trigrams a redaction can start with (see line_redactor::word):
// credential-like names, schemes, JWTs, URLs with userinfo; and sk- keys,
// which only count after a byte that is no letter or digit (`task_id`
// holds "sk_" on every --events line).
constexpr std::array<std::array<char, 3>, 12> trigrams = {{
    {'k', 'e', 'y'}, {'t', 'o', 'k'}, {'s', 'e', 'c'}, {'p', 'a', 's'}, {'s', 'i', 'g'},
    {'a', 'u', 't'}, {'c', 'o', 'o'}, {'c', 'r', 'e'}, {'b', 'e', 'a'}, {'b', 'a', 's'},
    {'e', 'y', 'j'}, {':', '/', '/'},
}};
constexpr std::array<char, 3> sk_thirds = {'-', fold('_'), fold('\\')};

bool trigram_at(std::string_view s, size_t i) {
  if (i + 2 >= s.size()) return false;
  char a = fold(s[i]), b = fold(s[i + 1]), d = fold(s[i + 2]);
  for (const auto& t : trigrams) {
    if (a == t[0] && b == t[1] && d == t[2]) return true;
  }
  if (a != 's' || b != 'k' || (i > 0 && is_alnum(s[i - 1]))) return false;
  return d == sk_thirds[0] || d == sk_thirds[1] || d == sk_thirds[2];
}

size_t find_candidate_scalar(std::string_view s, size_t from) {
  size_t hex = 0;
  for (size_t i = from; i < s.size(); ++i) {
    hex = is_hex(s[i]) ? hex + 1 : 0;
    if (hex >= 32) return i + 1 - hex;
    if (trigram_at(s, i)) return i;
  }
  return std::string_view::npos;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) size_t find_candidate_avx2(std::string_view s, size_t from) {
  const char* p = s.data();
  size_t n = s.size();
  size_t i = from;
  uint32_t hex_carry = 0;  // hex digits just before position i
  if (i == 0) {  // the block loop reads the byte before each position
    if (n > 0 && trigram_at(s, 0)) return 0;
    i = 1;
    hex_carry = n > 0 && is_hex(s[0]) ? 1 : 0;
  }
  const __m256i lower = _mm256_set1_epi8(0x20);
  while (i + 34 <= n) {
    __m256i b0 = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)), lower);
    __m256i b1 = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 1)), lower);
    __m256i b2 = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 2)), lower);
    __m256i hit = _mm256_setzero_si256();
    for (const auto& t : trigrams) {
      __m256i m = _mm256_and_si256(
          _mm256_cmpeq_epi8(b0, _mm256_set1_epi8(t[0])),
          _mm256_and_si256(_mm256_cmpeq_epi8(b1, _mm256_set1_epi8(t[1])),
                           _mm256_cmpeq_epi8(b2, _mm256_set1_epi8(t[2]))));
      hit = _mm256_or_si256(hit, m);
    }
    {  // sk- / sk_ / sk\_ after a byte that is no letter or digit
      __m256i prev = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i - 1)), lower);
      __m256i prev_raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i - 1));
      __m256i letter = _mm256_and_si256(_mm256_cmpgt_epi8(prev, _mm256_set1_epi8('a' - 1)),
                                        _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), prev));
      __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(prev_raw, _mm256_set1_epi8('0' - 1)),
                                       _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), prev_raw));
      __m256i third = _mm256_or_si256(
          _mm256_cmpeq_epi8(b2, _mm256_set1_epi8(sk_thirds[0])),
          _mm256_or_si256(_mm256_cmpeq_epi8(b2, _mm256_set1_epi8(sk_thirds[1])),
                          _mm256_cmpeq_epi8(b2, _mm256_set1_epi8(sk_thirds[2]))));
      __m256i sk = _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(b0, _mm256_set1_epi8('s')),
                                                     _mm256_cmpeq_epi8(b1, _mm256_set1_epi8('k'))),
                                    third);
      hit = _mm256_or_si256(hit, _mm256_andnot_si256(_mm256_or_si256(letter, digit), sk));
    }
    auto tri = static_cast<uint32_t>(_mm256_movemask_epi8(hit));
    // Hex: digits, or a-f after folding (b0 holds the folded bytes).
    __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(raw, _mm256_set1_epi8('0' - 1)),
                                     _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), raw));
    __m256i af = _mm256_and_si256(_mm256_cmpgt_epi8(b0, _mm256_set1_epi8('a' - 1)),
                                  _mm256_cmpgt_epi8(_mm256_set1_epi8('f' + 1), b0));
    auto hex = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(digit, af)));
    bool long_hex = false;
    if (hex == 0xFFFFFFFFu) {
      long_hex = true;  // a whole block of hex digits
    } else {
      uint32_t leading = static_cast<uint32_t>(__builtin_ctz(~hex));
      long_hex = hex_carry + leading >= 32;
      hex_carry = static_cast<uint32_t>(__builtin_clz(~hex));  // ones at the top
    }
    if (tri != 0 || long_hex) {
      // Let the scalar scan say exactly where (from a little before).
      size_t back = std::min<size_t>(i - from, 64);
      return find_candidate_scalar(s, i - back);
    }
    i += 32;
  }
  return find_candidate_scalar(s, i >= from + 64 ? i - 64 : from);
}
#endif

size_t find_candidate(std::string_view s, size_t from) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return find_candidate_avx2(s, from);
#endif
  return find_candidate_scalar(s, from);
}

void redact_line(std::string_view line, std::string& out, redact_style style) {
  line_redactor(line, out, style).run();
}

}  // namespace

bool is_credential_name(std::string_view name) {
  if (iequals(name, "sig") || iequals(name, "auth")) return true;
  for (std::string_view marker : {"authorization", "cookie", "token", "secret", "key", "password",
                                  "passwd", "signature", "credential"}) {
    if (contains_icase(name, marker)) return true;
  }
  return false;
}

std::string redaction_mark(size_t chars, redact_style style) {
  std::string_view unit = chars == 1 ? "char" : "chars";
  switch (style) {
    case redact_style::markdown: return fmt::format("\\<redacted: {} {}\\>", chars, unit);
    case redact_style::html: return fmt::format("&lt;redacted: {} {}&gt;", chars, unit);
    case redact_style::plain: break;
  }
  return fmt::format("<redacted: {} {}>", chars, unit);
}

bool may_hold_secret(std::string_view text) {
  return find_candidate(text, 0) != std::string_view::npos;
}

void redact_into(std::string_view text, std::string& out, redact_style style) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t c = find_candidate(text, pos);
    if (c == std::string_view::npos) break;
    size_t start = text.rfind('\n', c);
    start = start == std::string_view::npos || start < pos ? pos : start + 1;
    size_t end = text.find('\n', c);
    if (end == std::string_view::npos) end = text.size();
    out.append(text.substr(pos, start - pos));
    redact_line(text.substr(start, end - start), out, style);
    pos = end;
  }
  if (pos < text.size()) out.append(text.substr(pos));
}

std::string redact(std::string_view text, redact_style style) {
  std::string out;
  out.reserve(text.size());
  redact_into(text, out, style);
  return out;
}

namespace detail {
std::string redact_every_line(std::string_view text, redact_style style) {
  std::string out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    redact_line(text.substr(pos, end - pos), out, style);
    if (end == text.size()) break;
    out += '\n';
    pos = end + 1;
  }
  return out;
}
}  // namespace detail

std::string redact_field(std::string_view name, std::string_view value) {
  size_t dot = name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (!value.empty() && is_credential_name(last)) return redaction_mark(char_count(value));
  return redact(value);
}

std::string clip(std::string_view text, size_t max_bytes) {
  return shorten(redact(text), max_bytes);
}

}  // namespace analyzer::core
