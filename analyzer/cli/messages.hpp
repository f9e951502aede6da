// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "analyzer/core/diagnostic.hpp"

namespace analyzer::cli {

/// Thrown when stdout is a closed pipe: main exits quietly with 0.
struct broken_pipe {};

/// Writes to stdout; throws broken_pipe on EPIPE.
void print_out(std::string_view text);
/// Writes to stderr (never throws).
void print_err(std::string_view text);
/// `kling-triage: error: <what>` and a hint to --help.
void print_usage_error(std::string_view what);
/// Every diagnostic, compiler-style, on stderr.
void print_diagnostics(const core::diagnostics& list);
/// `kling-triage: error: <what>` on stderr.
void print_error(std::string_view what);
void print_warning(std::string_view what);

/// Writes `text` to `path` ("" or "-": stdout). Returns an error message
/// or "".
std::string write_file(const std::string& path, std::string_view text);

}  // namespace analyzer::cli
