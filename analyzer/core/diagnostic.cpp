// SPDX-License-Identifier: MIT
#include "analyzer/core/diagnostic.hpp"

#include <algorithm>
#include <string>
#include <fmt/format.h>

namespace analyzer::core {

bool has_errors(const diagnostics& list) {
  return std::any_of(list.begin(), list.end(), [](const diagnostic& d) {
    return d.level == severity::error;
  });
}

size_t error_count(const diagnostics& list) {
  return static_cast<size_t>(std::count_if(list.begin(), list.end(), [](const diagnostic& d) {
    return d.level == severity::error;
  }));
}

namespace {
const char* label(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::note: return "note";
  }
  return "error";
}

std::string location_text(const source_location& w) {
  std::string out = w.file;
  if (w.line > 0) out += fmt::format(":{}", w.line);
  if (w.line > 0 && w.column > 0) out += fmt::format(":{}", w.column);
  if (w.line <= 0 && w.byte_offset >= 0) {
    out += fmt::format(" (byte {})", w.byte_offset);
  }
  return out;
}
}  // namespace

std::string render(const diagnostic& d) {
  std::string out = fmt::format("{}: {}\n", label(d.level), d.message);
  if (!d.where.file.empty()) {
    out += fmt::format("  --> {}\n", location_text(d.where));
  }
  if (!d.snippet.empty()) {
    // Long lines (a one-line JSON file read as YAML) show a window around
    // the column, so the caret still points at the problem.
    std::string snippet = d.snippet;
    int64_t column = d.where.column;
    constexpr int64_t width = 100;
    if (static_cast<int64_t>(snippet.size()) > width) {
      int64_t start = std::max<int64_t>(0, column - 1 - width / 2);
      start = std::min<int64_t>(start, static_cast<int64_t>(snippet.size()) - width);
      snippet = (start > 0 ? "…" : "") +
                snippet.substr(static_cast<size_t>(start), static_cast<size_t>(width)) + "…";
      if (column > 0) column = column - start + (start > 0 ? 1 : 0);
    }
    std::string gutter = d.where.line > 0 ? fmt::format("{}", d.where.line) : "";
    std::string pad(gutter.size(), ' ');
    out += fmt::format("   {} |\n   {} | {}\n", pad, gutter, snippet);
    if (column > 0) {
      out += fmt::format("   {} | {}^\n", pad,
                         std::string(static_cast<size_t>(column - 1), ' '));
    }
  }
  if (!d.help.empty()) out += fmt::format("   = help: {}\n", d.help);
  return out;
}

}  // namespace analyzer::core
