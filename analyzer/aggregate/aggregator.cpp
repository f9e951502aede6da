// SPDX-License-Identifier: MIT
#include "analyzer/aggregate/aggregator.hpp"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/msg_template.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::aggregate {

namespace {

template <typename T>
void keep_earliest(std::vector<T>& list, T&& item, size_t limit) {
  if (list.size() >= limit && !(item.key < list.back().key)) return;
  auto pos = std::upper_bound(list.begin(), list.end(), item,
                              [](const T& a, const T& b) { return a.key < b.key; });
  list.insert(pos, std::move(item));
  if (list.size() > limit) list.pop_back();
}

/// Whether a record at time `ts` could enter `list` (the hash is only
/// computed when it could).
template <typename T>
bool may_enter(const std::vector<T>& list, int64_t ts, size_t limit) {
  return list.size() < limit || ts <= list.back().key.ts;
}

void merge_min(std::optional<int64_t>& a, const std::optional<int64_t>& b) {
  if (b && (!a || *b < *a)) a = b;
}
void merge_max(std::optional<int64_t>& a, const std::optional<int64_t>& b) {
  if (b && (!a || *b > *a)) a = b;
}

template <typename M>
void add_maps(M& into, const M& from) {
  for (const auto& [k, v] : from) into[k] += v;
}

record_key remapped(record_key k, const std::vector<uint32_t>* source_map) {
  if (source_map != nullptr && k.source < source_map->size()) k.source = (*source_map)[k.source];
  return k;
}

int64_t ts_key(const event::event& ev) { return ev.ts_ms ? *ev.ts_ms : no_time; }

/// A text value as a key: redacted and cut at max_value_bytes (UTF-8
/// safe), the same way everywhere, so merged counts stay exact.
std::string_view key_text(std::string_view s, std::string& buf) {
  if (s.size() <= max_value_bytes && !core::may_hold_secret(s)) return s;
  buf = core::clip(s, max_value_bytes);
  return buf;
}
}  // namespace

uint64_t record_bytes::hash() const {
  if (!hashed_) {
    hash_ = XXH3_64bits(bytes_.data(), bytes_.size());
    hashed_ = true;
  }
  return hash_;
}

record_key key_of(const event::event& ev, const record_bytes& bytes) {
  return {ts_key(ev), bytes.hash(), ev.source, ev.line, ev.entry};
}

example example_of(const event::event& ev, std::string_view endpoint, const record_key& key) {
  example ex;
  ex.key = key;
  ex.line = ev.line;
  ex.entry = ev.entry;
  // Cut for display, so redacted first (a cut key is not recognisable).
  ex.request_id = core::clip(ev.request_id, 100);
  ex.ts_ms = ev.ts_ms;
  ex.status = ev.status;
  ex.code = ev.code;
  ex.endpoint = std::string(endpoint);
  ex.message = core::clip(ev.message, 240);
  return ex;
}

template_stats* template_table::slot(key&& k) {
  auto it = map_.find(k);
  if (it != map_.end()) return &it->second;
  if (map_.size() >= limit && !(k < map_.rbegin()->first)) {
    capped_ = true;  // a larger hash than every kept one: never kept
    return nullptr;
  }
  it = map_.emplace(std::move(k), template_stats{}).first;
  if (map_.size() > limit) {
    bool evicted_self = std::prev(map_.end()) == it;
    map_.erase(std::prev(map_.end()));
    capped_ = true;
    if (evicted_self) return nullptr;
  }
  return &it->second;
}

void template_table::add(const event::event& ev, std::string_view endpoint,
                         const record_key& at) {
  std::string text = core::message_template(core::clip(ev.message, 1000));
  uint64_t hash = core::template_hash(text);
  template_stats* t = slot({hash, std::move(text)});
  if (t == nullptr) return;
  ++t->count;
  ++t->statuses[ev.status > 0 ? ev.status : 0];
  if (ev.code) t->codes.add(*ev.code, 1);
  if (!t->earliest || at < t->earliest->key) t->earliest = example_of(ev, endpoint, at);
}

void template_table::merge(const template_table& o, const std::vector<uint32_t>* source_map) {
  capped_ = capped_ || o.capped_;
  for (const auto& [k, b] : o.map_) {
    template_stats* a = slot(key(k));
    if (a == nullptr) continue;
    a->count += b.count;
    add_maps(a->statuses, b.statuses);
    a->codes.merge(b.codes);
    if (!b.earliest) continue;
    record_key bk = remapped(b.earliest->key, source_map);
    if (!a->earliest || bk < a->earliest->key) {
      a->earliest = b.earliest;
      a->earliest->key = bk;
    }
  }
}

bool template_table::restore(std::map<key, template_stats> entries, bool capped) {
  if (entries.size() > limit) return false;
  for (const auto& [k, st] : entries) {
    if (k.first != core::template_hash(k.second)) return false;
  }
  map_ = std::move(entries);
  capped_ = capped;
  return true;
}

aggregator::aggregator(int cause_count, const limits& bounds)
    : codes(bounds.max_distinct),
      causes(static_cast<size_t>(cause_count) + 1, cause_stats(bounds.max_distinct)),
      endpoints(bounds.max_distinct),
      models(bounds.max_distinct),
      minutes(bounds.max_timeline_cells),
      bounds_(bounds) {}

input_stats& aggregator::input(uint32_t source) {
  if (inputs.size() <= source) inputs.resize(source + 1);
  return inputs[source];
}

void aggregator::count_common(const event::event& ev, bool failure, int cause) {
  ++records;
  size_t status = ev.status > 0 && ev.status < 1000 ? static_cast<size_t>(ev.status) : 0;
  ++statuses[status];
  if (ev.code) codes.add(*ev.code, 1);
  if (ev.ts_ms) {
    merge_min(first_ts, ev.ts_ms);
    merge_max(last_ts, ev.ts_ms);
    minutes.add(*ev.ts_ms, failure, cause);
  } else {
    ++without_time;
  }
  key_buf_.assign(ev.method.empty() ? "?" : ev.method);
  key_buf_ += ' ';
  key_buf_ += ev.endpoint;
  // Kept texts leave in partials too, which the output filter cannot
  // redact (they are binary): redacted here, before the cut.
  if (!clean_.known(key_buf_)) {
    if (core::may_hold_secret(key_buf_) || key_buf_.size() > max_value_bytes) {
      key_buf_ = core::clip(key_buf_, max_value_bytes);
    } else {
      clean_.remember(key_buf_);
    }
  }
  record_counts one{1, failure ? 1 : 0};
  endpoints.add(std::string_view(key_buf_), one);
  if (!ev.model.empty()) {
    std::string_view model = ev.model;
    if (!clean_.known(model)) {
      model = key_text(ev.model, model_buf_);
      if (model.data() == ev.model.data()) clean_.remember(model);  // kept as it is
    }
    models.add(model, one);
  }
}

void aggregator::add_ok(const event::event& ev) {
  ++ok;
  input_stats& in = input(ev.source);
  ++in.records;
  ++in.ok;
  if (ev.response_body) ++in.response_bodies;
  count_common(ev, false, -1);
}

void aggregator::add_failure(const event::event& ev, int cause_index, const record_bytes& bytes) {
  int cause = cause_index >= 0 ? cause_index : unclassified_index();
  ++failures;
  input_stats& in = input(ev.source);
  ++in.records;
  ++in.failures;
  if (ev.response_body) ++in.response_bodies;
  count_common(ev, true, cause);
  cause_stats& c = causes[static_cast<size_t>(cause)];
  ++c.count;
  ++c.statuses[ev.status > 0 ? ev.status : 0];
  if (ev.code) c.codes.add(*ev.code, 1);
  c.endpoints.add(std::string_view(key_buf_), 1);  // set by count_common
  merge_min(c.first_seen, ev.ts_ms);
  merge_max(c.last_seen, ev.ts_ms);
  bool unexplained_record = cause == unclassified_index();
  if (!may_enter(c.examples, ts_key(ev), max_examples) && !unexplained_record) return;
  record_key key = key_of(ev, bytes);
  if (c.examples.size() < max_examples || key < c.examples.back().key) {
    keep_earliest(c.examples, example_of(ev, key_buf_, key), max_examples);
  }
  if (unexplained_record) unexplained.add(ev, key_buf_, key);
}

void aggregator::add_malformed(const event::event& ev, const record_bytes& bytes) {
  ++records;
  ++malformed;
  input_stats& in = input(ev.source);
  ++in.records;
  ++in.malformed;
  if (!may_enter(malformed_examples, ts_key(ev), max_malformed_examples)) return;
  record_key key = key_of(ev, bytes);
  if (malformed_examples.size() < max_malformed_examples || key < malformed_examples.back().key) {
    keep_earliest(malformed_examples,
                  malformed_example{key, ev.line, ev.entry,
                                    core::clip(ev.malformed_reason, 300)},
                  max_malformed_examples);
  }
}

void aggregator::add_filtered(const event::event&) { ++filtered; }

void aggregator::add_skipped(const event::event& ev) {
  ++skipped;
  ++input(ev.source).skipped;
}

void aggregator::merge(const aggregator& o, const std::vector<uint32_t>* source_map) {
  records += o.records;
  ok += o.ok;
  failures += o.failures;
  malformed += o.malformed;
  filtered += o.filtered;
  skipped += o.skipped;
  without_time += o.without_time;
  callbacks += o.callbacks;
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    uint32_t to = source_map != nullptr ? (*source_map)[i] : static_cast<uint32_t>(i);
    input(to).merge(o.inputs[i]);
  }
  for (size_t i = 0; i < statuses.size(); ++i) statuses[i] += o.statuses[i];
  codes.merge(o.codes);
  merge_min(first_ts, o.first_ts);
  merge_max(last_ts, o.last_ts);
  for (size_t i = 0; i < causes.size() && i < o.causes.size(); ++i) {
    cause_stats& a = causes[i];
    const cause_stats& b = o.causes[i];
    a.count += b.count;
    add_maps(a.statuses, b.statuses);
    a.codes.merge(b.codes);
    a.endpoints.merge(b.endpoints);
    merge_min(a.first_seen, b.first_seen);
    merge_max(a.last_seen, b.last_seen);
    for (const auto& ex : b.examples) {
      example copy = ex;
      copy.key = remapped(ex.key, source_map);
      keep_earliest(a.examples, std::move(copy), max_examples);
    }
  }
  for (const auto& m : o.malformed_examples) {
    malformed_example copy = m;
    copy.key = remapped(m.key, source_map);
    keep_earliest(malformed_examples, std::move(copy), max_malformed_examples);
  }
  unexplained.merge(o.unexplained, source_map);
  endpoints.merge(o.endpoints);
  models.merge(o.models);
  minutes.merge(o.minutes);
}

void aggregator::finish() {
  codes.finish();
  endpoints.finish();
  models.finish();
  for (auto& c : causes) {
    c.codes.finish();
    c.endpoints.finish();
  }
}

void template_table::remap_sources(const std::vector<uint32_t>& map) {
  for (auto& [k, t] : map_) {
    if (t.earliest) t.earliest->key = remapped(t.earliest->key, &map);
  }
}

void aggregator::remap_sources(const std::vector<uint32_t>& map, size_t input_count) {
  std::vector<input_stats> moved(std::max(input_count, inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) moved[i < map.size() ? map[i] : i].merge(inputs[i]);
  inputs = std::move(moved);
  for (auto& c : causes) {
    for (auto& ex : c.examples) ex.key = remapped(ex.key, &map);
  }
  for (auto& m : malformed_examples) m.key = remapped(m.key, &map);
  unexplained.remap_sources(map);
}

}  // namespace analyzer::aggregate
