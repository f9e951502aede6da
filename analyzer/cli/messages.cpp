// SPDX-License-Identifier: MIT
#include "analyzer/cli/messages.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace analyzer::cli {

void print_out(std::string_view text) {
  if (text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
      std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw broken_pipe{};
  }
}

void print_err(std::string_view text) {
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

std::string write_file(const std::string& path, std::string_view text) {
  if (path.empty() || path == "-") {
    print_out(text);
    return {};
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? std::string() : fmt::format("cannot write {}: {}", path, std::strerror(errno));
}

}  // namespace analyzer::cli
