// SPDX-License-Identifier: MIT
#pragma once
/// Every byte the program writes leaves through here, so two rules hold
/// for all of it: the redaction policy (core/redact.hpp) is applied, and
/// human-readable text is made printable (no terminal escape from a log
/// reaches a terminal). Writes are checked: a failed write or final
/// flush throws write_failed (main: `cannot write <what>: <reason>`,
/// exit 2); a closed pipe throws broken_pipe (main: quiet exit 0).

#include <cstdio>
#include <string>
#include <string_view>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/core/redact.hpp"

namespace analyzer::cli {

/// Thrown when stdout is a closed pipe: main exits quietly with 0.
struct broken_pipe {};

/// Thrown when a write, flush or close fails (errno in `error`).
struct write_failed {
  std::string what;  // "standard output", or the file's path
  int error = 0;
};

/// How a stream of text is filtered on its way out.
struct output_style {
  core::redact_style redaction = core::redact_style::plain;
  /// Escape control characters (keeping newlines and tabs). Off for JSON
  /// (its strings are escaped) and for the coloured text report (its
  /// reporter escapes each value, and the colours are control sequences).
  bool printable = true;
  /// Apply the redaction policy. Off only for bytes that are not text
  /// (partials: their texts were redacted when they were kept).
  bool redact = true;
};
inline constexpr output_style machine_output{core::redact_style::plain, false};
inline constexpr output_style raw_output{core::redact_style::plain, false, false};

/// `text` as it leaves with `style` (what print_out and write_file write).
std::string filter_output(std::string_view text, const output_style& style);

/// Writes to stdout (redacted, made printable per `style`).
void print_out(std::string_view text, const output_style& style = {});
/// Writes to stderr, redacted and printable (never throws).
void print_err(std::string_view text);
/// The --progress line: our own figures only, written as is.
void print_progress(std::string_view text);
/// `kling-triage: error: <what>` and a hint to --help.
void print_usage_error(std::string_view what);
/// Every diagnostic, compiler-style, on stderr.
void print_diagnostics(const core::diagnostics& list);
/// `kling-triage: error: <what>` on stderr.
void print_error(std::string_view what);
void print_warning(std::string_view what);

/// Writes `text` to `path` ("" or "-": stdout), filtered per `style`.
/// Returns an error message (`cannot write <path>: <reason>`) or "".
std::string write_file(const std::string& path, std::string_view text,
                       const output_style& style = {});

/// An open output file (or stdout for "-") that --events streams into.
class output_file {
 public:
  /// Opens (truncates) `path`; ok() says whether it worked, error() why.
  explicit output_file(const std::string& path);
  ~output_file();
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  bool ok() const { return f_ != nullptr; }
  std::string error() const;
  /// Writes redacted text; throws write_failed / broken_pipe.
  void write(std::string_view text);
  /// Flushes and closes; throws write_failed on failure.
  void close();

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  int open_errno_ = 0;
  std::string scratch_;
};

/// `cannot write <what>: <strerror>`.
std::string write_error_text(const write_failed& e);

/// Closes stdout at exit; throws write_failed if the final flush fails
/// (a full disk is only seen then), nothing on a closed pipe.
void close_stdout();

}  // namespace analyzer::cli
