// SPDX-License-Identifier: MIT
// The diff for a terminal or a mail: what a person acts on first — new
// causes (first seen, an example, the fix), then regressions (rate before
// → after, ×ratio), then improvements and what is gone; the other tables'
// changes after. Fits 100 columns; colour only when asked.
#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/diff.hpp"
#include "analyzer/report/ansi_style.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

namespace {

constexpr size_t text_width = 100;

/// Text from a partial (ids, titles, paths, messages) with its control
/// characters escaped: the coloured form is written without the output
/// filter's escaping (its colours are escape sequences).
std::string show(std::string_view s) { return core::printable(s); }

using style = ansi_style;

/// `text` in lines of at most `text_width` columns, each but the first
/// indented by `indent` (the first continues a line `used` long).
std::string wrapped(std::string_view text, size_t indent, size_t used) {
  std::string out;
  size_t col = used;
  for (size_t at = 0; at <= text.size();) {
    size_t end = std::min(text.find(' ', at), text.size());
    std::string_view word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    size_t width = static_cast<size_t>(std::count_if(word.begin(), word.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
    if (col > indent && col + 1 + width > text_width) {
      out += "\n" + std::string(indent, ' ');
      col = indent;
    } else if (!out.empty()) {
      out += ' ';
      ++col;
    }
    out += word;
    col += width;
  }
  return out;
}

std::string side_line(std::string_view label, const diff_side& s) {
  std::string window = s.first_ms ? fmt::format("{} → {} UTC", utc_seconds(s.first_ms),
                                                utc_seconds(s.last_ms))
                                  : std::string("no timestamps");
  return fmt::format("  {:<8} {}\n           {} records, {} failures ({}), {}\n", label,
                     show(log_text(s.name)), group_thousands(s.records), group_thousands(s.failures),
                     rate_text(s.failure_rate()), window);
}

std::string p_text(const diff_row& r) {
  if (!r.p_value) return "";
  return *r.p_value < 0.0001 ? std::string("p<0.0001") : fmt::format("p={:.4f}", *r.p_value);
}

/// "12 → 40   0.40% → 1.60%  ×4.0  p=0.0001"
std::string change_text(const diff_row& r) {
  std::string out = fmt::format("{} → {}   {} → {}  {}", group_thousands(r.base.count),
                                group_thousands(r.current.count), rate_text(r.base.rate),
                                rate_text(r.current.rate), ratio_text(r.rate_ratio, r.base.count));
  if (std::string p = p_text(r); !p.empty()) out += "  " + p;
  return out;
}

std::string example_text(const diff_example& ex) {
  std::string where = ex.line >= 0 ? fmt::format("{}:{}", ex.source, ex.line)
                                   : fmt::format("{}#{}", ex.source, ex.entry);
  if (ex.line >= 0 && ex.entry >= 0) where += fmt::format("/{}", ex.entry);
  std::string out = "e.g. " + show(log_text(where));
  if (!ex.message.empty()) out += fmt::format(" \"{}\"", core::shorten(show(ex.message), 60));
  return core::shorten(out, text_width - 6);
}

void cause_details(std::string& out, const diff_row& r, const style& st, bool seen) {
  if (!r.title.empty()) out += "      " + wrapped(show(r.title), 6, 6) + "\n";
  if (seen) {
    out += "      " + st.dim(fmt::format("first seen {}, last seen {}", utc_seconds(r.first_seen),
                                         utc_seconds(r.last_seen))) + "\n";
  }
  if (!r.fixes.empty()) {
    out += "      " + st.green("fix:") + " " + wrapped(show(r.fixes.front()), 11, 11) + "\n";
  }
  if (r.example) out += "      " + st.dim(example_text(*r.example)) + "\n";
}

void section(std::string& out, const diff_result& d, diff_state state, std::string_view title,
             std::string_view note, const style& st) {
  const auto& rows = d.rows(diff_dimension::causes);
  size_t n = d.count(diff_dimension::causes, state);
  if (n == 0) return;
  out += "\n" + st.bold(fmt::format("{} ({})", title, n)) + st.dim(fmt::format("  ({})", note)) + "\n";
  for (const auto& r : rows) {
    if (r.state != state) continue;
    std::string head;
    if (state == diff_state::new_) {
      head = fmt::format("{} ({})", count_of(r.current.count, "failure"), rate_text(r.current.rate));
    } else if (state == diff_state::gone) {
      head = fmt::format("{} ({}) in BASE", count_of(r.base.count, "failure"), rate_text(r.base.rate));
    } else {
      head = change_text(r);
    }
    std::string shown = show(r.id);
    std::string id = state == diff_state::regressed || state == diff_state::new_
                         ? st.red(st.bold(shown))
                     : state == diff_state::improved ? st.green(shown)
                                                     : shown;
    out += fmt::format("\n  {}  {}\n", id, head);
    if (state == diff_state::new_ || state == diff_state::regressed) {
      cause_details(out, r, st, state == diff_state::new_);
    } else if (state == diff_state::gone) {
      out += "      " + st.dim(fmt::format("last seen {}", utc_seconds(r.last_seen))) + "\n";
    }
  }
}

void unchanged_line(std::string& out, const diff_result& d, const style& st) {
  size_t n = d.count(diff_dimension::causes, diff_state::unchanged);
  if (n == 0) return;
  std::string ids;
  for (const auto& r : d.rows(diff_dimension::causes)) {
    if (r.state == diff_state::unchanged) ids += (ids.empty() ? "" : ", ") + show(r.id);
  }
  ids = wrapped(ids, 2, 2);
  out += "\n" + st.bold(fmt::format("Unchanged ({})", n)) +
         st.dim("  (within noise: under ×1.5, fewer than 5 failures apart, or p ≥ 0.01)") + "\n  " +
         st.dim(ids) + "\n";
  // Those that moved by 5 or more: a person asks why they are not flagged.
  for (const auto& r : d.rows(diff_dimension::causes)) {
    if (r.state != diff_state::unchanged || std::abs(r.current.count - r.base.count) < 5) continue;
    out += st.dim(fmt::format("  {}  {}  (not significant)", show(r.id), change_text(r))) + "\n";
  }
}

/// The other tables: every row that is not unchanged, one line each.
void other_changes(std::string& out, const diff_result& d, const style& st) {
  std::string lines;
  for (auto dim : diff_dimensions) {
    if (dim == diff_dimension::causes) continue;
    for (const auto& r : d.rows(dim)) {
      if (r.state == diff_state::unchanged) continue;
      lines += fmt::format("  {:<44} {:<9} {}\n", core::shorten(show(diff_key_label(dim, r.id)), 44),
                           name_of(r.state),
                           change_text(r));
    }
  }
  if (lines.empty()) return;
  out += "\n" + st.bold("Other changes") +
         st.dim("  (failures by category, endpoint, model, HTTP status, business code)") + "\n" +
         lines;
}

void gate(std::string& out, const diff_result& d, const style& st) {
  if (d.gate.empty()) return;
  out += "\n" + st.bold("Gate") + st.dim("  (--fail-on: MET fails the run with exit 1)") + "\n";
  for (const auto& g : d.gate) {
    std::string value = !g.text.empty() ? g.text
                        : g.number      ? fmt::format("{:g}", *g.number)
                                        : std::string("∞");
    out += fmt::format("  {:<50}  {:>10}  {}\n", core::shorten(show(g.condition), 50), value,
                       g.met ? st.red(st.bold("MET")) : st.green("ok"));
  }
}

/// Everything after the two sides: the verdict, warnings, gate, changes.
void body(std::string& out, const diff_result& d, const style& st) {
  out += "\n" + st.bold(diff_headline(d)) + "\n";
  for (const auto& why : d.incomparable) {
    out += st.yellow(wrapped(show("warning: not comparable: " + why), 2, 0)) + "\n";
  }
  gate(out, d, st);
  section(out, d, diff_state::new_, "New causes", "not in BASE; first seen, an example, the fix", st);
  section(out, d, diff_state::regressed, "Regressed",
          "count and rate before → after, ×ratio, two-proportion z-test", st);
  section(out, d, diff_state::improved, "Improved", "count and rate before → after", st);
  section(out, d, diff_state::gone, "Gone", "in BASE, not in CURRENT", st);
  unchanged_line(out, d, st);
  other_changes(out, d, st);
}

}  // namespace

std::string write_diff_text(const diff_result& d, bool color) {
  style st{color};
  std::string out = st.bold(fmt::format("kling-triage {}", d.tool_version)) + "  diff\n\n";
  out += side_line("BASE", d.base) + side_line("CURRENT", d.current);
  body(out, d, st);
  return out;
}

std::string baseline_text(const diff_result& d, bool color) {
  style st{color};
  std::string out = "\n" + st.bold("Since the baseline") + "  " +
                    st.dim(fmt::format("{}: {} records, {} failures ({})", show(log_text(d.base.name)),
                                       group_thousands(d.base.records),
                                       group_thousands(d.base.failures),
                                       rate_text(d.base.failure_rate()))) + "\n";
  std::string rest;
  body(rest, d, st);
  // The report's own gate section lists the diff's conditions too.
  return out + rest;
}

}  // namespace analyzer::report
