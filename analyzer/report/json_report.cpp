// SPDX-License-Identifier: MIT
// The JSON report: the schema in contract.md (kling-triage/report@1).
#include <algorithm>
#include <fmt/format.h>
#include <iterator>
#include <map>
#include <type_traits>
#include <vector>

#include "analyzer/report/audit_report.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/json_writer.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

namespace {

double share(int64_t n, int64_t total) {
  return total > 0 ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
}

/// Keys in order (numbers by value, texts by text), whatever the map.
template <typename M>
void int_key_map(json_writer& w, std::string_view name, const M& m) {
  using key = std::remove_const_t<typename std::iterator_traits<decltype(m.begin())>::value_type::first_type>;
  std::vector<std::pair<key, int64_t>> rows(m.begin(), m.end());
  std::sort(rows.begin(), rows.end());
  w.key(name).begin_object();
  for (const auto& [k, v] : rows) w.field(fmt::format("{}", k), v);
  w.end_object();
}

/// `<name>_other`, only when a bounded dimension left values out: the
/// records not itemised (exact) and about how many values they had.
template <typename M>
void other_counts(json_writer& w, std::string_view name, const M& m) {
  if (!m.truncated()) return;
  w.key(fmt::format("{}_other", name)).begin_object().field("count", m.other())
      .field("distinct_estimate", m.other_distinct_estimate()).end_object();
}

template <typename M>
void other_records(json_writer& w, std::string_view name, const M& m) {
  if (!m.truncated()) return;
  w.key(fmt::format("{}_other", name)).begin_object().field("records", m.other().records)
      .field("failures", m.other().failures)
      .field("distinct_estimate", m.other_distinct_estimate()).end_object();
}

template <typename M>
void sorted_counts(json_writer& w, std::string_view name, const M& m) {
  std::vector<std::pair<std::string, aggregate::record_counts>> rows(m.begin(), m.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.records != b.second.records) return a.second.records > b.second.records;
    return a.first < b.first;
  });
  w.key(name).begin_object();
  for (const auto& [k, v] : rows) {
    w.key(k).begin_object().field("records", v.records).field("failures", v.failures).end_object();
  }
  w.end_object();
}

void write_position(json_writer& w, const summary& s, uint32_t source, int64_t line,
                    int64_t entry) {
  line = shown_line(s, source, line);
  w.key("line");
  line >= 0 ? w.value(line) : w.null();
  w.key("entry");
  entry >= 0 ? w.value(entry) : w.null();
}

void write_inputs(json_writer& w, const summary& s) {
  w.key("inputs").begin_array();
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const input_info& in = s.inputs[i];
    const aggregate::input_stats& st = s.inputs[i].stats;
    w.begin_object()
        .field("path", in.path)
        .field("format", in.format)
        .field("compression", in.compression)
        .field("encoding", in.encoding)
        .field("line_ends", in.line_ends)
        .field("bytes", in.raw_bytes)
        .field("decompressed_bytes", in.bytes)
        .field("records", st.records)
        .field("ok", st.ok)
        .field("failures", st.failures)
        .field("malformed", st.malformed)
        .field("skipped", st.skipped);
    // With the audit: its POSTs that were callbacks (not in its records).
    if (s.owned_agg) w.field("callbacks", st.callbacks);
    w.key("profile");
    in.profile.empty() ? w.null() : w.value(in.profile);
    // The share of its calls that carried a response body: without one, a
    // cause is read from the HTTP status alone, never from Kling's code.
    w.field("response_bodies", st.response_bodies)
        .field("with_response_body", share(st.response_bodies, st.ok + st.failures));
    w.key("errors").begin_array();
    for (const auto& e : in.errors) w.value(e);
    w.end_array().end_object();
  }
  w.end_array();
}

void write_example(json_writer& w, const summary& s, const aggregate::example& ex) {
  w.begin_object().field("source", source_of(s, ex.key.source));
  write_position(w, s, ex.key.source, ex.line, ex.entry);
  write_call_fields(w, ex);
}

/// Unclassified failures by message template: the most frequent, each with
/// its statuses, codes and earliest example; `other` counts the rest.
void write_unexplained(json_writer& w, const summary& s) {
  const unexplained_summary& u = s.unexplained;
  w.key("unexplained").begin_object();
  w.key("templates").begin_array();
  for (const auto& r : u.rows) {
    w.begin_object().field("template", r.text).field("count", r.stats->count)
        .field("share", share(r.stats->count, s.unclassified));
    int_key_map(w, "statuses", r.stats->statuses);
    int_key_map(w, "codes", r.stats->codes);
    other_counts(w, "codes", r.stats->codes);
    w.key("example");
    if (r.stats->earliest) write_example(w, s, *r.stats->earliest);
    else w.null();
    w.end_object();
  }
  w.end_array();
  w.field("distinct", static_cast<int64_t>(u.distinct)).field("capped", u.capped)
      .field("other", u.other).end_object();
}

void write_cause(json_writer& w, const summary& s, const cause_row& c) {
  const auto& st = *c.stats;
  w.begin_object()
      .field("id", c.id)
      .field("category", c.category)
      .field("title", c.title)
      .field("count", st.count)
      .field("share", share(st.count, s.agg->failures))
      .field("retryable", c.retryable);
  w.key("fixes").begin_array();
  for (const auto& f : c.fixes) w.value(f);
  w.end_array();
  if (!c.docs.empty()) w.field("docs", c.docs);
  w.key("statuses").begin_object();
  for (const auto& [k, v] : st.statuses) w.field(fmt::format("{}", k), v);
  w.end_object();
  int_key_map(w, "codes", st.codes);
  other_counts(w, "codes", st.codes);
  int_key_map(w, "endpoints", st.endpoints);
  other_counts(w, "endpoints", st.endpoints);
  w.key("examples").begin_array();
  for (const auto& ex : st.examples) write_example(w, s, ex);
  w.end_array();
  w.key("first_seen").time(st.first_seen);
  w.key("last_seen").time(st.last_seen);
  w.end_object();
}

void write_timeline(json_writer& w, const summary& s) {
  w.key("timeline").begin_object().field("bucket_seconds", s.timeline.bucket_seconds);
  w.key("buckets").begin_array();
  for (const auto& b : s.timeline.buckets) {
    w.begin_object();
    w.key("start").time(b.start_ms);
    w.field("records", b.records).field("failures", b.failures);
    w.key("by_category").begin_object();
    for (const auto& [id, n] : b.by_category) w.field(id, n);
    w.end_object().end_object();
  }
  w.end_array().end_object();
}

void write_incidents(json_writer& w, const summary& s) {
  w.key("incidents").begin_array();
  for (const auto& inc : s.incidents) {
    w.begin_object();
    w.key("start").time(inc.start_ms);
    w.key("end").time(inc.end_ms);
    w.field("records", inc.records).field("failures", inc.failures)
        .field("peak_failure_rate", inc.peak_failure_rate);
    w.key("top_causes").begin_array();
    for (const auto& [id, n] : inc.top_causes) {
      w.begin_object().field("id", id).field("count", n).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

/// Failures by their cause's retry advice; every key always present.
void write_retryable(json_writer& w, const summary& s) {
  std::map<std::string, int64_t> by{{"yes", 0}, {"no", 0}, {"after_fix", 0}, {"unknown", 0}};
  for (const auto& c : s.causes) by[by.count(c.retryable) > 0 ? c.retryable : "unknown"] += c.stats->count;
  w.key("retryable").begin_object();
  for (const char* k : {"yes", "no", "after_fix", "unknown"}) w.field(k, by[k]);
  w.end_object();
}

/// The --fail-on conditions as given, each with its measured value (a
/// fraction for failure-rate, else a count) and whether it held.
void write_gate(json_writer& w, const summary& s) {
  w.key("gate").begin_array();
  for (const auto& g : s.gate) {
    w.begin_object().field("condition", g.condition).field("value", g.value)
        .field("met", g.met).end_object();
  }
  w.end_array();
}

}  // namespace

std::string write_json(const summary& s) {
  const auto& agg = *s.agg;
  json_writer w;
  w.begin_object()
      .field("schema", "kling-triage/report@1")
      .field("generated_at", s.generated_at);
  w.key("tool").begin_object().field("name", "kling-triage").field("version", s.tool_version).end_object();
  w.key("rules").begin_object().field("count", s.rule_count).field("digest", s.rules_digest).end_object();
  write_inputs(w, s);
  write_window(w, agg.first_ts, agg.last_ts, s.since_ms, s.until_ms);
  w.key("totals").begin_object()
      .field("records", agg.records)
      .field("ok", agg.ok)
      .field("failures", agg.failures)
      .field("malformed", agg.malformed)
      .field("unclassified", s.unclassified)
      .field("outside_window", agg.filtered)
      .field("skipped", agg.skipped)
      .field("without_time", agg.without_time);
  // With the audit: logged POSTs to a create's callback_url (not calls).
  if (s.owned_agg) w.field("callbacks", agg.callbacks);
  w.end_object();
  write_gate(w, s);
  w.key("statuses").begin_object();
  for (size_t i = 0; i < agg.statuses.size(); ++i) {
    if (agg.statuses[i] > 0) w.field(fmt::format("{}", i), agg.statuses[i]);
  }
  w.end_object();
  int_key_map(w, "codes", agg.codes);
  other_counts(w, "codes", agg.codes);
  w.key("categories").begin_array();
  for (const auto& c : s.categories) {
    w.begin_object().field("id", c.id).field("count", c.count)
        .field("share", share(c.count, agg.failures)).end_object();
  }
  w.end_array();
  w.key("causes").begin_array();
  for (const auto& c : s.causes) write_cause(w, s, c);
  w.end_array();
  write_unexplained(w, s);
  w.key("malformed").begin_object().field("count", agg.malformed);
  w.key("examples").begin_array();
  for (const auto& m : agg.malformed_examples) {
    w.begin_object().field("source", source_of(s, m.key.source));
    write_position(w, s, m.key.source, m.line, m.entry);
    w.field("error", m.error).end_object();
  }
  w.end_array().end_object();
  write_timeline(w, s);
  write_incidents(w, s);
  w.key("breakdowns").begin_object();
  sorted_counts(w, "endpoints", agg.endpoints);
  other_records(w, "endpoints", agg.endpoints);
  sorted_counts(w, "models", agg.models);
  other_records(w, "models", agg.models);
  write_retryable(w, s);
  w.end_object();
  write_audit_json(w, s);
  if (s.baseline != nullptr) {
    w.key("baseline").begin_object();
    write_diff_fields(w, *s.baseline);
    w.end_object();
  }
  // Last, so the report reads the same above it: yesterday's report can be
  // today's baseline (diff, merge).
  if (!s.embedded_partial.empty()) w.field("partial", s.embedded_partial);
  w.end_object();
  w.str() += '\n';
  return std::move(w.str());
}

}  // namespace analyzer::report
