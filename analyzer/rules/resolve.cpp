// SPDX-License-Identifier: MIT
// After the last layer is merged: named sets filled into `{in: name}`
// matchers, and rules grouped into causes (one cause, several rules).
#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <unordered_map>

#include "analyzer/rules/rule_loader.hpp"

namespace analyzer::rules {

namespace {

/// The line of a loaded file, for the diagnostic's snippet.
std::string line_of(const rule_library& lib, const core::source_location& where) {
  auto it = lib.texts.find(where.file);
  if (it == lib.texts.end() || where.line <= 0) return {};
  std::string_view text = it->second;
  for (int64_t n = 1; n < where.line; ++n) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  return std::string(text.substr(0, text.find('\n')));
}

void add_problem(rule_library& lib, const core::source_location& where, std::string message,
                 std::string help) {
  lib.problems.push_back(
      {core::severity::error, std::move(message), where, line_of(lib, where), std::move(help)});
}

/// Fills one `{in: name}` matcher from the library's sets.
void fill_set(rule_library& lib, matcher& m) {
  auto it = lib.sets.find(m.set_name);
  if (it == lib.sets.end()) {
    std::vector<std::string_view> names;
    for (const auto& [n, s] : lib.sets) names.push_back(n);
    std::string known;
    for (auto n : names) known += (known.empty() ? "" : ", ") + std::string(n);
    add_problem(lib, m.set_where, fmt::format("unknown set `{}`", m.set_name),
                suggest_name(m.set_name, names) +
                    (known.empty() ? std::string("no set is defined; define one under `sets:`")
                                   : "defined sets: " + known));
    return;
  }
  m.values = it->second.values;
  m.numbers.clear();
  for (const auto& v : m.values) {
    if (v.number) m.numbers.push_back(*v.number);
  }
  std::sort(m.numbers.begin(), m.numbers.end());
}

void resolve_sets(rule_library& lib) {
  std::function<void(matcher&)> in_matcher = [&](matcher& m) {
    if (!m.set_name.empty()) fill_set(lib, m);
    for (auto& inner : m.inner) in_matcher(inner);
  };
  std::function<void(condition&)> in_condition = [&](condition& c) {
    if (c.type == condition::kind::field) in_matcher(c.match);
    for (auto& ch : c.children) in_condition(ch);
  };
  for (auto& r : lib.rules) in_condition(r.when);
}

/// Does rule `r`'s value for `k` equal the defining rule's?
bool same_meta(const rule& r, const rule& d, meta_key k) {
  switch (k) {
    case meta_key::category: return r.category == d.category;
    case meta_key::title: return r.title == d.title;
    case meta_key::description: return r.description == d.description;
    case meta_key::retryable: return r.retryable == d.retryable;
    case meta_key::fixes: return r.fixes == d.fixes;
    case meta_key::docs: return r.docs == d.docs;
  }
  return true;
}

void inherit_meta(rule& r, const rule& d) {
  r.category = d.category;
  r.title = d.title;
  r.description = d.description;
  r.retryable = d.retryable;
  r.fixes = d.fixes;
  r.docs = d.docs;
}

constexpr const char* cause_help =
    "the first rule of a cause (in load order) defines its category, title, description, "
    "retryable, fixes and docs; the cause's other rules may omit each of them";

void resolve_causes(rule_library& lib) {
  lib.causes.clear();
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < lib.rules.size(); ++i) {
    rule& r = lib.rules[i];
    auto [it, fresh] = index.emplace(r.cause, static_cast<int>(lib.causes.size()));
    r.cause_index = it->second;
    if (fresh) {
      lib.causes.push_back({r.cause, static_cast<int>(i)});
      for (meta_key k : {meta_key::category, meta_key::title}) {
        if (!r.given[static_cast<size_t>(k)]) {
          add_problem(lib, r.where,
                      fmt::format("rule `{}` has no `{}`", r.id, name_of(k)),
                      fmt::format("it is the first rule of cause `{}`, so it defines it; {}",
                                  r.cause, cause_help));
        }
      }
      continue;
    }
    const rule& d = lib.rules[static_cast<size_t>(lib.causes[static_cast<size_t>(it->second)].first_rule)];
    for (size_t k = 0; k < meta_key_count; ++k) {
      const auto& where = r.given[k];
      if (!where || same_meta(r, d, static_cast<meta_key>(k))) continue;
      bool required = k == static_cast<size_t>(meta_key::category) ||
                      k == static_cast<size_t>(meta_key::title);
      if (required && !d.given[k]) continue;  // reported on the first rule
      add_problem(lib, *where,
                  fmt::format("rule `{}`: `{}` differs from its cause `{}`", r.id,
                              name_of(static_cast<meta_key>(k)), r.cause),
                  fmt::format("cause `{}` is defined by rule `{}` at {}:{}; omit `{}` here or "
                              "repeat that value ({})",
                              r.cause, d.id, d.where.file, d.where.line,
                              name_of(static_cast<meta_key>(k)), cause_help));
    }
    inherit_meta(r, d);
  }
  for (const rule& r : lib.rules) {
    if (r.id == r.cause || index.count(r.id) == 0) continue;
    add_problem(lib, r.where,
                fmt::format("rule id `{}` is the id of another cause", r.id),
                fmt::format("this rule produces `{}`; a rule named like a cause must produce "
                            "it: rename the rule or drop its `cause:`",
                            r.cause));
  }
}

}  // namespace

void resolve_library(rule_library& lib) {
  resolve_sets(lib);
  resolve_causes(lib);
  lib.resolved = true;
}

}  // namespace analyzer::rules
