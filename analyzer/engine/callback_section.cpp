// SPDX-License-Identifier: MIT
#include "analyzer/engine/callback_section.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "analyzer/audit/fact_sink.hpp"
#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/partial_codec.hpp"
#include "analyzer/engine/sinks.hpp"
#include "analyzer/engine/wire.hpp"

namespace analyzer::engine {

namespace {

constexpr uint64_t section_version = 1;

/// Per-input rows up to the last that counted something: equal counts
/// give equal bytes whatever the length the vector grew to.
size_t used_inputs(const aggregate::aggregator& a) {
  size_t n = a.inputs.size();
  while (n > 0 && a.inputs[n - 1].records == 0) --n;
  return n;
}

size_t input_count_of(const std::vector<uint32_t>& map) {
  return map.empty() ? 0 : static_cast<size_t>(*std::max_element(map.begin(), map.end())) + 1;
}

/// What only a possible callback's counts can hold: calls (no malformed,
/// skipped or filtered records), each with a time.
bool calls_only(const aggregate::aggregator& a) {
  return a.malformed == 0 && a.filtered == 0 && a.skipped == 0 && a.without_time == 0 &&
         a.callbacks == 0;
}

}  // namespace

aggregate::aggregator& callback_section::at(uint64_t url_hash) {
  auto it = by_url.find(url_hash);
  if (it != by_url.end()) return it->second;
  if (by_url.size() == max_urls && url_hash > by_url.rbegin()->first) {
    capped = true;
    return rest;
  }
  aggregate::aggregator& a = by_url.emplace(url_hash, fresh()).first->second;
  evict();  // when full, the largest goes to the rest: not this one
  return a;
}

void callback_section::evict() {
  while (by_url.size() > max_urls) {
    auto last = std::prev(by_url.end());
    rest.merge(last->second);
    by_url.erase(last);
    capped = true;
  }
}

void callback_section::absorb(callback_section&& other, const std::vector<uint32_t>* map) {
  rest.merge(other.rest, map);
  capped = capped || other.capped;
  for (auto& [url, counts] : other.by_url) {
    auto it = by_url.find(url);
    if (it == by_url.end()) {
      it = by_url.emplace(url, fresh()).first;
    }
    it->second.merge(counts, map);
  }
  evict();
}

void callback_section::remap_sources(const std::vector<uint32_t>& map) {
  size_t n = input_count_of(map);
  for (auto& [url, counts] : by_url) counts.remap_sources(map, n);
  rest.remap_sources(map, n);
}

std::string callback_section::merge(state_section& other, const std::vector<uint32_t>& map) {
  absorb(std::move(static_cast<callback_section&>(other)), &map);
  return {};
}

// v version | u8 capped | v URLs | per URL, in ascending hash order: fixed64
// hash, its counts (partial_codec's put_aggregate) | the rest's counts.
std::string callback_section::encode() const {
  wire::writer w;
  w.varint(section_version);
  w.u8(capped ? 1 : 0);
  w.varint(by_url.size());
  for (const auto& [url, counts] : by_url) {
    w.fixed64(url);
    put_aggregate(w, counts, used_inputs(counts));
  }
  put_aggregate(w, rest, used_inputs(rest));
  return w.take();
}

std::unique_ptr<state_section> callback_section::decode(std::string_view bytes,
                                                        const run_state& state,
                                                        std::string& error) {
  wire::reader r(bytes);
  if (r.varint() > section_version) {
    error = "is of a newer version than this kling-triage reads";
    return nullptr;
  }
  int causes = std::max(0, static_cast<int>(state.causes.size()) - 1);
  auto out = std::make_unique<callback_section>(causes, state.agg.bounds());
  out->capped = r.flag();
  size_t n = r.count(max_urls, 9, "URLs");
  uint64_t previous = 0;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    uint64_t url = r.fixed64();
    if (url <= previous) r.fail(wire::fault::bad_value, "URLs out of order");
    previous = url;
    aggregate::aggregator counts(causes, state.agg.bounds());
    get_aggregate(r, counts, state.causes.size(), state.inputs.size(), false);
    if (r.ok() && (counts.records == 0 || !calls_only(counts))) {
      r.fail(wire::fault::bad_value, "a URL's counts that are not calls");
    }
    out->by_url.emplace(url, std::move(counts));
  }
  if (r.ok()) get_aggregate(r, out->rest, state.causes.size(), state.inputs.size(), false);
  if (r.ok() && !calls_only(out->rest)) r.fail(wire::fault::bad_value, "counts that are not calls");
  // Only a full table spills into the rest, and never without a record.
  if (r.ok() && out->capped != (out->rest.records > 0 && out->by_url.size() == max_urls)) {
    r.fail(wire::fault::bad_value, "a bound that does not match its counts");
  }
  if (!r.ok() || !r.at_end()) {
    error = r.ok() ? std::string("has bytes after its end") : r.why();
    return nullptr;
  }
  return out;
}

const callback_section* callbacks_of(const run_state& state) {
  return static_cast<const callback_section*>(state.section(callback_section::section_name));
}

int64_t records_apart(const run_state& state) {
  const callback_section* sec = callbacks_of(state);
  if (sec == nullptr) return 0;
  int64_t n = sec->rest.records;
  for (const auto& [url, counts] : sec->by_url) n += counts.records;
  return n;
}

std::shared_ptr<aggregate::aggregator> settle_callbacks(const run_state& state,
                                                        std::vector<std::string>& notes) {
  const callback_section* sec = callbacks_of(state);
  if (sec == nullptr) return nullptr;
  std::vector<uint64_t> owned;
  if (const audit_section* audit = audit_of(state); audit != nullptr && audit->error.empty()) {
    for (const auto& o : audit->store.callback_owners()) owned.push_back(o.url_hash);
  }
  std::sort(owned.begin(), owned.end());
  auto out = std::make_shared<aggregate::aggregator>(state.agg);
  out->merge(sec->rest);
  for (const auto& [url, counts] : sec->by_url) {
    if (!std::binary_search(owned.begin(), owned.end(), url)) {
      out->merge(counts);
      continue;
    }
    out->callbacks += counts.records;
    if (out->inputs.size() < counts.inputs.size()) out->inputs.resize(counts.inputs.size());
    for (size_t i = 0; i < counts.inputs.size(); ++i) out->inputs[i].callbacks += counts.inputs[i].records;
  }
  out->finish();
  if (sec->capped) {
    notes.push_back(fmt::format(
        "POSTs that are not accepted creates went to more than {} distinct URLs: {} of them, "
        "to URLs past that bound, are counted as calls even where they were callbacks",
        callback_section::max_urls, sec->rest.records));
  }
  return out;
}

void callback_split_sink::add(const record_fact& f, std::string& /*ordered*/) {
  if ((f.kind == fact_kind::ok || f.kind == fact_kind::failure) && f.call != nullptr) {
    const event::event& e = f.ev;
    const auto& answers = f.call->answer_tasks;
    uint64_t url = audit::possible_callback(e.method, e.url, e.ts_ms, e.status, e.code,
                                            answers.empty() ? std::string_view() : answers[0].id,
                                            target_);
    if (url != 0) return count_fact(apart_.at(url), f);
  }
  count_fact(agg_, f);
}

void callback_split_sink::finish(run_state& state) {
  state.agg.merge(agg_);
  auto* mine = static_cast<callback_section*>(state.section(callback_section::section_name));
  if (mine == nullptr) {
    int causes = std::max(0, static_cast<int>(state.causes.size()) - 1);
    auto fresh = std::make_unique<callback_section>(causes, state.agg.bounds());
    mine = fresh.get();
    state.sections.push_back(std::move(fresh));
    std::sort(state.sections.begin(), state.sections.end(),
              [](const auto& a, const auto& b) { return a->name() < b->name(); });
  }
  mine->absorb(std::move(apart_), nullptr);
}

}  // namespace analyzer::engine
