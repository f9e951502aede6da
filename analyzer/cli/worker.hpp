// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/pipeline.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::cli {

struct worker_config {
  const rules::ruleset* rules = nullptr;
  const profile::profile_set* profiles = nullptr;
  std::vector<std::string> profile_json;  // each profile's id, JSON-quoted
  std::vector<std::string> source_json;  // each input's path, JSON-quoted
  bool write_events = false;
  std::optional<int64_t> since_ms, until_ms;
  size_t max_record_bytes = size_t{16} << 20;
  size_t max_depth = ingest::default_max_depth;
  aggregate::limits bounds;
  ingest::progress_counters* progress = nullptr;  // records are added per chunk
};

/// One pipeline worker: normalize → classify → aggregate (→ event line).
class analyze_worker final : public ingest::chunk_worker {
 public:
  explicit analyze_worker(const worker_config& config);
  std::string process(const ingest::chunk& c) override;
  const aggregate::aggregator& result() const { return agg_; }

 private:
  std::string process_records(const ingest::chunk& c);
  void handle_line(const ingest::chunk& c, const char* begin, const char* end,
                   int64_t line, std::string& out);
  void handle(std::string_view text, size_t capacity, std::string& out);
  void handle_record(std::string_view text, size_t capacity, std::string& out);
  void handle_records(std::string_view text, size_t capacity, std::string& out);
  void handle_malformed(std::string_view why, std::string& out);
  void write_event(int rule, std::string& out);

  const worker_config& config_;
  ingest::normalizer norm_;
  rules::match_scratch scratch_;
  aggregate::aggregator agg_;
  event::event ev_;
  const profile::compiled_profile* profile_ = nullptr;  // the chunk's
  std::vector<std::string_view> records_;  // an envelope line's records
  std::string why_;
};

}  // namespace analyzer::cli
