// SPDX-License-Identifier: MIT
#include "analyzer/engine/analysis.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>

#include "analyzer/core/redact.hpp"
#include "analyzer/engine/callback_section.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "analyzer/report/escape.hpp"

namespace analyzer::engine {

namespace {

/// A byte range is read as its file would be read whole: format,
/// compression and profile come from the file's start (a shard must not
/// detect a profile of its own). Sets the reader up for it.
bool prepare_range(analysis_request& req, std::string& error) {
  if (req.inputs.size() != 1 || req.inputs[0] == "-") {
    error = "--byte-range reads one file (not standard input, not several inputs)";
    return false;
  }
  const std::string& path = req.inputs[0];
  ingest::input_report head = ingest::read_head(path, req.pipeline.reader);
  if (head.unreadable) return true;  // reported as the input's error, as a whole file is
  if (head.kind != ingest::compression::none) {
    error = fmt::format("--byte-range: {} is {}-compressed; only an uncompressed file can be "
                        "read in byte ranges (give it whole)", path, ingest::name_of(head.kind));
    return false;
  }
  if (head.format != ingest::input_format::jsonl) {
    error = fmt::format("--byte-range: {} is not JSON Lines ({}); only one record per line can "
                        "be read in byte ranges (give it whole)", path, ingest::name_of(head.format));
    return false;
  }
  if (head.encoding != "utf-8" || head.line_ends != "lf") {
    error = fmt::format("--byte-range: {} is {}; only a UTF-8 file with LF (or CRLF) line ends "
                        "can be read in byte ranges (give it whole)", path,
                        head.encoding != "utf-8" ? head.encoding : "cut by CR line ends");
    return false;
  }
  req.pipeline.reader.format = ingest::input_format::jsonl;
  std::string why = head.errors.empty() ? std::string() : head.errors.front();
  int chosen = head.profile;
  req.pipeline.reader.choose_profile = [chosen, why](std::string_view, size_t,
                                                     ingest::input_format, std::string& out) {
    out = why;
    return chosen;
  };
  req.pipeline.range = req.byte_range;
  return true;
}

std::string time_text(const std::optional<int64_t>& ms) {
  return ms ? event::format_time(*ms) : std::string();
}

input_entry entry_of(const ingest::input_report& r, const profile::profile_set& profiles) {
  input_entry e;
  e.path = input_name(r.path);
  if (r.range) e.range = byte_range{r.range->start, r.range->end};
  e.checksum = r.checksum;
  e.lines = r.lines;
  e.format = std::string(ingest::name_of(r.format));
  e.compression = std::string(ingest::name_of(r.kind));
  e.encoding = r.encoding;
  e.line_ends = r.line_ends;
  if (r.profile >= 0 && static_cast<size_t>(r.profile) < profiles.profiles.size()) {
    e.profile = profiles.profiles[static_cast<size_t>(r.profile)]->id;
  }
  e.raw_bytes = r.raw_bytes;
  e.bytes = r.bytes;
  e.unreadable = r.unreadable;
  e.errors = r.errors;
  return e;
}

run_meta meta_of(const analysis_request& req, const profile::profile_set& profiles) {
  run_meta m;
  m.tool_version = req.tool_version;
  m.rules_digest = req.rules->digest();
  m.rule_count = req.rules->size();
  m.profiles_digest = profile::digest(profiles);  // the one definition (profile.hpp)
  m.options = option_list(req.options);
  m.since_ms = req.options.since_ms;
  m.until_ms = req.options.until_ms;
  return m;
}

}  // namespace

std::string input_name(const std::string& path) {
  if (path == "-") return "<stdin>";
  // A name leaves in partials, which the output filter cannot redact.
  return core::may_hold_secret(path) ? core::redact(path) : path;
}

std::vector<std::pair<std::string, std::string>> option_list(const result_options& o) {
  return {{"since", time_text(o.since_ms)},
          {"until", time_text(o.until_ms)},
          {"max-record-bytes", fmt::format("{}", o.max_record_bytes)},
          {"max-depth", fmt::format("{}", o.max_depth)},
          {"max-distinct", fmt::format("{}", o.bounds.max_distinct)},
          {"max-timeline-cells", fmt::format("{}", o.bounds.max_timeline_cells)},
          {"input-format", o.input_format},
          {"profile", o.profile}};
}

std::vector<uint32_t> manifest_order(const std::vector<std::string>& inputs) {
  std::vector<uint32_t> by_name(inputs.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::stable_sort(by_name.begin(), by_name.end(), [&](uint32_t a, uint32_t b) {
    return input_name(inputs[a]) < input_name(inputs[b]);
  });
  std::vector<uint32_t> index(inputs.size());
  for (uint32_t rank = 0; rank < by_name.size(); ++rank) index[by_name[rank]] = rank;
  return index;
}

std::optional<run_state> run_analysis(analysis_request req, std::string& error) {
  if (req.byte_range && !prepare_range(req, error)) return std::nullopt;
  const profile::profile_set& profiles =
      req.profiles != nullptr ? *req.profiles : profile::bundled_set();
  run_state state(cause_table(*req.rules), req.options.bounds);
  state.meta = meta_of(req, profiles);

  stage_config stage;
  stage.rules = req.rules;
  stage.profiles = &profiles;
  stage.manifest_index = manifest_order(req.inputs);
  stage.since_ms = req.options.since_ms;
  stage.until_ms = req.options.until_ms;
  stage.max_record_bytes = req.options.max_record_bytes;
  stage.max_depth = req.options.max_depth;
  stage.progress = req.pipeline.progress;
  int causes = req.rules->cause_count();
  aggregate::limits bounds = req.options.bounds;
  if (req.audit) {  // possible callbacks apart (callback_section.hpp)
    stage.sinks.push_back([causes, bounds] { return std::make_unique<callback_split_sink>(causes, bounds); });
  } else {
    stage.sinks.push_back([causes, bounds] { return std::make_unique<aggregate_sink>(causes, bounds); });
  }
  events_config events;
  if (req.events) {
    events.rules = req.rules;
    events.profiles = &profiles;
    for (const auto& p : profiles.profiles) events.profile_json.push_back(report::json_quote(p->id));
    events.source_json.resize(req.inputs.size());
    for (size_t i = 0; i < req.inputs.size(); ++i) {
      events.source_json[stage.manifest_index[i]] = report::json_quote(input_name(req.inputs[i]));
    }
    stage.sinks.push_back([&events] { return std::make_unique<events_sink>(events); });
  }
  for (const auto& make : req.extra_sinks) stage.sinks.push_back(make);
  audit_sink_config audit;
  if (req.audit) {
    audit.rules = req.rules;
    audit.request = *req.audit;
    audit.source_names.resize(req.inputs.size());
    for (size_t i = 0; i < req.inputs.size(); ++i) {
      audit.source_names[stage.manifest_index[i]] = input_name(req.inputs[i]);
    }
    if (req.byte_range && req.inputs.size() == 1) {
      audit.range_name = fmt::format("{}{}{}", input_name(req.inputs[0]), range_mark,
                                     req.byte_range->start);
    }
    stage.capture_calls = true;
    stage.sinks.push_back([&audit] { return std::make_unique<audit_sink>(audit); });
  }

  std::vector<std::unique_ptr<ingest::chunk_worker>> workers;
  for (unsigned i = 0; i < std::max(1u, req.pipeline.threads); ++i) {
    workers.push_back(std::make_unique<record_stage>(stage));
  }
  auto ordered = req.events ? req.events : [](std::string&&) {};
  auto reports = ingest::run_pipeline(req.inputs, req.pipeline, workers, ordered);
  // Workers' states merge exactly, in any order: worker order it is.
  for (auto& w : workers) static_cast<record_stage&>(*w).finish(state);
  state.agg.finish();  // the bounded dimensions cut to their kept values

  state.inputs.resize(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    state.inputs[stage.manifest_index[i]] = entry_of(reports[i], profiles);
  }
  if (state.agg.inputs.size() < state.inputs.size()) state.agg.inputs.resize(state.inputs.size());
  // A byte range inside one line owns no line: it read nothing, and two
  // such ranges would look like the same input. It is left out.
  if (req.byte_range && state.inputs.size() == 1 && state.inputs[0].range &&
      state.inputs[0].range->start == state.inputs[0].range->end && state.inputs[0].errors.empty()) {
    state.inputs.clear();
    state.agg.inputs.clear();
  }
  return state;
}

}  // namespace analyzer::engine
