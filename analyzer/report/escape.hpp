// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace analyzer::report {

/// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8
/// is replaced with U+FFFD so the output always parses.
void json_quote(std::string_view s, std::string& out);
std::string json_quote(std::string_view s);

/// Escapes &, <, >, " and ' for HTML text and attribute values; control
/// characters are written as `\x1b` (core::printable).
std::string html_escape(std::string_view s);

/// Escapes Markdown table-cell text: pipes, backslashes, newlines, control
/// characters (`\x1b`), and characters that would start emphasis or code.
std::string markdown_escape(std::string_view s);

}  // namespace analyzer::report
