// SPDX-License-Identifier: MIT
#pragma once
/// report: a finished run → bytes (text, JSON, Markdown, HTML). Reporters
/// only format: every number comes from the summary.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/audit/audit.hpp"

namespace analyzer::report {

/// One row of the inputs section: a file read whole, or a file read as
/// byte-range shards (their figures added up).
struct input_info {
  std::string path;
  std::string format;       // jsonl | har
  std::string compression;  // none | gzip | zstd
  std::string encoding = "utf-8";  // utf-16le / utf-16be: transcoded
  std::string line_ends = "lf";    // cr: each CR read as a line end
  int64_t raw_bytes = 0;
  int64_t bytes = 0;
  bool unreadable = false;
  std::string profile;  // the input profile that read it; empty: none did
  std::vector<std::string> errors;
  aggregate::input_stats stats;
};

/// Where the records of one input (a manifest entry: `source` of keys and
/// examples) are shown: the path examples cite, and the true number of the
/// entry's first line (a byte-range shard starts mid-file).
struct source_view {
  std::string path;
  int64_t first_line = 1;
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

/// Unclassified failures that share a message template.
struct template_row {
  std::string text;  // the template; empty for failures without a message
  const aggregate::template_stats* stats = nullptr;
};

/// The failures no rule explains, grouped by message template.
struct unexplained_summary {
  static constexpr size_t listed = 50;
  std::vector<template_row> rows;  // count desc, then template; at most `listed`
  size_t distinct = 0;             // templates tracked (at most template_table::limit)
  bool capped = false;             // there were more templates than the table keeps
  int64_t other = 0;               // unclassified failures not in `rows`
};

struct category_row {
  std::string id;
  int64_t count = 0;
};

/// Failures over time at a resolution chosen from the window (see
/// timeline.hpp). Counts are exact sums of the aggregator's minutes.
struct timeline_bucket {
  int64_t start_ms = 0;
  int64_t records = 0;
  int64_t failures = 0;
  std::map<std::string, int64_t> by_category;
};

struct timeline {
  int64_t bucket_seconds = 60;
  std::vector<timeline_bucket> buckets;  // contiguous, oldest first
};

/// A period where the failure rate rose well above its baseline.
struct incident {
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // exclusive
  int64_t records = 0;
  int64_t failures = 0;
  double peak_failure_rate = 0;
  std::vector<std::pair<std::string, int64_t>> top_causes;  // id, count
};

/// One `--fail-on` condition and whether it held.
struct gate_result {
  std::string condition;  // as written
  double value = 0;       // the measured left-hand side
  bool met = false;
};

struct diff_result;  // diff.hpp

/// Everything a reporter needs, computed once.
struct summary {
  std::string tool_version;
  std::string generated_at;
  int rule_count = 0;
  std::string rules_digest;
  std::optional<int64_t> since_ms, until_ms;
  std::vector<input_info> inputs;
  std::vector<source_view> sources;  // by input index (record_key::source)
  const aggregate::aggregator* agg = nullptr;
  /// The counts `agg` points to when they were settled for this report
  /// (the audit's callbacks left out of the calls), else null.
  std::shared_ptr<const aggregate::aggregator> owned_agg;
  std::vector<cause_row> causes;        // count desc, then id; count > 0
  std::vector<category_row> categories; // count desc, then id
  int64_t unclassified = 0;
  unexplained_summary unexplained;
  struct timeline timeline;
  std::vector<incident> incidents;
  std::vector<gate_result> gate;  // empty without --fail-on
  bool show_prompts = false;
  std::string embedded_partial;  // JSON: the run's partial (text form), or empty
  /// The audit (analyze --audit): lifecycles and the client's behaviour,
  /// run over the merged facts; null when the run was not audited.
  std::shared_ptr<const audit::audit_result> audit;
  const diff_result* baseline = nullptr;  // analyze --baseline: the diff against it
};

/// The `source` text of a record: its input's path.
std::string source_of(const summary& s, uint32_t source);

/// The line a record key's `line` is shown as (its input's first line
/// added); -1 stays -1.
int64_t shown_line(const summary& s, uint32_t source, int64_t line);

std::string write_json(const summary& s);
std::string write_text(const summary& s, bool color);
std::string write_markdown(const summary& s);
std::string write_html(const summary& s);

}  // namespace analyzer::report
