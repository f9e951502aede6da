// SPDX-License-Identifier: MIT
// What a call's method and URL say about tasks (contract: "Creates and
// queries", both API standards).
#include "analyzer/audit/identity.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::audit {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = core::ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/// `s` percent-decoded: `s` itself when it has no escape, else a view of
/// its decoding appended to `buf` (the caller fixes views up when `buf`
/// may have moved).
void percent_decode(std::string_view s, std::string& buf) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        buf += static_cast<char>(hi << 4 | lo);
        i += 2;
        continue;
      }
    }
    buf += s[i];
  }
}

bool has_escape(std::string_view s) { return s.find('%') != std::string_view::npos; }

/// The path's segments (empty ones dropped: `//` and a trailing `/`).
void split_segments(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
}

struct pending_id {
  std::string_view view;  // into the URL, when not decoded
  size_t offset = 0, size = 0;
  bool decoded = false;
};

/// Every value of `task_ids` in the query, split at commas.
void listed_ids(std::string_view query, call_target& out, std::vector<pending_id>& ids) {
  size_t i = 0;
  while (i <= query.size()) {
    size_t j = query.find('&', i);
    if (j == std::string_view::npos) j = query.size();
    std::string_view pair = query.substr(i, j - i);
    size_t eq = pair.find('=');
    std::string_view key = eq == std::string_view::npos ? pair : pair.substr(0, eq);
    if (eq != std::string_view::npos && (key == "task_ids" || key == "task%5Fids")) {
      std::string_view value = pair.substr(eq + 1);
      std::string_view list = value;
      size_t base = out.decoded.size();
      if (has_escape(value)) {
        percent_decode(value, out.decoded);
        list = std::string_view(out.decoded).substr(base);
      }
      size_t a = 0;
      while (a <= list.size()) {
        size_t b = list.find(',', a);
        if (b == std::string_view::npos) b = list.size();
        std::string_view id = list.substr(a, b - a);
        size_t lead = 0;
        while (lead < id.size() && core::is_space(id[lead])) ++lead;
        id = core::trim(id);
        if (!id.empty()) {
          if (list.data() == value.data()) ids.push_back({id, 0, 0, false});
          else ids.push_back({{}, base + a + lead, id.size(), true});
        }
        a = b + 1;
      }
    }
    i = j + 1;
  }
}

}  // namespace

void classify_target(std::string_view method, std::string_view url, call_target& out) {
  out.kind = call_kind::other;
  out.tasks_endpoint = false;
  out.ids.clear();
  out.decoded.clear();
  std::string_view pq = path_and_query(url);
  size_t q = pq.find('?');
  std::string_view path = pq.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view{} : pq.substr(q + 1);
  split_segments(path, out.segments);
  const auto& segs = out.segments;
  bool get = core::iequals(method, "GET"), post = core::iequals(method, "POST");
  thread_local std::vector<pending_id> ids;
  ids.clear();
  if (!segs.empty() && segs.back() == "tasks") {
    out.tasks_endpoint = true;
    if (get) listed_ids(query, out, ids);
    if (post || (get && !ids.empty())) out.kind = call_kind::query;
  } else if (post) {
    out.kind = call_kind::create;
  } else if (get) {
    // Legacy: …/v1/<group>/<kind>/<id>, after the last `v1` segment (a
    // gateway may put a prefix before it).
    for (size_t i = segs.size(); i-- > 0;) {
      if (segs[i] != "v1") continue;
      if (segs.size() - i == 4) {
        out.kind = call_kind::query;
        std::string_view id = segs[i + 3];
        if (has_escape(id)) {
          size_t base = out.decoded.size();
          percent_decode(id, out.decoded);
          ids.push_back({{}, base, out.decoded.size() - base, true});
        } else {
          ids.push_back({id, 0, 0, false});
        }
      }
      break;
    }
  }
  for (const auto& p : ids) {
    out.ids.push_back(p.decoded ? std::string_view(out.decoded).substr(p.offset, p.size) : p.view);
  }
}

task_state parse_task_state(std::string_view text) {
  text = core::trim(text);
  if (text.empty()) return task_state::none;
  if (core::iequals(text, "submitted")) return task_state::submitted;
  if (core::iequals(text, "processing")) return task_state::processing;
  if (core::iequals(text, "succeed") || core::iequals(text, "succeeded")) {
    return task_state::succeeded;
  }
  if (core::iequals(text, "failed")) return task_state::failed;
  return task_state::other;
}

}  // namespace analyzer::audit
