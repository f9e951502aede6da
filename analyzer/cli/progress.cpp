// SPDX-License-Identifier: MIT
#include "analyzer/cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>

#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run_stats.hpp"

namespace analyzer::cli {

namespace {

constexpr auto redraw_every = std::chrono::milliseconds(250);

std::string megabytes(int64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

std::string duration(double s) {
  auto total = static_cast<int64_t>(s + 0.5);
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

/// Columns of the terminal on stderr, or 0 when unknown (not a terminal).
size_t terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

}  // namespace

std::optional<int64_t> total_input_bytes(const std::vector<std::string>& inputs) {
  int64_t total = 0;
  for (const auto& path : inputs) {
    std::error_code ec;
    if (path == "-" || !std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return std::nullopt;
    total += static_cast<int64_t>(size);
  }
  return total;
}

bool progress_wanted(const std::string& mode) {
  if (mode == "always") return true;
  return mode == "auto" && isatty(STDERR_FILENO) != 0;
}

std::string progress_line(int64_t raw_bytes, int64_t records, double elapsed_s,
                          std::optional<int64_t> total_bytes) {
  double rate = elapsed_s > 0 ? static_cast<double>(raw_bytes) / 1e6 / elapsed_s : 0.0;
  std::string line = "read " + megabytes(raw_bytes);
  if (total_bytes && *total_bytes > 0) {
    int64_t pct = std::min<int64_t>(100, raw_bytes * 100 / *total_bytes);
    line += fmt::format(" of {} {}%", megabytes(*total_bytes), pct);
  }
  line += fmt::format("  {} records  {:.1f} MB/s", with_thousands(records), rate);
  if (total_bytes && rate > 0 && raw_bytes > 0) {
    double left = static_cast<double>(std::max<int64_t>(0, *total_bytes - raw_bytes)) / 1e6;
    line += "  ETA " + duration(left / rate);
  }
  return line;
}

progress_display::progress_display(const ingest::progress_counters& counters,
                                   std::optional<int64_t> total_bytes)
    : counters_(counters), total_(total_bytes), start_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { loop(); });
}

progress_display::~progress_display() { stop(); }

void progress_display::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (last_width_ > 0) print_progress("\r" + std::string(last_width_, ' ') + "\r");
}

void progress_display::loop() {
  // Draws at least once, even when the run ends before this thread first
  // gets the processor (short inputs on a loaded machine).
  std::unique_lock lock(mutex_);
  do {
    lock.unlock();
    draw();
    lock.lock();
    wake_.wait_for(lock, redraw_every, [&] { return stopping_; });
  } while (!stopping_);
}

void progress_display::draw() {
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  std::string line = progress_line(counters_.raw_bytes_read.load(std::memory_order_relaxed),
                                   counters_.records.load(std::memory_order_relaxed),
                                   elapsed.count(), total_);
  // A line longer than the terminal would wrap, and `\r` would no longer
  // return to its start.
  if (size_t cols = terminal_width(); cols > 1 && line.size() >= cols) line.resize(cols - 1);
  size_t width = line.size();
  // Pad over the previous, longer line's tail instead of relying on a
  // terminal escape (stderr may be a file with --progress always).
  if (width < last_width_) line += std::string(last_width_ - width, ' ');
  last_width_ = std::max(last_width_, width);
  print_progress("\r" + line);
}

}  // namespace analyzer::cli
