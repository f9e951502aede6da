// SPDX-License-Identifier: MIT
#include "analyzer/cli/run_stats.hpp"

#include <sys/resource.h>

#include <fmt/format.h>

namespace analyzer::cli {

namespace {

double mb(int64_t bytes) { return static_cast<double>(bytes) / 1e6; }

double per_second(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0.0; }

}  // namespace

std::string with_thousands(int64_t n) {
  std::string digits = fmt::format("{}", n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

int64_t peak_memory_bytes() {
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return static_cast<int64_t>(ru.ru_maxrss) * 1024;  // Linux: kilobytes
}

std::string format_stats(const run_stats& s, int64_t peak_memory) {
  std::string out = "kling-triage: stats\n";
  out += fmt::format("  records      {} in {} input{}\n", with_thousands(s.records), s.inputs,
                     s.inputs == 1 ? "" : "s");
  out += fmt::format("  input        {:.1f} MB read, {:.1f} MB decompressed\n", mb(s.raw_bytes),
                     mb(s.bytes));
  // Throughput over the stream phase, where the input is actually read.
  out += fmt::format("  throughput   {:.1f} MB/s decompressed, {} records/s\n",
                     per_second(mb(s.bytes), s.stream_s),
                     with_thousands(static_cast<int64_t>(
                         per_second(static_cast<double>(s.records), s.stream_s))));
  out += fmt::format("  elapsed      {:.3f} s\n", s.total_s);
  out += fmt::format("  phases       load rules {:.3f} s, stream {:.3f} s, merge {:.3f} s, "
                     "report {:.3f} s\n",
                     s.load_rules_s, s.stream_s, s.merge_s, s.report_s);
  out += fmt::format("  peak memory  {:.1f} MB\n", mb(peak_memory));
  out += fmt::format("  threads      {} worker{} + 1 reader\n", s.threads, s.threads == 1 ? "" : "s");
  return out;
}

}  // namespace analyzer::cli
