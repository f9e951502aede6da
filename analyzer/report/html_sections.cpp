// SPDX-License-Identifier: MIT
// The HTML report's causes, breakdowns and inputs sections.
#include "analyzer/report/html_sections.hpp"

#include <fmt/format.h>

#include "analyzer/report/escape.hpp"
#include "analyzer/report/report_text.hpp"
#include "analyzer/report/svg_chart.hpp"

namespace analyzer::report::html {

namespace {

constexpr size_t max_breakdown_rows = 20;

std::string swatch(std::string_view category) {
  return fmt::format(R"(<i class="sw" style="background:{}"></i>)", category_color(category));
}

std::string retry_pill(std::string_view advice) {
  return fmt::format(R"(<span class="pill retry-{0}" title="{1}">retry: {0}</span>)",
                     html_escape(advice), html_escape(retryable_meaning(advice)));
}

template <typename M>
std::string count_list(const M& m, std::string_view zero_name = {}) {
  std::string out;
  for (const auto& [k, n] : m) {
    std::string key = fmt::format("{}", k);
    if (key == "0" && !zero_name.empty()) key = std::string(zero_name);
    out += fmt::format("{}{} ×{}", out.empty() ? "" : ", ", html_escape(log_text(key)),
                       group_thousands(n));
  }
  return out.empty() ? "-" : out;
}

void example_rows(std::string& out, const summary& s, const aggregate::cause_stats& st) {
  out += "<table class=\"examples\"><thead><tr><th>Record</th><th>Time (UTC)</th>"
         "<th class=\"num\">Status</th><th class=\"num\">Code</th><th>Endpoint</th>"
         "<th>Message</th></tr></thead><tbody>";
  for (const auto& ex : st.examples) {
    std::string position = record_position(s, ex.key.source, ex.line, ex.entry);
    out += fmt::format(
        "<tr><td class=\"{}\"><code>{}</code></td><td class=\"nowrap\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code></td>"
        "<td>{}</td></tr>",
        position.size() <= 48 ? "nowrap" : "", html_escape(position),
        utc_seconds(ex.ts_ms), ex.status > 0 ? fmt::format("{}", ex.status) : "none",
        ex.code ? fmt::format("{}", *ex.code) : "-", html_escape(log_text(ex.endpoint)),
        ex.message.empty() ? "-" : html_escape(log_text(ex.message)));
  }
  out += "</tbody></table>";
}

void cause_article(std::string& out, const summary& s, size_t rank, const cause_row& c) {
  const auto& st = *c.stats;
  out += fmt::format(
      "<article class=\"cause\"><header><h3>{}. <code>{}</code></h3>"
      "<span class=\"pill\">{}{}</span><span class=\"count\">{} · {}</span>{}"
      "</header><p class=\"title\">{}</p>",
      rank, html_escape(c.id), swatch(c.category), html_escape(c.category),
      count_of(st.count, "failure"), percent_of(st.count, s.agg->failures), retry_pill(c.retryable),
      rich_text(c.title));
  out += fmt::format(
      "<p class=\"meta\">First seen {} · last seen {} UTC · statuses {} · codes {}</p>",
      utc_seconds(st.first_seen), utc_seconds(st.last_seen), count_list(st.statuses, "none"),
      count_list(st.codes));
  out += "<div class=\"fixes\"><h4>What to do</h4><ul>";
  for (const auto& f : c.fixes) out += "<li>" + rich_text(f) + "</li>";
  out += "</ul>";
  if (!c.docs.empty()) out += "<p class=\"meta\">Docs: " + html_escape(c.docs) + "</p>";
  out += "</div>";
  if (!st.examples.empty()) example_rows(out, s, st);
  out += "</article>";
}

void other_causes(std::string& out, const summary& s) {
  if (s.causes.size() <= detailed_causes) return;
  out += "<h3>Other causes</h3><table><thead><tr><th>Cause</th><th>Category</th>"
         "<th class=\"num\">Failures</th><th class=\"num\">Share</th><th>Retry</th>"
         "<th>Title</th></tr></thead><tbody>";
  for (size_t i = detailed_causes; i < s.causes.size(); ++i) {
    const cause_row& c = s.causes[i];
    out += fmt::format(
        "<tr><td><code>{}</code></td><td>{}{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
        html_escape(c.id), swatch(c.category), html_escape(c.category),
        group_thousands(c.stats->count), percent_of(c.stats->count, s.agg->failures),
        html_escape(c.retryable), rich_text(c.title));
  }
  out += "</tbody></table>";
}

}  // namespace

void unexplained_section(std::string& out, const summary& s) {
  const unexplained_summary& u = s.unexplained;
  if (u.rows.empty()) return;
  out += "<section id=\"unexplained\"><h2>Unexplained failures by message template</h2>"
         "<p class=\"meta\">Failures no rule explains (<code>unclassified.unknown</code>), grouped "
         "by message with numbers, ids, quoted values and URLs masked as <code>#</code>. "
         "<code>kling-triage rules suggest</code> on the example writes a rule to start from.</p>"
         "<table><thead><tr><th class=\"num\">Failures</th><th>Template</th><th>Statuses</th>"
         "<th>Codes</th><th>Example</th></tr></thead><tbody>";
  for (size_t i = 0; i < shown_templates(u); ++i) {
    const template_row& r = u.rows[i];
    std::string where;
    if (r.stats->earliest) {
      const auto& ex = *r.stats->earliest;
      where = "<code>" + html_escape(record_position(s, ex.key.source, ex.line, ex.entry)) + "</code>";
    }
    out += fmt::format("<tr><td class=\"num\">{}</td><td><code>{}</code></td><td>{}</td>"
                       "<td>{}</td><td>{}</td></tr>",
                       group_thousands(r.stats->count), html_escape(template_text(r)),
                       html_escape(status_counts(*r.stats)), html_escape(code_counts(*r.stats)),
                       where);
  }
  out += "</tbody></table>";
  if (int64_t rest = unlisted_failures(u); rest > 0) {
    out += fmt::format("<p class=\"meta\">… and {} more with other templates (see --format json)</p>",
                       count_of(rest, "failure"));
  }
  out += "</section>";
}

namespace {

void breakdown_table(std::string& out, std::string_view title, std::string_view key_name,
                     const std::vector<breakdown_row>& rows) {
  out += fmt::format("<div><h3>{}</h3><table><thead><tr><th>{}</th><th class=\"num\">Calls</th>"
                     "<th class=\"num\">Failures</th><th class=\"num\">Failure rate</th></tr>"
                     "</thead><tbody>", title, key_name);
  for (size_t i = 0; i < rows.size() && i < max_breakdown_rows; ++i) {
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                       html_escape(log_text(rows[i].key)), group_thousands(rows[i].records),
                       group_thousands(rows[i].failures),
                       percent_of(rows[i].failures, rows[i].records));
  }
  if (rows.empty()) out += "<tr><td colspan=\"4\" class=\"muted\">none</td></tr>";
  out += "</tbody></table>";
  if (rows.size() > max_breakdown_rows) {
    out += fmt::format("<p class=\"meta\">… and {} more (see --format json)</p>",
                       rows.size() - max_breakdown_rows);
  }
  out += "</div>";
}

void count_table(std::string& out, std::string_view title, std::string_view key_name,
                 const std::vector<std::pair<std::string, int64_t>>& rows, int64_t total) {
  out += fmt::format("<div><h3>{}</h3><table><thead><tr><th>{}</th><th class=\"num\">Calls</th>"
                     "<th class=\"num\">Share</th></tr></thead><tbody>", title, key_name);
  for (const auto& [k, n] : rows) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                       html_escape(k), group_thousands(n), percent_of(n, total));
  }
  if (rows.empty()) out += "<tr><td colspan=\"3\" class=\"muted\">none</td></tr>";
  out += "</tbody></table></div>";
}

void retryable_table(std::string& out, const summary& s) {
  out += "<div><h3>Retryable</h3><table><thead><tr><th>Retry</th><th class=\"num\">Failures"
         "</th><th class=\"num\">Share</th><th>Meaning</th></tr></thead><tbody>";
  for (const auto& [k, n] : retryable_rows(s)) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td>{}</td></tr>", retry_pill(k), group_thousands(n),
                       percent_of(n, s.agg->failures), html_escape(retryable_meaning(k)));
  }
  out += "</tbody></table></div>";
}

void malformed_part(std::string& out, const summary& s) {
  const auto& a = *s.agg;
  out += fmt::format("<h3>Malformed records: {}</h3>", group_thousands(a.malformed));
  if (a.malformed == 0) {
    out += "<p class=\"muted\">Every line was a logged call.</p>";
    return;
  }
  out += "<p class=\"meta\">Lines that are not a logged call: counted, not classified.</p>"
         "<table><thead><tr><th>Record</th><th>Problem</th></tr></thead><tbody>";
  for (size_t i = 0; i < a.malformed_examples.size() && i < 10; ++i) {
    const auto& m = a.malformed_examples[i];
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td></tr>",
                       html_escape(record_position(s, m.key.source, m.line, m.entry)),
                       html_escape(log_text(m.error)));
  }
  out += "</tbody></table>";
  int64_t shown = std::min<int64_t>(static_cast<int64_t>(a.malformed_examples.size()), 10);
  if (a.malformed > shown) {
    out += fmt::format("<p class=\"meta\">… and {} more (see --format json or --events)</p>",
                       group_thousands(a.malformed - shown));
  }
}

}  // namespace

std::string rich_text(std::string_view s) {
  return with_code_spans(s, [](std::string_view t) { return html_escape(t); },
                         [](std::string_view t) { return "<code>" + html_escape(t) + "</code>"; });
}

void causes_section(std::string& out, const summary& s) {
  out += "<section id=\"causes\"><h2>Top causes</h2>";
  if (s.causes.empty()) out += "<p>No failures.</p>";
  for (size_t i = 0; i < s.causes.size() && i < detailed_causes; ++i) {
    cause_article(out, s, i + 1, s.causes[i]);
  }
  other_causes(out, s);
  out += "</section>";
}

void breakdowns_section(std::string& out, const summary& s) {
  out += "<section id=\"breakdowns\"><h2>Breakdowns</h2><div class=\"grid2\">";
  breakdown_table(out, "By endpoint", "Endpoint", endpoint_rows(s));
  breakdown_table(out, "By model", "Model", model_rows(s));
  count_table(out, "By HTTP status", "Status", status_rows(s), s.agg->records - s.agg->malformed);
  count_table(out, "By business code", "Code", code_rows(s), s.agg->records - s.agg->malformed);
  retryable_table(out, s);
  out += "</div></section>";
}

void inputs_section(std::string& out, const summary& s) {
  out += "<section id=\"inputs\"><h2>Inputs</h2><table><thead><tr><th>Input</th><th>Format</th>"
         "<th class=\"num\">Size</th><th class=\"num\">Records</th><th class=\"num\">Malformed"
         "</th><th>Read as</th><th>Errors</th></tr></thead><tbody>";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const input_info& in = s.inputs[i];
    const aggregate::input_stats& st = s.inputs[i].stats;
    std::string errors;
    for (const auto& e : in.errors) errors += "<div class=\"error\">" + html_escape(log_text(e)) + "</div>";
    std::string how = reading_of(in, st);
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                       html_escape(in.path),
                       html_escape(in.compression == "none" ? in.format : in.format + " + " + in.compression),
                       byte_size(in.raw_bytes), group_thousands(st.records),
                       group_thousands(st.malformed), how.empty() ? "-" : html_escape(how),
                       errors.empty() ? "-" : errors);
  }
  out += "</tbody></table>";
  malformed_part(out, s);
  out += "</section>";
}

}  // namespace analyzer::report::html
