// SPDX-License-Identifier: MIT
#pragma once
/// report/html_sections: the parts of the HTML report (html_report.cpp
/// assembles them). Each appends one section to `out`; every text from a
/// log or a rule file is HTML-escaped.

#include <string>
#include <string_view>

#include "analyzer/report/summary.hpp"

namespace analyzer::report::html {

/// The report's stylesheet (the diff's page shares it).
std::string_view page_style();

/// Escaped text with `code spans` (as rule fixes write them) as <code>.
std::string rich_text(std::string_view s);

void causes_section(std::string& out, const summary& s);
void unexplained_section(std::string& out, const summary& s);
void breakdowns_section(std::string& out, const summary& s);
void inputs_section(std::string& out, const summary& s);

}  // namespace analyzer::report::html
