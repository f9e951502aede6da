// SPDX-License-Identifier: MIT
#pragma once
/// report/svg_chart: the HTML report's charts as inline SVG (no script, no
/// external resource). Sizes are in a viewBox, so a chart scales with the
/// page and prints sharply. Every label is HTML-escaped.

#include <string>
#include <string_view>

#include "analyzer/report/summary.hpp"

namespace analyzer::report {

/// A stable colour per category (the known ones fixed, others hashed).
std::string category_color(std::string_view category);

/// Horizontal bars: failures per category, with count and share.
std::string category_chart_svg(const summary& s);

/// Stacked bars of failures per timeline bucket by category, incident
/// windows shaded and labelled; each bar has a tooltip (<title>).
/// Empty when the timeline has no buckets.
std::string timeline_chart_svg(const summary& s);

}  // namespace analyzer::report
