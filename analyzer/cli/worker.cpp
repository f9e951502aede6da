// SPDX-License-Identifier: MIT
#include "analyzer/cli/worker.hpp"

#include "analyzer/ingest/reader.hpp"

#include <cstring>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"

namespace analyzer::cli {

analyze_worker::analyze_worker(const worker_config& config)
    : config_(config), norm_(config.rules->plan()), agg_(config.rules->cause_count()) {}

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
      handle({begin, r.length}, static_cast<size_t>(data + c.buf.capacity - begin), out);
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
  if (text.size() > config_.max_record_bytes) {
    return handle_malformed(ingest::oversized_line_reason(config_.max_record_bytes), out);
  }
  const char* buf_end = c.buf.data.get() + c.buf.capacity;
  handle(trimmed, static_cast<size_t>(buf_end - trimmed.data()), out);
}

void analyze_worker::handle(std::string_view text, size_t capacity, std::string& out) {
  norm_.normalize(text, capacity, ev_);
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
  out += e.line >= 0 ? fmt::format(",\"line\":{},\"entry\":null", e.line)
                     : fmt::format(",\"line\":null,\"entry\":{}", e.entry);
  if (e.result == event::outcome::malformed) {
    out += ",\"category\":\"malformed\",\"cause\":\"malformed\",\"error\":";
    report::json_quote(core::redact_secrets(e.malformed_reason), out);
    out += "}\n";
    return;
  }
  text_or_null(out, "ts", e.ts_ms ? event::format_time(*e.ts_ms) : std::string());
  text_or_null(out, "method", e.method);
  text_or_null(out, "endpoint", e.endpoint);
  out += e.status > 0 ? fmt::format(",\"status\":{}", e.status) : ",\"status\":null";
  out += e.code ? fmt::format(",\"code\":{}", *e.code) : ",\"code\":null";
  text_or_null(out, "request_id", core::redact_secrets(e.request_id));
  text_or_null(out, "task_id", core::redact_secrets(e.task_id));
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
  text_or_null(out, "message", core::redact_secrets(core::shorten(e.message, 240)));
  out += "}\n";
}

}  // namespace analyzer::cli
