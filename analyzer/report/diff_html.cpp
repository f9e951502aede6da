// SPDX-License-Identifier: MIT
// The diff as one self-contained page in the report's style: the verdict,
// the two sides as cards, the gate, new causes with their fix and example,
// the per-cause change as bars (BASE rate above CURRENT's), the two
// timelines one above the other, then every table's changes.
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/html_sections.hpp"
#include "analyzer/report/report_text.hpp"
#include "analyzer/report/svg_chart.hpp"

namespace analyzer::report {

namespace {

constexpr std::string_view diff_style = R"(
.st{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--line);white-space:nowrap}
.st-new,.st-regressed{border-color:#e57373;color:#b71c1c}.st-improved,.st-gone{border-color:#7cb342;color:#33691e}
.st-unchanged{color:var(--muted)}
.warning{border:1px solid #f9a825;background:#fff8e1;border-radius:8px;padding:8px 14px;margin:14px 0}
.chart .base{fill:#9aa3ab}.chart .cur-new,.chart .cur-regressed{fill:#c62828}
.chart .cur-improved,.chart .cur-gone{fill:#2e7d32}.chart .cur-unchanged{fill:#5b6672}
)";

constexpr size_t max_bars = 25;

std::string esc(std::string_view s) { return html_escape(log_text(s)); }

std::string pill(diff_state s) {
  return fmt::format(R"(<span class="st st-{0}">{0}</span>)", name_of(s));
}

std::string p_cell(const diff_row& r) {
  if (!r.p_value) return "-";
  return *r.p_value < 0.0001 ? std::string("&lt;0.0001") : fmt::format("{:.4f}", *r.p_value);
}

std::string card(std::string_view label, const std::string& value, const std::string& detail,
                 std::string_view tone = {}) {
  return fmt::format(R"(<div class="card {}"><span class="l">{}</span><span class="n">{}</span>)"
                     R"(<span class="d">{}</span></div>)", tone, label, value, detail);
}

void header(std::string& out, const diff_result& d) {
  out += fmt::format("<header><h1>Kling API calls: what changed</h1><p class=\"sub\">BASE {} · "
                     "CURRENT {} · generated {}</p><p class=\"lead\"><strong>{}</strong></p>"
                     "</header>", esc(d.base.name), esc(d.current.name),
                     html_escape(d.generated_at), html_escape(diff_headline(d)));
  for (const auto& why : d.incomparable) {
    out += "<p class=\"warning\"><strong>Not comparable.</strong> " + html_escape(why) + "</p>";
  }
  using D = diff_dimension;
  size_t news = d.count(D::causes, diff_state::new_), up = d.count(D::causes, diff_state::regressed);
  out += "<section class=\"cards\" aria-label=\"Headline figures\">";
  for (const auto* s : {&d.base, &d.current}) {
    std::string window = s->first_ms ? html_escape(utc_seconds(s->first_ms) + " → " +
                                                   utc_seconds(s->last_ms))
                                     : std::string("no timestamps");
    out += card(s == &d.base ? "BASE failure rate" : "CURRENT failure rate",
                rate_text(s->failure_rate()),
                fmt::format("{} of {} calls · {}", group_thousands(s->failures),
                            group_thousands(s->records), window));
  }
  out += card("Ratio", html_escape(ratio_text(d.failure_rate_ratio, d.base.failures)),
              "CURRENT / BASE failure rate");
  out += card("New causes", fmt::format("{}", news), "not in BASE", news > 0 ? "bad" : "good");
  out += card("Regressed", fmt::format("{}", up), "significant at p &lt; 0.01",
              up > 0 ? "bad" : "good");
  out += card("Improved · gone",
              fmt::format("{} · {}", d.count(D::causes, diff_state::improved),
                          d.count(D::causes, diff_state::gone)), "fewer failures", "good");
  out += "</section>";
}

void gate(std::string& out, const diff_result& d) {
  if (d.gate.empty()) return;
  out += "<section id=\"gate\"><h2>--fail-on conditions</h2><table class=\"gate\"><thead><tr>"
         "<th>Condition</th><th class=\"num\">Measured</th><th>Result</th></tr></thead><tbody>";
  for (const auto& g : d.gate) {
    std::string value = !g.text.empty() ? g.text
                        : g.number      ? fmt::format("{:g}", *g.number)
                                        : std::string("∞");
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"{}\">{}"
                       "</td></tr>", html_escape(g.condition), html_escape(value),
                       g.met ? "met" : "held", g.met ? "met: the run fails" : "not met");
  }
  out += "</tbody></table></section>";
}

void new_causes(std::string& out, const diff_result& d) {
  size_t n = d.count(diff_dimension::causes, diff_state::new_);
  if (n == 0) return;
  out += fmt::format("<section id=\"new\"><h2>New causes ({})</h2>", n);
  for (const auto& r : d.rows(diff_dimension::causes)) {
    if (r.state != diff_state::new_) continue;
    out += fmt::format("<article class=\"cause\"><header><h3><code>{}</code></h3>{}<span "
                       "class=\"count\">{} ({})</span></header>", html_escape(r.id),
                       pill(r.state), count_of(r.current.count, "failure"),
                       rate_text(r.current.rate));
    if (!r.title.empty()) out += "<p class=\"title\">" + html::rich_text(r.title) + "</p>";
    out += fmt::format("<p class=\"meta\">first seen {} UTC · last seen {} UTC</p>",
                       utc_seconds(r.first_seen), utc_seconds(r.last_seen));
    if (!r.fixes.empty()) {
      out += "<h4>Fix</h4><ul>";
      for (const auto& f : r.fixes) out += "<li>" + html::rich_text(f) + "</li>";
      out += "</ul>";
    }
    if (r.example) {
      const auto& ex = *r.example;
      std::string where = ex.line >= 0 ? fmt::format("{}:{}", ex.source, ex.line)
                                       : fmt::format("{}#{}", ex.source, ex.entry);
      out += fmt::format("<p class=\"meta\">e.g. <code>{}</code> {}</p>", esc(where),
                         esc(core::shorten(ex.message, 160)));
    }
    out += "</article>";
  }
  out += "</section>";
}

/// Per cause, the BASE rate (grey) above the CURRENT rate (by state).
std::string change_bars_svg(const diff_result& d) {
  const auto& rows = d.rows(diff_dimension::causes);
  size_t n = std::min(rows.size(), max_bars);
  if (n == 0) return {};
  double peak = 0;
  for (size_t i = 0; i < n; ++i) peak = std::max({peak, rows[i].base.rate, rows[i].current.rate});
  const double label_w = 300, bar_w = 560, row_h = 30, width = label_w + bar_w + 120;
  std::string out = fmt::format(
      R"(<svg class="chart bars" viewBox="0 0 {} {}" role="img" aria-label="Failure rate per )"
      R"(cause, BASE above CURRENT">)", width, n * row_h + 10);
  for (size_t i = 0; i < n; ++i) {
    const diff_row& r = rows[i];
    double y = 5 + i * row_h;
    auto len = [&](double rate) { return peak > 0 ? rate / peak * bar_w : 0; };
    out += fmt::format(R"(<g><title>{}: {} → {} ({})</title>)", html_escape(r.id),
                       rate_text(r.base.rate), rate_text(r.current.rate), name_of(r.state));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", label_w - 8,
                       y + 17, html_escape(core::shorten(r.id, 40)));
    out += fmt::format(R"(<rect class="base" x="{}" y="{}" width="{:.1f}" height="10"/>)",
                       label_w, y + 2, len(r.base.rate));
    out += fmt::format(R"(<rect class="cur-{}" x="{}" y="{}" width="{:.1f}" height="10"/>)",
                       name_of(r.state), label_w, y + 14, len(r.current.rate));
    out += fmt::format(R"(<text class="tick" x="{:.1f}" y="{}">{} → {}</text></g>)",
                       label_w + std::max(len(r.base.rate), len(r.current.rate)) + 6, y + 17,
                       rate_text(r.base.rate), rate_text(r.current.rate));
  }
  return out + "</svg>";
}

void bars(std::string& out, const diff_result& d) {
  std::string chart = change_bars_svg(d);
  if (chart.empty()) return;
  out += "<section id=\"change\"><h2>Change per cause</h2><figure><figcaption>Failure rate "
         "(failures / calls) of each cause: BASE in grey above CURRENT, coloured by state";
  if (d.rows(diff_dimension::causes).size() > max_bars) {
    out += fmt::format("; the first {} rows (new, regressed, improved, gone first)", max_bars);
  }
  out += ".</figcaption>" + chart + "</figure></section>";
}

void timelines(std::string& out, const diff_result& d) {
  out += "<section id=\"timelines\"><h2>Timelines</h2>";
  for (const auto* side : {&d.base, &d.current}) {
    summary s;
    s.timeline = side->timeline;
    s.incidents = side->incidents;
    s.categories = side->categories;
    std::string chart = timeline_chart_svg(s);
    out += fmt::format("<h3>{} <span class=\"muted\">{}</span></h3>",
                       side == &d.base ? "BASE" : "CURRENT", esc(side->name));
    out += chart.empty() ? std::string("<p class=\"muted\">No record has a time.</p>")
                         : fmt::format("<figure><figcaption>Failures per {} (UTC), stacked by "
                                       "category (its own scale)</figcaption>{}</figure>",
                                       resolution_text(side->timeline.bucket_seconds), chart);
  }
  std::vector<std::string> categories;
  for (const auto* side : {&d.base, &d.current}) {
    for (const auto& c : side->categories) {
      if (std::find(categories.begin(), categories.end(), c.id) == categories.end()) {
        categories.push_back(c.id);
      }
    }
  }
  out += "<ul class=\"legend\">";
  for (const auto& c : categories) {
    out += fmt::format(R"(<li><i class="sw" style="background:{}"></i>{}</li>)",
                       category_color(c), html_escape(c));
  }
  out += "</ul></section>";
}

void table(std::string& out, const diff_result& d, diff_dimension dim, bool changed_only) {
  std::string rows;
  for (const auto& r : d.rows(dim)) {
    if (changed_only && r.state == diff_state::unchanged) continue;
    std::string key = dim == diff_dimension::causes ? "<code>" + html_escape(r.id) + "</code>"
                                                    : esc(diff_key_label(dim, r.id));
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
                        "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">"
                        "{}</td><td class=\"num\">{}</td></tr>", key, pill(r.state),
                        group_thousands(r.base.count), group_thousands(r.current.count),
                        rate_text(r.base.rate), rate_text(r.current.rate),
                        html_escape(ratio_text(r.rate_ratio, r.base.count)), p_cell(r));
  }
  if (rows.empty()) return;
  out += fmt::format("<h3>{}</h3><table><thead><tr><th>Key</th><th>State</th><th class=\"num\">"
                     "BASE</th><th class=\"num\">CURRENT</th><th class=\"num\">BASE rate</th><th "
                     "class=\"num\">CURRENT rate</th><th class=\"num\">Ratio</th><th class=\"num\">"
                     "p</th></tr></thead><tbody>{}</tbody></table>",
                     dim == diff_dimension::causes ? "Causes" : "Changed " + std::string(name_of(dim)),
                     rows);
}

void tables(std::string& out, const diff_result& d) {
  table(out, d, diff_dimension::causes, false);
  for (auto dim : diff_dimensions) {
    if (dim != diff_dimension::causes) table(out, d, dim, true);
  }
}

}  // namespace

std::string baseline_html(const diff_result& d) {
  std::string out = fmt::format("<section id=\"baseline\"><h2>Since the baseline</h2><p class="
                                "\"lead\"><strong>{}</strong></p><p class=\"meta\">BASE {}: {} "
                                "of {} calls failed ({})</p>", html_escape(diff_headline(d)),
                                esc(d.base.name), group_thousands(d.base.failures),
                                group_thousands(d.base.records), rate_text(d.base.failure_rate()));
  for (const auto& why : d.incomparable) {
    out += "<p class=\"warning\"><strong>Not comparable.</strong> " + html_escape(why) + "</p>";
  }
  out += "<style>" + std::string(diff_style) + "</style>";
  gate(out, d);
  tables(out, d);
  return out + "</section>";
}

std::string write_diff_html(const diff_result& d) {
  std::string out;
  out += fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<link rel=\"icon\" href=\"data:,\"><title>kling-triage diff: {}</title>"
                     "<style>{}{}</style></head><body><main>",
                     html_escape(diff_headline(d)), html::page_style(), diff_style);
  header(out, d);
  gate(out, d);
  new_causes(out, d);
  bars(out, d);
  timelines(out, d);
  out += "<section id=\"tables\"><h2>Every change</h2>";
  tables(out, d);
  out += "</section>";
  out += fmt::format("<footer>kling-triage {} · BASE rules {} · CURRENT rules {} · examples never "
                     "show tokens or keys</footer></main></body></html>\n",
                     html_escape(d.tool_version), html_escape(d.base.rules_digest),
                     html_escape(d.current.rules_digest));
  return out;
}

}  // namespace analyzer::report
