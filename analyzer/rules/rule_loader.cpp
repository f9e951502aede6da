// SPDX-License-Identifier: MIT
// YAML → rule AST. yaml-cpp throws; this file catches at the boundary and
// turns every problem into a diagnostic that points at file:line:col.
#include "analyzer/rules/rule_loader.hpp"

#include <re2/re2.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <fmt/format.h>

#include "analyzer/core/suggest.hpp"
#include "analyzer/core/sha256.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/loader/yaml_file.hpp"
#include "analyzer/loader/yaml_json.hpp"

namespace analyzer::rules {

std::string_view name_of(retry_advice r) {
  switch (r) {
    case retry_advice::yes: return "yes";
    case retry_advice::no: return "no";
    case retry_advice::after_fix: return "after_fix";
    case retry_advice::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view name_of(meta_key k) {
  switch (k) {
    case meta_key::category: return "category";
    case meta_key::title: return "title";
    case meta_key::description: return "description";
    case meta_key::retryable: return "retryable";
    case meta_key::fixes: return "fixes";
    case meta_key::docs: return "docs";
  }
  return "?";
}

namespace {

/// Loads one file; holds what every check needs to report a problem.
class file_loader {
 public:
  file_loader(const rule_source& src, rule_library& lib, const load_limits& limits)
      : src_(src), lib_(lib), limits_(limits), file_(src.name, src.text, lib.problems, "rule") {}

  void load();

 private:
  core::source_location at(const YAML::Mark& m) const { return file_.at(m); }
  void problem(const YAML::Mark& m, std::string message, std::string help = {}) {
    file_.problem(m, std::move(message), std::move(help));
  }

  void warning(const YAML::Mark& m, std::string message, std::string help = {}) {
    lib_.problems.push_back({core::severity::warning, std::move(message), at(m),
                             file_.snippet(m), std::move(help)});
  }

  void load_sets(const YAML::Node& node);
  void load_rule(const YAML::Node& node, size_t index);
  bool check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view what);
  std::string optional_text(const YAML::Node& node, const char* key, meta_key k, rule& r);
  void load_meta(const YAML::Node& node, rule& r);
  void load_samples(const YAML::Node& node, rule& r);
  condition load_when(const YAML::Node& node, const std::string& path);
  void load_conditions(const YAML::Node& map, condition& into, const std::string& path);
  std::optional<condition> load_field(const std::string& name,
                                      const YAML::Node& key,
                                      const YAML::Node& value,
                                      const std::string& path);
  std::optional<event::field_ref> resolve(const std::string& name, const YAML::Node& key);
  std::optional<condition> load_any_item(const std::string& name, const event::field_ref& array,
                                         const YAML::Node& key, const YAML::Node& value,
                                         const std::string& path);
  std::optional<matcher> load_matcher(const YAML::Node& node,
                                      const std::string& field);
  std::optional<matcher> load_matcher_map(const YAML::Node& node,
                                          const std::string& field);
  std::optional<matcher> load_set_ref(const YAML::Node& node, const std::string& field);
  std::optional<matcher> load_range(const YAML::Node& node);
  int add_regex(const YAML::Node& node, bool case_sensitive);

  const rule_source& src_;
  rule_library& lib_;
  const load_limits& limits_;
  loader::yaml_file file_;
  // Inside `any_item:`: the array field its item fields are relative to.
  std::optional<event::field_ref> item_scope_;
};


/// `any[1].all[2]` + `not` → `any[1].all[2].not`.
std::string child_path(const std::string& path, std::string_view segment) {
  return path.empty() ? std::string(segment) : path + "." + std::string(segment);
}

literal make_literal(const YAML::Node& n) {
  literal l;
  l.text = n.Scalar();
  l.number = core::parse_number(l.text);
  if (n.Tag() == "?" && (l.text == "true" || l.text == "false")) {
    l.boolean = l.text == "true";
  }
  return l;
}

}  // namespace

std::string suggest_name(std::string_view word, const std::vector<std::string_view>& options) {
  return core::did_you_mean(word, options);
}


bool file_loader::check_keys(const YAML::Node& map,
                             std::initializer_list<std::string_view> allowed,
                             std::string_view what) {
  return file_.check_keys(map, allowed, what);
}

std::string file_loader::optional_text(const YAML::Node& node, const char* key,
                                       meta_key k, rule& r) {
  YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar() || v.Scalar().empty()) {
    problem(v.Mark(), fmt::format("`{}` must be a non-empty text", key));
    return {};
  }
  r.given[static_cast<size_t>(k)] = at(v.Mark());
  return v.Scalar();
}


void file_loader::load() {
  lib_.sources.push_back(src_.name);
  lib_.texts[src_.name] = src_.text;
  append_digest_text(src_, lib_.source_text);
  using origin = loader::yaml_file::origin;
  std::string lean;
  if (src_.skip_samples) lean = loader::without_blocks(src_.text, "samples");
  auto parsed = file_.parse(src_.skip_samples ? lean : src_.text, limits_,
                            src_.builtin ? origin::embedded : origin::user);
  if (!parsed) return;
  YAML::Node root = *parsed;
  if (!root.IsMap()) {
    problem(root.Mark(), "a rule file must be a map with a `rules:` list",
            "start the file with `rules:`");
    return;
  }
  check_keys(root, {"rules", "sets", "pack"}, "the rule file");
  if (YAML::Node sets = root["sets"]) load_sets(sets);
  YAML::Node list = root["rules"];
  if (!list && root["sets"]) return;  // a file of sets only
  if (!list || !list.IsSequence()) {
    problem(list ? list.Mark() : root.Mark(), "`rules` must be a list of rules");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) load_rule(list[i], i);
}

void file_loader::load_sets(const YAML::Node& node) {
  static const RE2 name_re("[A-Za-z_][A-Za-z0-9_]*");
  if (!node.IsMap()) {
    problem(node.Mark(), "`sets` must be a map of name: [values]",
            "e.g. `sets: {kling_codes: [1000, 1001]}`");
    return;
  }
  for (auto kv : node) {
    std::string name = kv.first.Scalar();
    if (!RE2::FullMatch(name, name_re)) {
      problem(kv.first.Mark(), fmt::format("invalid set name `{}`", name),
              "use letters, digits and `_`, starting with a letter");
      continue;
    }
    const YAML::Node& values = kv.second;
    if (!values.IsSequence() || values.size() == 0) {
      problem(values.Mark(), fmt::format("set `{}` must be a non-empty list of values", name));
      continue;
    }
    value_set set;
    set.where = at(kv.first.Mark());
    bool ok = true;
    for (const auto& item : values) {
      if (!item.IsScalar()) {
        problem(item.Mark(), fmt::format("set `{}` must hold plain values", name));
        ok = false;
        break;
      }
      set.values.push_back(make_literal(item));
    }
    if (!ok) continue;
    if (auto it = lib_.sets.find(name); it != lib_.sets.end()) {
      problem(kv.first.Mark(), fmt::format("duplicate set `{}`", name),
              fmt::format("first defined at {}:{}; a set is defined once per layer "
                          "(a later --rules layer may replace it)",
                          it->second.where.file, it->second.where.line));
      continue;
    }
    lib_.sets.emplace(name, std::move(set));
  }
}

void file_loader::load_rule(const YAML::Node& node, size_t index) {
  if (!node.IsMap()) {
    problem(node.Mark(), fmt::format("rule #{} is not a map", index + 1));
    return;
  }
  size_t before = core::error_count(lib_.problems);
  check_keys(node, {"id", "cause", "category", "title", "priority", "when", "retryable",
                    "fixes", "docs", "description", "samples"},
             "a rule");
  rule r;
  r.where = at(node.Mark());
  r.builtin = src_.builtin;
  if (YAML::Node id = node["id"]; !id || !id.IsScalar() || id.Scalar().empty()) {
    problem(id ? id.Mark() : node.Mark(),
            id ? "`id` must be a non-empty text" : "rule has no `id`",
            "every rule needs `id`, `category` and `title`");
  } else {
    r.id = id.Scalar();
  }
  if (YAML::Node c = node["cause"]) {
    if (!c.IsScalar() || c.Scalar().empty()) problem(c.Mark(), "`cause` must be a non-empty text");
    else r.cause = c.Scalar();
  }
  bool own_cause = r.cause.empty();
  if (own_cause) r.cause = r.id;
  r.category = optional_text(node, "category", meta_key::category, r);
  r.title = optional_text(node, "title", meta_key::title, r);
  for (const char* key : {"category", "title"}) {
    // A rule without `cause:` is its own cause and describes it; a rule of
    // another rule's cause may leave that to the cause's first rule.
    if (own_cause && (!node[key] || node[key].IsNull())) {
      problem(node.Mark(), fmt::format("rule has no `{}`", key),
              "every rule needs `id`, `category` and `title`, unless `cause:` names a cause "
              "that another rule describes");
    }
  }
  r.description = optional_text(node, "description", meta_key::description, r);
  load_meta(node, r);
  if (YAML::Node when = node["when"]; when && !when.IsNull()) {
    r.when = load_when(when, "");
  }
  r.when.where = r.where;
  load_samples(node, r);
  if (core::error_count(lib_.problems) == before) lib_.rules.push_back(std::move(r));
}

void file_loader::load_meta(const YAML::Node& node, rule& r) {
  if (YAML::Node p = node["priority"]) {
    auto v = p.IsScalar() ? core::parse_int(p.Scalar()) : std::nullopt;
    if (!v) problem(p.Mark(), "`priority` must be an integer");
    else r.priority = static_cast<int>(*v);
  }
  if (YAML::Node rt = node["retryable"]) {
    std::string v = rt.IsScalar() ? rt.Scalar() : "";
    r.given[static_cast<size_t>(meta_key::retryable)] = at(rt.Mark());
    if (v == "yes" || v == "true") r.retryable = retry_advice::yes;
    else if (v == "no" || v == "false") r.retryable = retry_advice::no;
    else if (v == "after_fix") r.retryable = retry_advice::after_fix;
    else if (v == "unknown") r.retryable = retry_advice::unknown;
    else problem(rt.Mark(), fmt::format("invalid `retryable` value `{}`", v),
                 "use yes, no, after_fix or unknown");
  }
  if (YAML::Node f = node["fixes"]) {
    r.given[static_cast<size_t>(meta_key::fixes)] = at(f.Mark());
    if (!f.IsSequence()) {
      problem(f.Mark(), "`fixes` must be a list of texts");
    } else {
      for (const auto& item : f) {
        if (item.IsScalar()) r.fixes.push_back(item.Scalar());
        else problem(item.Mark(), "each fix must be a text",
                     "quote it: an unquoted `: ` inside a text makes YAML read a map");
      }
    }
  }
  if (YAML::Node d = node["docs"]; d && d.IsScalar()) {
    r.docs = d.Scalar();
    r.given[static_cast<size_t>(meta_key::docs)] = at(d.Mark());
  }
}

void file_loader::load_samples(const YAML::Node& node, rule& r) {
  if (src_.skip_samples) return;
  bool required = src_.builtin || src_.require_samples;
  auto missing = [&](const YAML::Mark& m, std::string message, std::string help) {
    if (required) {
      problem(m, std::move(message), std::move(help));
    } else {
      warning(m, message + ": it is not tested",
              help + " (`rules check --strict` makes this an error)");
    }
  };
  YAML::Node s = node["samples"];
  if (!s || !s.IsMap()) {
    if (s && !s.IsMap()) {
      problem(s.Mark(), "`samples` must be a map with `match` and `no_match` lists");
      return;
    }
    missing(node.Mark(), fmt::format("rule `{}` has no `samples`", r.id),
            "add `samples: {match: [...], no_match: [...]}` with at least one "
            "record the rule must match");
    return;
  }
  check_keys(s, {"match", "no_match"}, "samples");
  auto read = [&](const char* key, std::vector<sample>& out) {
    YAML::Node list = s[key];
    if (!list) return;
    if (!list.IsSequence()) {
      problem(list.Mark(), fmt::format("`samples.{}` must be a list of records", key));
      return;
    }
    for (const auto& rec : list) {
      if (!rec.IsMap()) {
        problem(rec.Mark(), "a sample must be a record (a map)");
        continue;
      }
      out.push_back({loader::yaml_to_json(rec), at(rec.Mark())});
    }
  };
  read("match", r.match_samples);
  read("no_match", r.no_match_samples);
  if (r.match_samples.empty()) {
    missing(s.Mark(), fmt::format("rule `{}` has no `match` sample", r.id),
            "add at least one record the rule must match");
  }
}

condition file_loader::load_when(const YAML::Node& node, const std::string& path) {
  condition c;
  c.type = condition::kind::all;
  c.where = at(node.Mark());
  c.path = path;
  // Nesting depth from the path (`any[1].all[2].not`): bounded, so every
  // recursion over conditions (loading, matching, explaining) is too.
  size_t depth = path.empty() ? 0 : 1 + static_cast<size_t>(std::count(path.begin(), path.end(), '.'));
  if (depth >= max_condition_depth) {
    problem(node.Mark(), fmt::format("conditions nested deeper than {} levels", max_condition_depth),
            "flatten the `all:`/`any:`/`not:` groups");
    return c;
  }
  if (!node.IsMap()) {
    problem(node.Mark(), "`when` must be a map of field: matcher",
            "e.g. `when: {status: 401, jwt.expired: true}`");
    return c;
  }
  load_conditions(node, c, path);
  return c;
}

void file_loader::load_conditions(const YAML::Node& map, condition& into,
                                  const std::string& path) {
  for (auto kv : map) {
    std::string key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    if (key == "all" || key == "any") {
      condition group;
      group.type = key == "all" ? condition::kind::all : condition::kind::any;
      group.where = at(kv.first.Mark());
      group.path = child_path(path, key);
      if (!value.IsSequence()) {
        problem(value.Mark(), fmt::format("`{}` must be a list of condition maps", key));
        continue;
      }
      for (size_t i = 0; i < value.size(); ++i) {
        group.children.push_back(
            load_when(value[i], child_path(path, fmt::format("{}[{}]", key, i))));
      }
      into.children.push_back(std::move(group));
    } else if (key == "not") {
      condition neg;
      neg.type = condition::kind::negate;
      neg.where = at(kv.first.Mark());
      neg.path = child_path(path, "not");
      neg.children.push_back(load_when(value, neg.path));
      into.children.push_back(std::move(neg));
    } else if (auto c = load_field(key, kv.first, value, path)) {
      into.children.push_back(std::move(*c));
    }
  }
}

std::optional<event::field_ref> file_loader::resolve(const std::string& name,
                                                     const YAML::Node& key) {
  if (name.find("[]") != std::string::npos || name.find('[') != std::string::npos) {
    problem(key.Mark(), fmt::format("`{}`: a field name has no `[...]`", name),
            "test the elements of an array with `<array field>: {any_item: {<item field>: "
            "...}}`; a fixed element is `request.body.<array>.0.<field>`");
    return std::nullopt;
  }
  if (item_scope_) {  // a path inside the array's elements
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string::npos) {
      problem(key.Mark(), fmt::format("invalid item field `{}`", name));
      return std::nullopt;
    }
    event::field_ref ref = *item_scope_;
    ref.slot = event::item_slot(*item_scope_, name, lib_.plan);
    return ref;
  }
  auto ref = event::resolve_field(name, lib_.plan);
  if (!ref) {
    std::vector<std::string_view> names;
    for (const auto& [n, id] : event::builtin_fields()) names.push_back(n);
    problem(key.Mark(), fmt::format("unknown field `{}`", name),
            core::did_you_mean(name, names) +
                "fields are listed in rules/README.md; header and body fields "
                "are written request.headers.<name>, request.body.<path>, "
                "response.headers.<name>, response.body.<path>");
    return std::nullopt;
  }
  if (ref->area == event::field_area::request_header &&
      lib_.plan.items[ref->slot].path == "authorization") {
    problem(key.Mark(), "`request.headers.authorization` is never offered to rules",
            "credentials are not fields; test auth.present, auth.scheme, "
            "auth.well_formed, auth.token_kind, auth.redacted or the jwt.* fields instead");
    return std::nullopt;
  }
  return ref;
}

std::optional<condition> file_loader::load_field(const std::string& name,
                                                 const YAML::Node& key,
                                                 const YAML::Node& value,
                                                 const std::string& path) {
  auto ref = resolve(name, key);
  if (!ref) return std::nullopt;
  // `{any_item: ...}`, or its negation `{not: {any_item: ...}}`.
  if (value.IsMap() && value.size() == 1) {
    if (YAML::Node inner = value["any_item"]) {
      return load_any_item(name, *ref, key, inner, path);
    }
    if (YAML::Node neg = value["not"]; neg && neg.IsMap() && neg.size() == 1 && neg["any_item"]) {
      auto item = load_any_item(name, *ref, key, neg["any_item"], path);
      if (!item) return std::nullopt;
      condition c;
      c.type = condition::kind::negate;
      c.where = at(key.Mark());
      c.path = path;
      c.children.push_back(std::move(*item));
      return c;
    }
  }
  auto m = load_matcher(value, name);
  if (!m) return std::nullopt;
  condition c;
  c.type = condition::kind::field;
  c.field = *ref;
  c.field_text = name;
  c.match = std::move(*m);
  c.where = at(key.Mark());
  c.path = path;
  c.item_field = item_scope_.has_value();
  return c;
}

namespace {
/// The slot of some item field under `c` (any_item's element count).
std::optional<uint16_t> first_item_slot(const condition& c) {
  if (c.type == condition::kind::field && c.item_field) return c.field.slot;
  for (const auto& ch : c.children) {
    if (auto s = first_item_slot(ch)) return s;
  }
  return std::nullopt;
}
}  // namespace

std::optional<condition> file_loader::load_any_item(const std::string& name,
                                                    const event::field_ref& array,
                                                    const YAML::Node& key,
                                                    const YAML::Node& value,
                                                    const std::string& path) {
  bool body = array.area == event::field_area::request_body ||
              array.area == event::field_area::response_body;
  if (!body || item_scope_) {
    problem(key.Mark(),
            item_scope_ ? fmt::format("`any_item` cannot be nested (in `{}`)", name)
                        : fmt::format("`any_item` needs an array field of a body, not `{}`", name),
            "write it on request.body.<array> or response.body.<array>");
    return std::nullopt;
  }
  if (!value.IsMap() || value.size() == 0) {
    problem(value.Mark(), "`any_item` must be a map of item fields: matcher",
            "e.g. `request.body.contents: {any_item: {type: prompt}}`");
    return std::nullopt;
  }
  condition c;
  c.type = condition::kind::any_item;
  c.field = array;
  c.field_text = name;
  c.where = at(key.Mark());
  c.path = path;
  size_t before = core::error_count(lib_.problems);
  item_scope_ = array;
  c.children.push_back(load_when(value, child_path(path, name + "[]")));
  item_scope_.reset();
  if (core::error_count(lib_.problems) != before) return std::nullopt;
  auto slot = first_item_slot(c);
  if (!slot) {
    problem(value.Mark(), "`any_item` must test at least one field of the item");
    return std::nullopt;
  }
  c.count_slot = *slot;
  return c;
}

std::optional<matcher> file_loader::load_matcher(const YAML::Node& node,
                                                 const std::string& field) {
  matcher m;
  if (node.IsScalar()) {
    static const RE2 range_text(R"((-?\d+)\s*-\s*(-?\d+))");
    std::string lo, hi;
    if (node.Tag() == "!" || node.Tag() == "?") {
      if (RE2::FullMatch(node.Scalar(), range_text, &lo, &hi)) {
        m.type = matcher::kind::range;
        m.lo = core::parse_number(lo);
        m.hi = core::parse_number(hi);
        return m;
      }
    }
    m.type = matcher::kind::equals;
    m.values.push_back(make_literal(node));
    return m;
  }
  if (node.IsSequence()) {
    m.type = matcher::kind::one_of;
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        problem(item.Mark(), fmt::format("the list for `{}` must hold plain values", field));
        return std::nullopt;
      }
      m.values.push_back(make_literal(item));
      if (m.values.back().number) m.numbers.push_back(*m.values.back().number);
    }
    std::sort(m.numbers.begin(), m.numbers.end());
    return m;
  }
  if (node.IsMap()) return load_matcher_map(node, field);
  problem(node.Mark(), fmt::format("`{}` has no matcher", field),
          "write a value, a list, or {regex|range|exists|not: ...}");
  return std::nullopt;
}

std::optional<matcher> file_loader::load_matcher_map(const YAML::Node& node,
                                                     const std::string& field) {
  if (!check_keys(node, {"regex", "case_sensitive", "range", "exists", "not", "in", "not_in",
                         "any_item"},
                  fmt::format("the matcher of `{}`", field))) {
    return std::nullopt;
  }
  if (node["any_item"]) {
    problem(node["any_item"].Mark(), "`any_item` must be the only key of the matcher",
            "e.g. `request.body.contents: {any_item: {type: prompt}}` or "
            "`{not: {any_item: ...}}`");
    return std::nullopt;
  }
  if (node["in"] || node["not_in"]) return load_set_ref(node, field);
  matcher m;
  if (YAML::Node re = node["regex"]) {
    bool cs = node["case_sensitive"] && node["case_sensitive"].Scalar() == "true";
    m.type = matcher::kind::regex;
    m.regex = add_regex(re, cs);
    if (m.regex < 0) return std::nullopt;
    return m;
  }
  if (YAML::Node r = node["range"]) return load_range(r);
  if (YAML::Node e = node["exists"]) {
    if (!e.IsScalar() || (e.Scalar() != "true" && e.Scalar() != "false")) {
      problem(e.Mark(), "`exists` must be true or false");
      return std::nullopt;
    }
    m.type = matcher::kind::exists;
    m.exists = e.Scalar() == "true";
    return m;
  }
  if (YAML::Node n = node["not"]) {
    auto inner = load_matcher(n, field);
    if (!inner) return std::nullopt;
    m.type = matcher::kind::negate;
    m.inner.push_back(std::move(*inner));
    return m;
  }
  problem(node.Mark(), fmt::format("the matcher of `{}` is empty", field),
          "use one of regex, range, exists, not, in, not_in");
  return std::nullopt;
}

std::optional<matcher> file_loader::load_set_ref(const YAML::Node& node,
                                                 const std::string& field) {
  bool negated = !node["in"];
  YAML::Node name = negated ? node["not_in"] : node["in"];
  if (node.size() != 1) {
    problem(node.Mark(), fmt::format("`{}` must be the only key of the matcher of `{}`",
                                     negated ? "not_in" : "in", field));
    return std::nullopt;
  }
  if (!name.IsScalar() || name.Scalar().empty()) {
    problem(name.Mark(), fmt::format("`{}` takes the name of a set", negated ? "not_in" : "in"),
            "define sets at the top of a rule file: `sets: {kling_codes: [1000, 1001]}`; "
            "a literal list is written `field: [a, b]`");
    return std::nullopt;
  }
  matcher set;
  set.type = matcher::kind::one_of;
  set.set_name = name.Scalar();
  set.set_where = at(name.Mark());
  if (!negated) return set;
  matcher m;
  m.type = matcher::kind::negate;
  m.inner.push_back(std::move(set));
  return m;
}

std::optional<matcher> file_loader::load_range(const YAML::Node& r) {
  matcher m;
  m.type = matcher::kind::range;
  if (!r.IsSequence() || r.size() != 2) {
    problem(r.Mark(), "`range` must be a list of two bounds: [lo, hi]",
            "use null for an open side: [null, 0]");
    return std::nullopt;
  }
  for (size_t i = 0; i < 2; ++i) {
    const YAML::Node& b = r[i];
    if (b.IsNull() || (b.IsScalar() && (b.Scalar() == "~" || b.Scalar() == "null"))) continue;
    auto v = b.IsScalar() ? core::parse_number(b.Scalar()) : std::nullopt;
    if (!v) {
      problem(b.Mark(), fmt::format("range bound `{}` is not a number",
                                    b.IsScalar() ? b.Scalar() : "?"));
      return std::nullopt;
    }
    (i == 0 ? m.lo : m.hi) = v;
  }
  if (m.lo && m.hi && *m.lo > *m.hi) {
    problem(r.Mark(), fmt::format("empty range: {} is greater than {}", *m.lo, *m.hi),
            "write the lower bound first");
    return std::nullopt;
  }
  return m;
}

int file_loader::add_regex(const YAML::Node& node, bool case_sensitive) {
  if (!node.IsScalar()) {
    problem(node.Mark(), "`regex` must be a text");
    return -1;
  }
  // A user's regex is compiled here, on its own, for an error that names
  // it; the bundled pack's are checked by its tests (rules.check_pack), and
  // ruleset::compile still refuses one RE2 rejects: a tenth of start-up.
  if (src_.builtin) {
    lib_.regexes.push_back({node.Scalar(), case_sensitive, at(node.Mark())});
    return static_cast<int>(lib_.regexes.size() - 1);
  }
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(case_sensitive);
  RE2 re(node.Scalar(), opts);
  if (!re.ok()) {
    problem(node.Mark(), fmt::format("invalid regex: {}", re.error()),
            re.error_arg().empty()
                ? "RE2 syntax: no look-around or back-references"
                : fmt::format("the problem is at `{}`; RE2 syntax has no "
                              "look-around or back-references",
                              re.error_arg()));
    return -1;
  }
  lib_.regexes.push_back({node.Scalar(), case_sensitive, at(node.Mark())});
  return static_cast<int>(lib_.regexes.size() - 1);
}

void load_rule_file(const rule_source& src, rule_library& lib, const load_limits& limits) {
  file_loader(src, lib, limits).load();
}


std::vector<rule_source> read_rule_path(const std::string& path,
                                        core::diagnostics& problems,
                                        const load_limits& limits) {
  std::vector<rule_source> out;
  for (auto& f : loader::read_yaml_path(path, "rule", problems, limits)) {
    out.push_back({std::move(f.name), std::move(f.text), false});
  }
  return out;
}

void merge_layer(rule_library& base, rule_library&& layer) {
  // Regex and plan indices of `layer` are relative to it: shift them.
  int regex_shift = static_cast<int>(base.regexes.size());
  for (auto& re : layer.regexes) base.regexes.push_back(std::move(re));
  std::vector<uint16_t> slot_map;
  for (const auto& item : layer.plan.items) {
    slot_map.push_back(base.plan.slot_for(item.area, item.path));
  }
  std::function<void(condition&)> remap = [&](condition& c) {
    if (c.type == condition::kind::any_item) {
      c.field.slot = slot_map[c.field.slot];
      c.count_slot = slot_map[c.count_slot];
    }
    if (c.type == condition::kind::field) {
      if (c.field.area != event::field_area::builtin) {
        c.field.slot = slot_map[c.field.slot];
      }
      std::function<void(matcher&)> fix = [&](matcher& m) {
        if (m.type == matcher::kind::regex) m.regex += regex_shift;
        for (auto& in : m.inner) fix(in);
      };
      fix(c.match);
    }
    for (auto& ch : c.children) remap(ch);
  };
  size_t base_count = base.rules.size();
  for (auto& r : layer.rules) {
    remap(r.when);
    auto same = [&](const rule& x) { return x.id == r.id; };
    auto in_base = std::find_if(base.rules.begin(), base.rules.begin() + static_cast<std::ptrdiff_t>(base_count), same);
    auto in_layer = std::find_if(base.rules.begin() + static_cast<std::ptrdiff_t>(base_count), base.rules.end(), same);
    if (in_layer != base.rules.end()) {
      base.problems.push_back(
          {core::severity::error, fmt::format("duplicate rule id `{}`", r.id),
           r.where, {},
           fmt::format("first defined at {}:{}; give one of them another id",
                       in_layer->where.file, in_layer->where.line)});
    } else if (in_base != base.rules.begin() + static_cast<std::ptrdiff_t>(base_count)) {
      *in_base = std::move(r);  // override: takes the replaced rule's place
    } else {
      base.rules.push_back(std::move(r));
    }
  }
  for (auto& [name, set] : layer.sets) base.sets.insert_or_assign(name, std::move(set));
  for (auto& p : layer.problems) base.problems.push_back(std::move(p));
  for (auto& s : layer.sources) base.sources.push_back(std::move(s));
  for (auto& [name, text] : layer.texts) base.texts.insert_or_assign(name, std::move(text));
  base.source_text += layer.source_text;
}

std::vector<rule_source> builtin_rule_sources_lean() {
  std::vector<rule_source> out = builtin_rule_sources();
  for (auto& s : out) s.skip_samples = true;
  return out;
}

void append_digest_text(const rule_source& src, std::string& text) {
  text += src.name;
  text += '\n';
  text += src.text;
  text += '\n';
}

std::string sources_digest(const std::vector<rule_source>& sources) {
  std::string text;
  for (const auto& s : sources) append_digest_text(s, text);
  return "sha256:" + core::sha256_hex(text);
}

}  // namespace analyzer::rules
