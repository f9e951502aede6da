// SPDX-License-Identifier: MIT
// The terminal report: what failed, how often, since when, what to do.
// Fits 100 columns; colour only when asked (a terminal without NO_COLOR).
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/audit_report.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/ansi_style.hpp"
#include "analyzer/report/report_text.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

namespace {

/// The report fits this many columns (README's promise).
constexpr size_t text_width = 100;
constexpr size_t min_message = 24;  // shorter cuts say too little
constexpr size_t max_message = 80;

using style = ansi_style;



/// Text from a log or a rule file, as a terminal may show it: control
/// characters escaped (`\x1b`), so no escape sequence reaches the screen.
/// Every such value in this report goes through it (the output filter
/// cannot: the report's own colours are escape sequences).
std::string show(std::string_view s) { return core::printable(s); }

std::string short_time(const std::optional<int64_t>& ms) {
  if (!ms) return "?";
  std::string t = event::format_time(*ms);
  return t.substr(0, 10) + " " + t.substr(11, 8);
}



/// Wraps text at `width` columns with `indent` spaces on each line.
std::string wrap_text(std::string_view text, size_t width, size_t indent,
                      size_t first_used) {
  std::string out;
  size_t col = first_used;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    if (col + word.size() + 1 > width && col > indent) {
      out += '\n' + std::string(indent, ' ');
      col = indent;
    } else if (col > indent && !out.empty()) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    i = end + 1;
  }
  return out;
}

void write_header(std::string& out, const summary& s, const style& st) {
  const auto& a = *s.agg;
  out += st.bold(fmt::format("kling-triage {}", s.tool_version));
  out += fmt::format("  {} input{}, {} record{}", s.inputs.size(),
                     s.inputs.size() == 1 ? "" : "s", group_thousands(a.records),
                     a.records == 1 ? "" : "s");
  if (a.first_ts) out += fmt::format(", {} → {} UTC", short_time(a.first_ts), short_time(a.last_ts));
  out += "\n\n";
  auto row = [&](std::string_view name, int64_t n, bool with_share, std::string (style::*paint)(std::string_view) const) {
    std::string count = fmt::format("{:>10}", group_thousands(n));
    if (n > 0 && paint != nullptr) count = (st.*paint)(count);
    out += fmt::format("  {:<10}{}", name, count);
    if (with_share) out += "  " + st.dim(fmt::format("{:>6}", percent_of(n, a.records)));
    out += "\n";
  };
  row("ok", a.ok, true, nullptr);
  row("failures", a.failures, true, &style::red);
  row("malformed", a.malformed, true, &style::yellow);
  if (a.without_time > 0) {
    out += fmt::format("  {:<10}{:>10}  {}\n", "no time", group_thousands(a.without_time),
                       st.dim("(none, or outside 1970-9999: not in the timeline)"));
  }
  if (a.filtered > 0) {
    out += fmt::format("  {:<10} {} (outside --since/--until, not counted above)\n",
                       "skipped", group_thousands(a.filtered));
  }
  if (a.skipped > 0) {
    out += fmt::format("  {:<10} {} (lines the input profile says are not calls, not counted above)\n",
                       "not calls", group_thousands(a.skipped));
  }
  if (a.callbacks > 0) {
    out += fmt::format("  {:<10} {} (POSTs to a create's callback_url: not Kling calls, not counted above)\n",
                       "callbacks", group_thousands(a.callbacks));
  }
}

/// Display columns of UTF-8 text (one per code point; no wide glyphs in
/// what the report prints).
size_t columns(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

/// `retry: …   e.g. file:line "message"`, the message cut to fit the line;
/// after a long path it goes on a line of its own.
void write_example(std::string& out, const summary& s, const cause_row& c, const style& st) {
  std::string line = "retry: " + c.retryable;
  std::string next;
  if (!c.stats->examples.empty()) {
    const auto& ex = c.stats->examples.front();
    line += "   e.g. " + show(record_position(s, ex.key.source, ex.line, ex.entry));
    if (!ex.message.empty()) {
      std::string message = show(ex.message);
      size_t used = 6 + columns(line) + 3;  // indent, ` "` and `"`
      size_t room = used + 1 + min_message < text_width ? text_width - used - 1 : 0;
      if (room >= min_message) {
        line += fmt::format(" \"{}\"", core::shorten(message, std::min(room, max_message)));
      } else {
        next = fmt::format("\"{}\"", core::shorten(message, std::min(text_width - 11, max_message)));
      }
    }
  }
  out += "      " + st.dim(line) + "\n";
  if (!next.empty()) out += "        " + st.dim(next) + "\n";
}

void write_causes(std::string& out, const summary& s, const style& st) {
  if (s.causes.empty()) {
    out += "\n" + st.green("No failures.") + "\n";
    return;
  }
  out += "\n" + st.bold("Top causes") + st.dim("  (share of failures; first → last seen)") + "\n";
  size_t shown = std::min<size_t>(s.causes.size(), 10);
  for (size_t i = 0; i < shown; ++i) {
    const cause_row& c = s.causes[i];
    const auto& stats = *c.stats;
    out += fmt::format("\n  {:>2}. {}  {} {}  {}\n", i + 1, st.bold(show(c.id)),
                       group_thousands(stats.count), st.dim(percent_of(stats.count, s.agg->failures)),
                       st.dim(fmt::format("{} → {}", short_time(stats.first_seen),
                                          short_time(stats.last_seen))));
    out += "      " + wrap_text(show(c.title), 98, 6, 6) + "\n";
    if (!c.fixes.empty()) {
      out += "      " + st.green("fix:") + " " + wrap_text(show(c.fixes.front()), 98, 11, 11) + "\n";
    }
    write_example(out, s, c, st);
  }
  if (s.causes.size() > shown) {
    out += st.dim(fmt::format("\n  … and {} more causes (see --format json)\n",
                              s.causes.size() - shown));
  }
  std::string cats;
  for (size_t i = 0; i < s.categories.size(); ++i) {
    cats += fmt::format("{}{}\u00a0{}\u00a0({})", i == 0 ? "" : ", ", show(s.categories[i].id),
                        group_thousands(s.categories[i].count),
                        percent_of(s.categories[i].count, s.agg->failures));
  }
  out += "\n" + st.bold("By category") + "  " + wrap_text(cats, 98, 13, 13) + "\n";
}

/// The unexplained failures by message template, most frequent first, each
/// with the command that writes a rule for it.
void write_unexplained(std::string& out, const summary& s, const style& st) {
  const unexplained_summary& u = s.unexplained;
  if (u.rows.empty()) return;
  out += "\n" + st.bold("Unexplained failures by message template") +
         st.dim("  (unclassified.unknown; numbers, ids, quoted values and URLs masked as #)") + "\n";
  for (size_t i = 0; i < shown_templates(u); ++i) {
    const template_row& r = u.rows[i];
    out += fmt::format("\n  {:>6}  {}\n", group_thousands(r.stats->count),
                       wrap_text(template_text(r), 98, 10, 10));
    out += "          " + st.dim(fmt::format("status {} · code {}", status_counts(*r.stats),
                                             code_counts(*r.stats))) + "\n";
    if (r.stats->earliest) {
      out += "          " + st.dim(fmt::format("e.g. {}", show(suggest_command(s, r)))) + "\n";
    }
  }
  if (int64_t rest = unlisted_failures(u); rest > 0) {
    out += st.dim(fmt::format("\n  … and {} more with other templates (see --format json)\n",
                              count_of(rest, "failure")));
  }
  out += "\n";
}

/// At most 5 lines: one per incident window (4 at most), then a count.
void write_incidents(std::string& out, const summary& s, const style& st) {
  if (s.incidents.empty()) return;
  size_t shown = std::min<size_t>(s.incidents.size(), 4);
  for (size_t i = 0; i < shown; ++i) {
    const incident& inc = s.incidents[i];
    std::string line = fmt::format("{} UTC  {} of {} failed, peak {}",
                                   window_text(inc.start_ms, inc.end_ms),
                                   group_thousands(inc.failures), group_thousands(inc.records),
                                   percent_text(inc.peak_failure_rate));
    if (!inc.top_causes.empty()) {
      size_t room = line.size() + 13 + 7 < 100 ? 100 - 13 - 7 - line.size() : 0;
      std::string top = show(inc.top_causes.front().first);
      if (top.size() > room) top = room > 1 ? top.substr(0, room - 1) + "~" : "";
      if (!top.empty()) line += ", top " + top;
    }
    out += (i == 0 ? st.bold("Incidents") + "    " : std::string(13, ' ')) + st.red(line) + "\n";
  }
  if (s.incidents.size() > shown) {
    out += std::string(13, ' ') + st.dim(fmt::format("… and {} more (see --format json)",
                                                     s.incidents.size() - shown)) + "\n";
  }
}

void write_statuses(std::string& out, const summary& s, const style& st) {
  const auto& a = *s.agg;
  std::string line;
  for (size_t i = 0; i < a.statuses.size(); ++i) {
    if (a.statuses[i] == 0) continue;
    line += fmt::format("{}{}\u00a0×{}", line.empty() ? "" : ", ",
                        i == 0 ? "no\u00a0response" : fmt::format("{}", i),
                        group_thousands(a.statuses[i]));
  }
  if (!line.empty()) out += st.bold("HTTP status") + "  " + wrap_text(line, 98, 13, 13) + "\n";
}

void write_inputs(std::string& out, const summary& s, const style& st) {
  out += "\n" + st.bold("Inputs") + "\n";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const input_info& in = s.inputs[i];
    const aggregate::input_stats& stats = in.stats;
    std::string kind = in.compression == "none" ? in.format : in.format + "+" + in.compression;
    if (in.encoding != "utf-8") kind += " (" + in.encoding + ")";
    if (in.line_ends == "cr") kind += " (CR line ends)";
    out += fmt::format("  {}  {}  {}  {} records", show(in.path), kind, byte_size(in.raw_bytes),
                       group_thousands(stats.records));
    if (stats.malformed > 0) out += st.yellow(fmt::format(", {} malformed", stats.malformed));
    out += "\n";
    if (std::string how = reading_of(in, stats); !how.empty()) out += "    " + how + "\n";
    for (const auto& e : in.errors) {
      out += "    " + st.red("error:") + " " + wrap_text(show(e), text_width - 1, 11, 11) + "\n";
    }
  }
}

void write_malformed(std::string& out, const summary& s, const style& st) {
  const auto& a = *s.agg;
  if (a.malformed == 0) return;
  out += "\n" + st.bold(fmt::format("Malformed records ({})", group_thousands(a.malformed))) + "\n";
  size_t shown = std::min<size_t>(a.malformed_examples.size(), 5);
  for (size_t i = 0; i < shown; ++i) {
    const auto& m = a.malformed_examples[i];
    std::string where = show(record_position(s, m.key.source, m.line, m.entry));
    size_t used = 4 + columns(where) + 1;  // indent, gap, and room for "…"
    size_t room = used + min_message < text_width ? text_width - used : min_message;
    out += fmt::format("  {}  {}\n", where, core::shorten(show(m.error), room));
  }
  if (a.malformed > static_cast<int64_t>(shown)) {
    out += st.dim(fmt::format("  … {} more (see --format json or --events)\n",
                              a.malformed - static_cast<int64_t>(shown)));
  }
}

/// The --fail-on verdict, one line per condition; nothing without it.
void write_gate(std::string& out, const summary& s, const style& st) {
  if (s.gate.empty()) return;
  size_t width = 0;
  for (const auto& g : s.gate) width = std::max(width, g.condition.size());
  width = std::min<size_t>(width, 70);
  out += "\n" + st.bold("Gate") + st.dim("  (--fail-on: MET fails the run with exit 1)") + "\n";
  for (const auto& g : s.gate) {
    bool rate = g.condition.rfind("failure-rate", 0) == 0;
    std::string value = rate ? fmt::format("{:.2f}%", g.value * 100)
                             : group_thousands(static_cast<int64_t>(g.value));
    std::string condition = core::shorten(show(g.condition), 70);
    out += fmt::format("  {:<{}}  {:>10}  {}\n", condition, width, value,
                       g.met ? st.red(st.bold("MET")) : st.green("ok"));
  }
}

}  // namespace

std::string write_text(const summary& s, bool color) {
  style st{color};
  std::string out;
  write_header(out, s, st);
  write_gate(out, s, st);
  if (s.baseline != nullptr) out += baseline_text(*s.baseline, color);
  write_causes(out, s, st);
  write_unexplained(out, s, st);
  write_incidents(out, s, st);
  write_statuses(out, s, st);
  write_inputs(out, s, st);
  write_malformed(out, s, st);
  write_audit_text(out, s, color);
  if (s.unclassified > 0) {
    std::string note = fmt::format(
        "{} failure{} matched no rule: see the templates above; `kling-triage rules suggest "
        "FILE:LINE` writes a rule for one, `kling-triage explain` shows its fields.",
        group_thousands(s.unclassified),
        s.unclassified == 1 ? "" : "s");
    out += "\n" + st.yellow(wrap_text(note, text_width - 1, 0, 0)) + "\n";
  }
  return out;
}

}  // namespace analyzer::report
