// SPDX-License-Identifier: MIT
// The `iss` claim of a JWT, read without verifying the signature: base64url
// payload, then a small JSON scanner that reads the top-level object's
// members and skips everything else. Bounded by the token's length; any
// malformed byte gives nullopt.
#include "analyzer/audit/jwt_issuer.hpp"

#include <cstdint>

namespace analyzer::audit {

namespace {

constexpr int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

struct b64_table {
  int8_t v[256];
  constexpr b64_table() : v{} {
    for (int c = 0; c < 256; ++c) v[c] = static_cast<int8_t>(b64_value(static_cast<char>(c)));
  }
};
constexpr b64_table b64_values;

bool b64url_decode(std::string_view in, std::string& out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  out.resize(in.size() * 3 / 4 + 3);
  char* w = out.data();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_values.v[static_cast<unsigned char>(c)];
    if (v < 0) return false;
    acc = acc << 6 | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *w++ = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
  return bits < 6;  // a lone trailing sextet is not base64
}

class scanner {
 public:
  explicit scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool eat(char c) {
    ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool peek(char c) {
    ws();
    return p_ != end_ && *p_ == c;
  }
  bool at_end() {
    ws();
    return p_ == end_;
  }

  /// A JSON string (after ws), decoded into `out` as UTF-8.
  bool string(std::string& out) {
    out.clear();
    if (!eat('"')) return false;
    while (p_ != end_) {
      char c = *p_++;
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ == end_) return false;
      char e = *p_++;
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': if (!unicode(out)) return false; break;
        default: return false;
      }
    }
    return false;
  }

  /// Any JSON value, skipped; nesting bounded so hostile input cannot
  /// exhaust the stack.
  bool skip_value(int depth = 0) {
    if (depth > 64) return false;
    ws();
    if (p_ == end_) return false;
    std::string& tmp = tmp_;
    switch (*p_) {
      case '"': return string(tmp);
      case '{': {
        ++p_;
        if (eat('}')) return true;
        do {
          if (!string(tmp) || !eat(':') || !skip_value(depth + 1)) return false;
        } while (eat(','));
        return eat('}');
      }
      case '[': {
        ++p_;
        if (eat(']')) return true;
        do {
          if (!skip_value(depth + 1)) return false;
        } while (eat(','));
        return eat(']');
      }
      default: {
        const char* start = p_;
        while (p_ != end_ && (std::string_view("+-.0123456789eEtrufalsn").find(*p_) !=
                              std::string_view::npos)) {
          ++p_;
        }
        return p_ != start;
      }
    }
  }

 private:
  bool hex4(uint32_t& v) {
    if (end_ - p_ < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      int d = (c >= '0' && c <= '9') ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v << 4 | static_cast<uint32_t>(d);
    }
    return true;
  }

  bool unicode(std::string& out) {
    uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xd800 && cp < 0xdc00) {
      uint32_t lo = 0;
      if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!hex4(lo) || lo < 0xdc00 || lo >= 0xe000) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    } else if (cp >= 0xdc00 && cp < 0xe000) {
      return false;
    }
    auto put = [&](uint32_t b) { out += static_cast<char>(b); };
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xc0 | cp >> 6), put(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      put(0xe0 | cp >> 12), put(0x80 | (cp >> 6 & 0x3f)), put(0x80 | (cp & 0x3f));
    } else {
      put(0xf0 | cp >> 18), put(0x80 | (cp >> 12 & 0x3f)),
          put(0x80 | (cp >> 6 & 0x3f)), put(0x80 | (cp & 0x3f));
    }
    return true;
  }

  const char* p_;
  const char* end_;
  std::string tmp_;  // skipped strings (reused)
};

/// The top-level object's last `iss` member if it is a string; false when
/// the text is not one JSON object. `key` and `value` are the caller's
/// buffers (reused: no allocation per token once they have grown).
bool issuer_of(std::string_view json, bool& has_iss, std::string& key, std::string& value) {
  scanner s(json);
  has_iss = false;
  if (!s.eat('{')) return false;
  if (!s.eat('}')) {
    do {
      if (!s.string(key) || !s.eat(':')) return false;
      if (key == "iss" && s.peek('"')) {
        if (!s.string(value)) return false;
        has_iss = true;
      } else {
        if (key == "iss") has_iss = false;
        if (!s.skip_value()) return false;
      }
    } while (s.eat(','));
    if (!s.eat('}')) return false;
  }
  return s.at_end();
}

/// Per-thread buffers: a JWT per call is common, and decoding one should
/// not allocate.
struct jwt_buffers {
  std::string last_header;  // the last valid header segment, as written
  std::string decoded, key, value, ignored;
};

}  // namespace

std::optional<std::string_view> jwt_issuer_view(std::string_view token, bool& is_jwt) {
  is_jwt = false;
  size_t a = token.find('.');
  if (a == std::string_view::npos || a == 0) return std::nullopt;
  size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos || b == a + 1) return std::nullopt;
  if (token.find('.', b + 1) != std::string_view::npos) return std::nullopt;
  // A client's tokens share their header segment: the last valid one is
  // remembered (per thread), so re-minted tokens decode only the payload.
  thread_local jwt_buffers buf;
  std::string_view head = token.substr(0, a);
  bool has_iss = false;
  if (head != buf.last_header) {
    if (!b64url_decode(head, buf.decoded) || !issuer_of(buf.decoded, has_iss, buf.key, buf.ignored)) {
      return std::nullopt;
    }
    buf.last_header.assign(head);
  }
  if (!b64url_decode(token.substr(a + 1, b - a - 1), buf.decoded) ||
      !issuer_of(buf.decoded, has_iss, buf.key, buf.value)) {
    return std::nullopt;
  }
  is_jwt = true;
  if (!has_iss) return std::nullopt;
  return std::string_view(buf.value);
}

std::optional<std::string> jwt_issuer(std::string_view token, bool& is_jwt) {
  auto iss = jwt_issuer_view(token, is_jwt);
  if (!iss) return std::nullopt;
  return std::string(*iss);
}

}  // namespace analyzer::audit
