// SPDX-License-Identifier: MIT
#pragma once
/// report: a finished run → bytes (text, JSON, Markdown, HTML). Reporters
/// only format: every number comes from the summary.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::report {

struct input_info {
  std::string path;
  std::string format;       // jsonl | har
  std::string compression;  // none | gzip | zstd
  int64_t raw_bytes = 0;
  int64_t bytes = 0;
  bool unreadable = false;
  std::vector<std::string> errors;
};

/// One cause as reported: rule metadata joined with its counts.
struct cause_row {
  int index = -1;  // cause index in the aggregator
  std::string id, category, title;
  std::string retryable;
  std::vector<std::string> fixes;
  std::string docs;
  const aggregate::cause_stats* stats = nullptr;
};

struct category_row {
  std::string id;
  int64_t count = 0;
};

/// Everything a reporter needs, computed once.
struct summary {
  std::string tool_version;
  std::string generated_at;
  int rule_count = 0;
  std::string rules_digest;
  std::optional<int64_t> since_ms, until_ms;
  std::vector<input_info> inputs;
  const aggregate::aggregator* agg = nullptr;
  std::vector<cause_row> causes;        // count desc, then id; count > 0
  std::vector<category_row> categories; // count desc, then id
  int64_t unclassified = 0;

  /// Joins aggregates with rule metadata and sorts causes and categories.
  static summary build(const aggregate::aggregator& agg,
                       const rules::ruleset& rules,
                       std::vector<input_info> inputs);
};

/// The `source` text of a record: its input's path.
std::string source_of(const summary& s, uint32_t source);

std::string write_json(const summary& s);
std::string write_text(const summary& s, bool color);

}  // namespace analyzer::report
