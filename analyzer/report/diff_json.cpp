// SPDX-License-Identifier: MIT
// The diff as JSON (kling-triage/diff@1, schemas/diff.schema.json), and as
// the `baseline` key of a report (analyze --baseline).
#include "analyzer/report/diff.hpp"
#include "analyzer/report/json_writer.hpp"

namespace analyzer::report {

namespace {

void optional_number(json_writer& w, std::string_view key, const std::optional<double>& v) {
  w.key(key);
  v ? w.value(*v) : w.null();
}

void write_side(json_writer& w, std::string_view key, const diff_side& s) {
  w.key(key).begin_object().field("source", s.name).field("tool_version", s.tool_version);
  write_window(w, s.first_ms, s.last_ms, s.since_ms, s.until_ms);
  w.field("inputs", s.inputs).field("records", s.records).field("ok", s.ok)
      .field("failures", s.failures).field("malformed", s.malformed)
      .field("failure_rate", s.failure_rate())
      .field("rules_digest", s.rules_digest).field("rule_count", s.rule_count)
      .field("profiles_digest", s.profiles_digest);
  w.key("options").begin_object();
  for (const auto& [flag, value] : s.options) {
    w.key(flag);
    value.empty() ? w.null() : w.value(value);
  }
  w.end_object().end_object();
}

void write_figures(json_writer& w, std::string_view key, const diff_figures& f) {
  w.key(key).begin_object().field("count", f.count).field("rate", f.rate);
  if (f.records) w.field("records", *f.records);
  w.end_object();
}

void write_example(json_writer& w, const diff_example& ex) {
  w.begin_object().field("source", ex.source);
  w.key("line");
  ex.line >= 0 ? w.value(ex.line) : w.null();
  w.key("entry");
  ex.entry >= 0 ? w.value(ex.entry) : w.null();
  write_call_fields(w, ex);
}

void write_row(json_writer& w, const diff_row& r, bool cause) {
  w.begin_object().field("id", r.id).field("state", name_of(r.state));
  write_figures(w, "base", r.base);
  write_figures(w, "current", r.current);
  w.key("change").begin_object().field("count", r.current.count - r.base.count)
      .field("rate", r.current.rate - r.base.rate).end_object();
  optional_number(w, "rate_ratio", r.rate_ratio);
  optional_number(w, "z", r.z);
  optional_number(w, "p_value", r.p_value);
  if (cause) {
    w.field("category", r.category).field("title", r.title).field("retryable", r.retryable);
    w.key("fixes").begin_array();
    for (const auto& f : r.fixes) w.value(f);
    w.end_array();
    if (!r.docs.empty()) w.field("docs", r.docs);
    w.key("first_seen").time(r.first_seen);
    w.key("last_seen").time(r.last_seen);
    w.key("example");
    r.example ? write_example(w, *r.example) : (void)w.null();
  }
  w.end_object();
}

}  // namespace

void write_diff_fields(json_writer& w, const diff_result& d) {
  write_side(w, "base", d.base);
  write_side(w, "current", d.current);
  w.field("comparable", d.comparable);
  w.key("incomparable").begin_array();
  for (const auto& why : d.incomparable) w.value(why);
  w.end_array();
  optional_number(w, "failure_rate_ratio", d.failure_rate_ratio);
  w.key("summary").begin_object();
  for (auto s : {diff_state::new_, diff_state::regressed, diff_state::improved, diff_state::gone,
                 diff_state::unchanged}) {
    w.field(name_of(s), static_cast<int64_t>(d.count(diff_dimension::causes, s)));
  }
  w.end_object();
  w.key("gate").begin_array();
  for (const auto& g : d.gate) {
    w.begin_object().field("condition", g.condition).key("value");
    if (!g.text.empty()) w.value(g.text);
    else if (g.number) w.value(*g.number);
    else w.null();
    w.field("met", g.met).end_object();
  }
  w.end_array();
  for (auto dim : diff_dimensions) {
    w.key(name_of(dim)).begin_array();
    for (const auto& r : d.rows(dim)) write_row(w, r, dim == diff_dimension::causes);
    w.end_array();
  }
}

std::string write_diff_json(const diff_result& d) {
  json_writer w;
  w.begin_object().field("schema", "kling-triage/diff@1").field("generated_at", d.generated_at);
  w.key("tool").begin_object().field("name", "kling-triage").field("version", d.tool_version)
      .end_object();
  write_diff_fields(w, d);
  w.end_object();
  w.str() += '\n';
  return std::move(w.str());
}

}  // namespace analyzer::report
