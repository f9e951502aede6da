// SPDX-License-Identifier: MIT
#include "analyzer/cli/messages.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"

namespace analyzer::cli {

namespace {

/// The text as it may leave: redacted, then made printable. Returns a
/// view of `text` itself when nothing needed changing (the usual case:
/// the candidate scan is all --events pays).
std::string_view filtered(std::string_view text, const output_style& style, std::string& scratch) {
  bool secret = style.redact && core::may_hold_secret(text);
  bool controls = style.printable && core::needs_escaping(text, true);
  if (!secret && !controls) return text;
  scratch.clear();
  if (secret) core::redact_into(text, scratch, style.redaction);
  if (controls) scratch = core::printable(secret ? std::string_view(scratch) : text, true);
  return scratch;
}

}  // namespace

std::string filter_output(std::string_view text, const output_style& style) {
  std::string scratch;
  std::string_view out = filtered(text, style, scratch);
  return out.data() == scratch.data() ? std::move(scratch) : std::string(out);
}

namespace {

void write_all(std::FILE* f, std::string_view text, const char* what) {
  if (text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0) return;
  int err = errno;
  if (err == EPIPE) throw broken_pipe{};
  throw write_failed{what, err};
}

}  // namespace

void print_out(std::string_view text, const output_style& style) {
  std::string scratch;
  write_all(stdout, filtered(text, style, scratch), "standard output");
}

void print_err(std::string_view text) {
  std::string scratch;
  std::string_view out = filtered(text, {}, scratch);
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

void print_progress(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void print_usage_error(std::string_view what) {
  print_err(fmt::format("kling-triage: error: {}\nRun with --help for usage.\n", what));
}

void print_error(std::string_view what) {
  print_err(fmt::format("kling-triage: error: {}\n", what));
}

void print_warning(std::string_view what) {
  print_err(fmt::format("kling-triage: warning: {}\n", what));
}

void print_diagnostics(const core::diagnostics& list) {
  std::string out;
  for (const auto& d : list) out += core::render(d);
  print_err(out);
}

std::string write_error_text(const write_failed& e) {
  return fmt::format("cannot write {}: {}", e.what, std::strerror(e.error));
}

std::string write_file(const std::string& path, std::string_view text, const output_style& style) {
  if (path.empty() || path == "-") {
    print_out(text, style);
    return {};
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return write_error_text({path, errno});
  std::string scratch;
  std::string_view out = filtered(text, style, scratch);
  bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  int err = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  return ok ? std::string() : write_error_text({path, err});
}

output_file::output_file(const std::string& path) : path_(path) {
  if (path == "-") {
    f_ = stdout;
    path_ = "standard output";
    return;
  }
  f_ = std::fopen(path.c_str(), "wb");
  if (f_ == nullptr) open_errno_ = errno;
}

output_file::~output_file() {
  if (f_ != nullptr && f_ != stdout) std::fclose(f_);
}

std::string output_file::error() const { return write_error_text({path_, open_errno_}); }

void output_file::write(std::string_view text) {
  std::string_view out = filtered(text, machine_output, scratch_);
  if (out.empty()) return;
  if (std::fwrite(out.data(), 1, out.size(), f_) != out.size()) {
    int err = errno;
    if (err == EPIPE) throw broken_pipe{};
    throw write_failed{path_, err};
  }
  if (f_ == stdout && std::fflush(f_) != 0) {  // interleaves with the report on stdout
    int err = errno;
    if (err == EPIPE) throw broken_pipe{};
    throw write_failed{path_, err};
  }
}

void output_file::close() {
  if (f_ == nullptr) return;
  std::FILE* f = f_;
  f_ = nullptr;
  int rc = f == stdout ? std::fflush(f) : std::fclose(f);
  if (rc != 0) {
    int err = errno;
    if (err == EPIPE) throw broken_pipe{};
    throw write_failed{path_, err};
  }
}

void close_stdout() {
  if (std::fclose(stdout) == 0) return;
  int err = errno;
  if (err != EPIPE) throw write_failed{"standard output", err};
}

}  // namespace analyzer::cli
