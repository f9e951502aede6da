// SPDX-License-Identifier: MIT
#pragma once
/// `--stats`: what a run cost, printed on stderr after the report. The
/// driver times each phase (mold's Timer, without the tree).

#include <chrono>
#include <cstdint>
#include <string>

namespace analyzer::cli {

/// Times phases with a steady clock: lap() returns the seconds since the
/// previous lap (or the start).
class phase_clock {
 public:
  phase_clock() : start_(now()), last_(start_) {}
  double lap() {
    auto t = now();
    double s = std::chrono::duration<double>(t - last_).count();
    last_ = t;
    return s;
  }
  double total() const { return std::chrono::duration<double>(now() - start_).count(); }

 private:
  static std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }
  std::chrono::steady_clock::time_point start_, last_;
};

struct run_stats {
  int64_t records = 0;
  size_t inputs = 0;
  int64_t raw_bytes = 0;  // as stored
  int64_t bytes = 0;      // decompressed
  unsigned threads = 0;   // workers (plus one reader)
  double load_rules_s = 0, stream_s = 0, merge_s = 0, report_s = 0, total_s = 0;
};

/// 1234567 → "1,234,567".
std::string with_thousands(int64_t n);

/// Peak resident memory of this process in bytes (getrusage ru_maxrss).
int64_t peak_memory_bytes();

/// The `--stats` block, several lines ending with a newline.
std::string format_stats(const run_stats& s, int64_t peak_memory);

}  // namespace analyzer::cli
