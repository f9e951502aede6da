// SPDX-License-Identifier: MIT
// `rules suggest INPUT:LINE | INPUT#ENTRY`: a complete YAML rule for one
// record's message template, to start a team rule from. The conditions come
// from its status, business code and masked message; `samples.match` is the
// record itself (credentials replaced, prompts hidden, every text redacted),
// `samples.no_match` the nearest successful call of the same input. The rule
// is loaded with the user's rules before it is printed: its own samples must
// hold, and the record must be won by it through the whole rule set.
#include <simdjson.h>

#include <cstdlib>
#include <fmt/format.h>
#include <set>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/record_at.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/core/msg_template.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/ingest/normalizer.hpp"

namespace analyzer::cli {

namespace {

namespace dom = simdjson::dom;

bool is_secret_header(std::string_view name) {
  for (std::string_view h : {"authorization", "proxy-authorization", "cookie", "set-cookie",
                             "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"}) {
    if (core::iequals(name, h)) return true;
  }
  return false;
}

bool names_prompt(std::string_view key) { return core::to_lower(key).find("prompt") != std::string::npos; }

/// A credential's replacement: the scheme word stays (`Bearer [REDACTED]`),
/// an empty token stays empty (it is evidence, not a secret).
std::string replaced_credential(std::string_view value) {
  std::string_view v = core::trim(value);
  size_t gap = v.find_first_of(" \t");
  if (gap == std::string_view::npos) {
    for (std::string_view scheme : {"bearer", "basic", "token"}) {
      if (core::iequals(v, scheme)) return std::string(value);
    }
    return v.empty() ? std::string() : "[REDACTED]";
  }
  return std::string(v.substr(0, gap)) + " [REDACTED]";
}

std::string hidden_prompt(std::string_view text) {
  return fmt::format("<prompt: {} chars, hidden>", text.size());
}

/// Writes a record as JSON fit to be a sample: credentials replaced,
/// prompts hidden (a blank one stays: it may be the evidence), every other
/// text through the redactor; a string holding JSON is cleaned inside.
class sample_writer {
 public:
  std::string write(dom::element root) {
    std::string out;
    value(root, {}, out);
    return out;
  }

 private:
  void value(dom::element el, std::string_view key, std::string& out) {
    dom::object obj;
    dom::array arr;
    std::string_view s;
    if (!el.get_object().get(obj)) return object(obj, out);
    if (!el.get_array().get(arr)) return array(arr, key, out);
    if (!el.get_string().get(s)) return string(s, key, out);
    out += simdjson::minify(el);
  }

  /// `headers`: a header map ({"Authorization": ...}); else any object,
  /// maybe a header list item {name: Authorization, value: ...} or a typed
  /// prompt item {type: prompt, text: ...}.
  void object(dom::object obj, std::string& out, bool headers = false) {
    std::string_view name, type;
    if (obj["name"].get_string().get(name)) name = {};
    if (obj["type"].get_string().get(type)) type = {};
    out += '{';
    bool first = true;
    for (auto [k, v] : obj) {
      if (!first) out += ',';
      first = false;
      core::json_quote(k, out);
      out += ':';
      std::string_view s;
      bool text = !v.get_string().get(s);
      if (text && (headers ? is_secret_header(k) : k == "value" && is_secret_header(name))) {
        core::json_quote(replaced_credential(s), out);
      } else if (headers) {
        value(v, k, out);
      } else if (k == "cookies") {
        out += "[]";  // HAR cookie lists hold session secrets
      } else if (k == "headers" && v.is_object()) {
        object(v.get_object().value(), out, true);
      } else if (text && k == "text" && names_prompt(type) && !core::trim(s).empty()) {
        core::json_quote(hidden_prompt(s), out);
      } else {
        value(v, k, out);
      }
    }
    out += '}';
  }

  void array(dom::array arr, std::string_view key, std::string& out) {
    out += '[';
    bool first = true;
    for (dom::element item : arr) {
      if (!first) out += ',';
      first = false;
      std::string_view s;
      if (names_prompt(key) && !item.get_string().get(s) && !core::trim(s).empty()) {
        core::json_quote(hidden_prompt(s), out);  // prompts: ["...", "..."]
      } else {
        value(item, {}, out);
      }
    }
    out += ']';
  }

  void string(std::string_view s, std::string_view key, std::string& out) {
    if (names_prompt(key) && !core::trim(s).empty()) return core::json_quote(hidden_prompt(s), out);
    std::string_view t = core::trim(s);
    if (!t.empty() && (t.front() == '{' || t.front() == '[')) {  // a body logged as text
      dom::parser inner;
      dom::element root;
      if (!inner.parse(t.data(), t.size(), true).get(root)) {
        return core::json_quote(sample_writer().write(root), out);
      }
    }
    if (key == "body" || key == "text") {  // a form body may hold a prompt
      std::string lower = core::to_lower(s);
      if (lower.find("prompt=") != std::string::npos) {
        return core::json_quote(fmt::format("<request body, {} bytes, may hold a prompt: hidden>",
                                            s.size()), out);
      }
    }
    core::json_quote(core::redact_secrets(s), out);
  }
};

/// `custom.task_not_found_by_id`: the template's words, or its status.
std::string rule_id(const std::string& template_text, const event::event& ev,
                    const rules::ruleset& rs) {
  std::string slug;
  for (char c : template_text) {
    char l = core::ascii_lower(c);
    bool word = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (word) slug += l;
    else if (!slug.empty() && slug.back() != '_') slug += '_';
    if (slug.size() >= 40 && slug.back() == '_') break;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  if (slug.size() > 40) slug.resize(40);
  if (slug.empty()) {
    slug = ev.status > 0 ? fmt::format("status_{}", ev.status)
                         : ev.code ? fmt::format("code_{}", *ev.code) : "no_response";
  }
  std::set<std::string> taken;
  for (int i = 0; i < rs.size(); ++i) taken.insert(rs.at(i).id);
  for (int i = 0; i < rs.cause_count(); ++i) taken.insert(rs.cause_id(i));
  std::string id = "custom." + slug;
  for (int n = 2; taken.count(id) > 0; ++n) id = fmt::format("custom.{}_{}", slug, n);
  return id;
}

std::string yaml_single_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string yaml_double_quoted(std::string_view s) {
  std::string out;
  core::json_quote(s, out);  // JSON strings are YAML double-quoted scalars
  return out;
}

/// The record's conditions: status (or no response), code, masked message.
std::string when_lines(const event::event& ev, const std::string& message,
                       const rules::ruleset& rs) {
  std::string out;
  if (ev.status > 0) out += fmt::format("      status: {}\n", ev.status);
  else out += "      failure: transport\n";
  if (ev.code) {
    out += fmt::format("      code: {}\n", *ev.code);
  } else if (rs.sets().count("kling_codes") > 0) {
    out += "      code: {not_in: kling_codes}   # not Kling's envelope: no documented code\n";
  } else {
    out += "      code: {exists: false}\n";
  }
  if (message.empty()) {
    out += "      message: {exists: false}\n";
  } else {
    out += "      message: {regex: " + yaml_single_quoted(core::template_regex(message)) + "}\n";
  }
  return out;
}

struct neighbour {
  int64_t position = -1;
  std::string text;
};

/// The successful call of the input nearest to the target (before it on a
/// tie), or none.
std::optional<neighbour> nearest_ok(const target& t, const options& o) {
  event::field_plan plan;
  ingest::normalizer norm(plan);
  event::event ev;
  std::optional<neighbour> before, after;
  std::string error;
  for_each_record(
      t.path, o,
      [&](int64_t position, std::string_view text) {
        if (position == t.position() || text.empty() || text.front() == '\x01') return true;
        if (core::trim(text).empty()) return true;
        norm.normalize_copy(core::trim(text), ev);
        if (ev.result != event::outcome::ok) return true;
        if (position < t.position()) {
          before = neighbour{position, std::string(core::trim(text))};
          return true;
        }
        after = neighbour{position, std::string(core::trim(text))};
        return false;  // any later one is farther
      },
      error);
  if (before && after) {
    return t.position() - before->position <= after->position - t.position() ? before : after;
  }
  return before ? before : after;
}

std::optional<std::string> as_sample(std::string_view record) {
  dom::parser p;
  dom::element root;
  std::string copy(record);
  if (p.parse(copy).get(root) || !root.is_object()) return std::nullopt;
  return sample_writer().write(root);
}

std::string position_text(const target& t, int64_t position) {
  return t.line >= 0 ? fmt::format("{}:{}", t.path, position) : fmt::format("{}#{}", t.path, position);
}

}  // namespace

exit_code run_rules_suggest(const options& o) {
  target t;
  auto rs = target_and_rules(o, t);
  if (!rs) return exit_code::error;
  std::string error;
  auto text = find_record(t, o, error);
  if (!text || core::trim(*text).empty() || (*text)[0] == '\x01') {
    print_error(fmt::format("{}: {}", o.explain_target,
                            !text                         ? "no such record" + (error.empty() ? "" : " (" + error + ")")
                            : core::trim(*text).empty()   ? std::string("a blank line, not a record")
                                                          : "malformed: " + text->substr(1)));
    return exit_code::error;
  }
  ingest::normalizer norm(rs->plan());
  event::event ev;
  norm.normalize_copy(core::trim(*text), ev);
  if (ev.result != event::outcome::failure) {
    print_error(fmt::format("{}: {}", o.explain_target,
                            ev.result == event::outcome::ok
                                ? "a successful call: only failures are classified"
                                : "malformed: " + std::string(ev.malformed_reason)));
    return exit_code::error;
  }
  rules::match_scratch scratch;
  int winner = rs->classify(ev, scratch);
  std::string message = core::redact_secrets(core::shorten(ev.message, 1000));
  std::string tmpl = core::message_template(message);
  auto match = as_sample(core::trim(*text));
  if (!match) {
    print_error(fmt::format("{}: the record is not a JSON object", o.explain_target));
    return exit_code::error;
  }
  auto ok = nearest_ok(t, o);
  std::string id = rule_id(tmpl, ev, *rs);
  int priority = winner >= 0 ? std::max(40, rs->at(winner).priority + 1) : 40;

  std::string yaml = fmt::format(
      "# Written by `kling-triage rules suggest {}` for the failures whose message is\n"
      "#   {}\n"
      "# (numbers, ids, quoted values and URLs masked as #). Choose the id, category, title,\n"
      "# retry advice and fixes; widen or narrow `when`; then `kling-triage rules check` this\n"
      "# file and use it with `kling-triage analyze --rules`.\n"
      "rules:\n"
      "  - id: {}\n"
      "    category: custom            # or a category of the bundled pack: auth, billing, ...\n"
      "    title: {}\n"
      "    priority: {}{}\n"
      "    when:\n{}"
      "    retryable: unknown          # yes | no | after_fix | unknown\n"
      "    fixes:\n"
      "      - \"Say what to change when this happens.\"\n"
      "    samples:\n"
      "      match:\n"
      "        # {}\n"
      "        - {}\n",
      o.explain_target, tmpl.empty() ? "(no message)" : tmpl, id,
      yaml_double_quoted(tmpl.empty() ? fmt::format("Failures with status {} and no message", ev.status)
                                      : "Failures like \"" + tmpl + "\""),
      priority,
      winner >= 0 ? fmt::format("   # above {} ({}), which takes the record now", rs->at(winner).id,
                                rs->at(winner).priority)
                  : std::string("   # the status + message band of the bundled pack (30-59)"),
      when_lines(ev, message, *rs), o.explain_target, *match);
  if (ok) {
    auto no_match = as_sample(ok->text);
    if (no_match) {
      yaml += fmt::format("      no_match:\n        # {}: the nearest successful call\n        - {}\n",
                          position_text(t, ok->position), *no_match);
    }
  }

  // The rule must load with the user's rules, and win its record.
  core::diagnostics check;
  auto with = load_ruleset(o.rule_paths, o.no_builtin_rules, check,
                           {rules::rule_source{"<suggested rule>", yaml, false, true}});
  print_out(yaml);
  if (winner >= 0) {
    print_warning(fmt::format("{} is already classified as {} (rule {}); the suggested rule has a "
                              "higher priority, so it takes the record",
                              o.explain_target, rs->at(winner).cause, rs->at(winner).id));
  }
  if (!with) {
    print_diagnostics(check);
    print_error("the suggested rule does not load (a bug: please report it with the record)");
    return exit_code::findings;
  }
  ingest::normalizer check_norm(with->plan());
  event::event sample_ev;
  check_norm.normalize_copy(*match, sample_ev);
  rules::match_scratch with_scratch;  // a scratch belongs to one rule set
  int got = sample_ev.result == event::outcome::failure ? with->classify(sample_ev, with_scratch) : -1;
  if (got < 0 || with->at(got).id != id) {
    print_error(fmt::format("the suggested rule does not win its own sample (it goes to {}): "
                            "raise its priority",
                            got < 0 ? "unclassified.unknown" : with->at(got).id));
    return exit_code::findings;
  }
  return exit_code::ok;
}

}  // namespace analyzer::cli
