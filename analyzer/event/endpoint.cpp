// SPDX-License-Identifier: MIT
#include "analyzer/event/endpoint.hpp"

#include <cstring>

namespace analyzer::event {

url_parts split_url(std::string_view url) {
  // One forward pass; no std::string_view::find_first_of (a nested loop).
  url_parts parts;
  const char* p = url.data();
  const char* end = p + url.size();
  const char* rest = p;
  // scheme "://" within the first 16 bytes
  for (const char* q = p; end - q > 2 && q - p < 16; ++q) {  // no p + 16: p may be null
    if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
      const char* a = q + 3;
      const char* host_begin = a;
      const char* host_end = nullptr;
      bool bracket = false;
      for (; a < end && *a != '/' && *a != '?' && *a != '#'; ++a) {
        if (*a == '@') {
          host_begin = a + 1;  // drop userinfo
          host_end = nullptr;
          bracket = false;
        } else if (*a == '[') {
          bracket = true;
        } else if (*a == ']') {
          bracket = false;  // [::1]:8080: the port follows the bracket
        } else if (*a == ':' && !bracket && host_end == nullptr) {
          host_end = a;  // drop the port
        }
      }
      if (host_end == nullptr) host_end = a;
      parts.host = {host_begin, static_cast<size_t>(host_end - host_begin)};
      rest = a;
      break;
    }
    if (q[0] == '/' || q[0] == '?') break;
  }
  const char* stop = rest;
  while (stop < end && *stop != '?' && *stop != '#') ++stop;
  parts.path = {rest, static_cast<size_t>(stop - rest)};
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_id_segment(std::string_view s) {
  if (s.size() < 4) return false;
  size_t digits = 0, letters = 0, upper = 0;
  for (char c : s) {
    if (is_digit(c)) {
      ++digits;
    } else if (is_alpha(c)) {
      ++letters;
      upper += c <= 'Z' ? 1 : 0;
    } else if (c != '-' && c != '_') {
      return false;
    }
  }
  if (digits == s.size()) return true;
  if (s.size() == 36 && is_uuid(s)) return true;
  if (s.size() < 16 || letters == 0) return false;
  // Long tokens mixing letters and digits are ids (Kling task ids are
  // numeric or base64-like), but lower-case words with a digit here and
  // there are endpoint names: multi-image2video, text2video.
  if (digits > 0) return upper > 0 || digits * 4 >= s.size();
  // A base64-like id may have no digit at all (one in 30 of Kling's 22-byte
  // ids): letters of both cases, each at least a quarter of them. Names, even
  // camelCase ones (generateVideoFromImage, AVeryLongEndpointName), are
  // mostly one case.
  size_t lower = letters - upper;
  return upper * 4 >= letters && lower * 4 >= letters;
}
}  // namespace

void fold_ids(std::string_view path, std::string& out) {
  // Written in place: "{id}" replaces segments of 4 or more bytes, so the
  // result is never longer than the path.
  out.resize(path.size());
  char* w = out.data();
  const char* p = path.data();
  const char* end = p + path.size();
  while (p < end) {
    if (*p == '/') {
      *w++ = *p++;
      continue;
    }
    const char* seg = p;
    while (p < end && *p != '/') ++p;
    auto n = static_cast<size_t>(p - seg);
    if (is_id_segment({seg, n})) {
      std::memcpy(w, "{id}", 4);
      w += 4;
    } else {
      std::memcpy(w, seg, n);
      w += n;
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
  if (out.empty()) out = "/";
}

}  // namespace analyzer::event
