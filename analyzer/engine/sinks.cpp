// SPDX-License-Identifier: MIT
#include "analyzer/engine/sinks.hpp"

#include <fmt/format.h>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"

namespace analyzer::engine {

void count_fact(aggregate::aggregator& agg, const record_fact& f) {
  switch (f.kind) {
    case fact_kind::ok: return agg.add_ok(f.ev);
    case fact_kind::failure: return agg.add_failure(f.ev, f.cause, f.bytes);
    case fact_kind::malformed: return agg.add_malformed(f.ev, f.bytes);
    case fact_kind::skipped: return agg.add_skipped(f.ev);
    case fact_kind::outside_window: return agg.add_filtered(f.ev);
  }
}

void aggregate_sink::add(const record_fact& f, std::string& /*ordered*/) { count_fact(agg_, f); }

void aggregate_sink::finish(run_state& state) { state.agg.merge(agg_); }

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

void events_sink::add(const record_fact& f, std::string& out) {
  if (f.kind == fact_kind::skipped || f.kind == fact_kind::outside_window) return;
  const event::event& e = f.ev;
  out += "{\"source\":";
  out += config_.source_json[e.source];
  out += e.line >= 0 ? fmt::format(",\"line\":{}", e.line) : std::string(",\"line\":null");
  out += e.entry >= 0 ? fmt::format(",\"entry\":{}", e.entry) : std::string(",\"entry\":null");
  out += ",\"profile\":";
  if (f.profile == nullptr) {
    out += "null";
  } else if (e.profile < config_.profile_json.size()) {
    out += config_.profile_json[e.profile];
  } else {
    report::json_quote(f.profile->id, out);
  }
  if (f.kind == fact_kind::malformed) {
    out += ",\"category\":\"malformed\",\"cause\":\"malformed\",\"error\":";
    report::json_quote(e.malformed_reason, out);  // the output filter redacts what it must
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
  if (f.kind == fact_kind::ok) {
    out += ",\"category\":\"ok\",\"cause\":\"ok\",\"rule\":null}\n";
    return;
  }
  if (f.rule >= 0) {
    const rules::rule& r = config_.rules->at(f.rule);
    text_or_null(out, "category", r.category);
    text_or_null(out, "cause", r.cause);
    text_or_null(out, "rule", r.id);
  } else {
    out += ",\"category\":\"unclassified\",\"cause\":\"unclassified.unknown\",\"rule\":null";
  }
  text_or_null(out, "message", core::clip(e.message, 240));  // redacted before the cut
  out += "}\n";
}

}  // namespace analyzer::engine
