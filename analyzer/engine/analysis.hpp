// SPDX-License-Identifier: MIT
#pragma once
/// One analysis: every input through the record stage on all cores, the
/// workers' states merged, the run's state returned (run_state.hpp). The
/// caller renders it, writes it as a partial, or both.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/record_stage.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/sinks.hpp"
#include "analyzer/ingest/pipeline.hpp"

namespace analyzer::engine {

/// The options that change what a run counts (a partial records them and
/// merge refuses partials that differ in any).
struct result_options {
  std::optional<int64_t> since_ms, until_ms;  // absolute
  size_t max_record_bytes = size_t{16} << 20;
  size_t max_depth = ingest::default_max_depth;
  aggregate::limits bounds;  // --max-distinct, --max-timeline-cells
  std::string input_format = "auto";
  std::string profile;  // --profile: every input read with it
};

/// `options` as the partial's (flag, canonical value) list.
std::vector<std::pair<std::string, std::string>> option_list(const result_options& options);

struct analysis_request {
  const rules::ruleset* rules = nullptr;
  const profile::profile_set* profiles = nullptr;
  std::vector<std::string> inputs;  // expanded (inputs.hpp), each path once
  /// Read only the lines that start in this range of the one input
  /// (`analyze --byte-range`: a shard of a large file).
  std::optional<ingest::byte_range> byte_range;
  ingest::pipeline_options pipeline;  // threads, reader limits and format, profile chooser
  result_options options;
  std::string tool_version;
  /// --events: each chunk's lines, in input order; unset: no events.
  std::function<void(std::string&&)> events;
  /// More capabilities' sinks (the audit's, later): one instance per worker.
  std::vector<sink_factory> extra_sinks;
  /// The audit: every call's facts into the state's `audit` section.
  std::optional<audit_request> audit;
};

/// Runs the analysis. nullopt, with `error` set, when a byte range cannot
/// be read as one (the file is compressed, not JSON Lines, unreadable, or
/// there is not exactly one input); a write failure of --events propagates
/// as the pipeline's exception.
std::optional<run_state> run_analysis(analysis_request request, std::string& error);

/// The manifest order of `inputs` as they will be named ("-" is
/// "<stdin>"): position i of the result is the manifest index of input i.
std::vector<uint32_t> manifest_order(const std::vector<std::string>& inputs);

/// How an input is named in reports and partials: "-" is "<stdin>", and
/// a path that could hold a credential is redacted (core/redact.hpp).
std::string input_name(const std::string& path);

}  // namespace analyzer::engine
