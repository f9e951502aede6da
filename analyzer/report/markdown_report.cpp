// SPDX-License-Identifier: MIT
// The Markdown report: the HTML report's content for a post-incident
// document or a ticket. GitHub-flavoured tables (they also render on
// GitLab, Gitea and most wikis); every cell from a log or a rule file goes
// through markdown_escape, and no raw HTML is written.
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/report/audit_report.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/report_text.hpp"
#include "analyzer/report/summary.hpp"
#include "analyzer/report/timeline.hpp"

namespace analyzer::report {

namespace {

constexpr size_t max_rows = 20;
constexpr long max_timeline_rows = 48;

void header(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  out += "# Kling API calls: triage report\n\n";
  if (a.first_ts) {
    out += fmt::format("Logs from {} to {} UTC ({}), {} input{}.\n\n", utc_seconds(a.first_ts),
                       utc_seconds(a.last_ts), duration_text(*a.last_ts - *a.first_ts),
                       s.inputs.size(), s.inputs.size() == 1 ? "" : "s");
  }
  out += fmt::format("**{} of {} calls failed ({}).**", group_thousands(a.failures),
                     group_thousands(a.records), percent_of(a.failures, a.records));
  if (!s.causes.empty()) {
    out += fmt::format(" Top cause: {} ({}).", markdown_code(s.causes.front().id),
                       count_of(s.causes.front().stats->count, "failure"));
  }
  out += s.incidents.empty() ? std::string(" No incident window.")
                             : fmt::format(" Incident windows: {}.", s.incidents.size());
  out += "\n\n";
}

void headline(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  int64_t retryable = retryable_rows(s).front().second;  // "yes"
  out += "| Calls | Failures | Succeeded | Retryable failures | Incidents | Malformed | "
         "Unclassified |\n|---:|---:|---:|---:|---:|---:|---:|\n";
  out += fmt::format("| {} | {} ({}) | {} | {} ({}) | {} | {} | {} |\n",
                     group_thousands(a.records), group_thousands(a.failures),
                     percent_of(a.failures, a.records), group_thousands(a.ok),
                     group_thousands(retryable), percent_of(retryable, a.failures),
                     s.incidents.size(), group_thousands(a.malformed),
                     group_thousands(s.unclassified));
  if (a.callbacks > 0) {
    out += fmt::format("\n{} logged POSTs to a create's `callback_url` were callbacks: not Kling "
                       "calls, so in none of these figures.\n",
                       group_thousands(a.callbacks));
  }
}

void gate(std::string& out, const summary& s) {
  if (s.gate.empty()) return;
  out += "\n## --fail-on conditions\n\n| Condition | Measured | Result |\n|---|---:|---|\n";
  for (const auto& g : s.gate) {
    out += fmt::format("| {} | {:g} | {} |\n", markdown_code(g.condition), g.value,
                       g.met ? "**met: the run fails**" : "not met");
  }
}

void categories(std::string& out, const summary& s) {
  out += "\n## Failures by category\n\n";
  if (s.categories.empty()) {
    out += "No failures.\n";
    return;
  }
  out += "| Category | Failures | Share |\n|---|---:|---:|\n";
  for (const auto& c : s.categories) {
    out += fmt::format("| {} | {} | {} |\n", markdown_escape(c.id), group_thousands(c.count),
                       percent_of(c.count, s.agg->failures));
  }
}

void incidents(std::string& out, const summary& s) {
  out += "\n## Incident windows\n\n";
  if (s.incidents.empty()) out += "None: the failure rate never rose well above its baseline.\n";
  if (!s.incidents.empty()) {
    out += "| # | Window (UTC) | Duration | Calls | Failures | Peak rate | Top causes |\n"
           "|---:|---|---|---:|---:|---:|---|\n";
  }
  for (size_t i = 0; i < s.incidents.size(); ++i) {
    const incident& inc = s.incidents[i];
    std::string causes;
    for (const auto& [id, n] : inc.top_causes) {
      causes += fmt::format("{}{} {}", causes.empty() ? "" : ", ", markdown_code(id), n);
    }
    out += fmt::format("| {} | {} | {} | {} | {} ({}) | {} | {} |\n", i + 1,
                       window_text(inc.start_ms, inc.end_ms),
                       duration_text(inc.end_ms - inc.start_ms), group_thousands(inc.records),
                       group_thousands(inc.failures), percent_of(inc.failures, inc.records),
                       percent_text(inc.peak_failure_rate), causes);
  }
  if (!s.timeline.buckets.empty()) {
    out += "\n" + markdown_escape(incident_method_text(scan_incidents(s))) + "\n";
  }
}

std::string incident_marks(const summary& s, const timeline_bucket& b, int64_t bucket_ms) {
  std::string marks;
  for (size_t i = 0; i < s.incidents.size(); ++i) {
    const incident& inc = s.incidents[i];
    if (inc.start_ms < b.start_ms + bucket_ms && inc.end_ms > b.start_ms) {
      marks += fmt::format("{}incident {}", marks.empty() ? "" : ", ", i + 1);
    }
  }
  return marks;
}

/// The display timeline, coarsened until at most max_timeline_rows of its
/// buckets have failures (a table, unlike a chart, grows with each row).
timeline compact_timeline(const timeline& t) {
  for (int64_t size : {int64_t{0}, int64_t{300}, int64_t{900}, int64_t{3600}, int64_t{86400}}) {
    timeline c = regroup(t, size);
    auto rows = std::count_if(c.buckets.begin(), c.buckets.end(),
                              [](const timeline_bucket& b) { return b.failures > 0; });
    if (rows <= max_timeline_rows) return c;
  }
  return regroup(t, 86400);
}

void timeline_table(std::string& out, const summary& s) {
  out += "\n## Timeline\n\n";
  if (s.timeline.buckets.empty()) {
    out += "No record has a time.\n";
    return;
  }
  timeline t = compact_timeline(s.timeline);
  out += fmt::format("Failures per {} (UTC); only buckets with failures are listed.\n\n"
                     "| Start (UTC) | Calls | Failures | Rate | By category | Incident |\n"
                     "|---|---:|---:|---:|---|---|\n", resolution_text(t.bucket_seconds));
  for (const auto& b : t.buckets) {
    if (b.failures == 0) continue;
    std::string cats;
    for (const auto& c : s.categories) {
      auto it = b.by_category.find(c.id);
      if (it != b.by_category.end()) cats += fmt::format("{}{} {}", cats.empty() ? "" : ", ", c.id, it->second);
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", utc_minute(b.start_ms),
                       group_thousands(b.records), group_thousands(b.failures),
                       percent_of(b.failures, b.records), markdown_escape(cats),
                       incident_marks(s, b, t.bucket_seconds * 1000));
  }
}

void examples(std::string& out, const summary& s, const aggregate::cause_stats& st) {
  if (st.examples.empty()) return;
  out += "\n| Record | Time (UTC) | Status | Code | Endpoint | Message |\n"
         "|---|---|---:|---:|---|---|\n";
  for (const auto& ex : st.examples) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                       markdown_code(record_position(s, ex.key.source, ex.line, ex.entry)),
                       utc_seconds(ex.ts_ms), ex.status > 0 ? fmt::format("{}", ex.status) : "none",
                       ex.code ? fmt::format("{}", *ex.code) : "-", markdown_code(log_text(ex.endpoint)),
                       ex.message.empty() ? "-" : markdown_escape(log_text(ex.message)));
  }
}

template <typename M>
std::string count_list(const M& m) {
  std::string out;
  for (const auto& [k, n] : m) {
    std::string key = fmt::format("{}", k);
    out += fmt::format("{}{} ×{}", out.empty() ? "" : ", ", key == "0" ? "none" : key, n);
  }
  return out.empty() ? "-" : out;
}

void cause(std::string& out, const summary& s, size_t rank, const cause_row& c) {
  const auto& st = *c.stats;
  out += fmt::format("\n### {}. {}: {} ({})\n\n{}\n\n", rank, markdown_code(c.id),
                     count_of(st.count, "failure"), percent_of(st.count, s.agg->failures),
                     markdown_rich(c.title));
  out += fmt::format("- Category: {} · retry: **{}** ({})\n", markdown_escape(c.category),
                     markdown_escape(c.retryable), retryable_meaning(c.retryable));
  out += fmt::format("- Seen {} → {} UTC · statuses {} · codes {}\n", utc_seconds(st.first_seen),
                     utc_seconds(st.last_seen), count_list(st.statuses), count_list(st.codes));
  if (!c.docs.empty()) out += "- Docs: " + markdown_escape(c.docs) + "\n";
  out += "\nWhat to do:\n\n";
  for (const auto& f : c.fixes) out += "- " + markdown_rich(f) + "\n";
  examples(out, s, st);
}

void causes(std::string& out, const summary& s) {
  out += "\n## Top causes\n";
  if (s.causes.empty()) out += "\nNo failures.\n";
  for (size_t i = 0; i < s.causes.size() && i < detailed_causes; ++i) {
    cause(out, s, i + 1, s.causes[i]);
  }
  if (s.causes.size() <= detailed_causes) return;
  out += "\n### Other causes\n\n| Cause | Category | Failures | Share | Retry | Title |\n"
         "|---|---|---:|---:|---|---|\n";
  for (size_t i = detailed_causes; i < s.causes.size(); ++i) {
    const cause_row& c = s.causes[i];
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", markdown_code(c.id), markdown_escape(c.category),
                       group_thousands(c.stats->count), percent_of(c.stats->count, s.agg->failures),
                       markdown_escape(c.retryable), markdown_rich(c.title));
  }
}

void unexplained(std::string& out, const summary& s) {
  const unexplained_summary& u = s.unexplained;
  if (u.rows.empty()) return;
  out += "\n## Unexplained failures by message template\n\n"
         "Failures no rule explains (`unclassified.unknown`), grouped by message with numbers, ids, "
         "quoted values and URLs masked as `#`. `kling-triage rules suggest` on the example writes "
         "a rule to start from.\n\n"
         "| Failures | Template | Statuses | Codes | Example |\n|---:|---|---|---|---|\n";
  for (size_t i = 0; i < shown_templates(u); ++i) {
    const template_row& r = u.rows[i];
    std::string where;
    if (r.stats->earliest) {
      const auto& ex = *r.stats->earliest;
      where = markdown_code(record_position(s, ex.key.source, ex.line, ex.entry));
    }
    out += fmt::format("| {} | {} | {} | {} | {} |\n", group_thousands(r.stats->count),
                       markdown_code(template_text(r)), markdown_escape(status_counts(*r.stats)),
                       markdown_escape(code_counts(*r.stats)), where);
  }
  if (int64_t rest = unlisted_failures(u); rest > 0) {
    out += fmt::format("\n… and {} more with other templates (see --format json).\n",
                       count_of(rest, "failure"));
  }
}

void breakdown(std::string& out, std::string_view title, std::string_view key_name,
               const std::vector<breakdown_row>& rows) {
  out += fmt::format("\n### {}\n\n| {} | Calls | Failures | Failure rate |\n|---|---:|---:|---:|\n",
                     title, key_name);
  for (size_t i = 0; i < rows.size() && i < max_rows; ++i) {
    out += fmt::format("| {} | {} | {} | {} |\n", markdown_code(log_text(rows[i].key)),
                       group_thousands(rows[i].records), group_thousands(rows[i].failures),
                       percent_of(rows[i].failures, rows[i].records));
  }
  if (rows.empty()) out += "| none | | | |\n";
  if (rows.size() > max_rows) {
    out += fmt::format("\n… and {} more (see --format json).\n", rows.size() - max_rows);
  }
}

void count_table(std::string& out, std::string_view title, std::string_view key_name,
                 const std::vector<std::pair<std::string, int64_t>>& rows, int64_t total) {
  out += fmt::format("\n### {}\n\n| {} | Calls | Share |\n|---|---:|---:|\n", title, key_name);
  for (const auto& [k, n] : rows) {
    out += fmt::format("| {} | {} | {} |\n", markdown_escape(k), group_thousands(n), percent_of(n, total));
  }
  if (rows.empty()) out += "| none | | |\n";
}

void breakdowns(std::string& out, const summary& s) {
  int64_t calls = s.agg->records - s.agg->malformed;
  out += "\n## Breakdowns\n";
  breakdown(out, "By endpoint", "Endpoint", endpoint_rows(s));
  breakdown(out, "By model", "Model", model_rows(s));
  count_table(out, "By HTTP status", "Status", status_rows(s), calls);
  count_table(out, "By business code", "Code", code_rows(s), calls);
  out += "\n### Retryable\n\n| Retry | Failures | Share | Meaning |\n|---|---:|---:|---|\n";
  for (const auto& [k, n] : retryable_rows(s)) {
    out += fmt::format("| {} | {} | {} | {} |\n", markdown_escape(k), group_thousands(n),
                       percent_of(n, s.agg->failures), retryable_meaning(k));
  }
}

void inputs(std::string& out, const summary& s) {
  out += "\n## Inputs\n\n| Input | Format | Size | Records | Malformed | Read as | Errors |\n"
         "|---|---|---:|---:|---:|---|---|\n";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const input_info& in = s.inputs[i];
    const aggregate::input_stats& st = s.inputs[i].stats;
    std::string errors;
    for (const auto& e : in.errors) errors += (errors.empty() ? "" : "; ") + log_text(e);
    std::string how = reading_of(in, st);
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_code(in.path),
                       in.compression == "none" ? in.format : in.format + " + " + in.compression,
                       byte_size(in.raw_bytes), group_thousands(st.records),
                       group_thousands(st.malformed), how.empty() ? "-" : markdown_escape(how),
                       errors.empty() ? "-" : markdown_escape(errors));
  }
}

void malformed(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  out += fmt::format("\n## Malformed records: {}\n\n", group_thousands(a.malformed));
  if (a.malformed == 0) {
    out += "Every line was a logged call.\n";
    return;
  }
  out += "Lines that are not a logged call: counted, not classified.\n\n"
         "| Record | Problem |\n|---|---|\n";
  size_t shown = std::min<size_t>(a.malformed_examples.size(), 10);
  for (size_t i = 0; i < shown; ++i) {
    const auto& m = a.malformed_examples[i];
    out += fmt::format("| {} | {} |\n", markdown_code(record_position(s, m.key.source, m.line, m.entry)),
                       markdown_escape(log_text(m.error)));
  }
  if (a.malformed > static_cast<int64_t>(shown)) {
    out += fmt::format("\n… and {} more (see --format json or --events).\n",
                       group_thousands(a.malformed - static_cast<int64_t>(shown)));
  }
}

}  // namespace

std::string write_markdown(const summary& s) {
  std::string out;
  header(out, s);
  headline(out, s);
  gate(out, s);
  if (s.baseline != nullptr) out += baseline_markdown(*s.baseline);
  categories(out, s);
  incidents(out, s);
  timeline_table(out, s);
  causes(out, s);
  unexplained(out, s);
  breakdowns(out, s);
  inputs(out, s);
  malformed(out, s);
  write_audit_markdown(out, s);
  out += fmt::format("\n---\n\nkling-triage {} · {} rules ({}) · generated {} · examples never "
                     "show tokens or keys.\n",
                     markdown_escape(s.tool_version), s.rule_count, markdown_code(s.rules_digest),
                     markdown_escape(s.generated_at));
  return out;
}

}  // namespace analyzer::report
