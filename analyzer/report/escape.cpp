// SPDX-License-Identifier: MIT
#include "analyzer/report/escape.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

void json_quote(std::string_view s, std::string& out) { core::json_quote(s, out); }

std::string json_quote(std::string_view s) {
  std::string out;
  json_quote(s, out);
  return out;
}

std::string html_escape(std::string_view text) {
  std::string shown = core::printable(text);  // no control character, valid UTF-8
  std::string_view s = shown;
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  std::string shown(text);
  std::replace(shown.begin(), shown.end(), '\r', '\n');  // line ends become spaces below
  shown = core::printable(shown, true);
  std::string_view s = shown;
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '\n':
      case '\t':
      case '\r': out += ' '; break;
      case '*': case '_': case '`': case '[': case ']': case '<': case '>':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_code(std::string_view text) {
  if (text.empty() || text.find_first_of("`|\n\r") != std::string_view::npos) {
    return markdown_escape(text);
  }
  return fmt::format("`{}`", text);
}

std::string markdown_rich(std::string_view s) {
  return with_code_spans(s, [](std::string_view t) { return markdown_escape(t); },
                         [](std::string_view t) { return markdown_code(t); });
}

}  // namespace analyzer::report
