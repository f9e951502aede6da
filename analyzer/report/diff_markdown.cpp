// SPDX-License-Identifier: MIT
// The diff as Markdown (a ticket, a PR comment, a post-incident document):
// the text form's order in GitHub-flavoured tables; every cell from a log
// or a rule file goes through markdown_escape.
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

namespace {

std::string p_cell(const diff_row& r) {
  if (!r.p_value) return "-";
  return *r.p_value < 0.0001 ? std::string("<0.0001") : fmt::format("{:.4f}", *r.p_value);
}

void sides(std::string& out, const diff_result& d) {
  out += "| | Source | Window (UTC) | Calls | Failures | Failure rate |\n"
         "|---|---|---|---:|---:|---:|\n";
  for (const auto* s : {&d.base, &d.current}) {
    out += fmt::format("| {} | {} | {} → {} | {} | {} | {} |\n", s == &d.base ? "BASE" : "CURRENT",
                       markdown_escape(log_text(s->name)), utc_seconds(s->first_ms),
                       utc_seconds(s->last_ms), group_thousands(s->records),
                       group_thousands(s->failures), rate_text(s->failure_rate()));
  }
  out += "\n";
}

void gate(std::string& out, const diff_result& d) {
  if (d.gate.empty()) return;
  out += "## Gate\n\n| Condition | Measured | Result |\n|---|---:|---|\n";
  for (const auto& g : d.gate) {
    std::string value = !g.text.empty() ? g.text
                        : g.number      ? fmt::format("{:g}", *g.number)
                                        : std::string("∞");
    out += fmt::format("| {} | {} | {} |\n", markdown_code(g.condition), value,
                       g.met ? "**met: the run fails**" : "not met");
  }
  out += "\n";
}

void new_causes(std::string& out, const diff_result& d) {
  size_t n = d.count(diff_dimension::causes, diff_state::new_);
  if (n == 0) return;
  out += fmt::format("## New causes ({})\n\nNot seen in BASE.\n\n", n);
  for (const auto& r : d.rows(diff_dimension::causes)) {
    if (r.state != diff_state::new_) continue;
    out += fmt::format("### {} — {} ({})\n\n", markdown_code(r.id), count_of(r.current.count, "failure"),
                       rate_text(r.current.rate));
    if (!r.title.empty()) out += markdown_rich(r.title) + "\n\n";
    out += fmt::format("- First seen {} UTC, last seen {} UTC\n", utc_seconds(r.first_seen),
                       utc_seconds(r.last_seen));
    for (const auto& f : r.fixes) out += "- Fix: " + markdown_rich(f) + "\n";
    if (r.example) {
      const auto& ex = *r.example;
      std::string where = ex.line >= 0 ? fmt::format("{}:{}", ex.source, ex.line)
                                       : fmt::format("{}#{}", ex.source, ex.entry);
      out += fmt::format("- Example: {}", markdown_code(log_text(where)));
      if (!ex.message.empty()) out += " — " + markdown_escape(core::shorten(ex.message, 120));
      out += "\n";
    }
    out += "\n";
  }
}

void change_table(std::string& out, const diff_result& d, diff_dimension dim,
                  std::initializer_list<diff_state> states, std::string_view title) {
  std::string rows;
  size_t n = 0;
  for (const auto& r : d.rows(dim)) {
    bool wanted = false;
    for (auto s : states) wanted = wanted || r.state == s;
    if (!wanted) continue;
    ++n;
    rows += fmt::format("| {} | {} | {} → {} | {} → {} | {} | {} |\n",
                        dim == diff_dimension::causes ? markdown_code(r.id)
                                                      : markdown_escape(diff_key_label(dim, r.id)),
                        name_of(r.state), group_thousands(r.base.count),
                        group_thousands(r.current.count), rate_text(r.base.rate),
                        rate_text(r.current.rate), ratio_text(r.rate_ratio, r.base.count),
                        p_cell(r));
  }
  if (n == 0) return;
  out += fmt::format("## {} ({})\n\n| Key | State | Failures | Rate | Ratio | p |\n"
                     "|---|---|---:|---:|---:|---:|\n{}\n", title, n, rows);
}

void body(std::string& out, const diff_result& d) {
  gate(out, d);
  new_causes(out, d);
  change_table(out, d, diff_dimension::causes, {diff_state::regressed}, "Regressed");
  change_table(out, d, diff_dimension::causes, {diff_state::improved}, "Improved");
  change_table(out, d, diff_dimension::causes, {diff_state::gone}, "Gone");
  change_table(out, d, diff_dimension::causes, {diff_state::unchanged}, "Unchanged");
  std::string other;
  for (auto dim : diff_dimensions) {
    if (dim == diff_dimension::causes) continue;
    change_table(other, d, dim,
                 {diff_state::new_, diff_state::regressed, diff_state::improved, diff_state::gone},
                 fmt::format("Changed {}", name_of(dim)));
  }
  out += other;
}

}  // namespace

std::string write_diff_markdown(const diff_result& d) {
  std::string out = "# Kling API calls: what changed\n\n";
  out += "**" + markdown_escape(diff_headline(d)) + ".**\n\n";
  for (const auto& why : d.incomparable) {
    out += "> **Warning: not comparable.** " + markdown_escape(why) + "\n\n";
  }
  sides(out, d);
  body(out, d);
  out += fmt::format("---\nkling-triage {} · BASE rules {} · CURRENT rules {}\n", d.tool_version,
                     markdown_code(d.base.rules_digest), markdown_code(d.current.rules_digest));
  return out;
}

std::string baseline_markdown(const diff_result& d) {
  std::string body_text;
  body(body_text, d);
  // One level down: the report's sections are `##`.
  std::string out = "## Since the baseline\n\n**" + markdown_escape(diff_headline(d)) + ".**\n\n";
  for (const auto& why : d.incomparable) {
    out += "> **Warning: not comparable.** " + markdown_escape(why) + "\n\n";
  }
  sides(out, d);
  size_t at = 0;
  while ((at = body_text.find("## ", at)) != std::string::npos) {
    if (at == 0 || body_text[at - 1] == '\n') body_text.insert(at, "#");
    at += 4;
  }
  return out + body_text;
}

}  // namespace analyzer::report
