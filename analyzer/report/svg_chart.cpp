// SPDX-License-Identifier: MIT
#include "analyzer/report/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

namespace {

/// The plot area of the timeline chart, in viewBox units.
struct frame {
  double width = 1160, height = 280;
  double left = 52, right = 14, top = 30, bottom = 30;
  double plot_w() const { return width - left - right; }
  double plot_h() const { return height - top - bottom; }
  double bottom_y() const { return height - bottom; }
};

/// The smallest 1, 2 or 5 × 10^k at or above v (at least 1).
int64_t nice_ceiling(int64_t v) {
  int64_t base = 1;
  for (;;) {
    for (int64_t m : {1, 2, 5}) {
      if (m * base >= v) return m * base;
    }
    base *= 10;
  }
}

/// The top of the y axis: 4 round steps covering `peak`.
int64_t axis_top(int64_t peak) { return 4 * nice_ceiling((std::max<int64_t>(peak, 1) + 3) / 4); }

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string axis_label(int64_t ms, int64_t bucket_seconds, bool many_days) {
  std::string t = event::format_time(ms);  // 2026-11-24T14:10:00.000Z
  if (bucket_seconds >= 86400) return t.substr(0, 10);
  if (many_days) return t.substr(5, 5) + " " + t.substr(11, 5);
  return t.substr(11, 5);
}

std::string bar_tooltip(const timeline_bucket& b, int64_t bucket_seconds) {
  std::string text = fmt::format("{} UTC, {}: {} calls, {} failed ({})", utc_minute(b.start_ms),
                                 resolution_text(bucket_seconds), group_thousands(b.records),
                                 group_thousands(b.failures), percent_of(b.failures, b.records));
  for (const auto& [cat, n] : b.by_category) text += fmt::format("; {} {}", cat, n);
  return html_escape(text);
}

void y_axis(std::string& out, const frame& f, int64_t y_max) {
  for (int i = 0; i <= 4; ++i) {
    double y = f.bottom_y() - f.plot_h() * i / 4.0;
    out += fmt::format(R"(<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>)", num(f.left),
                       num(f.width - f.right), num(y), num(y));
    out += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>)",
                       num(f.left - 6), num(y + 4), group_thousands(y_max * i / 4));
  }
}

/// A round tick step (seconds): a multiple of the bucket size giving at
/// most 9 ticks.
int64_t tick_seconds(int64_t bucket_seconds, size_t buckets) {
  static constexpr int64_t steps[] = {60,    300,   600,   900,    1800,   3600,    7200,
                                      10800, 21600, 43200, 86400,  172800, 604800, 2592000};
  int64_t span = bucket_seconds * static_cast<int64_t>(buckets);
  for (int64_t step : steps) {
    if (step >= bucket_seconds && step % bucket_seconds == 0 && span / step <= 9) return step;
  }
  return bucket_seconds * static_cast<int64_t>((buckets + 7) / 8);
}

void x_axis(std::string& out, const frame& f, const timeline& t, double bar_w) {
  int64_t step_ms = tick_seconds(t.bucket_seconds, t.buckets.size()) * 1000;
  bool many_days = event::format_time(t.buckets.front().start_ms).substr(0, 10) !=
                   event::format_time(t.buckets.back().start_ms).substr(0, 10);
  for (size_t i = 0; i < t.buckets.size(); ++i) {
    if (t.buckets[i].start_ms % step_ms != 0) continue;
    double x = f.left + bar_w * static_cast<double>(i);
    if (x > f.width - f.right - 76) break;  // no room for the label
    out += fmt::format(R"(<line class="axis" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", num(x),
                       num(f.bottom_y()), num(f.bottom_y() + 4));
    out += fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="start">{}</text>)",
                       num(x), num(f.bottom_y() + 16),
                       axis_label(t.buckets[i].start_ms, t.bucket_seconds, many_days));
  }
}

void incident_bands(std::string& out, const summary& s, const frame& f, double ms_per_unit,
                    bool labels) {
  const timeline& t = s.timeline;
  int64_t t0 = t.buckets.front().start_ms;
  for (size_t i = 0; i < s.incidents.size(); ++i) {
    const incident& inc = s.incidents[i];
    double x0 = f.left + static_cast<double>(inc.start_ms - t0) / ms_per_unit;
    double x1 = f.left + static_cast<double>(inc.end_ms - t0) / ms_per_unit;
    x0 = std::clamp(x0, f.left, f.width - f.right);
    x1 = std::clamp(std::max(x1, x0 + 3), f.left, f.width - f.right);
    if (!labels) {
      out += fmt::format(R"(<rect class="incident" x="{}" y="{}" width="{}" height="{}">)"
                         R"(<title>Incident {}: {} to {} UTC</title></rect>)",
                         num(x0), num(f.top - 14), num(x1 - x0), num(f.plot_h() + 14), i + 1,
                         utc_minute(inc.start_ms), utc_minute(inc.end_ms));
      continue;
    }
    bool right_side = x0 > f.width - 240;
    out += fmt::format(R"(<text class="incident-label" x="{}" y="{}" text-anchor="{}">)"
                       R"(Incident {} · {}–{}</text>)",
                       num(right_side ? x1 : x0 + 3), num(f.top - 4),
                       right_side ? "end" : "start", i + 1,
                       utc_minute(inc.start_ms).substr(11), utc_minute(inc.end_ms).substr(11));
  }
}

void stacked_bars(std::string& out, const summary& s, const frame& f, double bar_w,
                  int64_t y_max) {
  const timeline& t = s.timeline;
  double gap = bar_w > 4 ? 1 : 0;
  for (size_t i = 0; i < t.buckets.size(); ++i) {
    const timeline_bucket& b = t.buckets[i];
    if (b.failures == 0) continue;
    double x = f.left + bar_w * static_cast<double>(i);
    double y = f.bottom_y();
    out += fmt::format("<g><title>{}</title>", bar_tooltip(b, t.bucket_seconds));
    for (const auto& cat : s.categories) {
      auto it = b.by_category.find(cat.id);
      if (it == b.by_category.end() || it->second == 0) continue;
      double h = f.plot_h() * static_cast<double>(it->second) / static_cast<double>(y_max);
      y -= h;
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", num(x),
                         num(y), num(std::max(bar_w - gap, 0.5)), num(h), category_color(cat.id));
    }
    out += "</g>";
  }
}

}  // namespace

std::string category_color(std::string_view category) {
  static const std::array<std::pair<std::string_view, std::string_view>, 10> known{{
      {"server", "#d62728"},         {"rate_limit", "#ff7f0e"}, {"network", "#8c564b"},
      {"auth", "#1f77b4"},           {"billing", "#9467bd"},    {"account", "#17becf"},
      {"content_policy", "#e377c2"}, {"bad_request", "#bcbd22"}, {"generation", "#2ca02c"},
      {"unclassified", "#7f7f7f"},
  }};
  for (const auto& [id, color] : known) {
    if (id == category) return std::string(color);
  }
  static const std::array<std::string_view, 6> extra{"#393b79", "#637939", "#8c6d31",
                                                     "#843c39", "#7b4173", "#3182bd"};
  uint32_t h = 2166136261u;  // FNV-1a: stable across runs and platforms
  for (char c : category) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return std::string(extra[h % extra.size()]);
}

std::string category_chart_svg(const summary& s) {
  const double row = 26, label_w = 150, width = 760, value_w = 120;
  double height = row * static_cast<double>(s.categories.size()) + 8;
  int64_t max = s.categories.empty() ? 1 : std::max<int64_t>(1, s.categories.front().count);
  std::string out = fmt::format(
      R"(<svg class="chart bars" viewBox="0 0 {} {}" role="img" aria-label="Failures by category">)",
      num(width), num(height));
  for (size_t i = 0; i < s.categories.size(); ++i) {
    const category_row& c = s.categories[i];
    double y = 4 + row * static_cast<double>(i);
    double w = (width - label_w - value_w) * static_cast<double>(c.count) / static_cast<double>(max);
    out += fmt::format(R"(<text class="label" x="{}" y="{}" text-anchor="end">{}</text>)",
                       num(label_w - 8), num(y + 16), html_escape(c.id));
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", num(label_w),
                       num(y + 3), num(std::max(w, 1.0)), num(row - 8), category_color(c.id));
    out += fmt::format(R"(<text class="value" x="{}" y="{}">{} · {}</text>)",
                       num(label_w + w + 6), num(y + 16), group_thousands(c.count),
                       percent_of(c.count, s.agg->failures));
  }
  return out + "</svg>";
}

std::string timeline_chart_svg(const summary& s) {
  const timeline& t = s.timeline;
  if (t.buckets.empty()) return {};
  frame f;
  int64_t peak = 0;
  for (const auto& b : t.buckets) peak = std::max(peak, b.failures);
  int64_t y_max = axis_top(peak);
  double bar_w = std::min(f.plot_w() / static_cast<double>(t.buckets.size()), 48.0);
  double ms_per_unit = static_cast<double>(t.bucket_seconds) * 1000.0 / bar_w;
  std::string out = fmt::format(
      R"(<svg class="chart timeline" viewBox="0 0 {} {}" role="img" )"
      R"(aria-label="Failures over time by category, incident windows shaded">)",
      num(f.width), num(f.height));
  incident_bands(out, s, f, ms_per_unit, false);
  y_axis(out, f, y_max);
  stacked_bars(out, s, f, bar_w, y_max);
  out += fmt::format(R"(<line class="axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>)", num(f.left),
                     num(f.width - f.right), num(f.bottom_y()));
  x_axis(out, f, t, bar_w);
  incident_bands(out, s, f, ms_per_unit, true);
  return out + "</svg>";
}

}  // namespace analyzer::report
