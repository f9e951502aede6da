// SPDX-License-Identifier: MIT
#pragma once
/// The record stage: chunk → records → facts (record_sink.hpp). One per
/// pipeline worker thread.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/record_sink.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/pipeline.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::engine {

/// Makes one worker's instance of a sink.
using sink_factory = std::function<std::unique_ptr<record_sink>()>;

struct stage_config {
  const rules::ruleset* rules = nullptr;
  const profile::profile_set* profiles = nullptr;  // null: the bundled set
  /// The manifest index of each input, by its position in the inputs read.
  std::vector<uint32_t> manifest_index;
  std::optional<int64_t> since_ms, until_ms;
  size_t max_record_bytes = size_t{16} << 20;
  size_t max_depth = ingest::default_max_depth;
  ingest::progress_counters* progress = nullptr;  // records are added per chunk
  std::vector<sink_factory> sinks;                // one instance of each per worker
  bool capture_calls = false;  // hand sinks each call's call_capture (the audit)
};

/// Frames a chunk's records (lines, HAR entries, an envelope's records),
/// normalizes each, drops it to `outside_window` when its time is outside
/// --since/--until, classifies failures, and hands the fact to every sink.
class record_stage final : public ingest::chunk_worker {
 public:
  explicit record_stage(const stage_config& config);
  std::string process(const ingest::chunk& c) override;
  /// Hands every sink's state to the run (after the pipeline ended).
  void finish(run_state& state);

 private:
  std::string process_records(const ingest::chunk& c);
  void handle_line(const ingest::chunk& c, const char* begin, const char* end, int64_t line);
  void handle_records(std::string_view text, size_t capacity);
  void handle(std::string_view text, size_t capacity);
  void handle_record(std::string_view text, size_t capacity);
  void handle_malformed(std::string_view why, std::string_view bytes);
  void emit(fact_kind kind, std::string_view bytes, int rule = -1);

  const stage_config& config_;
  ingest::normalizer norm_;
  rules::match_scratch scratch_;
  std::vector<std::unique_ptr<record_sink>> sinks_;
  event::event ev_;
  const profile::compiled_profile* profile_ = nullptr;  // the chunk's
  std::vector<std::string_view> records_;  // an envelope line's records
  std::string why_;
  std::string* out_ = nullptr;  // the chunk's ordered output
  int64_t counted_ = 0;         // records handed on (progress)
};

}  // namespace analyzer::engine
