// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ingest/chunk.hpp"
#include "analyzer/ingest/reader.hpp"

namespace analyzer::ingest {

/// Processes chunks on one worker thread. Implementations keep their own
/// state (parsers, aggregates) and are merged by the caller afterwards.
class chunk_worker {
 public:
  virtual ~chunk_worker() = default;
  /// Handles every record of `c`. Returns text to be written in input
  /// order (e.g. `--events` lines), possibly empty. Must not keep views
  /// into the chunk's buffer after returning.
  virtual std::string process(const chunk& c) = 0;
};

/// Live counters for a progress display. Updated once per chunk with
/// relaxed atomics (cheap; a reader may see them slightly out of step with
/// each other). The pipeline sets the byte counts; `records` is for the
/// workers to add to, as only they know how many records a chunk held.
struct progress_counters {
  std::atomic<int64_t> raw_bytes_read{0};  // from the inputs, as stored (compressed)
  std::atomic<int64_t> bytes_done{0};      // decompressed bytes the workers finished
  std::atomic<int64_t> records{0};
  std::atomic<int64_t> inputs_done{0};
};

struct pipeline_options {
  unsigned threads = 1;
  reader_options reader;
  progress_counters* progress = nullptr;  // optional; must outlive the run
  /// Read only the lines that start in this range of the first input (an
  /// uncompressed JSON Lines file; the caller checks, see read_head).
  std::optional<byte_range> range;
};

/// One reader thread cuts the inputs (in order) into chunks; `threads`
/// workers process them in any order; the calling thread receives each
/// chunk's output in input order through `ordered`. At most
/// 2 * threads + 2 chunks are in flight, so memory stays bounded whatever
/// the input size. Returns one report per input, in order. The workers are
/// returned through `workers` for the caller to merge.
std::vector<input_report> run_pipeline(
    const std::vector<std::string>& inputs, const pipeline_options& options,
    std::vector<std::unique_ptr<chunk_worker>>& workers,
    const std::function<void(std::string&&)>& ordered);

}  // namespace analyzer::ingest
