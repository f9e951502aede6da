// SPDX-License-Identifier: MIT
#pragma once
/// core: vocabulary shared by every module (diagnostics, text helpers,
/// redaction). No I/O, no third-party dependency except fmt.

#include <cstdint>
#include <string>
#include <vector>

namespace analyzer::core {

enum class severity { error, warning, note };

/// Where a problem is: a file and, when known, a 1-based line and column or a
/// byte offset. Zero means "unknown".
struct source_location {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
  int64_t byte_offset = -1;
};

/// A problem found at load time or in an input, rendered compiler-style by
/// the cli: `error: message` / `--> file:line:col` / snippet / `= help:`.
struct diagnostic {
  severity level = severity::error;
  std::string message;
  source_location where;
  std::string snippet;  // the offending source line, if any
  std::string help;
};

using diagnostics = std::vector<diagnostic>;

/// True when any diagnostic is an error.
bool has_errors(const diagnostics& list);

/// How many diagnostics are errors.
size_t error_count(const diagnostics& list);

/// Renders one diagnostic as text (no colour, ends with a newline).
std::string render(const diagnostic& d);

}  // namespace analyzer::core
