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

/// Bounds on one rule file, so a hostile file cannot exhaust memory: its
/// size as read, and its YAML nodes counted with every alias expanded (a
/// "billion laughs" file is tiny but expands exponentially).
struct load_limits {
  size_t max_file_bytes = size_t{1} << 20;  // --max-rule-bytes
  size_t max_nodes = 100000;                // --max-rule-nodes
};

/// `when` conditions may nest (all/any/not) at most this deep.
inline constexpr size_t max_condition_depth = 64;

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

/// Parses one rule file into `lib`, collecting every problem (YAML syntax,
/// unknown keys, missing id/category/title, unknown fields, bad matchers,
/// invalid regexes with RE2's reason, a file over `limits`) as diagnostics
/// with file:line:col. Never throws.
void load_rule_file(const rule_source& src, rule_library& lib,
                    const load_limits& limits = {});

/// Adds a layer of rules: a rule whose id is already in `base` from an
/// earlier layer replaces it in place; a duplicate id within `layer` is an
/// error naming both places.
void merge_layer(rule_library& base, rule_library&& layer);

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
