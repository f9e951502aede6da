// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/loader/limits.hpp"
#include "analyzer/rules/rule.hpp"

namespace analyzer::rules {

/// A rule file's text and the name diagnostics use for it (a path, or
/// `builtin:kling/auth.yaml` for the embedded pack).
struct rule_source {
  std::string name;
  std::string text;
  bool builtin = false;
  /// A rule without samples is an error (always for the bundled pack; for
  /// other files with `rules check --strict`), else a warning.
  bool require_samples = false;
  /// Samples are neither read nor required (the bundled pack for a run that
  /// never tests them: analyze, explain): the text parsed is `text` with
  /// every block-style `samples:` map blanked, lines and columns the same
  /// (loader::without_blocks). Digest and snippets: `text`.
  bool skip_samples = false;
};

/// The bundled pack for runs that do not test samples (skip_samples).
std::vector<rule_source> builtin_rule_sources_lean();

/// Bounds on one rule file (loader/limits.hpp): its size as read, and its
/// YAML nodes counted with every alias expanded.
using load_limits = loader::yaml_limits;

/// `when` conditions may nest (all/any/not) at most this deep.
inline constexpr size_t max_condition_depth = 64;

/// Everything loaded so far: rules in load order, their regexes, the field
/// plan they need, the named value sets, and every problem found. After
/// resolve_library(): the causes, and every `{in: set}` filled in.
struct rule_library {
  std::vector<rule> rules;
  std::vector<regex_spec> regexes;
  event::field_plan plan;
  std::map<std::string, value_set, std::less<>> sets;
  std::vector<cause_def> causes;  // dense, in order of first rule
  bool resolved = false;          // resolve_library() has run
  core::diagnostics problems;
  std::vector<std::string> sources;  // names, in load order
  std::string source_text;           // all texts, for the digest
  std::map<std::string, std::string, std::less<>> texts;  // by name, for snippets
};

/// Adds one file to the text a ruleset's digest is computed from (its name
/// and text): the one definition of what the digest covers.
void append_digest_text(const rule_source& src, std::string& text);

/// The digest (`sha256:<hex>`) a ruleset of exactly these sources, in this
/// order, reports: `--version` shows the bundled pack's, which is the
/// report's `rules.digest` for a run without --rules.
std::string sources_digest(const std::vector<rule_source>& sources);

/// Parses one rule file into `lib`, collecting every problem (YAML syntax,
/// unknown keys, missing id/category/title, unknown fields, bad matchers,
/// invalid regexes with RE2's reason, a file over `limits`) as diagnostics
/// with file:line:col. Never throws.
void load_rule_file(const rule_source& src, rule_library& lib,
                    const load_limits& limits = {});

/// Adds a layer of rules: a rule whose id is already in `base` from an
/// earlier layer replaces it in place; a duplicate id within `layer` is an
/// error naming both places. A set of the layer replaces a base set of the
/// same name (so a user file can extend `kling_codes` or `models`).
void merge_layer(rule_library& base, rule_library&& layer);

/// After the last layer: fills every `{in: name}` / `{not_in: name}` from
/// the sets (an unknown name is a problem with a "did you mean"), and
/// groups rules into causes: the first rule of a cause defines its
/// metadata (category and title required), the others inherit it and may
/// only repeat it unchanged. Problems go to `lib.problems`.
void resolve_library(rule_library& lib);

/// Closest of `options` to `word` (edit distance below 3), as
/// "did you mean `x`? ", or empty.
std::string suggest_name(std::string_view word, const std::vector<std::string_view>& options);

/// The bundled pack embedded at build time, in file order.
std::vector<rule_source> builtin_rule_sources();

/// Reads rule files from a path: a file, or a folder's *.yaml / *.yml
/// files in sorted order (recursively). Unreadable paths (with the
/// system's reason) and files larger than `limits.max_file_bytes` become
/// problems.
std::vector<rule_source> read_rule_path(const std::string& path,
                                        core::diagnostics& problems,
                                        const load_limits& limits = {});

}  // namespace analyzer::rules
