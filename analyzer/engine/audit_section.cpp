// SPDX-License-Identifier: MIT
#include "analyzer/engine/audit_section.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "analyzer/audit/detector_texts.hpp"
#include "analyzer/audit/fact_sink.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/engine/wire.hpp"

namespace analyzer::engine {

namespace {

constexpr uint64_t section_version = 1;
constexpr int64_t max_threshold_ms = int64_t{366} * 24 * 3600 * 1000;  // a year

audit::retry_advice advice_of(rules::retry_advice r) {
  switch (r) {
    case rules::retry_advice::yes: return audit::retry_advice::yes;
    case rules::retry_advice::no: return audit::retry_advice::no;
    case rules::retry_advice::after_fix: return audit::retry_advice::after_fix;
    case rules::retry_advice::unknown: break;
  }
  return audit::retry_advice::unknown;
}

std::string shown(int64_t ms) { return audit::format_duration(ms); }

}  // namespace

std::optional<int64_t> parse_duration(std::string_view text) {
  text = core::trim(text);
  size_t unit = text.find_first_not_of("0123456789.");
  std::string_view number = text.substr(0, unit);
  std::string_view suffix = unit == std::string_view::npos ? "" : core::trim(text.substr(unit));
  auto v = core::parse_number(number);
  if (number.empty() || !v || !std::isfinite(*v) || *v < 0) return std::nullopt;
  double scale = 0;
  if (suffix == "ms") scale = 1;
  else if (suffix.empty() || suffix == "s") scale = 1000;
  else if (suffix == "m" || suffix == "min") scale = 60'000;
  else if (suffix == "h") scale = 3'600'000;
  else return std::nullopt;
  double ms = std::floor(*v * scale);
  if (ms > static_cast<double>(max_threshold_ms)) return std::nullopt;
  return static_cast<int64_t>(ms);
}

std::string audit_section::merge(state_section& other, const std::vector<uint32_t>& /*map*/) {
  auto& o = static_cast<audit_section&>(other);
  const audit_thresholds& a = thresholds;
  const audit_thresholds& b = o.thresholds;
  if (a != b) {
    return fmt::format(
        "it was audited with other thresholds (grace {} / poll-min {} / retry-window {} / "
        "duplicate-window {}, against {} / {} / {} / {}): audit every shard with the same "
        "--audit-* options",
        shown(b.grace_ms), shown(b.poll_min_ms), shown(b.retry_window_ms),
        shown(b.duplicate_window_ms), shown(a.grace_ms), shown(a.poll_min_ms),
        shown(a.retry_window_ms), shown(a.duplicate_window_ms));
  }
  if (auto why = store.merge_problem(o.store); !why.empty()) return why;
  if (!store.merge(std::move(o.store))) error = store.error();
  if (!o.error.empty() && error.empty()) error = o.error;
  return {};
}

// v version | v grace | v poll-min | v retry window | v duplicate window
// | the fact store's own serialized form (audit/serialize.cpp) to the end.
std::string audit_section::encode() const {
  wire::writer w;
  w.varint(section_version);
  for (int64_t v : {thresholds.grace_ms, thresholds.poll_min_ms, thresholds.retry_window_ms,
                    thresholds.duplicate_window_ms}) {
    w.varint(static_cast<uint64_t>(v));
  }
  std::string out = w.take();
  store.serialize([&](std::string_view piece) { out += piece; });
  return out;
}

std::unique_ptr<state_section> audit_section::decode(std::string_view bytes,
                                                     const run_state& /*state*/,
                                                     std::string& error) {
  wire::reader r(bytes);
  if (r.varint() > section_version) {
    error = "is of a newer version than this kling-triage reads";
    return nullptr;
  }
  audit_thresholds t;
  for (int64_t* v : {&t.grace_ms, &t.poll_min_ms, &t.retry_window_ms, &t.duplicate_window_ms}) {
    *v = static_cast<int64_t>(r.bounded(static_cast<uint64_t>(max_threshold_ms), "a threshold"));
  }
  if (!r.ok()) {
    error = r.why();
    return nullptr;
  }
  auto section = std::make_unique<audit_section>(t, audit::store_options{});
  auto copy = std::make_shared<const std::string>(bytes.substr(bytes.size() - r.left()));
  std::string why;
  if (!section->store.attach(copy, why)) {
    error = "holds facts that do not read: " + why;
    return nullptr;
  }
  return section;
}

const audit_section* audit_of(const run_state& state) {
  return static_cast<const audit_section*>(state.section(audit_section::section_name));
}

audit::audit_options audit_options_for(const audit_thresholds& t, size_t threads) {
  audit::audit_options o;
  o.grace_ms = t.grace_ms;
  o.poll_min_ms = t.poll_min_ms;
  o.retry_window_ms = t.retry_window_ms;
  o.duplicate_window_ms = t.duplicate_window_ms;
  o.threads = std::max<size_t>(1, threads);
  o.series_bucket_ms = 0;
  o.concurrency_causes = audit::builtin_detector_texts().in_flight_against;
  return o;
}

namespace {

/// The store names its inputs as the record stage saw them: a byte-range
/// shard as path, range_mark, start, its lines counted from the range.
/// Here they become the path and the line in the whole file.
void resolve_sources(audit::audit_result& r, const run_state& state,
                     const std::vector<report::source_view>& views) {
  std::vector<std::string> names;
  std::vector<int64_t> offset(r.sources.size(), 0);
  for (size_t i = 0; i < r.sources.size(); ++i) {
    std::string_view name = r.sources[i];
    size_t mark = name.find(range_mark);
    if (mark == std::string_view::npos) {
      names.emplace_back(name);
      continue;
    }
    // The range as asked for: its lines start at the first line start in
    // it, the manifest's range (the nearest at or after it).
    std::string_view path = name.substr(0, mark);
    auto start = core::parse_int(name.substr(mark + 1));
    std::string shown(path);
    int64_t best = -1;
    for (size_t m = 0; m < state.inputs.size() && m < views.size(); ++m) {
      const input_entry& e = state.inputs[m];
      if (e.path != path || !e.range || !start || e.range->start < *start) continue;
      if (best >= 0 && e.range->start >= best) continue;
      best = e.range->start;
      offset[i] = views[m].first_line - 1;
      shown = views[m].path;
    }
    names.push_back(std::move(shown));
  }
  std::vector<std::string> unique = names;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<uint32_t> index(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    index[i] = static_cast<uint32_t>(std::lower_bound(unique.begin(), unique.end(), names[i]) -
                                     unique.begin());
  }
  auto fix = [&](audit::record_pos& p) {
    if (p.source >= index.size()) return;
    if (p.line >= 0) p.line += offset[p.source];
    p.source = index[p.source];
  };
  for (auto& d : r.detectors) {
    for (auto& ex : d.examples) {
      fix(ex.at);
      if (ex.earlier) fix(*ex.earlier);
    }
  }
  for (auto& m : r.marks) {
    fix(m.at);
    if (m.earlier) fix(*m.earlier);
  }
  r.sources = std::move(unique);
}

}  // namespace

std::shared_ptr<const audit::audit_result> run_state_audit(
    const run_state& state, const std::vector<report::source_view>& sources, bool keep_marks,
    bool series) {
  const audit_section* sec = audit_of(state);
  if (sec == nullptr) return nullptr;
  audit::audit_options o = audit_options_for(sec->thresholds, 2);
  o.keep_marks = keep_marks;
  // The in-flight chart: about 120 buckets over the facts' time span, a
  // whole number of minutes (the same for any split: the span is the run's).
  int64_t span = 0;
  if (state.agg.first_ts && state.agg.last_ts) span = *state.agg.last_ts - *state.agg.first_ts;
  if (series) o.series_bucket_ms = std::max<int64_t>(60'000, (span / 120 + 59'999) / 60'000 * 60'000);
  auto result = std::make_shared<audit::audit_result>(audit::run_audit(sec->store, o));
  resolve_sources(*result, state, sources);
  return result;
}

audit_sink::audit_sink(const audit_sink_config& config)
    : config_(config), store_(config.request.store), sink_(store_) {}

void audit_sink::add(const record_fact& f, std::string& /*ordered*/) {
  if ((f.kind != fact_kind::ok && f.kind != fact_kind::failure) || f.call == nullptr) return;
  const event::event& e = f.ev;
  const ingest::call_capture& c = *f.call;
  audit::call_input in;
  in.source_path = e.source < config_.source_names.size() ? config_.source_names[e.source]
                                                           : std::string_view();
  in.source_name = config_.range_name;
  in.line = e.line;
  in.entry = e.line >= 0 ? -1 : e.entry;
  in.record_bytes = f.bytes.bytes();
  in.ts_ms = e.ts_ms;
  in.duration_ms = e.duration_ms;
  in.method = e.method;
  in.url = e.url;
  in.endpoint = e.endpoint;
  in.request_body = c.request_body;
  in.authorization = c.authorization;
  in.external_task_id = c.external_task_id;
  in.callback_url = c.callback_url;
  request_tasks_.clear();
  for (const auto& t : c.request_tasks) request_tasks_.push_back({t.id, t.status});
  in.request_tasks = request_tasks_;
  in.status = e.status;
  in.code = e.code;
  in.retry_after = c.retry_after;
  in.request_id = e.request_id;
  answer_tasks_.clear();
  for (const auto& t : c.answer_tasks) answer_tasks_.push_back({t.id, t.status});
  in.answer_tasks = answer_tasks_;
  in.answer_external_task_id = c.answer_external_task_id;
  if (f.kind == fact_kind::failure) {
    in.failure = true;
    if (f.cause >= 0) {  // the cause's advice, as reports show it
      in.cause = config_.rules->cause_id(f.cause);
      in.retryable = advice_of(config_.rules->cause_rule(f.cause).retryable);
    } else {
      in.cause = "unclassified.unknown";
    }
  }
  if (!sink_.add(in)) failed_ = true;
}

void audit_sink::finish(run_state& state) {
  auto* mine = static_cast<audit_section*>(state.section(audit_section::section_name));
  if (mine == nullptr) {
    audit::store_options whole = config_.request.store;
    whole.memory_budget = std::max(whole.memory_budget, config_.request.merged_budget);
    auto fresh = std::make_unique<audit_section>(config_.request.thresholds, whole);
    mine = fresh.get();
    state.sections.push_back(std::move(fresh));
    std::sort(state.sections.begin(), state.sections.end(),
              [](const auto& a, const auto& b) { return a->name() < b->name(); });
  }
  if (failed_ && mine->error.empty()) mine->error = store_.error();
  if (!mine->store.merge(std::move(store_)) && mine->error.empty()) mine->error = mine->store.error();
}

}  // namespace analyzer::engine
