// SPDX-License-Identifier: MIT
// The terminal report: what failed, how often, since when, what to do.
// Fits 100 columns; colour only when asked (a terminal without NO_COLOR).
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

namespace {

struct style {
  bool on;
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string wrap(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
};

std::string thousands(int64_t n) {
  std::string digits = fmt::format("{}", n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string percent(int64_t n, int64_t total) {
  if (total <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(n) / static_cast<double>(total));
}

std::string short_time(const std::optional<int64_t>& ms) {
  if (!ms) return "?";
  std::string t = event::format_time(*ms);
  return t.substr(0, 10) + " " + t.substr(11, 8);
}

std::string human_bytes(int64_t b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", b) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string position(const summary& s, uint32_t source, int64_t line, int64_t entry) {
  if (line >= 0) return fmt::format("{}:{}", source_of(s, source), line);
  return fmt::format("{}#{}", source_of(s, source), entry);
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
                     s.inputs.size() == 1 ? "" : "s", thousands(a.records),
                     a.records == 1 ? "" : "s");
  if (a.first_ts) out += fmt::format(", {} → {} UTC", short_time(a.first_ts), short_time(a.last_ts));
  out += "\n\n";
  auto row = [&](std::string_view name, int64_t n, bool with_share, std::string (style::*paint)(std::string_view) const) {
    std::string count = fmt::format("{:>10}", thousands(n));
    if (n > 0 && paint != nullptr) count = (st.*paint)(count);
    out += fmt::format("  {:<10}{}", name, count);
    if (with_share) out += "  " + st.dim(fmt::format("{:>6}", percent(n, a.records)));
    out += "\n";
  };
  row("ok", a.ok, true, nullptr);
  row("failures", a.failures, true, &style::red);
  row("malformed", a.malformed, true, &style::yellow);
  if (a.filtered > 0) {
    out += fmt::format("  {:<10} {} (outside --since/--until, not counted above)\n",
                       "skipped", thousands(a.filtered));
  }
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
    out += fmt::format("\n  {:>2}. {}  {} {}  {}\n", i + 1, st.bold(c.id),
                       thousands(stats.count), st.dim(percent(stats.count, s.agg->failures)),
                       st.dim(fmt::format("{} → {}", short_time(stats.first_seen),
                                          short_time(stats.last_seen))));
    out += "      " + wrap_text(c.title, 98, 6, 6) + "\n";
    if (!c.fixes.empty()) {
      out += "      " + st.green("fix:") + " " + wrap_text(c.fixes.front(), 98, 11, 11) + "\n";
    }
    out += "      " + st.dim("retry: " + c.retryable);
    if (!stats.examples.empty()) {
      const auto& ex = stats.examples.front();
      out += st.dim(fmt::format("   e.g. {}", position(s, ex.key.source, ex.line, ex.entry)));
      if (!ex.message.empty()) {
        out += st.dim(fmt::format(" \"{}\"", core::shorten(ex.message, 60)));
      }
    }
    out += "\n";
  }
  if (s.causes.size() > shown) {
    out += st.dim(fmt::format("\n  … and {} more causes (see --format json)\n",
                              s.causes.size() - shown));
  }
  std::string cats;
  for (size_t i = 0; i < s.categories.size(); ++i) {
    cats += fmt::format("{}{} {} ({})", i == 0 ? "" : ", ", s.categories[i].id,
                        thousands(s.categories[i].count),
                        percent(s.categories[i].count, s.agg->failures));
  }
  out += "\n" + st.bold("By category") + "  " + wrap_text(cats, 98, 13, 13) + "\n";
}

void write_statuses(std::string& out, const summary& s, const style& st) {
  const auto& a = *s.agg;
  std::string line;
  for (size_t i = 0; i < a.statuses.size(); ++i) {
    if (a.statuses[i] == 0) continue;
    line += fmt::format("{}{} ×{}", line.empty() ? "" : ", ",
                        i == 0 ? "no response" : fmt::format("{}", i),
                        thousands(a.statuses[i]));
  }
  if (!line.empty()) out += st.bold("HTTP status") + "  " + wrap_text(line, 98, 13, 13) + "\n";
}

void write_inputs(std::string& out, const summary& s, const style& st) {
  out += "\n" + st.bold("Inputs") + "\n";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    const input_info& in = s.inputs[i];
    aggregate::input_stats stats =
        i < s.agg->inputs.size() ? s.agg->inputs[i] : aggregate::input_stats{};
    std::string kind = in.compression == "none" ? in.format : in.format + "+" + in.compression;
    out += fmt::format("  {}  {}  {}  {} records", in.path, kind, human_bytes(in.raw_bytes),
                       thousands(stats.records));
    if (stats.malformed > 0) out += st.yellow(fmt::format(", {} malformed", stats.malformed));
    out += "\n";
    for (const auto& e : in.errors) out += "    " + st.red("error:") + " " + e + "\n";
  }
}

void write_malformed(std::string& out, const summary& s, const style& st) {
  const auto& a = *s.agg;
  if (a.malformed == 0) return;
  out += "\n" + st.bold(fmt::format("Malformed records ({})", thousands(a.malformed))) + "\n";
  size_t shown = std::min<size_t>(a.malformed_examples.size(), 5);
  for (size_t i = 0; i < shown; ++i) {
    const auto& m = a.malformed_examples[i];
    out += fmt::format("  {}  {}\n", position(s, m.key.source, m.line, m.entry), m.error);
  }
  if (a.malformed > static_cast<int64_t>(shown)) {
    out += st.dim(fmt::format("  … {} more (see --format json or --events)\n",
                              a.malformed - static_cast<int64_t>(shown)));
  }
}

}  // namespace

std::string write_text(const summary& s, bool color) {
  style st{color};
  std::string out;
  write_header(out, s, st);
  write_causes(out, s, st);
  write_statuses(out, s, st);
  write_inputs(out, s, st);
  write_malformed(out, s, st);
  if (s.unclassified > 0) {
    out += "\n" + st.yellow(fmt::format(
        "{} failure{} matched no rule: see unclassified.unknown above, and "
        "`kling-triage explain` on an example.", thousands(s.unclassified),
        s.unclassified == 1 ? "" : "s")) + "\n";
  }
  return out;
}

}  // namespace analyzer::report
