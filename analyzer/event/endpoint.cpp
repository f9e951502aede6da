// SPDX-License-Identifier: MIT
#include "analyzer/event/endpoint.hpp"

namespace analyzer::event {

url_parts split_url(std::string_view url) {
  url_parts parts;
  size_t scheme = url.find("://");
  std::string_view rest = url;
  if (scheme != std::string_view::npos && scheme < 16) {
    rest = url.substr(scheme + 3);
    size_t slash = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, slash);
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority.remove_prefix(at + 1);
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
      authority = authority.substr(0, colon);
    }
    parts.host = authority;
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  size_t end = rest.find_first_of("?#");
  parts.path = rest.substr(0, end);
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
  if (s.empty()) return false;
  size_t digits = 0, letters = 0, other = 0;
  for (char c : s) {
    if (is_digit(c)) ++digits;
    else if (is_alpha(c)) ++letters;
    else if (c != '-' && c != '_') ++other;
  }
  if (other > 0) return false;
  if (digits == s.size()) return s.size() >= 4;
  if (is_uuid(s)) return true;
  return s.size() >= 16 && digits > 0 && letters > 0;
}
}  // namespace

void fold_ids(std::string_view path, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < path.size()) {
    size_t next = path.find('/', i);
    if (next == i) {
      out += '/';
      ++i;
      continue;
    }
    std::string_view seg = path.substr(i, next - i);
    out += is_id_segment(seg) ? std::string_view("{id}") : seg;
    if (next == std::string_view::npos) break;
    i = next;
  }
  if (out.empty()) out = "/";
}

}  // namespace analyzer::event
