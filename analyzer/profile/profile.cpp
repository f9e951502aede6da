// SPDX-License-Identifier: MIT
#include "analyzer/profile/profile.hpp"

#include "analyzer/core/sha256.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/profile/regex.hpp"

namespace analyzer::profile {

std::shared_ptr<compiled_regex> compile_regex(const std::string& pattern, bool case_sensitive,
                                              std::string& error) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(case_sensitive);
  auto re = std::make_shared<compiled_regex>(pattern, o);
  if (!re->re.ok()) {
    error = re->re.error();
    return nullptr;
  }
  return re;
}

std::vector<int> group_slots(const compiled_regex& re, std::vector<std::string>& names) {
  std::vector<int> out(static_cast<size_t>(re.re.NumberOfCapturingGroups()) + 1, -1);
  for (const auto& [name, index] : re.re.NamedCapturingGroups()) {
    out[static_cast<size_t>(index)] = static_cast<int>(names.size());
    names.push_back(name);
  }
  return out;
}

std::string describe(const compiled_profile& p, const condition& c) {
  auto name = [&](int slot) {
    std::string n = p.slot_names[static_cast<size_t>(slot)];
    if (n.size() > 1 && n.front() == '/' && n.find('/', 1) == std::string::npos) n.erase(0, 1);
    return n;
  };
  std::string out;
  auto list = [&](std::string_view word) {
    for (size_t i = 0; i < c.children.size(); ++i) {
      if (i > 0) out += i + 1 == c.children.size() ? std::string(" ") + std::string(word) + " " : ", ";
      out += describe(p, c.children[i]);
    }
  };
  switch (c.type) {
    case condition::kind::all: list("and"); break;
    case condition::kind::any: list("or"); break;
    case condition::kind::negate: out = "not (" + describe(p, c.children.front()) + ")"; break;
    case condition::kind::exists: out = name(c.slot); break;
    case condition::kind::equals:
      out = name(c.slot) + " = " + (c.values.empty() ? "" : c.values.front());
      break;
    case condition::kind::regex: out = name(c.slot) + " matching a pattern"; break;
  }
  return out;
}

bool holds(const compiled_profile& p, const condition& c, const captured* slots) {
  switch (c.type) {
    case condition::kind::all:
      for (const auto& ch : c.children) {
        if (!holds(p, ch, slots)) return false;
      }
      return true;
    case condition::kind::any:
      for (const auto& ch : c.children) {
        if (holds(p, ch, slots)) return true;
      }
      return c.children.empty();
    case condition::kind::negate:
      return !holds(p, c.children.front(), slots);
    case condition::kind::exists: {
      const captured& v = slots[c.slot];
      // A text group that matched nothing, or a JSON null, is not there.
      return v.present() && v.type != captured::kind::null &&
             !(p.kind == compiled_profile::shape::text && v.text.empty());
    }
    case condition::kind::equals: {
      const captured& v = slots[c.slot];
      if (!v.present()) return false;
      for (const auto& want : c.values) {
        if (v.text == want) return true;
      }
      return false;
    }
    case condition::kind::regex: {
      const captured& v = slots[c.slot];
      if (!v.present()) return false;
      const RE2& re = p.regexes[static_cast<size_t>(c.regex)]->re;
      return RE2::PartialMatch(re2::StringPiece(v.text.data(), v.text.size()), re);
    }
  }
  return false;
}

bool match_line(const compiled_profile& p, std::string_view line, captured* slots) {
  const RE2& re = p.line->re;
  size_t n = p.group_slot.size();
  std::vector<re2::StringPiece> groups(n);
  if (!re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED,
                groups.data(), static_cast<int>(n))) {
    return false;
  }
  for (size_t i = 1; i < n; ++i) {
    int slot = p.group_slot[i];
    if (slot < 0) continue;
    if (groups[i].data() == nullptr) {
      slots[slot] = {};
      continue;
    }
    slots[slot] = {captured::kind::string, std::string_view(groups[i].data(), groups[i].size())};
  }
  return true;
}

bool skip_line(const compiled_profile& p, std::string_view line) {
  for (const auto& re : p.skip_lines) {
    if (RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), re->re)) return true;
  }
  return false;
}

std::string_view extract(const compiled_profile& p, const source& s, std::string_view text) {
  re2::StringPiece group;
  const RE2& re = p.regexes[static_cast<size_t>(s.extract)]->re;
  if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re, &group)) return {};
  return {group.data(), group.size()};
}

const std::vector<std::pair<std::string_view, target>>& target_names() {
  static const std::vector<std::pair<std::string_view, target>> names = {
      {"ts", target::ts},
      {"duration_ms", target::duration_ms},
      {"request.method", target::method},
      {"request.url", target::url},
      {"request.headers", target::request_headers},
      {"request.body", target::request_body},
      {"response.status", target::status},
      {"response.headers", target::response_headers},
      {"response.body", target::response_body},
      {"response.body_encoding", target::response_body_encoding},
      {"error", target::error},
  };
  return names;
}

std::string_view name_of(target t) {
  for (const auto& [n, v] : target_names()) {
    if (v == t) return n;
  }
  return t == target::request_header ? "request.headers.<name>" : "response.headers.<name>";
}

const compiled_profile* profile_set::find(std::string_view id) const {
  int i = index_of(id);
  return i < 0 ? nullptr : profiles[static_cast<size_t>(i)].get();
}

int profile_set::index_of(std::string_view id) const {
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (profiles[i]->id == id) return static_cast<int>(i);
  }
  return -1;
}

std::string digest(const profile_set& set) { return "sha256:" + core::sha256_hex(set.digest_text); }

}  // namespace analyzer::profile
