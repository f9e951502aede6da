// SPDX-License-Identifier: MIT
#include "analyzer/core/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace analyzer::core {

bool has_errors(const diagnostics& list) {
  return std::any_of(list.begin(), list.end(), [](const diagnostic& d) {
    return d.level == severity::error;
  });
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
    std::string gutter = d.where.line > 0 ? fmt::format("{}", d.where.line) : "";
    std::string pad(gutter.size(), ' ');
    out += fmt::format("   {} |\n   {} | {}\n", pad, gutter, d.snippet);
    if (d.where.column > 0) {
      out += fmt::format("   {} | {}^\n", pad,
                         std::string(static_cast<size_t>(d.where.column - 1), ' '));
    }
  }
  if (!d.help.empty()) out += fmt::format("   = help: {}\n", d.help);
  return out;
}

}  // namespace analyzer::core
