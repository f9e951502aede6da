// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/rules/rule.hpp"

namespace analyzer::rules {

/// A rule file's text and the name diagnostics use for it (a path, or
/// `builtin:kling/auth.yaml` for the embedded pack).
struct rule_source {
  std::string name;
  std::string text;
  bool builtin = false;
};

/// Everything loaded so far: rules in load order, their regexes, the field
/// plan they need, and every problem found.
struct rule_library {
  std::vector<rule> rules;
  std::vector<regex_spec> regexes;
  event::field_plan plan;
  core::diagnostics problems;
  std::vector<std::string> sources;  // names, in load order
  std::string source_text;           // all texts, for the digest
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
/// invalid regexes with RE2's reason) as diagnostics with file:line:col.
/// Never throws.
void load_rule_file(const rule_source& src, rule_library& lib);

/// Adds a layer of rules: a rule whose id is already in `base` from an
/// earlier layer replaces it in place; a duplicate id within `layer` is an
/// error naming both places.
void merge_layer(rule_library& base, rule_library&& layer);

/// The bundled pack embedded at build time, in file order.
std::vector<rule_source> builtin_rule_sources();

/// Reads rule files from a path: a file, or a folder's *.yaml / *.yml
/// files in sorted order (recursively). Unreadable paths become problems.
std::vector<rule_source> read_rule_path(const std::string& path,
                                        core::diagnostics& problems);

}  // namespace analyzer::rules
