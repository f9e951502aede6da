// SPDX-License-Identifier: MIT
// YAML → compiled profile. yaml-cpp throws; analyzer/loader catches at the
// boundary and every problem becomes a diagnostic at file:line:col. The
// pointers a profile names are compiled into tries here (profile.hpp).
#include "analyzer/profile/profile_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <stdexcept>

#include "analyzer/core/suggest.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/loader/yaml_file.hpp"
#include "analyzer/loader/yaml_json.hpp"
#include "analyzer/profile/regex.hpp"

namespace analyzer::profile {

namespace {

const std::vector<std::string_view> kFormats = {"json", "text", "har"};

struct pointer_text {
  std::vector<std::string> segments;
};

/// Which trie a pointer lives in: the record's, or the envelope's.
enum class trie_id { record, envelope };

class file_loader {
 public:
  file_loader(const profile_source& src, core::diagnostics& problems)
      : src_(src), file_(src.name, src.text, problems, "profile") {}

  void load(std::vector<std::shared_ptr<compiled_profile>>& out);

 private:
  using node = YAML::Node;
  void problem(const YAML::Mark& m, std::string message, std::string help = {}) {
    file_.problem(m, std::move(message), std::move(help));
    ++errors_;
  }

  std::shared_ptr<compiled_profile> load_profile(const node& n, size_t index);
  bool load_shape(const node& n);
  void load_lists(const node& n);
  void load_envelope(const node& n);
  void load_fields(const node& n);
  void load_field(const std::string& name, const node& key, const node& value);
  std::optional<source> load_source(const field_map& f, const node& n, size_t rank);
  bool load_as(const field_map& f, const node& as, source& s);
  condition load_condition(const node& n, trie_id trie);
  void load_condition_map(const node& n, trie_id trie, condition& into);
  void load_samples(const node& n);
  void check_tries();

  std::optional<pointer_text> parse_pointer(const node& n);
  int node_for(trie_id trie, const pointer_text& ptr);
  int slot_for(trie_id trie, const node& n);
  int slot_for_text(trie_id trie, const std::string& ptr, const YAML::Mark& m);
  std::vector<trie_node>& trie(trie_id t) {
    return t == trie_id::record ? p_->nodes : p_->envelope;
  }

  const profile_source& src_;
  loader::yaml_file file_;
  compiled_profile* p_ = nullptr;
  int errors_ = 0;
  std::map<std::pair<int, std::string>, int> slots_;  // (trie, pointer) → slot
};

std::optional<pointer_text> file_loader::parse_pointer(const node& n) {
  if (!n.IsScalar() || n.Scalar().empty() || n.Scalar().front() != '/') {
    problem(n.Mark(), fmt::format("`{}` is not a JSON pointer", n.IsScalar() ? n.Scalar() : "?"),
            "a pointer starts with `/`: `/res/statusCode`; `~1` stands for `/` "
            "and `~0` for `~` inside a key; `*` is every element of an array");
    return std::nullopt;
  }
  pointer_text out;
  std::string_view s = n.Scalar();
  s.remove_prefix(1);
  while (true) {
    size_t slash = s.find('/');
    std::string_view raw = s.substr(0, slash);
    std::string seg;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        seg += raw[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        seg += raw[i];
      }
    }
    out.segments.push_back(std::move(seg));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return out;
}

int file_loader::node_for(trie_id t, const pointer_text& ptr) {
  std::vector<trie_node>& nodes = trie(t);
  if (nodes.empty()) nodes.emplace_back();
  size_t at = 0;
  for (const auto& seg : ptr.segments) {
    int next = -1;
    if (seg == "*") {
      next = nodes[at].each;
      if (next < 0) {
        next = static_cast<int>(nodes.size());
        nodes[at].each = next;
        nodes.emplace_back();
      }
    } else {
      next = nodes[at].child(seg);
      if (next < 0) {
        next = static_cast<int>(nodes.size());
        nodes[at].children.emplace_back(seg, static_cast<uint32_t>(next));
        nodes.emplace_back();
      }
    }
    at = static_cast<size_t>(next);
  }
  return static_cast<int>(at);
}

int file_loader::slot_for_text(trie_id t, const std::string& ptr, const YAML::Mark& m) {
  auto key = std::make_pair(static_cast<int>(t), ptr);
  if (auto it = slots_.find(key); it != slots_.end()) return it->second;
  if (p_->kind == compiled_profile::shape::text) {
    // Text lines: `/name` is the named group `name` of the pattern.
    std::vector<std::string_view> groups;
    for (size_t i = 0; i < p_->slot_names.size(); ++i) groups.push_back(p_->slot_names[i]);
    problem(m, fmt::format("`{}` is not a named group of the pattern", ptr),
            core::did_you_mean(std::string_view(ptr).substr(1), groups) +
                "in a text profile a pointer `/name` reads the group `(?P<name>...)`");
  }
  return -1;
}

int file_loader::slot_for(trie_id t, const node& n) {
  auto ptr = parse_pointer(n);
  if (!ptr) return -1;
  const std::string& text = n.Scalar();
  auto key = std::make_pair(static_cast<int>(t), text);
  if (auto it = slots_.find(key); it != slots_.end()) return it->second;
  if (p_->kind == compiled_profile::shape::text) return slot_for_text(t, text, n.Mark());
  int at = node_for(t, *ptr);
  trie_node& tn = trie(t)[static_cast<size_t>(at)];
  if (tn.slot < 0) {
    tn.slot = p_->slot_count++;
    p_->slot_names.push_back(text);
  }
  slots_[key] = tn.slot;
  return tn.slot;
}

void file_loader::load(std::vector<std::shared_ptr<compiled_profile>>& out) {
  using origin = loader::yaml_file::origin;
  std::string lean;
  if (src_.skip_samples) lean = loader::without_blocks(src_.text, "samples");
  auto parsed = file_.parse(src_.skip_samples ? lean : src_.text, {},
                            src_.builtin ? origin::embedded : origin::user);
  if (!parsed) return;
  node root = *parsed;
  if (!root.IsMap()) {
    problem(root.Mark(), "a profile file must be a map with a `profiles:` list",
            "start the file with `profiles:`");
    return;
  }
  file_.check_keys(root, {"profiles"}, "the profile file");
  node list = root["profiles"];
  if (!list || !list.IsSequence()) {
    problem(list ? list.Mark() : root.Mark(), "`profiles` must be a list of profiles");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (auto p = load_profile(list[i], i)) out.push_back(std::move(p));
  }
}

std::shared_ptr<compiled_profile> file_loader::load_profile(const node& n, size_t index) {
  if (!n.IsMap()) {
    problem(n.Mark(), fmt::format("profile #{} is not a map", index + 1));
    return nullptr;
  }
  int before = errors_;
  auto p = std::make_shared<compiled_profile>();
  p_ = p.get();
  slots_.clear();
  p->nodes.emplace_back();
  p->where = file_.at(n.Mark());
  p->file = src_.name;
  p->builtin = src_.builtin;
  file_.check_keys(n, {"id", "title", "description", "format", "pattern", "skip_lines",
                       "records", "lists", "detect", "skip", "fields", "samples"},
                   "a profile");
  for (const char* key : {"id", "title"}) {
    node v = n[key];
    if (!v || !v.IsScalar() || v.Scalar().empty()) {
      problem(v ? v.Mark() : n.Mark(), fmt::format("profile has no `{}`", key),
              "every profile needs `id`, `title`, `detect` (or a text `pattern`) and `fields`");
    }
  }
  if (n["id"] && n["id"].IsScalar()) p->id = n["id"].Scalar();
  if (n["title"] && n["title"].IsScalar()) p->title = n["title"].Scalar();
  if (n["description"] && n["description"].IsScalar()) p->description = n["description"].Scalar();
  if (!load_shape(n)) return nullptr;
  load_lists(n["lists"]);
  load_envelope(n["records"]);
  trie_id detect_trie = p->has_envelope() ? trie_id::envelope : trie_id::record;
  if (node d = n["detect"]; d && !d.IsNull()) {
    p->detect = load_condition(d, detect_trie);
  } else if (p->kind == compiled_profile::shape::json) {
    problem(n.Mark(), fmt::format("profile `{}` has no `detect`", p->id),
            "say what every record of this logger has, e.g. `detect: {keys: [req, res]}`");
  }
  if (node s = n["skip"]; s && !s.IsNull()) p->skip = load_condition(s, trie_id::record);
  p->field_of.assign(static_cast<size_t>(target::response_header) + 1, -1);
  if (node f = n["fields"]; f && f.IsMap()) {
    load_fields(f);
  } else {
    problem(f ? f.Mark() : n.Mark(), fmt::format("profile `{}` has no `fields` map", p->id),
            "map canonical fields to pointers: `fields: {response.status: /res/statusCode}`");
  }
  load_samples(n["samples"]);
  check_tries();
  p->slot_uses.assign(static_cast<size_t>(p->slot_count), {});
  for (size_t i = 0; i < p->fields.size(); ++i) {
    field_map& f = p->fields[i];
    for (size_t r = 0; r < f.sources.size(); ++r) {
      const source& s = f.sources[r];
      if (s.type == source::kind::pointer) {
        p->slot_uses[static_cast<size_t>(s.slot)].emplace_back(static_cast<uint16_t>(i),
                                                               static_cast<uint8_t>(r));
      } else if (s.type != source::kind::body) {
        f.simple = false;
        p->has_complex_fields = true;
      }
    }
  }
  // Leaves whose value feeds exactly one field: applied during the walk.
  std::vector<bool> named(static_cast<size_t>(p->slot_count), false);
  std::function<void(const condition&)> mark = [&](const condition& c) {
    if (c.slot >= 0) named[static_cast<size_t>(c.slot)] = true;
    for (const auto& ch : c.children) mark(ch);
  };
  mark(p->detect);
  if (p->skip) mark(*p->skip);
  for (const auto& c : p->conditions) mark(c);
  for (const auto& f : p->fields) {
    for (const auto& s : f.sources) {
      for (const auto& part : s.parts) {
        if (part.slot >= 0) named[static_cast<size_t>(part.slot)] = true;
      }
    }
  }
  for (auto& tn : p->nodes) {
    if (tn.slot < 0 || tn.body >= 0 || !tn.children.empty() || tn.each >= 0 || tn.keyed) continue;
    const auto& uses = p->slot_uses[static_cast<size_t>(tn.slot)];
    if (named[static_cast<size_t>(tn.slot)] || uses.size() != 1) continue;
    const source& s = p->fields[uses[0].first].sources[uses[0].second];
    if (s.when >= 0) continue;
    tn.direct_field = static_cast<int16_t>(uses[0].first);
    tn.direct_rank = uses[0].second;
  }
  // Specificity: detect conditions that must hold (an `any` counts its
  // weakest branch); a text pattern counts as one more.
  std::function<int(const condition&)> weight = [&](const condition& c) -> int {
    switch (c.type) {
      case condition::kind::all: {
        int sum = 0;
        for (const auto& ch : c.children) sum += weight(ch);
        return sum;
      }
      case condition::kind::any: {
        int low = c.children.empty() ? 0 : 1 << 20;
        for (const auto& ch : c.children) low = std::min(low, weight(ch));
        return low;
      }
      case condition::kind::negate: return 1;
      default: return 1;
    }
  };
  p->specificity = weight(p->detect) + (p->line ? 1 : 0);
  p_ = nullptr;
  if (errors_ != before) return nullptr;
  return p;
}

bool file_loader::load_shape(const node& n) {
  if (node f = n["format"]) {
    std::string v = f.IsScalar() ? f.Scalar() : "";
    if (v == "json") p_->kind = compiled_profile::shape::json;
    else if (v == "text") p_->kind = compiled_profile::shape::text;
    else if (v == "har") p_->kind = compiled_profile::shape::har;
    else {
      problem(f.Mark(), fmt::format("unknown format `{}`", v),
              core::did_you_mean(v, kFormats) + "use json (the default), text or har");
      return false;
    }
  }
  node pat = n["pattern"];
  if (p_->kind == compiled_profile::shape::text) {
    if (!pat || !pat.IsScalar()) {
      problem(pat ? pat.Mark() : n.Mark(), "a text profile needs a `pattern`",
              "a regular expression (RE2) with named groups: `(?P<status>\\d{3})`");
      return false;
    }
    std::string error;
    p_->line = compile_regex(pat.Scalar(), true, error);
    if (!p_->line) {
      problem(pat.Mark(), fmt::format("invalid pattern: {}", error),
              "RE2 syntax: named groups are (?P<name>...); no look-around or back-references");
      return false;
    }
    p_->group_slot = group_slots(*p_->line, p_->slot_names);
    p_->slot_count = static_cast<int>(p_->slot_names.size());
    for (size_t i = 0; i < p_->slot_names.size(); ++i) {
      slots_[{static_cast<int>(trie_id::record), "/" + p_->slot_names[i]}] = static_cast<int>(i);
    }
    if (node sl = n["skip_lines"]) {
      if (!sl.IsSequence()) {
        problem(sl.Mark(), "`skip_lines` must be a list of patterns");
      } else {
        for (const auto& item : sl) {
          std::string err;
          auto re = item.IsScalar() ? compile_regex(item.Scalar(), true, err) : nullptr;
          if (!re) {
            problem(item.Mark(), fmt::format("invalid skip pattern: {}", err.empty() ? "not a text" : err));
            continue;
          }
          p_->skip_lines.push_back(std::move(re));
        }
      }
    }
  } else {
    for (const char* key : {"pattern", "skip_lines"}) {
      if (node v = n[key]) {
        problem(v.Mark(), fmt::format("`{}` is for text profiles", key),
                "add `format: text`, or remove it");
      }
    }
  }
  return true;
}

void file_loader::load_lists(const node& n) {
  if (!n) return;
  if (!n.IsMap()) {
    problem(n.Mark(), "`lists` must be a map of pointer: {key: ..., value: ...}",
            "e.g. `lists: {/attributes: {key: key, value: value}}`");
    return;
  }
  for (auto kv : n) {
    auto ptr = parse_pointer(kv.first);
    if (!ptr) continue;
    const node& spec = kv.second;
    if (!spec.IsMap() || !spec["key"] || !spec["value"]) {
      problem(spec.Mark(), "a list needs `key` and `value`: the members naming and holding each entry",
              "e.g. `{key: key, value: value}` for OpenTelemetry attributes");
      continue;
    }
    file_.check_keys(spec, {"key", "value"}, "a list");
    trie_node& tn = p_->nodes[static_cast<size_t>(node_for(trie_id::record, *ptr))];
    tn.keyed = true;
    tn.key_name = spec["key"].Scalar();
    tn.value_name = spec["value"].Scalar();
  }
}

void file_loader::load_envelope(const node& n) {
  if (!n) return;
  auto ptr = parse_pointer(n);
  if (!ptr) return;
  if (ptr->segments.back() != "*") {
    problem(n.Mark(), "`records` must end with `/*`: the array whose elements are the records",
            "e.g. `records: /resourceSpans/*/scopeSpans/*/spans/*`");
    return;
  }
  ptr->segments.pop_back();
  int at = node_for(trie_id::envelope, *ptr);
  int each = static_cast<int>(p_->envelope.size());
  p_->envelope[static_cast<size_t>(at)].each = each;
  p_->envelope.emplace_back();
  p_->envelope.back().record = true;
}

void file_loader::load_fields(const node& n) {
  for (auto kv : n) load_field(kv.first.Scalar(), kv.first, kv.second);
}

void file_loader::load_field(const std::string& name, const node& key, const node& value) {
  field_map f;
  f.name = name;
  bool found = false;
  for (const auto& [n, t] : target_names()) {
    if (n == name) {
      f.field = t;
      found = true;
    }
  }
  for (std::string_view prefix : {"request.headers.", "response.headers."}) {
    if (!found && std::string_view(name).starts_with(prefix) && name.size() > prefix.size()) {
      f.field = prefix == "request.headers." ? target::request_header : target::response_header;
      f.header = core::to_lower(std::string_view(name).substr(prefix.size()));
      found = true;
    }
  }
  if (!found) {
    problem(key.Mark(), fmt::format("unknown field `{}`", name),
            core::did_you_mean(name, field_names()) + "fields: " +
                core::join_words(field_names()) +
                ", request.headers.<name>, response.headers.<name>");
    return;
  }
  if (f.header.empty()) {
    if (int i = p_->field_of[static_cast<size_t>(f.field)]; i >= 0) {
      problem(key.Mark(), fmt::format("field `{}` is mapped twice", name),
              "give one mapping, with a list for alternatives: `[/a, /b]`");
      return;
    }
  }
  if (value.IsSequence()) {
    if (value.size() == 0) problem(value.Mark(), fmt::format("the list for `{}` is empty", name));
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto s = load_source(f, value[i], i)) f.sources.push_back(std::move(*s));
    }
  } else if (auto s = load_source(f, value, 0)) {
    f.sources.push_back(std::move(*s));
  }
  if (f.sources.empty()) return;
  if (f.header.empty()) {
    p_->field_of[static_cast<size_t>(f.field)] = static_cast<int>(p_->fields.size());
  }
  p_->fields.push_back(std::move(f));
}

std::optional<source> file_loader::load_source(const field_map& f, const node& n, size_t rank) {
  source s;
  bool is_body = f.field == target::request_body || f.field == target::response_body;
  bool json = p_->kind != compiled_profile::shape::text;
  auto pointer_source = [&](const node& ptr, source& into) -> bool {
    if (is_body && json) {
      auto parsed = parse_pointer(ptr);
      if (!parsed) return false;
      int at = node_for(trie_id::record, *parsed);
      trie_node& tn = p_->nodes[static_cast<size_t>(at)];
      if (tn.body >= 0) {
        problem(ptr.Mark(), fmt::format("`{}` is already read as a body", ptr.Scalar()));
        return false;
      }
      tn.body = f.field == target::request_body ? 0 : 1;
      tn.body_rank = static_cast<uint8_t>(rank);
      into.type = source::kind::body;
      return true;
    }
    into.type = source::kind::pointer;
    into.slot = slot_for(trie_id::record, ptr);
    return into.slot >= 0;
  };
  if (n.IsScalar()) {
    if (!pointer_source(n, s)) return std::nullopt;
    return s;
  }
  if (!n.IsMap()) {
    problem(n.Mark(), fmt::format("`{}` must be a pointer, a list, or a map", f.name),
            "e.g. `/res/statusCode`, `[/a, /b]`, `{path: /time, as: epoch_ms}`, "
            "`{join: [/origin, /path]}`, `{const: text}`");
    return std::nullopt;
  }
  if (!file_.check_keys(n, {"path", "join", "const", "as", "parse", "when", "extract"},
                        fmt::format("the mapping of `{}`", f.name))) {
    return std::nullopt;
  }
  int kinds = (n["path"] ? 1 : 0) + (n["join"] ? 1 : 0) + (n["const"] ? 1 : 0);
  if (kinds != 1) {
    problem(n.Mark(), fmt::format("the mapping of `{}` needs exactly one of `path`, `join`, `const`", f.name));
    return std::nullopt;
  }
  if (node p = n["path"]) {
    if (!pointer_source(p, s)) return std::nullopt;
  } else if (node j = n["join"]) {
    if (is_body && json) {
      problem(j.Mark(), "a body is read from one pointer, not joined");
      return std::nullopt;
    }
    s.type = source::kind::join;
    if (!j.IsSequence() || j.size() == 0) {
      problem(j.Mark(), "`join` must be a list of pointers and texts",
              "e.g. `join: [\"https://\", /req/headers/host, /req/url]`");
      return std::nullopt;
    }
    for (const auto& item : j) {
      if (!item.IsScalar()) {
        problem(item.Mark(), "each part of `join` is a pointer or a text");
        return std::nullopt;
      }
      join_part part;
      if (!item.Scalar().empty() && item.Scalar().front() == '/' && item.Tag() != "!") {
        part.slot = slot_for(trie_id::record, item);
        if (part.slot < 0) return std::nullopt;
      } else {
        part.text = item.Scalar();
      }
      s.parts.push_back(std::move(part));
    }
  } else {
    node c = n["const"];
    if (!c.IsScalar()) {
      problem(c.Mark(), "`const` must be a plain value");
      return std::nullopt;
    }
    s.type = source::kind::constant;
    s.constant = c.Scalar();
  }
  if (node as = n["as"]) {
    if (!load_as(f, as, s)) return std::nullopt;
  }
  if (node parse = n["parse"]) {
    if (!parse.IsScalar() || parse.Scalar() != "json_string") {
      problem(parse.Mark(), "`parse` takes one value: json_string",
              "a string holding JSON is parsed as JSON");
      return std::nullopt;
    }
    s.json_string = true;
  }
  if (node x = n["extract"]) {
    std::string err;
    auto re = x.IsScalar() ? compile_regex(x.Scalar(), true, err) : nullptr;
    if (re && re->re.NumberOfCapturingGroups() < 1) err = "it has no group ( ) to take the value from";
    if (!re || !err.empty() || s.type == source::kind::body) {
      problem(x.Mark(), s.type == source::kind::body ? "a body cannot have `extract`"
                                                     : fmt::format("invalid `extract`: {}", err),
              "a RE2 pattern whose first group is the value, e.g. `([^\\n]+)\\s*$` for a "
              "traceback's last line");
      return std::nullopt;
    }
    s.extract = static_cast<int>(p_->regexes.size());
    p_->regexes.push_back(std::move(re));
  }
  if (node w = n["when"]) {
    if (s.type == source::kind::body) {
      problem(w.Mark(), "a body alternative cannot have `when`",
              "bodies are read in place during the record pass; put the "
              "condition on the status or the error instead");
      return std::nullopt;
    }
    p_->conditions.push_back(load_condition(w, trie_id::record));
    s.when = static_cast<int>(p_->conditions.size() - 1);
  }
  if (s.type == source::kind::body) {
    p_->nodes[static_cast<size_t>(node_for(trie_id::record, *parse_pointer(n["path"])))].body_form =
        s.form;
  }
  return s;
}

bool file_loader::load_as(const field_map& f, const node& as, source& s) {
  std::string v = as.IsScalar() ? as.Scalar() : "";
  if (f.field == target::ts) {
    static const std::vector<std::pair<std::string_view, time_format>> kinds = {
        {"rfc3339", time_format::rfc3339}, {"epoch_s", time_format::epoch_s},
        {"epoch_ms", time_format::epoch_ms}, {"epoch_us", time_format::epoch_us},
        {"epoch_ns", time_format::epoch_ns}};
    for (const auto& [name, k] : kinds) {
      if (v == name) {
        s.time = k;
        return true;
      }
    }
    if (v.find('%') != std::string::npos) {
      s.time = time_format::pattern;
      s.pattern = v;
      return true;
    }
    std::vector<std::string_view> names;
    for (const auto& [name, k] : kinds) names.push_back(name);
    problem(as.Mark(), fmt::format("unknown time format `{}`", v),
            core::did_you_mean(v, names) +
                "use rfc3339, epoch_s, epoch_ms, epoch_us, epoch_ns, or a strftime "
                "pattern such as `%Y-%m-%d %H:%M:%S,%f`");
    return false;
  }
  if (f.field == target::duration_ms) {
    if (v == "s") s.scale = 1000;
    else if (v == "ms") s.scale = 1;
    else if (v == "us") s.scale = 1e-3;
    else if (v == "ns") s.scale = 1e-6;
    else {
      problem(as.Mark(), fmt::format("unknown duration unit `{}`", v), "use s, ms, us or ns");
      return false;
    }
    return true;
  }
  if (f.field == target::request_body && v == "form") {
    s.form = true;
    return true;
  }
  problem(as.Mark(), fmt::format("`as` does not apply to `{}`", f.name),
          "`as` is a time format for ts, a unit for duration_ms, or `form` for request.body");
  return false;
}

condition file_loader::load_condition(const node& n, trie_id t) {
  condition c;
  c.type = condition::kind::all;
  if (!n.IsMap()) {
    problem(n.Mark(), "a condition must be a map",
            "e.g. `{keys: [req, res]}`, `{exists: /err}`, `{equals: {/source: kong}}`, "
            "`{any: [...]}`, `{not: {...}}`");
    return c;
  }
  load_condition_map(n, t, c);
  return c;
}

void file_loader::load_condition_map(const node& n, trie_id t, condition& into) {
  static const std::vector<std::string_view> kKeys = {"keys", "exists", "equals", "regex",
                                                      "any", "all", "not"};
  for (auto kv : n) {
    std::string key = kv.first.Scalar();
    const node& v = kv.second;
    auto exists = [&](const node& ptr) {
      condition e;
      e.type = condition::kind::exists;
      e.slot = slot_for(t, ptr);
      if (e.slot >= 0) into.children.push_back(std::move(e));
    };
    if (key == "keys") {
      if (!v.IsSequence()) {
        problem(v.Mark(), "`keys` must be a list of top-level keys");
        continue;
      }
      for (const auto& k : v) {
        if (!k.IsScalar()) continue;
        node ptr(std::string("/") + k.Scalar());
        condition e;
        e.type = condition::kind::exists;
        std::string text = "/" + k.Scalar();
        auto found = slots_.find({static_cast<int>(t), text});
        if (found != slots_.end()) {
          e.slot = found->second;
        } else if (p_->kind == compiled_profile::shape::text) {
          e.slot = slot_for_text(t, text, k.Mark());
        } else {
          pointer_text pt{{k.Scalar()}};
          trie_node& tn = trie(t)[static_cast<size_t>(node_for(t, pt))];
          if (tn.slot < 0) {
            tn.slot = p_->slot_count++;
            p_->slot_names.push_back(text);
          }
          slots_[{static_cast<int>(t), text}] = tn.slot;
          e.slot = tn.slot;
        }
        if (e.slot >= 0) into.children.push_back(std::move(e));
      }
    } else if (key == "exists") {
      if (v.IsSequence()) {
        for (const auto& ptr : v) exists(ptr);
      } else {
        exists(v);
      }
    } else if (key == "equals" || key == "regex") {
      if (!v.IsMap()) {
        problem(v.Mark(), fmt::format("`{}` must be a map of pointer: {}", key,
                                      key == "equals" ? "value (or list of values)" : "pattern"));
        continue;
      }
      for (auto pv : v) {
        condition e;
        e.slot = slot_for(t, pv.first);
        if (e.slot < 0) continue;
        if (key == "equals") {
          e.type = condition::kind::equals;
          if (pv.second.IsSequence()) {
            for (const auto& item : pv.second) e.values.push_back(item.Scalar());
          } else if (pv.second.IsScalar()) {
            e.values.push_back(pv.second.Scalar());
          } else {
            problem(pv.second.Mark(), "`equals` takes a value or a list of values");
            continue;
          }
        } else {
          e.type = condition::kind::regex;
          std::string err;
          auto re = pv.second.IsScalar() ? compile_regex(pv.second.Scalar(), false, err) : nullptr;
          if (!re) {
            problem(pv.second.Mark(), fmt::format("invalid regex: {}", err.empty() ? "not a text" : err),
                    "RE2 syntax: no look-around or back-references");
            continue;
          }
          e.regex = static_cast<int>(p_->regexes.size());
          p_->regexes.push_back(std::move(re));
        }
        into.children.push_back(std::move(e));
      }
    } else if (key == "any" || key == "all") {
      condition group;
      group.type = key == "any" ? condition::kind::any : condition::kind::all;
      if (!v.IsSequence()) {
        problem(v.Mark(), fmt::format("`{}` must be a list of conditions", key));
        continue;
      }
      for (const auto& item : v) group.children.push_back(load_condition(item, t));
      into.children.push_back(std::move(group));
    } else if (key == "not") {
      condition neg;
      neg.type = condition::kind::negate;
      neg.children.push_back(load_condition(v, t));
      into.children.push_back(std::move(neg));
    } else {
      problem(kv.first.Mark(), fmt::format("unknown condition `{}`", key),
              core::did_you_mean(key, kKeys) + "conditions: " + core::join_words(kKeys));
    }
  }
}

void file_loader::load_samples(const node& n) {
  if (src_.skip_samples) return;
  if (!n || !n.IsSequence() || n.size() == 0) {
    problem(n ? n.Mark() : YAML::Mark(), fmt::format("profile `{}` has no `samples`", p_->id),
            "add `samples:` with records the logger really wrote and what they must read as: "
            "`- {record: {...}, expect: {response.status: 429}}`");
    if (!n) errors_ += 0;
    return;
  }
  for (const auto& item : n) {
    if (!item.IsMap()) {
      problem(item.Mark(), "a sample must be a map with `record` (or `line`) and `expect`");
      continue;
    }
    if (!file_.check_keys(item, {"record", "line", "expect", "note"}, "a sample")) continue;
    sample s;
    s.where = file_.at(item.Mark());
    if (node r = item["record"]) {
      if (!r.IsMap()) {
        problem(r.Mark(), "`record` must be a map (a JSON object); use `line` for raw text");
        continue;
      }
      s.text = loader::yaml_to_json(r);
    } else if (node l = item["line"]) {
      if (!l.IsScalar()) {
        problem(l.Mark(), "`line` must be a text: the line exactly as the logger wrote it");
        continue;
      }
      s.text = l.Scalar();
      while (!s.text.empty() && (s.text.back() == '\n' || s.text.back() == '\r')) s.text.pop_back();
    } else {
      problem(item.Mark(), "a sample needs `record` or `line`");
      continue;
    }
    node e = item["expect"];
    if (e && e.IsScalar() && e.Scalar() == "skip") {
      s.skipped = true;
    } else if (e && e.IsMap()) {
      for (auto kv : e) {
        if (!kv.second.IsScalar() && !kv.second.IsNull()) {
          problem(kv.second.Mark(), "an expected value must be a plain value");
          continue;
        }
        s.expect.emplace_back(kv.first.Scalar(),
                              kv.second.IsNull() ? std::string("null") : kv.second.Scalar());
      }
    } else {
      problem(e ? e.Mark() : item.Mark(), "a sample needs `expect`: a map of field: value, or `skip`");
      continue;
    }
    p_->samples.push_back(std::move(s));
  }
}

void file_loader::check_tries() {
  for (const auto& tn : p_->nodes) {
    if (tn.body >= 0 && (!tn.children.empty() || tn.each >= 0)) {
      problem(YAML::Mark(), fmt::format("profile `{}`: a pointer read whole as a body is also "
                                        "looked into by another pointer", p_->id),
              "test the body's contents with rules, not with profile pointers");
      return;
    }
  }
}

}  // namespace

void load_profile_file(const profile_source& src,
                       std::vector<std::shared_ptr<compiled_profile>>& out,
                       core::diagnostics& problems) {
  file_loader(src, problems).load(out);
}

void merge_layer(std::vector<std::shared_ptr<compiled_profile>>& base,
                 std::vector<std::shared_ptr<compiled_profile>>&& layer,
                 core::diagnostics& problems) {
  size_t base_count = base.size();
  for (auto& p : layer) {
    auto same = [&](const auto& x) { return x->id == p->id; };
    auto base_end = base.begin() + static_cast<std::ptrdiff_t>(base_count);
    auto in_base = std::find_if(base.begin(), base_end, same);
    auto in_layer = std::find_if(base_end, base.end(), same);
    if (in_layer != base.end()) {
      problems.push_back({core::severity::error, fmt::format("duplicate profile id `{}`", p->id),
                          p->where, {},
                          fmt::format("first defined at {}:{}; give one of them another id",
                                      (*in_layer)->where.file, (*in_layer)->where.line)});
    } else if (in_base != base_end) {
      *in_base = std::move(p);  // override: takes the replaced profile's place
    } else {
      base.push_back(std::move(p));
    }
  }
}

std::vector<profile_source> read_profile_path(const std::string& path,
                                              core::diagnostics& problems) {
  std::vector<profile_source> out;
  for (auto& f : loader::read_yaml_path(path, "profile", problems)) {
    out.push_back({std::move(f.name), std::move(f.text), false});
  }
  return out;
}

void append_digest_text(const profile_source& src, std::string& text) {
  text += src.name;
  text += '\n';
  text += src.text;
  text += '\n';
}

std::string sources_digest(const std::vector<profile_source>& sources) {
  profile_set set;
  for (const auto& src : sources) append_digest_text(src, set.digest_text);
  return digest(set);
}

namespace {
profile_set load_bundled(bool samples) {
  core::diagnostics problems;
  std::vector<std::shared_ptr<compiled_profile>> loaded;
  profile_set out;
  for (auto& src : builtin_profile_sources()) {
    src.skip_samples = !samples;
    load_profile_file(src, loaded, problems);
    append_digest_text(src, out.digest_text);
  }
  std::vector<std::shared_ptr<compiled_profile>> merged;
  merge_layer(merged, std::move(loaded), problems);
  if (core::has_errors(problems)) {
    std::string text = "the bundled profiles do not load:\n";
    for (const auto& d : problems) text += core::render(d);
    throw std::runtime_error(text);
  }
  for (auto& p : merged) out.profiles.push_back(std::move(p));
  return out;
}
}  // namespace

const profile_set& bundled_set() {
  static const profile_set set = load_bundled(false);
  return set;
}

const profile_set& bundled_set_with_samples() {
  static const profile_set set = load_bundled(true);
  return set;
}

std::vector<std::string_view> field_names() {
  std::vector<std::string_view> out;
  for (const auto& [n, t] : target_names()) out.push_back(n);
  return out;
}

}  // namespace analyzer::profile
