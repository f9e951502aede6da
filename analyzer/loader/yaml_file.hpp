// SPDX-License-Identifier: MIT
#pragma once
/// loader: what the rule and profile loaders share. A YAML file's text with
/// its lines, so every problem is reported compiler-style (file:line:col,
/// the offending line, a help text), and the checks both formats make
/// (unknown keys with "did you mean", required texts). yaml-cpp stays inside
/// the loader modules: nothing outside them includes this header.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/loader/limits.hpp"

namespace analyzer::loader {

/// A file's name and text, as read from disk or embedded at build time.
struct text_file {
  std::string name;
  std::string text;
};

class yaml_file {
 public:
  /// `sink` collects the problems; it must outlive this. `what` names the
  /// kind of file in messages ("rule", "profile").
  yaml_file(std::string name, const std::string& text, core::diagnostics& sink,
            std::string_view what = "YAML");

  /// How much of the text to trust: a file from a user is checked against
  /// every limit; one embedded at build time (the bundled rules and
  /// profiles, run by the build's own tests) skips the pass that counts its
  /// nodes with aliases expanded, a second full parse at every start-up.
  enum class origin { user, embedded };

  /// Parses the text; a syntax error, a file over `limits` (its size, its
  /// nodes with aliases expanded) or nesting deeper than yaml-cpp's 2,000
  /// levels becomes a diagnostic (file:line:col) and nullopt.
  std::optional<YAML::Node> parse(const std::string& text, const yaml_limits& limits = {},
                                  origin from = origin::user);

  core::source_location at(const YAML::Mark& m) const;
  std::string snippet(const YAML::Mark& m) const;
  void problem(const YAML::Mark& m, std::string message, std::string help = {});

  /// Every key of `map` must be one of `allowed`; each other key is a
  /// problem with "did you mean" and the allowed list.
  bool check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view what);

  const std::string& name() const { return name_; }
  core::diagnostics& sink() { return sink_; }

 private:
  bool within(const std::string& text, const yaml_limits& limits, origin from);

  std::string name_;
  std::string what_;
  std::vector<std::string> lines_;
  core::diagnostics& sink_;
};

/// Reads YAML files from a path: a file, or a folder's *.yaml / *.yml files
/// in sorted order (recursively). Unreadable paths become problems that say
/// `cannot read <what> file: <the system's reason>`. A file is read no
/// further than limits.max_file_bytes + 1 bytes (a FIFO, /dev/zero); parse()
/// then refuses it.
std::vector<text_file> read_yaml_path(const std::string& path, std::string_view what,
                                      core::diagnostics& problems,
                                      const yaml_limits& limits = {});

/// `text` with each block-style `<key>:` entry (the key alone on its line,
/// and the lines indented under it) replaced by empty lines: every other
/// line and column where it was (byte offsets, shown only for a position
/// without a line, are not). For the embedded files' `samples:`, two thirds
/// of their bytes, when a command does not read them: yaml-cpp's scanner
/// costs per byte, ~700 instructions even for a space (so: empty lines).
std::string without_blocks(std::string_view text, std::string_view key);

}  // namespace analyzer::loader
