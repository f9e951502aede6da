// SPDX-License-Identifier: MIT
#include "analyzer/engine/record_stage.hpp"

#include <cstring>
#include <mutex>

#include "analyzer/core/text.hpp"
#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/ingest/reader.hpp"
#include "analyzer/profile/profile_loader.hpp"

namespace analyzer::engine {

record_stage::record_stage(const stage_config& config)
    : config_(config), norm_(config.rules->plan(), config.max_depth) {
  for (const auto& make : config.sinks) sinks_.push_back(make());
  norm_.capture_calls(config.capture_calls);
}

void record_stage::finish(run_state& state) {
  for (auto& s : sinks_) s->finish(state);
}

std::string record_stage::process(const ingest::chunk& c) {
  int64_t before = counted_;
  std::string out = process_records(c);
  // Once per chunk, not per record: one relaxed add is free at this rate.
  if (config_.progress != nullptr) {
    config_.progress->records.fetch_add(counted_ - before, std::memory_order_relaxed);
  }
  return out;
}

std::string record_stage::process_records(const ingest::chunk& c) {
  std::string out;
  out_ = &out;
  ev_.source = c.source < config_.manifest_index.size() ? config_.manifest_index[c.source]
                                                        : c.source;
  ev_.profile = static_cast<uint16_t>(c.profile >= 0 ? c.profile : 0);
  const profile::profile_set& set =
      config_.profiles != nullptr ? *config_.profiles : profile::bundled_set();
  profile_ = c.profile >= 0 ? set.profiles[static_cast<size_t>(c.profile)].get() : nullptr;
  const char* data = c.buf.data.get();
  if (c.explicit_records) {  // HAR entries, or records the reader rejected
    for (const auto& r : c.records) {
      ev_.line = r.is_line ? r.number : -1;
      ev_.entry = r.is_line ? -1 : r.number;
      if (!r.error.empty()) {
        // Read no further than its start, the record has no bytes of its
        // own to order it by: its error text does (identical records).
        handle_malformed(r.error, r.error);
        continue;
      }
      const char* begin = data + r.offset;
      std::string_view text = core::trim(std::string_view(begin, r.length));
      handle_records(text, static_cast<size_t>(data + c.buf.capacity - text.data()));
    }
    return out;
  }
  ev_.entry = -1;
  const char* p = data;
  const char* end = data + c.size;
  int64_t line = c.first_line;
  while (p < end) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* stop = nl != nullptr ? nl : end;
    handle_line(c, p, stop, line);
    ++line;
    p = stop + 1;
  }
  return out;
}

void record_stage::handle_line(const ingest::chunk& c, const char* begin, const char* end,
                               int64_t line) {
  ev_.line = line;
  std::string_view text(begin, static_cast<size_t>(end - begin));
  std::string_view trimmed = core::trim(text);
  if (trimmed.empty()) return;  // blank lines are not records
  size_t length = text.size() - (text.back() == '\r' ? 1 : 0);  // without CRLF's CR
  if (length > config_.max_record_bytes) {
    why_ = ingest::oversized_line_reason(config_.max_record_bytes);
    return handle_malformed(why_, why_);
  }
  const char* buf_end = c.buf.data.get() + c.buf.capacity;
  handle_records(trimmed, static_cast<size_t>(buf_end - trimmed.data()));
}

// A line of an input no profile reads is malformed; a line of an envelope
// profile (an OTLP export) holds many records, numbered by line and index.
void record_stage::handle_records(std::string_view text, size_t capacity) {
  if (profile_ == nullptr) {
    why_ = ingest::no_profile_reason();
    return handle_malformed(why_, text);
  }
  if (!profile_->has_envelope()) return handle(text, capacity);
  if (!norm_.split_records(text, capacity, *profile_, records_, why_)) {
    return handle_malformed(why_, text);
  }
  const char* end = text.data() + capacity;
  for (size_t i = 0; i < records_.size(); ++i) {
    ev_.entry = static_cast<int64_t>(i);
    std::string_view r = records_[i];
    handle(r, static_cast<size_t>(end - r.data()));
  }
  ev_.entry = -1;
}

namespace {
/// Held while a big record is handled (ingest::big_record_bytes).
std::mutex& big_record_gate() {
  static std::mutex m;
  return m;
}
}  // namespace

void record_stage::handle(std::string_view text, size_t capacity) {
  if (text.size() <= ingest::big_record_bytes) return handle_record(text, capacity);
  std::lock_guard one_at_a_time(big_record_gate());
  handle_record(text, capacity);
  norm_.release_memory();
}

void record_stage::handle_record(std::string_view text, size_t capacity) {
  norm_.normalize(text, capacity, ev_, *profile_);
  switch (ev_.result) {
    case event::outcome::skipped: return emit(fact_kind::skipped, text);
    case event::outcome::malformed: return emit(fact_kind::malformed, text);
    default: break;
  }
  if (ev_.ts_ms && ((config_.since_ms && *ev_.ts_ms < *config_.since_ms) ||
                    (config_.until_ms && *ev_.ts_ms >= *config_.until_ms))) {
    return emit(fact_kind::outside_window, text);
  }
  if (ev_.result == event::outcome::ok) return emit(fact_kind::ok, text);
  emit(fact_kind::failure, text, config_.rules->classify(ev_, scratch_));
}

void record_stage::handle_malformed(std::string_view why, std::string_view bytes) {
  event::event fresh;
  fresh.source = ev_.source;
  fresh.line = ev_.line;
  fresh.entry = ev_.entry;
  fresh.profile = ev_.profile;
  ev_ = std::move(fresh);
  ev_.result = event::outcome::malformed;
  ev_.malformed_reason = why;
  emit(fact_kind::malformed, bytes);
}

void record_stage::emit(fact_kind kind, std::string_view bytes, int rule) {
  aggregate::record_bytes b(bytes);
  record_fact f{kind, ev_, b, rule, rule >= 0 ? config_.rules->cause_of(rule) : -1, profile_};
  if (config_.capture_calls && (kind == fact_kind::ok || kind == fact_kind::failure)) {
    f.call = &norm_.last_call();
  }
  if (kind != fact_kind::skipped) ++counted_;
  for (auto& s : sinks_) s->add(f, *out_);
}

}  // namespace analyzer::engine
