// SPDX-License-Identifier: MIT
// The audit's section in the text, JSON, Markdown and HTML reports. The
// words (titles, fixes) come from rules/audit/detectors.yaml; every number
// from the audit_result.
#include "analyzer/report/audit_report.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "analyzer/audit/detector_texts.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

namespace {

using audit::audit_result;
using audit::detector_result;

constexpr size_t listed_clients = 10;

const audit::detector_text& text_of(const detector_result& d) {
  return audit::builtin_detector_texts().detectors[static_cast<size_t>(d.id)];
}

/// The fix line, filled from the detector's earliest example.
std::string fix_of(const audit_result& r, const detector_result& d) {
  audit::finding_values none;
  const audit::finding_values& v = d.examples.empty() ? none : d.examples.front().values;
  return audit::fill(text_of(d).fix, v, r.options);
}

std::string dur(int64_t ms) { return audit::format_duration(ms); }

std::string pct_text(const std::optional<int64_t>& v, bool time) {
  if (!v) return "-";
  return time ? dur(*v) : group_thousands(*v);
}

std::string percentiles_text(const audit::percentiles& p, bool time) {
  return fmt::format("p50 {}, p90 {}, p99 {}", pct_text(p.p50, time), pct_text(p.p90, time),
                     pct_text(p.p99, time));
}

std::string thresholds_text(const audit::audit_options& o) {
  return fmt::format("grace {}, poll-min {}, retry window {}, duplicate window {}",
                     dur(o.grace_ms), dur(o.poll_min_ms), dur(o.retry_window_ms),
                     dur(o.duplicate_window_ms));
}

std::string tasks_text(const audit::task_totals& t) {
  std::string out = fmt::format("{} created: {} succeeded, {} failed, {} pending, {} orphaned",
                                group_thousands(t.created), group_thousands(t.succeeded),
                                group_thousands(t.failed), group_thousands(t.pending),
                                group_thousands(t.orphaned));
  if (t.unknown_origin > 0) {
    out += fmt::format("; {} queried but not created in these logs (unknown origin)",
                       group_thousands(t.unknown_origin));
  }
  return out;
}

std::vector<const detector_result*> fired(const audit_result& r) {
  std::vector<const detector_result*> out;
  for (const auto& d : r.detectors) {
    if (d.findings > 0) out.push_back(&d);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return a->wasted_calls > b->wasted_calls;
  });
  return out;
}

std::string calls_text(const audit_result& r) {
  std::string out = fmt::format("{} calls audited", group_thousands(r.calls));
  if (r.callbacks > 0) {
    out += fmt::format(", {} callbacks to the clients' callback_url (not Kling calls)",
                       group_thousands(r.callbacks));
  }
  if (r.untimed_calls > 0) {
    out += fmt::format(", {} without a time (counted, not audited)", group_thousands(r.untimed_calls));
  }
  return out;
}

void json_seconds(json_writer& w, std::string_view key, const std::optional<int64_t>& ms) {
  w.key(key);
  if (ms) {
    w.value(static_cast<double>(*ms) / 1000.0);
  } else {
    w.null();
  }
}

void json_count(json_writer& w, std::string_view key, const std::optional<int64_t>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.null();
  }
}

void json_position(json_writer& w, const audit_result& r, const audit::record_pos& p) {
  w.field("source", p.source < r.sources.size() ? r.sources[p.source] : std::string());
  w.key("line");
  if (p.line >= 0) w.value(p.line); else w.null();
  w.key("entry");
  if (p.entry >= 0) w.value(p.entry); else w.null();
}

/// The earlier call, as "line 23" / "entry 4" when it is in the same input.
std::string earlier_position(const audit_result& r, const audit::record_pos& at,
                             const audit::record_pos& earlier);

}  // namespace

std::string audit_position(const audit_result& r, const audit::record_pos& p) {
  std::string path = p.source < r.sources.size() ? r.sources[p.source] : std::string("?");
  if (p.line >= 0) return fmt::format("{}:{}", path, p.line);
  return fmt::format("{}#{}", path, std::max<int64_t>(p.entry, 0));
}

namespace {
std::string earlier_position(const audit_result& r, const audit::record_pos& at,
                             const audit::record_pos& earlier) {
  if (earlier.source != at.source) return audit_position(r, earlier);
  return earlier.line >= 0 ? fmt::format("line {}", earlier.line)
                           : fmt::format("entry {}", std::max<int64_t>(earlier.entry, 0));
}
}  // namespace

void write_audit_json(json_writer& w, const summary& s) {
  if (!s.audit) return;
  const audit_result& r = *s.audit;
  const auto& o = r.options;
  w.key("audit").begin_object().field("percentiles", "exact");
  w.key("thresholds").begin_object()
      .field("grace_s", static_cast<double>(o.grace_ms) / 1000.0)
      .field("poll_min_s", static_cast<double>(o.poll_min_ms) / 1000.0)
      .field("retry_window_s", static_cast<double>(o.retry_window_ms) / 1000.0)
      .field("duplicate_window_s", static_cast<double>(o.duplicate_window_ms) / 1000.0)
      .end_object();
  w.key("end_of_logs").time(r.end_ms);
  w.field("calls", r.calls).field("callbacks", r.callbacks)
      .field("callbacks_unmatched", r.callbacks_unmatched).field("untimed_calls", r.untimed_calls);
  const auto& t = r.tasks;
  w.key("tasks").begin_object()
      .field("created", t.created).field("succeeded", t.succeeded).field("failed", t.failed)
      .field("pending", t.pending).field("orphaned", t.orphaned)
      .field("unknown_origin", t.unknown_origin);
  w.key("failed_by_cause").begin_object();
  for (const auto& [id, n] : t.failed_by_cause) w.field(id, n);
  w.end_object();
  w.key("time_to_result_s").begin_object();
  json_seconds(w, "p50", t.time_to_result_ms.p50);
  json_seconds(w, "p90", t.time_to_result_ms.p90);
  json_seconds(w, "p99", t.time_to_result_ms.p99);
  w.end_object();
  w.key("polls_per_task").begin_object();
  json_count(w, "p50", t.polls_per_task.p50);
  json_count(w, "p90", t.polls_per_task.p90);
  json_count(w, "p99", t.polls_per_task.p99);
  w.end_object().end_object();
  w.key("clients").begin_array();
  for (const auto& c : r.clients) {
    w.begin_object().field("id", c.id).field("calls", c.calls).field("failures", c.failures)
        .field("tasks", c.tasks).field("peak_in_flight", c.peak_in_flight);
    w.key("findings").begin_object();
    for (size_t i = 0; i < audit::detector_count; ++i) {
      if (c.findings[i] > 0) w.field(audit::name_of(static_cast<audit::detector>(i)), c.findings[i]);
    }
    w.end_object().end_object();
  }
  w.end_array();
  w.key("detectors").begin_array();
  for (const auto& d : r.detectors) {
    w.begin_object().field("id", audit::name_of(d.id)).field("title", text_of(d).title)
        .field("findings", d.findings).field("wasted_calls", d.wasted_calls);
    w.key("fix");
    if (d.findings > 0) w.value(fix_of(r, d)); else w.null();
    w.key("examples").begin_array();
    for (const auto& ex : d.examples) {
      w.begin_object();
      json_position(w, r, ex.at);
      w.key("ts").time(ex.ts_ms);
      w.field("request_id", log_text(ex.request_id)).field("client", ex.client);
      w.key("earlier");
      if (ex.earlier) {
        w.begin_object();
        json_position(w, r, *ex.earlier);
        w.key("ts").time(ex.earlier_ts_ms);
        w.end_object();
      } else {
        w.null();
      }
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
}

void write_audit_text(std::string& out, const summary& s, bool color) {
  if (!s.audit) return;
  const audit_result& r = *s.audit;
  auto wrap = [color](std::string_view code, std::string_view t) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, t) : std::string(t);
  };
  out += "\n" + wrap("1", "Audit") + wrap("2", "  (task lifecycles and the client's own behaviour)") + "\n";
  out += "  " + wrap("2", "thresholds: " + thresholds_text(r.options)) + "\n";
  out += "  " + calls_text(r) + "\n";
  out += "  tasks: " + tasks_text(r.tasks) + "\n";
  out += "  time to result: " + percentiles_text(r.tasks.time_to_result_ms, true) +
         " · polls per task: " + percentiles_text(r.tasks.polls_per_task, false) + " (exact)\n";
  auto list = fired(r);
  if (list.empty()) {
    out += "  " + wrap("32", "No detector fired: the clients retried, waited and polled as advised.") + "\n";
  }
  for (const auto* d : list) {
    out += fmt::format("\n  {}  {} {}, {} wasted call{}\n", wrap("1", audit::name_of(d->id)),
                       group_thousands(d->findings), d->findings == 1 ? "finding" : "findings",
                       group_thousands(d->wasted_calls), d->wasted_calls == 1 ? "" : "s");
    out += "      " + text_of(*d).title + "\n";
    out += "      " + wrap("32", "fix:") + " " + fix_of(r, *d) + "\n";
    for (size_t i = 0; i < d->examples.size() && i < 3; ++i) {
      const auto& ex = d->examples[i];
      out += "      " + wrap("2", "e.g.") + " " + audit_position(r, ex.at) + "  " + ex.client;
      if (!ex.request_id.empty()) out += "  " + log_text(ex.request_id);
      if (ex.earlier) out += wrap("2", "  (after " + earlier_position(r, ex.at, *ex.earlier) + ")");
      out += "\n";
    }
  }
  if (!r.clients.empty()) {
    out += "\n  " + wrap("2", "clients (calls, failures, peak tasks in flight):") + "\n";
    for (size_t i = 0; i < r.clients.size() && i < listed_clients; ++i) {
      const auto& c = r.clients[i];
      out += fmt::format("    {}  {}, {}, peak {} in flight\n", c.id, count_of(c.calls, "call"),
                         count_of(c.failures, "failure"), c.peak_in_flight);
    }
    if (r.clients.size() > listed_clients) {
      out += wrap("2", fmt::format("    … and {} more clients (see --format json)\n",
                                   r.clients.size() - listed_clients));
    }
  }
}

void write_audit_markdown(std::string& out, const summary& s) {
  if (!s.audit) return;
  const audit_result& r = *s.audit;
  out += "\n## Audit\n\n";
  out += "Task lifecycles and the client's own behaviour. Thresholds: " +
         markdown_escape(thresholds_text(r.options)) + ".\n\n";
  out += "- " + markdown_escape(calls_text(r)) + "\n";
  out += "- Tasks: " + markdown_escape(tasks_text(r.tasks)) + "\n";
  out += "- Time to result: " + markdown_escape(percentiles_text(r.tasks.time_to_result_ms, true)) +
         "; polls per task: " + markdown_escape(percentiles_text(r.tasks.polls_per_task, false)) +
         " (exact)\n";
  auto list = fired(r);
  if (list.empty()) {
    out += "\nNo detector fired.\n";
  } else {
    out += "\n| Detector | Findings | Wasted calls | Fix |\n|---|---:|---:|---|\n";
    for (const auto* d : list) {
      out += fmt::format("| `{}` | {} | {} | {} |\n", audit::name_of(d->id),
                         group_thousands(d->findings), group_thousands(d->wasted_calls),
                         markdown_escape(fix_of(r, *d)));
    }
    for (const auto* d : list) {
      out += fmt::format("\n### `{}`: {}\n\n", audit::name_of(d->id), markdown_escape(text_of(*d).title));
      out += "| Record | Client | Request id | After |\n|---|---|---|---|\n";
      for (const auto& ex : d->examples) {
        out += fmt::format("| `{}` | `{}` | {} | {} |\n", audit_position(r, ex.at), ex.client,
                           ex.request_id.empty() ? "-" : markdown_escape(log_text(ex.request_id)),
                           ex.earlier ? earlier_position(r, ex.at, *ex.earlier) : "-");
      }
    }
  }
  if (!r.clients.empty()) {
    out += "\n| Client | Calls | Failures | Peak in flight |\n|---|---:|---:|---:|\n";
    for (size_t i = 0; i < r.clients.size() && i < listed_clients; ++i) {
      const auto& c = r.clients[i];
      out += fmt::format("| `{}` | {} | {} | {} |\n", c.id, group_thousands(c.calls),
                         group_thousands(c.failures), c.peak_in_flight);
    }
  }
}

namespace {

/// Tasks in flight per bucket (the bucket's peak) against the concurrency
/// failures (1303) in it, for one client.
std::string in_flight_svg(const audit::client_result& c, int64_t first_ms, int64_t last_ms,
                          int64_t bucket_ms) {
  constexpr int width = 640, height = 60, pad = 4;
  int64_t peak = 1, fails = 1;
  for (const auto& p : c.series) {
    peak = std::max(peak, p.peak);
    fails = std::max(fails, p.concurrency_failures);
  }
  double span = static_cast<double>(std::max<int64_t>(bucket_ms, last_ms - first_ms + bucket_ms));
  auto x = [&](int64_t t) { return pad + (width - 2 * pad) * static_cast<double>(t - first_ms) / span; };
  double bw = std::max(1.0, (width - 2 * pad) * static_cast<double>(bucket_ms) / span);
  std::string out = fmt::format(
      R"(<svg class="inflight" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="tasks in flight of {}">)",
      width, height, width, height, html_escape(c.id));
  for (const auto& p : c.series) {
    if (p.concurrency_failures == 0) continue;
    double h = (height - 2 * pad - 14) * static_cast<double>(p.concurrency_failures) / static_cast<double>(fails);
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#d64545" opacity="0.45"><title>{}: {} concurrency failures</title></rect>)",
                       x(p.start_ms), height - pad - h, std::max(2.0, bw), h, utc_minute(p.start_ms),
                       p.concurrency_failures);
  }
  // Tasks in flight: a bar per interval with activity, as high as its peak.
  for (const auto& p : c.series) {
    if (p.peak == 0) continue;
    double h = (height - 2 * pad - 14) * static_cast<double>(p.peak) / static_cast<double>(peak);
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#2f6fb3" opacity="0.8"><title>{}: {} in flight at most</title></rect>)",
                       x(p.start_ms), height - pad - h, std::max(2.0, bw * 0.8), h,
                       utc_minute(p.start_ms), p.peak);
  }
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-width="1"/>)",
                     pad, height - pad, width - pad, height - pad);
  out += fmt::format(R"(<text x="{}" y="12" font-size="10" fill="#555">peak {} in flight</text></svg>)",
                     pad, c.peak_in_flight);
  return out;
}

}  // namespace

void write_audit_html(std::string& out, const summary& s) {
  if (!s.audit) return;
  const audit_result& r = *s.audit;
  out += "<section id=\"audit\"><h2>Audit</h2>";
  out += "<p class=\"meta\">Task lifecycles and the client's own behaviour. Thresholds: " +
         html_escape(thresholds_text(r.options)) + ".</p>";
  out += "<ul><li>" + html_escape(calls_text(r)) + "</li><li>Tasks: " +
         html_escape(tasks_text(r.tasks)) + "</li><li>Time to result: " +
         html_escape(percentiles_text(r.tasks.time_to_result_ms, true)) + "; polls per task: " +
         html_escape(percentiles_text(r.tasks.polls_per_task, false)) + " (exact)</li></ul>";
  auto list = fired(r);
  if (list.empty()) out += "<p>No detector fired.</p>";
  for (const auto* d : list) {
    out += fmt::format(
        "<article class=\"cause\"><header><h3><code>{}</code></h3><span class=\"count\">{} · {} "
        "wasted</span></header><p class=\"title\">{}</p><div class=\"fixes\"><h4>What to do</h4>"
        "<p>{}</p></div>",
        audit::name_of(d->id), count_of(d->findings, "finding"),
        count_of(d->wasted_calls, "call"), html_escape(text_of(*d).title),
        html_escape(fix_of(r, *d)));
    out += "<table class=\"examples\"><thead><tr><th>Record</th><th>Time (UTC)</th><th>Client</th>"
           "<th>Request id</th><th>After</th></tr></thead><tbody>";
    for (const auto& ex : d->examples) {
      out += fmt::format("<tr><td><code>{}</code></td><td class=\"nowrap\">{}</td><td><code>{}</code></td>"
                         "<td>{}</td><td>{}</td></tr>",
                         html_escape(audit_position(r, ex.at)), utc_seconds(ex.ts_ms),
                         html_escape(ex.client),
                         ex.request_id.empty() ? "-" : html_escape(log_text(ex.request_id)),
                         ex.earlier ? html_escape(earlier_position(r, ex.at, *ex.earlier))
                                    : std::string("-"));
    }
    out += "</tbody></table></article>";
  }
  if (!r.clients.empty()) {
    int64_t first = 0, last = 0;
    bool any = false;
    for (const auto& c : r.clients) {
      for (const auto& p : c.series) {
        first = any ? std::min(first, p.start_ms) : p.start_ms;
        last = any ? std::max(last, p.start_ms) : p.start_ms;
        any = true;
      }
    }
    out += "<h3>Tasks in flight per client</h3><p class=\"meta\">The most tasks in flight at one "
           "instant per interval (blue) against the concurrency-limit failures (1303) in it "
           "(red), over the whole window.</p><table><thead><tr><th>Client</th><th class=\"num\">Calls</th>"
           "<th class=\"num\">Failures</th><th class=\"num\">Peak in flight</th><th>In flight "
           "over time</th></tr></thead><tbody>";
    for (size_t i = 0; i < r.clients.size() && i < listed_clients; ++i) {
      const auto& c = r.clients[i];
      out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}"
                         "</td><td class=\"num\">{}</td><td>{}</td></tr>",
                         html_escape(c.id), group_thousands(c.calls), group_thousands(c.failures),
                         c.peak_in_flight,
                         any && !c.series.empty()
                             ? in_flight_svg(c, first, last, r.options.series_bucket_ms)
                             : std::string("-"));
    }
    out += "</tbody></table>";
  }
  out += "</section>";
}

}  // namespace analyzer::report
