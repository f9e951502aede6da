// SPDX-License-Identifier: MIT
// --progress and --stats: the pipeline's per-chunk counters add up to the
// run's totals, and the progress line says what it should.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/progress.hpp"
#include "analyzer/cli/run_stats.hpp"
#include "analyzer/engine/record_stage.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/sinks.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/ingest/pipeline.hpp"

namespace {

const std::string samples = std::string(ANALYZER_SOURCE_DIR) + "/samples/";

struct counted_run {
  analyzer::ingest::progress_counters counters;
  std::vector<analyzer::ingest::input_report> reports;
  int64_t aggregated_records = 0;

  counted_run(const std::vector<std::string>& inputs, unsigned threads,
              size_t chunk_bytes = size_t{4} << 20) {
    analyzer::core::diagnostics problems;
    auto rules = analyzer::cli::load_ruleset({}, false, problems);
    BOOST_TEST_REQUIRE(rules != nullptr);
    analyzer::engine::stage_config wc;
    wc.rules = rules.get();
    wc.progress = &counters;
    int causes = rules->cause_count();
    wc.sinks = {[causes] { return std::make_unique<analyzer::engine::aggregate_sink>(causes); }};
    analyzer::ingest::pipeline_options po;
    po.threads = threads;
    po.reader.chunk_bytes = chunk_bytes;
    po.progress = &counters;
    std::vector<std::unique_ptr<analyzer::ingest::chunk_worker>> workers;
    for (unsigned i = 0; i < threads; ++i) {
      workers.push_back(std::make_unique<analyzer::engine::record_stage>(wc));
    }
    reports = analyzer::ingest::run_pipeline(inputs, po, workers, [](std::string&&) {});
    analyzer::engine::run_state state(analyzer::engine::cause_table(*rules));
    for (auto& w : workers) static_cast<analyzer::engine::record_stage&>(*w).finish(state);
    aggregated_records = state.agg.records + state.agg.filtered;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(progress_test)

BOOST_AUTO_TEST_CASE(counters_reach_the_totals) {
  std::vector<std::string> inputs = {samples + "api-2026-11-24.jsonl",
                                     samples + "api-2026-11-25.jsonl.gz",
                                     samples + "har/chromium-recorded.har"};
  // Small chunks, so several updates per input are summed.
  counted_run run(inputs, 3, 16 << 10);
  int64_t raw = 0, bytes = 0;
  for (const auto& r : run.reports) {
    raw += r.raw_bytes;
    bytes += r.bytes;
  }
  BOOST_TEST(run.counters.raw_bytes_read.load() == raw);
  BOOST_TEST(*analyzer::cli::total_input_bytes(inputs) == raw);
  BOOST_TEST(run.counters.bytes_done.load() > 0);
  BOOST_TEST(run.counters.bytes_done.load() <= bytes);
  BOOST_TEST(run.counters.records.load() == run.aggregated_records);
  BOOST_TEST(run.counters.inputs_done.load() == 3);
  BOOST_TEST(run.aggregated_records > 400);
}

BOOST_AUTO_TEST_CASE(no_total_for_stdin_or_missing_files) {
  BOOST_TEST(!analyzer::cli::total_input_bytes({"-"}).has_value());
  BOOST_TEST(!analyzer::cli::total_input_bytes({samples + "no-such-file.jsonl"}).has_value());
  BOOST_TEST(*analyzer::cli::total_input_bytes({}) == 0);
}

BOOST_AUTO_TEST_CASE(line_with_a_known_total_has_percent_and_eta) {
  std::string line = analyzer::cli::progress_line(50'000'000, 1'234'567, 2.0, 200'000'000);
  BOOST_TEST(line == "read 50.0 MB of 200.0 MB 25%  1,234,567 records  25.0 MB/s  ETA 0:06");
}

BOOST_AUTO_TEST_CASE(line_without_a_total_has_no_eta) {
  std::string line = analyzer::cli::progress_line(3'000'000, 10, 1.5, std::nullopt);
  BOOST_TEST(line == "read 3.0 MB  10 records  2.0 MB/s");
}

BOOST_AUTO_TEST_CASE(line_at_the_start) {
  std::string line = analyzer::cli::progress_line(0, 0, 0.0, 1'000'000);
  BOOST_TEST(line == "read 0.0 MB of 1.0 MB 0%  0 records  0.0 MB/s");
}

BOOST_AUTO_TEST_CASE(stats_name_every_phase) {
  analyzer::cli::run_stats st;
  st.records = 4416;
  st.inputs = 7;
  st.raw_bytes = 600'000;
  st.bytes = 2'800'000;
  st.threads = 4;
  st.stream_s = 0.5;
  st.total_s = 0.75;
  std::string text = analyzer::cli::format_stats(st, 20'000'000);
  for (const char* part : {"records      4,416 in 7 inputs", "0.6 MB read, 2.8 MB decompressed",
                           "5.6 MB/s decompressed, 8,832 records/s", "elapsed      0.750 s",
                           "load rules", "stream 0.500 s", "merge", "report",
                           "peak memory  20.0 MB", "4 workers + 1 reader"}) {
    BOOST_TEST(text.find(part) != std::string::npos, "missing: " << part << "\n" << text);
  }
  BOOST_TEST(analyzer::cli::peak_memory_bytes() > 0);
}

BOOST_AUTO_TEST_SUITE_END()
