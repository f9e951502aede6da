// SPDX-License-Identifier: MIT
#include "analyzer/cli/worker.hpp"

#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/ingest/reader.hpp"
#include "analyzer/profile/profile_loader.hpp"

#include <cstring>
#include <fmt/format.h>
#include <mutex>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"

namespace analyzer::cli {

analyze_worker::analyze_worker(const worker_config& config)
    : config_(config),
      norm_(config.rules->plan(), config.max_depth),
      agg_(config.rules->cause_count(), config.bounds) {}

std::string analyze_worker::process(const ingest::chunk& c) {
  if (config_.progress == nullptr) return process_records(c);
  // Once per chunk, not per record: one relaxed add is free at this rate.
  int64_t before = agg_.records + agg_.filtered;
  std::string out = process_records(c);
  config_.progress->records.fetch_add(agg_.records + agg_.filtered - before,
                                      std::memory_order_relaxed);
  return out;
}

std::string analyze_worker::process_records(const ingest::chunk& c) {
  std::string out;
  ev_.source = c.source;
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
        handle_malformed(r.error, out);
        continue;
      }
      const char* begin = data + r.offset;
      std::string_view text = core::trim(std::string_view(begin, r.length));
      handle_records(text, static_cast<size_t>(data + c.buf.capacity - text.data()), out);
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
    handle_line(c, p, stop, line, out);
    ++line;
    p = stop + 1;
  }
  return out;
}

void analyze_worker::handle_line(const ingest::chunk& c, const char* begin,
                                 const char* end, int64_t line, std::string& out) {
  ev_.line = line;
  std::string_view text(begin, static_cast<size_t>(end - begin));
  std::string_view trimmed = core::trim(text);
  if (trimmed.empty()) return;  // blank lines are not records
  size_t length = text.size() - (text.back() == '\r' ? 1 : 0);  // without CRLF's CR
  if (length > config_.max_record_bytes) {
    return handle_malformed(ingest::oversized_line_reason(config_.max_record_bytes), out);
  }
  const char* buf_end = c.buf.data.get() + c.buf.capacity;
  handle_records(trimmed, static_cast<size_t>(buf_end - trimmed.data()), out);
}

// A line of an input no profile reads is malformed; a line of an envelope
// profile (an OTLP export) holds many records, numbered by line and index.
void analyze_worker::handle_records(std::string_view text, size_t capacity, std::string& out) {
  if (profile_ == nullptr) {
    why_ = ingest::no_profile_reason();
    return handle_malformed(why_, out);
  }
  if (!profile_->has_envelope()) return handle(text, capacity, out);
  if (!norm_.split_records(text, capacity, *profile_, records_, why_)) {
    return handle_malformed(why_, out);
  }
  const char* end = text.data() + capacity;
  for (size_t i = 0; i < records_.size(); ++i) {
    ev_.entry = static_cast<int64_t>(i);
    std::string_view r = records_[i];
    handle(r, static_cast<size_t>(end - r.data()), out);
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

void analyze_worker::handle(std::string_view text, size_t capacity, std::string& out) {
  if (text.size() <= ingest::big_record_bytes) return handle_record(text, capacity, out);
  std::lock_guard one_at_a_time(big_record_gate());
  handle_record(text, capacity, out);
  norm_.release_memory();
}

void analyze_worker::handle_record(std::string_view text, size_t capacity, std::string& out) {
  if (profile_ == nullptr) {
    why_ = ingest::no_profile_reason();
    return handle_malformed(why_, out);
  }
  norm_.normalize(text, capacity, ev_, *profile_);
  if (ev_.result == event::outcome::skipped) {
    agg_.add_skipped(ev_);
    return;
  }
  if (ev_.result == event::outcome::malformed) {
    agg_.add_malformed(ev_);
    if (config_.write_events) write_event(-1, out);
    return;
  }
  if (ev_.ts_ms && ((config_.since_ms && *ev_.ts_ms < *config_.since_ms) ||
                    (config_.until_ms && *ev_.ts_ms >= *config_.until_ms))) {
    agg_.add_filtered(ev_);
    return;
  }
  if (ev_.result == event::outcome::ok) {
    agg_.add_ok(ev_);
    if (config_.write_events) write_event(-1, out);
    return;
  }
  int rule = config_.rules->classify(ev_, scratch_);
  agg_.add_failure(ev_, config_.rules->cause_of(rule));
  if (config_.write_events) write_event(rule, out);
}

void analyze_worker::handle_malformed(std::string_view why, std::string& out) {
  event::event fresh;
  fresh.source = ev_.source;
  fresh.line = ev_.line;
  fresh.entry = ev_.entry;
  fresh.profile = ev_.profile;
  ev_ = std::move(fresh);
  ev_.result = event::outcome::malformed;
  ev_.malformed_reason = why;
  agg_.add_malformed(ev_);
  if (config_.write_events) write_event(-1, out);
}

namespace {
void text_or_null(std::string& out, std::string_view key, std::string_view v) {
  out += ",\"";
  out += key;
  out += "\":";
  if (v.empty()) {
    out += "null";
  } else {
    report::json_quote(v, out);
  }
}
}  // namespace

void analyze_worker::write_event(int rule, std::string& out) {
  const event::event& e = ev_;
  out += "{\"source\":";
  out += config_.source_json[e.source];
  out += e.line >= 0 ? fmt::format(",\"line\":{}", e.line) : std::string(",\"line\":null");
  out += e.entry >= 0 ? fmt::format(",\"entry\":{}", e.entry) : std::string(",\"entry\":null");
  out += ",\"profile\":";
  if (profile_ == nullptr) {
    out += "null";
  } else if (e.profile < config_.profile_json.size()) {
    out += config_.profile_json[e.profile];
  } else {
    report::json_quote(profile_->id, out);
  }
  if (e.result == event::outcome::malformed) {
    out += ",\"category\":\"malformed\",\"cause\":\"malformed\",\"error\":";
    report::json_quote(e.malformed_reason, out);
    out += "}\n";
    return;
  }
  text_or_null(out, "ts", e.ts_ms ? event::format_time(*e.ts_ms) : std::string());
  text_or_null(out, "method", e.method);
  text_or_null(out, "endpoint", e.endpoint);
  out += e.status > 0 ? fmt::format(",\"status\":{}", e.status) : ",\"status\":null";
  out += e.code ? fmt::format(",\"code\":{}", *e.code) : ",\"code\":null";
  text_or_null(out, "request_id", e.request_id);  // the output filter redacts what it must
  text_or_null(out, "task_id", e.task_id);
  if (e.result == event::outcome::ok) {
    out += ",\"category\":\"ok\",\"cause\":\"ok\",\"rule\":null}\n";
    return;
  }
  if (rule >= 0) {
    const rules::rule& r = config_.rules->at(rule);
    text_or_null(out, "category", r.category);
    text_or_null(out, "cause", r.cause);
    text_or_null(out, "rule", r.id);
  } else {
    out += ",\"category\":\"unclassified\",\"cause\":\"unclassified.unknown\",\"rule\":null";
  }
  text_or_null(out, "message", core::clip(e.message, 240));  // redacted before the cut
  out += "}\n";
}

}  // namespace analyzer::cli
