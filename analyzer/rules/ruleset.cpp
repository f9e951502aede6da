// SPDX-License-Identifier: MIT
#include "analyzer/rules/ruleset.hpp"

#include "analyzer/core/redact.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <cmath>
#include <fmt/format.h>

#include "analyzer/core/sha256.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::rules {

namespace {

bool same_field(const event::field_ref& a, const event::field_ref& b) {
  return a.area == b.area && (a.area == event::field_area::builtin
                                  ? a.id == b.id
                                  : a.slot == b.slot);
}
}  // namespace

/// All regexes that test one field, matched in a single pass (once per
/// event; for an item field, once per element).
struct regex_group {
  event::field_ref field;
  bool item_field = false;
  std::unique_ptr<RE2::Set> set;
  std::vector<int> ids;  // set index → regex id
};

struct ruleset::compiled {
  std::vector<regex_group> groups;
  std::vector<int> group_of;                   // regex id → group
  std::vector<int> order;                      // rules by priority
};

struct match_scratch::state {
  // Candidate rules per (status, code, failure kind): those whose `when`
  // can hold for that key, in priority order, cut after the first that
  // surely holds. A pure function of the rules and the key, cached per
  // thread (so no locks, and the same result on every thread).
  std::unordered_map<uint64_t, std::vector<int>> candidates;
  std::vector<int> odd;  // the list for an uncacheable key
  // Regex-set results are valid while a group's generation equals the
  // event's (or, for item fields, the element's); one counter for both.
  uint64_t counter = 0;
  uint64_t event_generation = 0;
  uint64_t item_generation = 0;
  std::vector<uint64_t> group_generation;
  std::vector<uint8_t> hit;  // by regex id
  std::vector<int> matches;
};

match_scratch::match_scratch() : s(std::make_unique<state>()) {}
match_scratch::~match_scratch() = default;
match_scratch::match_scratch(match_scratch&&) noexcept = default;
match_scratch& match_scratch::operator=(match_scratch&&) noexcept = default;

ruleset::~ruleset() = default;

namespace {

struct regex_use {
  int id;
  event::field_ref field;
  bool item_field;
};

void collect_regexes(const condition& c, std::vector<regex_use>& out) {
  if (c.type == condition::kind::field) {
    std::function<void(const matcher&)> walk = [&](const matcher& m) {
      if (m.type == matcher::kind::regex) out.push_back({m.regex, c.field, c.item_field});
      for (const auto& in : m.inner) walk(in);
    };
    walk(c.match);
  }
  for (const auto& ch : c.children) collect_regexes(ch, out);
}

}  // namespace

std::unique_ptr<ruleset> ruleset::compile(rule_library lib,
                                          core::diagnostics& problems) {
  std::unique_ptr<ruleset> rs(new ruleset());
  if (!lib.resolved) resolve_library(lib);
  for (auto& p : lib.problems) problems.push_back(std::move(p));
  lib.problems.clear();
  rs->digest_ = "sha256:" + core::sha256_hex(lib.source_text);
  rs->c_ = std::make_unique<compiled>();
  compiled& c = *rs->c_;

  std::vector<regex_use> uses;
  for (const auto& r : lib.rules) collect_regexes(r.when, uses);
  c.group_of.assign(lib.regexes.size(), -1);
  for (const auto& [id, field, item] : uses) {
    if (c.group_of[static_cast<size_t>(id)] >= 0) continue;
    // Init-captures: clang 14 cannot capture a structured binding.
    auto it = std::find_if(c.groups.begin(), c.groups.end(),
                           [&f = field, &in = item](const regex_group& g) {
                             return same_field(g.field, f) && g.item_field == in;
                           });
    if (it == c.groups.end()) {
      RE2::Options opts;
      opts.set_log_errors(false);
      c.groups.push_back({field, item, std::make_unique<RE2::Set>(opts, RE2::UNANCHORED), {}});
      it = c.groups.end() - 1;
    }
    const regex_spec& spec = lib.regexes[static_cast<size_t>(id)];
    std::string pattern = (spec.case_sensitive ? "" : "(?i)") + spec.pattern;
    std::string error;
    if (it->set->Add(pattern, &error) < 0) {
      problems.push_back({core::severity::error, "invalid regex: " + error,
                          spec.where, {}, {}});
      continue;
    }
    it->ids.push_back(id);
    c.group_of[static_cast<size_t>(id)] = static_cast<int>(it - c.groups.begin());
  }
  for (auto& g : c.groups) {
    if (!g.set->Compile()) {
      problems.push_back({core::severity::error,
                          "the regexes of one field could not be compiled "
                          "together (out of memory)", {}, {}, {}});
    }
  }

  c.order.resize(lib.rules.size());
  for (size_t i = 0; i < c.order.size(); ++i) c.order[i] = static_cast<int>(i);
  std::stable_sort(c.order.begin(), c.order.end(), [&](int a, int b) {
    return lib.rules[static_cast<size_t>(a)].priority >
           lib.rules[static_cast<size_t>(b)].priority;
  });
  rs->lib_ = std::move(lib);
  return rs;
}

namespace {

std::string value_text(const event::field_value& v) {
  using k = event::field_value::kind;
  switch (v.type) {
    case k::absent: return "(absent)";
    case k::boolean: return v.boolean ? "true" : "false";
    case k::number:
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) {
        return fmt::format("{}", static_cast<int64_t>(v.number));
      }
      return fmt::format("{}", v.number);
    case k::text: return std::string(v.text);
    case k::list: return fmt::format("a list of {}", v.items.size());
  }
  return {};
}

std::optional<double> numeric(const event::field_value& v) {
  if (v.type == event::field_value::kind::number) return v.number;
  if (v.type == event::field_value::kind::text) return core::parse_number(v.text);
  return std::nullopt;
}

bool equals(const event::field_value& v, const literal& l) {
  using k = event::field_value::kind;
  switch (v.type) {
    case k::absent:
    case k::list: return false;
    case k::boolean: return l.boolean && *l.boolean == v.boolean;
    case k::number: return l.number && *l.number == v.number;
    case k::text:
      if (v.text == l.text) return true;
      if (l.number) {
        auto n = core::parse_number(v.text);
        return n && *n == *l.number;
      }
      return false;
  }
  return false;
}

/// A matcher without regexes, evaluated; nullopt when a regex is involved.
std::optional<bool> match_exact(const matcher& m, const event::field_value& v) {
  switch (m.type) {
    case matcher::kind::exists: return v.present() == m.exists;
    case matcher::kind::negate: {
      auto inner = match_exact(m.inner.front(), v);
      return inner ? std::optional<bool>(!*inner) : std::nullopt;
    }
    case matcher::kind::regex: return std::nullopt;
    default: break;
  }
  if (!v.present()) return false;
  switch (m.type) {
    case matcher::kind::equals: return equals(v, m.values.front());
    case matcher::kind::one_of:
      // Numbers (status, code lists of 20+ values) by binary search.
      if (v.type == event::field_value::kind::number) {
        return std::binary_search(m.numbers.begin(), m.numbers.end(), v.number);
      }
      return std::any_of(m.values.begin(), m.values.end(),
                         [&](const literal& l) { return equals(v, l); });
    case matcher::kind::range: {
      auto n = numeric(v);
      return n && (!m.lo || *n >= *m.lo) && (!m.hi || *n <= *m.hi);
    }
    default: return false;
  }
}

enum class tri : uint8_t { no, yes, maybe };

/// What a condition can be for any event with the status, code and failure
/// kind of `key`, whatever its other fields: conditions on other fields
/// (and regexes) are `maybe`, combined with three-valued logic.
tri prejudge(const condition& c, const event::event& key) {
  switch (c.type) {
    case condition::kind::all: {
      tri out = tri::yes;
      for (const auto& ch : c.children) {
        tri t = prejudge(ch, key);
        if (t == tri::no) return tri::no;
        if (t == tri::maybe) out = tri::maybe;
      }
      return out;
    }
    case condition::kind::any: {
      tri out = tri::no;
      for (const auto& ch : c.children) {
        tri t = prejudge(ch, key);
        if (t == tri::yes) return tri::yes;
        if (t == tri::maybe) out = tri::maybe;
      }
      return out;
    }
    case condition::kind::negate: {
      tri t = prejudge(c.children.front(), key);
      return t == tri::yes ? tri::no : t == tri::no ? tri::yes : tri::maybe;
    }
    case condition::kind::any_item: return tri::maybe;
    case condition::kind::field: break;
  }
  using event::builtin_field;
  bool keyed = c.field.area == event::field_area::builtin &&
               (c.field.id == builtin_field::status || c.field.id == builtin_field::code ||
                c.field.id == builtin_field::failure);
  if (!keyed) return tri::maybe;
  auto r = match_exact(c.match, event::get_field(key, c.field));
  return !r ? tri::maybe : *r ? tri::yes : tri::no;
}

}  // namespace

namespace {

std::string literal_text(const literal& l) {
  if (l.number || l.boolean) return l.text;
  return fmt::format("'{}'", l.text);
}

std::string list_text(const std::vector<literal>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size() && i < 6; ++i) {
    out += (i > 0 ? ", " : "") + literal_text(values[i]);
  }
  if (values.size() > 6) out += fmt::format(", … {} in all", values.size());
  return out + "]";
}

}  // namespace

/// A matcher as text: `= 401`, `in kling_codes`, `=~ 'risk control'`.
std::string describe(const matcher& m, const std::vector<regex_spec>& regexes) {
  switch (m.type) {
    case matcher::kind::equals: return "= " + literal_text(m.values.front());
    case matcher::kind::one_of:
      return m.set_name.empty() ? "in " + list_text(m.values) : "in " + m.set_name;
    case matcher::kind::regex:
      return fmt::format("=~ '{}'", core::clip(regexes[static_cast<size_t>(m.regex)].pattern, 70));
    case matcher::kind::range:
      return fmt::format("in range [{}, {}]", m.lo ? fmt::format("{}", *m.lo) : "…",
                         m.hi ? fmt::format("{}", *m.hi) : "…");
    case matcher::kind::exists: return m.exists ? "exists" : "is absent";
    case matcher::kind::negate: {
      const matcher& in = m.inner.front();
      if (in.type == matcher::kind::one_of && !in.set_name.empty()) return "not_in " + in.set_name;
      return "not " + describe(in, regexes);
    }
  }
  return {};
}

/// Evaluates conditions against one event (the scratch caches regex sets).
/// With a `held` list, records each condition that held (for explain).
class evaluator {
 public:
  evaluator(const ruleset::compiled& c, const std::vector<regex_spec>& regexes,
            const event::event& ev, match_scratch::state& s)
      : c_(c), regexes_(regexes), ev_(ev), s_(s) {}

  bool holds(const condition& cond, std::string* failed,
             std::vector<std::string>* held = nullptr, std::string* failed_field = nullptr) {
    switch (cond.type) {
      case condition::kind::all:
        for (const auto& ch : cond.children) {
          if (!holds(ch, failed, held, failed_field)) return false;
        }
        return true;
      case condition::kind::any:
        for (const auto& ch : cond.children) {
          size_t mark = held != nullptr ? held->size() : 0;
          if (holds(ch, nullptr, held)) return true;
          if (held != nullptr) held->resize(mark);
        }
        if (failed != nullptr) *failed = at(cond, "no alternative held");
        return false;
      case condition::kind::negate:
        if (!holds(cond.children.front(), nullptr)) {
          if (held != nullptr) held->push_back(at(cond, "not: " + summary(cond.children.front())));
          return true;
        }
        if (failed != nullptr) *failed = at(cond, "its condition held");
        return false;
      case condition::kind::any_item: return any_item(cond, failed, held);
      case condition::kind::field: break;
    }
    event::field_value v = value_of(cond);
    if (match(cond.match, v)) {
      if (held != nullptr) {
        held->push_back(at(cond, fmt::format("{} {}", cond.field_text, describe(cond.match, regexes_))));
      }
      return true;
    }
    if (failed != nullptr) {
      // A header or body value: redacted by its field's name, cut short.
      *failed = at(cond, fmt::format("`{}` is {}", cond.field_text,
                                     core::shorten(core::redact_field(cond.field_text, value_text(v)), 120)));
      if (failed_field != nullptr) *failed_field = cond.field_text;
    }
    return false;
  }

 private:
  /// `any[1].all[2]: <text>`; the element index replaces `[]` inside any_item.
  std::string at(const condition& c, std::string text) const {
    if (c.path.empty()) return text;
    std::string path = c.path;
    if (item_ >= 0) {
      if (size_t p = path.find("[]"); p != std::string::npos) {
        path.replace(p, 2, fmt::format("[{}]", item_));
      }
    }
    return path + ": " + text;
  }

  /// One line for a condition that is shown whole (a `not:`).
  std::string summary(const condition& c) const {
    switch (c.type) {
      case condition::kind::field:
        return fmt::format("{} {}", c.field_text, describe(c.match, regexes_));
      case condition::kind::any_item: return c.field_text + " any_item {" + summary(c.children.front()) + "}";
      case condition::kind::all: {
        std::string out;
        for (const auto& ch : c.children) out += (out.empty() ? "" : ", ") + summary(ch);
        return out;
      }
      case condition::kind::any: return "any: […]";
      case condition::kind::negate: return "not: {…}";
    }
    return {};
  }

  event::field_value value_of(const condition& cond) const {
    event::field_value v = event::get_field(ev_, cond.field);
    if (!cond.item_field) return v;
    if (v.type != event::field_value::kind::list || item_ < 0 ||
        static_cast<size_t>(item_) >= v.items.size()) {
      return {};
    }
    return v.items[static_cast<size_t>(item_)];
  }

  bool any_item(const condition& cond, std::string* failed, std::vector<std::string>* held) {
    event::field_ref count_ref = cond.field;
    count_ref.slot = cond.count_slot;
    event::field_value list = event::get_field(ev_, count_ref);
    size_t n = list.type == event::field_value::kind::list ? list.items.size() : 0;
    for (size_t i = 0; i < n; ++i) {
      item_ = static_cast<int>(i);
      s_.item_generation = ++s_.counter;  // item regex results: per element
      size_t mark = held != nullptr ? held->size() : 0;
      bool ok = holds(cond.children.front(), nullptr, held);
      item_ = -1;
      if (ok) return true;
      if (held != nullptr) held->resize(mark);
    }
    if (failed != nullptr) {
      *failed = at(cond, n == 0 ? fmt::format("`{}` has no elements", cond.field_text)
                                : fmt::format("no element of `{}` matches", cond.field_text));
    }
    return false;
  }

  bool match(const matcher& m, const event::field_value& v) {
    if (m.type == matcher::kind::negate) return !match(m.inner.front(), v);
    if (m.type == matcher::kind::regex) {
      return v.present() && v.type != event::field_value::kind::list && regex_hit(m.regex, v);
    }
    return match_exact(m, v).value_or(false);
  }

  bool regex_hit(int id, const event::field_value& v) {
    int g = c_.group_of[static_cast<size_t>(id)];
    if (g < 0) return false;
    const regex_group& group = c_.groups[static_cast<size_t>(g)];
    uint64_t gen = group.item_field ? s_.item_generation : s_.event_generation;
    if (s_.group_generation[static_cast<size_t>(g)] != gen) {
      s_.group_generation[static_cast<size_t>(g)] = gen;
      for (int rid : group.ids) s_.hit[static_cast<size_t>(rid)] = 0;
      std::string owned;
      std::string_view text = v.text;
      if (v.type != event::field_value::kind::text) {
        owned = value_text(v);
        text = owned;
      }
      s_.matches.clear();
      if (group.set->Match(text, &s_.matches)) {
        for (int k : s_.matches) s_.hit[static_cast<size_t>(group.ids[static_cast<size_t>(k)])] = 1;
      }
    }
    return s_.hit[static_cast<size_t>(id)] != 0;
  }

  const ruleset::compiled& c_;
  const std::vector<regex_spec>& regexes_;
  const event::event& ev_;
  match_scratch::state& s_;
  int item_ = -1;  // the any_item element being evaluated
};

namespace {
match_scratch::state& prepare(match_scratch& scratch, const ruleset::compiled& c,
                              size_t regex_count) {
  auto& s = *scratch.s;
  if (s.group_generation.size() != c.groups.size()) {
    s.group_generation.assign(c.groups.size(), 0);
    s.hit.assign(regex_count, 0);
  }
  s.event_generation = ++s.counter;  // 64 bits: never wraps
  return s;
}
}  // namespace

int ruleset::classify(const event::event& ev, match_scratch& scratch) const {
  auto& s = prepare(scratch, *c_, lib_.regexes.size());
  evaluator e(*c_, lib_.regexes, ev, s);
  for (int idx : candidates(ev, s)) {
    if (e.holds(lib_.rules[static_cast<size_t>(idx)].when, nullptr)) return idx;
  }
  return -1;
}

const std::vector<int>& ruleset::candidates(const event::event& ev,
                                            match_scratch::state& s) const {
  // Codes outside int32 share one key; prejudge then sees the real value
  // of the first such event only, so those keys are not cached.
  bool odd_code = ev.code && (*ev.code < INT32_MIN || *ev.code > INT32_MAX);
  uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(ev.status)) << 40) ^
                 (static_cast<uint64_t>(ev.failure) << 36) ^
                 (ev.code ? (uint64_t{1} << 35) | static_cast<uint32_t>(*ev.code) : 0);
  if (!odd_code) {
    if (auto it = s.candidates.find(key); it != s.candidates.end()) return it->second;
    if (s.candidates.size() >= 4096) s.candidates.clear();  // junk codes: stay bounded
  }
  event::event probe;
  probe.status = ev.status;
  probe.code = ev.code;
  probe.failure = ev.failure;
  std::vector<int> list;
  for (int idx : c_->order) {
    tri t = prejudge(lib_.rules[static_cast<size_t>(idx)].when, probe);
    if (t == tri::no) continue;
    list.push_back(idx);
    if (t == tri::yes) break;  // nothing of lower priority can win
  }
  if (odd_code) {
    s.odd = std::move(list);
    return s.odd;
  }
  return s.candidates.emplace(key, std::move(list)).first->second;
}

bool ruleset::holds(int index, const event::event& ev,
                    match_scratch& scratch) const {
  auto& s = prepare(scratch, *c_, lib_.regexes.size());
  evaluator e(*c_, lib_.regexes, ev, s);
  return e.holds(lib_.rules[static_cast<size_t>(index)].when, nullptr);
}

std::vector<rule_trace> ruleset::trace(const event::event& ev,
                                       match_scratch& scratch) const {
  auto& s = prepare(scratch, *c_, lib_.regexes.size());
  evaluator e(*c_, lib_.regexes, ev, s);
  std::vector<rule_trace> out;
  for (int idx : c_->order) {
    rule_trace t;
    t.rule = idx;
    t.matched = e.holds(lib_.rules[static_cast<size_t>(idx)].when, &t.failed_condition, &t.held,
                        &t.failed_field);
    if (!t.matched) t.held.clear();
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace analyzer::rules
