// SPDX-License-Identifier: MIT
// `merge` as phases: read every partial (files, stdin, JSON reports that
// carry one) → merge them one by one (the engine refuses what does not
// fit) → deliver (partial, report, gate), as analyze does.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/engine/partial_codec.hpp"

namespace analyzer::cli {

namespace {

/// The whole of `path` ("-": standard input); nullopt after printing why.
std::optional<std::string> read_all(const std::string& path) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    print_error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return std::nullopt;
  }
  std::string bytes;
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) {
    print_error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return std::nullopt;
  }
  return bytes;
}

}  // namespace

bool merge_file(const std::string& path, engine::state_merger& merger) {
  auto bytes = read_all(path);
  if (!bytes) return false;
  std::string name = path == "-" ? "<stdin>" : path;
  engine::partials_read got = engine::read_partials(*bytes);
  for (const auto& n : got.notes) print_warning(fmt::format("{}: {}", name, n));
  if (got.error) {
    print_error(fmt::format("{}: {}: {}", name, engine::name_of(got.error->code),
                            got.error->message));
    return false;
  }
  for (size_t i = 0; i < got.states.size(); ++i) {
    std::string label = got.states.size() == 1 ? name : fmt::format("{} (partial {})", name, i + 1);
    engine::merge_result r = merger.add(std::move(got.states[i]), label);
    if (r.outcome == engine::merge_outcome::refused) {
      print_error(fmt::format("cannot merge: {}", r.message));
      return false;
    }
    if (r.outcome == engine::merge_outcome::skipped_duplicate) print_warning(r.message);
  }
  return true;
}

exit_code run_merge(const options& o) {
  std::vector<engine::fail_on_condition> gate;
  if (!parse_gate(o.fail_on, gate)) return exit_code::error;
  std::vector<std::string> paths = o.inputs;
  if (paths.empty()) {
    if (isatty(STDIN_FILENO)) {
      print_usage_error("no PARTIAL given (and stdin is a terminal)");
      return exit_code::error;
    }
    paths.push_back("-");
  }
  engine::state_merger merger;
  for (const auto& p : paths) {
    if (!merge_file(p, merger)) return exit_code::error;
  }
  auto total = merger.take();
  return deliver(o, *total, gate, color_wanted(o));
}

}  // namespace analyzer::cli
