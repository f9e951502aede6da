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
/// `text` as a Markdown code span when it can be one inside a table, else
/// escaped.
std::string markdown_code(std::string_view text);
/// Rule text (titles, fixes) for Markdown: its `code spans` kept, everything
/// else escaped.
std::string markdown_rich(std::string_view s);

}  // namespace analyzer::report
