// SPDX-License-Identifier: MIT
// The HTML report: one self-contained page (inline CSS and SVG, no script,
// no external resource) that opens from an email attachment or a CI
// artifact, reads at 1280 px and prints on A4.
#include <fmt/format.h>

#include "analyzer/report/audit_report.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/html_sections.hpp"
#include "analyzer/report/report_text.hpp"
#include "analyzer/report/summary.hpp"
#include "analyzer/report/svg_chart.hpp"
#include "analyzer/report/timeline.hpp"

namespace analyzer::report {

namespace {

constexpr std::string_view stylesheet = R"(
:root{--fg:#1d232a;--muted:#5b6672;--line:#d9dee3;--soft:#f4f6f8;--bad:#c62828;--warn:#a05a00;--good:#2e7d32}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;color:var(--fg);background:#fff;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px 32px 40px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:14px 0 6px}
h4{font-size:13px;margin:8px 0 2px}
p{margin:6px 0}
.lead{font-size:16px;margin:10px 0 0}
.muted,.meta,.sub{color:var(--muted)}
.meta{font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:18px 0 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--soft)}
.card .n{display:block;font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.card .l{display:block;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .d{display:block;color:var(--muted);font-size:12px}
.card.bad .n{color:var(--bad)}.card.warn .n{color:var(--warn)}.card.good .n{color:var(--good)}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 8px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:var(--soft);padding:1px 4px;border-radius:3px;overflow-wrap:break-word}
figure{margin:8px 0}
figcaption{color:var(--muted);font-size:12px;margin-bottom:4px}
.chart{width:100%;height:auto;display:block}
.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:12px;fill:var(--fg)}
.chart .tick{fill:var(--muted);font-size:11px}
.chart .grid{stroke:#e7eaed}.chart .axis{stroke:#9aa3ab}
.chart .incident{fill:#c62828;fill-opacity:.1;stroke:#c62828;stroke-opacity:.55;stroke-dasharray:4 3}
.chart .incident-label{fill:#c62828;font-weight:600}
.bars{max-width:760px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0 0;padding:0;list-style:none;font-size:12px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend .inc{background:rgba(198,40,40,.12);border:1px dashed #c62828}
.cause{border:1px solid var(--line);border-radius:8px;padding:10px 16px 6px;margin:12px 0;break-inside:avoid}
.cause header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.cause h3{margin:0}.cause .title{font-weight:500}
.cause ul{margin:2px 0 6px;padding-left:22px}
.count{font-weight:600}
.pill{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px;background:#fff;white-space:nowrap}
.retry-yes{border-color:#7cb342;color:#33691e}.retry-after_fix{border-color:#f9a825;color:#8d6e00}
.retry-no{border-color:#e57373;color:#b71c1c}.retry-unknown{color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:4px 28px}
.gate td.met{color:var(--bad);font-weight:600}.gate td.held{color:var(--good)}
.error{color:var(--bad)}
footer{margin-top:36px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
@media (max-width:860px){.grid2{grid-template-columns:minmax(0,1fr)}main{padding:16px}}
@media print{
@page{size:A4;margin:12mm}
body{font-size:11px}
main{max-width:none;padding:0}
h2{break-after:avoid;margin-top:20px}
.cause,figure,tr,.card{break-inside:avoid}
.card{background:none}
.cards{grid-template-columns:repeat(6,1fr)}
}
)";

std::string card(std::string_view label, const std::string& value, std::string_view detail,
                 std::string_view tone = {}) {
  return fmt::format(R"(<div class="card {}"><span class="l">{}</span><span class="n">{}</span>)"
                     R"(<span class="d">{}</span></div>)",
                     tone, label, value, detail);
}

std::string lead_sentence(const summary& s) {
  const auto& a = *s.agg;
  std::string text = fmt::format("<strong>{} of {} calls failed ({})</strong>",
                                 group_thousands(a.failures), group_thousands(a.records),
                                 percent_of(a.failures, a.records));
  if (!s.causes.empty()) {
    text += fmt::format("; the top cause is <code>{}</code> ({})", html_escape(s.causes.front().id),
                        count_of(s.causes.front().stats->count, "failure"));
  }
  if (s.incidents.empty()) return text + "; no incident window.";
  const incident& inc = s.incidents.front();
  std::string window = window_text(inc.start_ms, inc.end_ms) + " UTC";
  if (s.incidents.size() == 1) return text + "; 1 incident window: " + window + ".";
  return text + fmt::format("; {} incident windows, the first {}.", s.incidents.size(), window);
}

void header(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  std::string window = a.first_ts ? fmt::format("{} → {} UTC", utc_seconds(a.first_ts),
                                                utc_seconds(a.last_ts))
                                  : std::string("no timestamps");
  out += fmt::format("<header><h1>Kling API calls: triage report</h1><p class=\"sub\">{} · {} "
                     "input{} · generated {}</p><p class=\"lead\">{}</p></header>",
                     window, s.inputs.size(), s.inputs.size() == 1 ? "" : "s",
                     html_escape(s.generated_at), lead_sentence(s));
}

void headline(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  int64_t retryable = 0;
  for (const auto& [k, n] : retryable_rows(s)) retryable += k == "yes" ? n : 0;
  out += "<section class=\"cards\" aria-label=\"Headline figures\">";
  std::string span = a.first_ts ? duration_text(*a.last_ts - *a.first_ts) + " of logs" : "";
  if (a.callbacks > 0) {  // not calls: said where the calls are counted
    span += fmt::format("{}{} callbacks not counted", span.empty() ? "" : "; ",
                        group_thousands(a.callbacks));
  }
  out += card("Calls", group_thousands(a.records), span);
  out += card("Failures", group_thousands(a.failures), percent_of(a.failures, a.records) + " of calls",
              a.failures > 0 ? "bad" : "good");
  out += card("Succeeded", group_thousands(a.ok), percent_of(a.ok, a.records) + " of calls");
  out += card("Retryable", group_thousands(retryable), percent_of(retryable, a.failures) + " of failures");
  out += card("Incidents", fmt::format("{}", s.incidents.size()), "windows of raised failure rate",
              s.incidents.empty() ? "good" : "bad");
  out += card("Malformed", group_thousands(a.malformed),
              fmt::format("unclassified failures: {}", group_thousands(s.unclassified)),
              a.malformed + s.unclassified > 0 ? "warn" : "");
  out += "</section>";
}

void gate_section(std::string& out, const summary& s) {
  if (s.gate.empty()) return;
  out += "<section id=\"gate\"><h2>--fail-on conditions</h2><table class=\"gate\"><thead><tr>"
         "<th>Condition</th><th class=\"num\">Measured</th><th>Result</th></tr></thead><tbody>";
  for (const auto& g : s.gate) {
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{:g}</td>"
                       "<td class=\"{}\">{}</td></tr>", html_escape(g.condition), g.value,
                       g.met ? "met" : "held", g.met ? "met: the run fails" : "not met");
  }
  out += "</tbody></table></section>";
}

void legend(std::string& out, const summary& s) {
  out += "<ul class=\"legend\">";
  for (const auto& c : s.categories) {
    out += fmt::format(R"(<li><i class="sw" style="background:{}"></i>{}</li>)",
                       category_color(c.id), html_escape(c.id));
  }
  if (!s.incidents.empty()) out += "<li><i class=\"sw inc\"></i>incident window</li>";
  out += "</ul>";
}

void charts_section(std::string& out, const summary& s) {
  out += "<section id=\"categories\"><h2>Failures by category</h2>";
  out += s.categories.empty() ? "<p>No failures.</p>" : "<figure>" + category_chart_svg(s) + "</figure>";
  out += "</section><section id=\"timeline\"><h2>Timeline</h2>";
  std::string chart = timeline_chart_svg(s);
  if (chart.empty()) {
    out += "<p class=\"muted\">No record has a time.</p></section>";
    return;
  }
  out += fmt::format("<figure><figcaption>Failures per {} (UTC), stacked by category; hover a "
                     "bar for its counts.</figcaption>{}",
                     resolution_text(s.timeline.bucket_seconds), chart);
  legend(out, s);
  out += "</figure></section>";
}

void incidents_section(std::string& out, const summary& s) {
  out += "<section id=\"incidents\"><h2>Incident windows</h2>";
  if (s.incidents.empty()) out += "<p>None: the failure rate never rose well above its baseline.</p>";
  if (!s.incidents.empty()) {
    out += "<table><thead><tr><th>#</th><th>Start (UTC)</th><th>End (UTC)</th><th>Duration</th>"
           "<th class=\"num\">Calls</th><th class=\"num\">Failures</th><th class=\"num\">Peak rate"
           "</th><th>Top causes</th></tr></thead><tbody>";
  }
  for (size_t i = 0; i < s.incidents.size(); ++i) {
    const incident& inc = s.incidents[i];
    std::string causes;
    for (const auto& [id, n] : inc.top_causes) {
      causes += fmt::format("{}<code>{}</code> {}", causes.empty() ? "" : "<br>", html_escape(id), n);
    }
    out += fmt::format("<tr><td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>"
                       "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({})</td>"
                       "<td class=\"num\">{}</td><td>{}</td></tr>",
                       i + 1, utc_minute(inc.start_ms), utc_minute(inc.end_ms),
                       duration_text(inc.end_ms - inc.start_ms), group_thousands(inc.records),
                       group_thousands(inc.failures), percent_of(inc.failures, inc.records),
                       percent_text(inc.peak_failure_rate), causes);
  }
  if (!s.incidents.empty()) out += "</tbody></table>";
  if (!s.timeline.buckets.empty()) {
    out += "<p class=\"meta\">" + html_escape(incident_method_text(scan_incidents(s))) + "</p>";
  }
  out += "</section>";
}

void footer(std::string& out, const summary& s) {
  out += fmt::format("<footer>kling-triage {} · {} rules ({}) · generated {} · examples never "
                     "show tokens or keys</footer>",
                     html_escape(s.tool_version), s.rule_count, html_escape(s.rules_digest),
                     html_escape(s.generated_at));
}

}  // namespace

std::string_view html::page_style() { return stylesheet; }

std::string write_html(const summary& s) {
  std::string out;
  out.reserve(64 * 1024);
  out += fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<link rel=\"icon\" href=\"data:,\">"
                     "<title>kling-triage: {} failures of {} calls</title><style>{}</style>"
                     "</head><body><main>",
                     group_thousands(s.agg->failures), group_thousands(s.agg->records), stylesheet);
  header(out, s);
  headline(out, s);
  gate_section(out, s);
  if (s.baseline != nullptr) out += baseline_html(*s.baseline);
  charts_section(out, s);
  incidents_section(out, s);
  html::causes_section(out, s);
  html::unexplained_section(out, s);
  html::breakdowns_section(out, s);
  html::inputs_section(out, s);
  write_audit_html(out, s);
  footer(out, s);
  out += "</main></body></html>\n";
  return out;
}

}  // namespace analyzer::report
