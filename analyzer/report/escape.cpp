// SPDX-License-Identifier: MIT
#include "analyzer/report/escape.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"

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

}  // namespace analyzer::report
