// SPDX-License-Identifier: MIT
#include "analyzer/audit/identity.hpp"

#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/jwt_issuer.hpp"
#include "analyzer/core/sha256.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::audit {

namespace {

constexpr std::string_view redaction_markers[] = {
    "redacted", "[redacted]", "[filtered]", "<redacted>", "(redacted)",
    "[hidden]", "<hidden>", "hidden", "masked", "[masked]"};

/// A value a logger put in place of the credential.
bool is_redacted(std::string_view token) {
  for (auto m : redaction_markers) {
    if (core::iequals(token, m)) return true;
  }
  if (token.size() < 3) return false;
  bool stars = true, xs = true;
  for (char c : token) {
    stars = stars && c == '*';
    xs = xs && (c == 'x' || c == 'X');
  }
  return stars || xs;
}

client_identity hashed(std::string_view text) {
  client_identity id;
  id.key = sha256_hex(text);
  id.display = "client:" + id.key.substr(0, 8);
  return id;
}

}  // namespace

std::string sha256_hex(std::string_view data) { return core::sha256_hex(data); }

std::optional<client_identity> client_from_authorization(std::string_view value) {
  std::string_view v = core::trim(value);
  if (v.size() > 7 && core::iequals(v.substr(0, 6), "bearer") && core::is_space(v[6])) {
    v = core::trim(v.substr(7));
  } else if (core::iequals(v, "bearer")) {
    return std::nullopt;
  }
  if (v.empty() || is_redacted(v)) return std::nullopt;
  bool is_jwt = false;
  if (auto iss = jwt_issuer(v, is_jwt)) return hashed(*iss);
  return hashed(v);
}

client_identity client_from_issuer(std::string_view iss) { return hashed(iss); }

client_identity client_from_hint(std::string_view value) {
  return {"=" + std::string(value), std::string(value)};
}

client_identity client_from_path(std::string_view path) { return hashed(path); }

std::string_view path_and_query(std::string_view url) {
  // By hand: find_first_of with a set of characters is a memchr per byte.
  auto special = [](char c) { return c == '/' || c == '?' || c == '#'; };
  size_t i = 0, n = url.size();
  while (i < n && !special(url[i]) && url[i] != ':') ++i;
  size_t host = std::string_view::npos;
  if (i + 2 < n && url[i] == ':' && url[i + 1] == '/' && url[i + 2] == '/') {
    host = i + 3;
  } else if (n >= 2 && url[0] == '/' && url[1] == '/') {
    host = 2;
  }
  if (host != std::string_view::npos) {
    size_t j = host;
    while (j < n && !special(url[j])) ++j;
    url = url.substr(j);
  }
  if (const void* hash = std::memchr(url.data(), '#', url.size())) {
    url = url.substr(0, static_cast<size_t>(static_cast<const char*>(hash) - url.data()));
  }
  if (url.empty()) return "/";
  return url;
}

namespace {

/// Byte classes for stripping: whitespace, a quote, a backslash.
struct strip_table {
  uint8_t cls[256] = {};
  constexpr strip_table() {
    cls[static_cast<unsigned char>(' ')] = cls[static_cast<unsigned char>('\t')] = 1;
    cls[static_cast<unsigned char>('\n')] = cls[static_cast<unsigned char>('\r')] = 1;
    cls[static_cast<unsigned char>('"')] = 2;
    cls[static_cast<unsigned char>('\\')] = 3;
  }
};
constexpr strip_table strip_classes;

/// Appends `body` without whitespace outside strings, in runs: a compact
/// body is one append.
void append_stripped(std::string_view body, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(body.data());
  const auto* end = p + body.size();
  const uint8_t* cls = strip_classes.cls;
  while (p < end) {
    // Outside a string: up to whitespace (dropped) or a quote (kept).
    const auto* run = p;
    while (p < end && cls[*p] != 1 && cls[*p] != 2) ++p;
    if (p < end && cls[*p] == 2) {
      // The string, to its closing quote: one not preceded by an odd
      // number of backslashes.
      ++p;
      for (;;) {
        const void* q = std::memchr(p, '"', static_cast<size_t>(end - p));
        if (q == nullptr) {
          p = end;
          break;
        }
        const auto* quote = static_cast<const unsigned char*>(q);
        size_t slashes = 0;
        while (quote - slashes > p && quote[-1 - static_cast<std::ptrdiff_t>(slashes)] == '\\') ++slashes;
        p = quote + 1;
        if (slashes % 2 == 0) break;
      }
      out.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
      continue;
    }
    out.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
    while (p < end && cls[*p] == 1) ++p;
  }
}

}  // namespace

void strip_json_whitespace(std::string_view body, std::string& out) {
  out.clear();
  out.reserve(body.size());
  append_stripped(body, out);
}

uint64_t request_fingerprint(std::string_view method, std::string_view url,
                             std::string_view body, std::string& scratch) {
  scratch.clear();
  for (char c : method) scratch += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  scratch += ' ';
  scratch += path_and_query(url);
  scratch += '\n';
  append_stripped(body, scratch);
  return XXH3_64bits(scratch.data(), scratch.size());
}

uint64_t record_hash(std::string_view record_bytes) {
  return XXH3_64bits(record_bytes.data(), record_bytes.size());
}

uint64_t task_name_hash(std::string_view id) {
  uint64_t h = XXH3_64bits(id.data(), id.size());
  return h == 0 ? 1 : h;
}

uint64_t url_hash(std::string_view url) {
  std::string_view pq = path_and_query(url);
  uint64_t h = XXH3_64bits_withSeed(pq.data(), pq.size(), 0x6b74);  // "kt"
  return h == 0 ? 1 : h;
}

}  // namespace analyzer::audit
