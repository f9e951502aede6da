// SPDX-License-Identifier: MIT
#include "analyzer/ingest/pipeline.hpp"

#include "analyzer/ingest/normalizer.hpp"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace analyzer::ingest {

namespace {

/// The shared state of one run: a bounded work queue and a reorder buffer.
class exchange {
 public:
  exchange(size_t max_in_flight, size_t max_bytes)
      : max_in_flight_(max_in_flight), max_bytes_(max_bytes) {}

  // Reader side: blocks while too many chunks, or too many bytes, are in
  // flight (chunks grow to hold a long line: a file of 60 MB lines must not
  // queue several of them). One chunk is always let through.
  void push(chunk&& c) {
    std::unique_lock lock(mutex_);
    size_t bytes = c.buf.capacity;
    space_.wait(lock, [&] {
      return aborted_ || in_flight_ == 0 ||
             (in_flight_ < max_in_flight_ && bytes_ + bytes <= max_bytes_);
    });
    if (aborted_) return;
    c.seq = next_seq_++;
    ++in_flight_;
    bytes_ += bytes;
    sizes_.emplace(c.seq, bytes);
    work_.push_back(std::move(c));
    has_work_.notify_one();
  }
  void close_input() {
    std::lock_guard lock(mutex_);
    input_closed_ = true;
    has_work_.notify_all();
    has_result_.notify_all();
  }

  // Worker side: nullopt when there is no more work.
  std::optional<chunk> pop() {
    std::unique_lock lock(mutex_);
    has_work_.wait(lock, [&] { return !work_.empty() || input_closed_ || aborted_; });
    if (work_.empty() || aborted_) return std::nullopt;
    chunk c = std::move(work_.front());
    work_.pop_front();
    return c;
  }
  void done(uint64_t seq, std::string&& out) {
    std::lock_guard lock(mutex_);
    results_.emplace(seq, std::move(out));
    has_result_.notify_all();
  }
  void abort(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    aborted_ = true;
    space_.notify_all();
    has_work_.notify_all();
    has_result_.notify_all();
  }

  // Consumer side: the next result in order, or nullopt at the end.
  std::optional<std::string> next_in_order() {
    std::unique_lock lock(mutex_);
    has_result_.wait(lock, [&] {
      return results_.count(consumed_) > 0 || aborted_ ||
             (input_closed_ && consumed_ == next_seq_);
    });
    if (aborted_) return std::nullopt;
    auto it = results_.find(consumed_);
    if (it == results_.end()) return std::nullopt;
    std::string out = std::move(it->second);
    results_.erase(it);
    auto size = sizes_.find(consumed_);
    bytes_ -= size->second;
    sizes_.erase(size);
    ++consumed_;
    --in_flight_;
    space_.notify_one();
    return out;
  }
  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable space_, has_work_, has_result_;
  std::deque<chunk> work_;
  std::map<uint64_t, std::string> results_;
  size_t max_in_flight_;
  size_t max_bytes_;
  size_t in_flight_ = 0;
  size_t bytes_ = 0;  // buffer capacity of the chunks in flight
  std::map<uint64_t, size_t> sizes_;
  uint64_t next_seq_ = 0;
  uint64_t consumed_ = 0;
  bool input_closed_ = false;
  bool aborted_ = false;
  std::exception_ptr error_;
};

/// read_input, also publishing the input's raw bytes read after each chunk
/// (the byte source is only reachable while its stream is being read).
input_report read_counted(uint32_t source, const std::string& path,
                          const pipeline_options& options, buffer_pool& pool,
                          int64_t raw_before, exchange& ex) {
  std::optional<aligned_range> aligned;
  opened_input in;
  reader_options reader = options.reader;
  if (options.range && source == 0) {
    aligned.emplace();
    in = open_range(path, *options.range, *aligned);
    reader.strip_bom = aligned->start == 0;  // a BOM only starts the file
  } else {
    in = open_input(path);
  }
  const byte_source* raw = in.source.get();
  progress_counters* progress = options.progress;
  input_report report = read_stream(source, path, std::move(in), reader, pool, [&](chunk&& c) {
    if (progress != nullptr && raw != nullptr) {
      progress->raw_bytes_read.store(raw_before + raw->raw_bytes(), std::memory_order_relaxed);
    }
    ex.push(std::move(c));
  });
  report.range = aligned;
  return report;
}

}  // namespace

std::vector<input_report> run_pipeline(
    const std::vector<std::string>& inputs, const pipeline_options& options,
    std::vector<std::unique_ptr<chunk_worker>>& workers,
    const std::function<void(std::string&&)>& ordered) {
  size_t slots = 2 * workers.size() + 2;
  exchange ex(slots, slots * (options.reader.chunk_bytes + required_padding()));
  buffer_pool pool;
  std::vector<input_report> reports(inputs.size());

  std::thread reader([&] {
    pthread_setname_np(pthread_self(), "kt-reader");  // for top, perf, gdb
    try {
      int64_t raw_before = 0;  // raw bytes of the inputs already read
      for (size_t i = 0; i < inputs.size(); ++i) {
        reports[i] = read_counted(static_cast<uint32_t>(i), inputs[i], options,
                                  pool, raw_before, ex);
        raw_before += reports[i].raw_bytes;
        if (options.progress != nullptr) {
          options.progress->raw_bytes_read.store(raw_before, std::memory_order_relaxed);
          options.progress->inputs_done.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (...) {
      ex.abort(std::current_exception());
    }
    ex.close_input();
  });

  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&ex, &pool, worker = w.get(), progress = options.progress] {
      pthread_setname_np(pthread_self(), "kt-worker");
      try {
        while (auto c = ex.pop()) {
          std::string out = worker->process(*c);
          if (progress != nullptr) {
            progress->bytes_done.fetch_add(static_cast<int64_t>(c->size),
                                           std::memory_order_relaxed);
          }
          pool.release(std::move(c->buf));
          ex.done(c->seq, std::move(out));
        }
      } catch (...) {
        ex.abort(std::current_exception());
      }
    });
  }

  try {
    while (auto out = ex.next_in_order()) {
      if (!out->empty()) ordered(std::move(*out));
    }
  } catch (...) {
    ex.abort(std::current_exception());
  }
  reader.join();
  for (auto& t : threads) t.join();
  if (auto e = ex.error()) std::rethrow_exception(e);
  return reports;
}

}  // namespace analyzer::ingest
