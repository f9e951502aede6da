// SPDX-License-Identifier: MIT
#pragma once
/// `--progress`: one line on stderr, redrawn with `\r` about 4 times a
/// second from the pipeline's per-chunk counters, and cleared at the end.
/// It only reads the counters, so the run itself is not slowed.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/ingest/pipeline.hpp"

namespace analyzer::cli {

/// Sum of the inputs' sizes on disk, or nullopt when one of them is not a
/// regular file (stdin, a pipe): then no ETA can be given.
std::optional<int64_t> total_input_bytes(const std::vector<std::string>& inputs);

/// `mode` is auto | always | never; auto means stderr is a terminal.
bool progress_wanted(const std::string& mode);

/// The line for a snapshot (no `\r`): bytes read (of total), records,
/// MB/s, ETA. Public for tests.
std::string progress_line(int64_t raw_bytes, int64_t records, double elapsed_s,
                          std::optional<int64_t> total_bytes);

/// Draws the progress line from its own thread until stop() (or
/// destruction), then clears it.
class progress_display {
 public:
  progress_display(const ingest::progress_counters& counters,
                   std::optional<int64_t> total_bytes);
  ~progress_display();
  progress_display(const progress_display&) = delete;
  progress_display& operator=(const progress_display&) = delete;

  /// Stops the thread and clears the line. Idempotent.
  void stop();

 private:
  void loop();
  void draw();

  const ingest::progress_counters& counters_;
  std::optional<int64_t> total_;
  std::chrono::steady_clock::time_point start_;
  size_t last_width_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace analyzer::cli
