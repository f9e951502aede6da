// SPDX-License-Identifier: MIT
#pragma once
/// YAML profile files → compiled profiles, every problem collected as a
/// diagnostic with file:line:col (like the rule loader, with which it shares
/// analyzer/loader). The format is in profiles/README.md.

#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::profile {

/// A profile file's text and the name diagnostics use for it (a path, or
/// `builtin:profiles/pino.yaml` for the embedded set).
struct profile_source {
  std::string name;
  std::string text;
  bool builtin = false;
  /// Samples are neither read nor required (the bundled profiles for
  /// commands that read logs: their samples serve `profiles test` and the
  /// detection checks): `text` is parsed without its block-style
  /// `samples:` entries, lines and columns the same
  /// (loader::without_blocks). The digest is of `text`.
  bool skip_samples = false;
};

/// Parses one profile file and appends its profiles to `out`; problems go to
/// `problems`. A profile with any problem is left out. Never throws.
void load_profile_file(const profile_source& src,
                       std::vector<std::shared_ptr<compiled_profile>>& out,
                       core::diagnostics& problems);

/// Adds a layer: a profile whose id is already in `base` replaces it in
/// place; a duplicate id within the layer is an error naming both places.
void merge_layer(std::vector<std::shared_ptr<compiled_profile>>& base,
                 std::vector<std::shared_ptr<compiled_profile>>&& layer,
                 core::diagnostics& problems);

/// Adds one file to the text a profile set's digest is computed from (its
/// name and text): the one definition of what the digest covers.
void append_digest_text(const profile_source& src, std::string& text);
/// The digest (`sha256:<hex>`) a profile set of exactly these sources, in
/// this order, reports (profile::digest of the set loaded from them), without
/// compiling them: `--version` shows the bundled profiles'.
std::string sources_digest(const std::vector<profile_source>& sources);

/// The bundled profiles embedded at build time, in file order.
std::vector<profile_source> builtin_profile_sources();

/// Reads profile files from a path: a file, or a folder's *.yaml / *.yml
/// files in sorted order (recursively).
std::vector<profile_source> read_profile_path(const std::string& path,
                                              core::diagnostics& problems);

/// The bundled set, loaded and compiled once (thread-safe), without the
/// profiles' samples (what reading logs needs). Throws std::runtime_error
/// with the diagnostics if it does not load, which the test suite rules out.
const profile_set& bundled_set();
/// The bundled profiles with their samples (`profiles test`, `profiles
/// check`): bundled_set() leaves them out, its profiles are otherwise the
/// same, in the same order, with the same digest.
const profile_set& bundled_set_with_samples();

/// The canonical field names a profile can map, for messages.
std::vector<std::string_view> field_names();

}  // namespace analyzer::profile
