// SPDX-License-Identifier: MIT
#include "analyzer/audit/fact_sink.hpp"

#include <algorithm>
#include <cmath>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/jwt_issuer.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::audit {

namespace {

constexpr size_t max_request_id = 128;

/// The record's duration in whole ms (rounded down: a deadline never moves
/// later than the log says), clamped to what a fact holds.
int32_t whole_ms(const std::optional<double>& d) {
  if (!d || !std::isfinite(*d) || *d <= 0) return 0;
  return static_cast<int32_t>(std::min(std::floor(*d), 2147483647.0));
}

bool accepted(const call_input& in) {
  return audit::accepted_create(in.status, in.code,
                         in.answer_tasks.empty() ? std::string_view() : in.answer_tasks[0].id);
}

void add_ref(std::vector<task_ref>& refs, std::string_view id, task_state state) {
  id = core::trim(id);
  if (id.empty()) return;
  uint64_t h = task_name_hash(id);
  for (auto& r : refs) {
    if (r.name != h) continue;
    if (r.state == task_state::none) r.state = state;
    return;
  }
  refs.push_back({h, state});
}

task_state answer_state(const call_input& in, uint64_t name) {
  for (const auto& t : in.answer_tasks) {
    if (task_name_hash(core::trim(t.id)) == name) return parse_task_state(t.status);
  }
  return task_state::none;
}

}  // namespace

bool accepted_create(int status, std::optional<int64_t> code, std::string_view first_answer_id) {
  return status > 0 && status < 400 && (!code || *code == 0) && !core::trim(first_answer_id).empty();
}

uint64_t possible_callback(std::string_view method, std::string_view url,
                           std::optional<int64_t> ts_ms, int status, std::optional<int64_t> code,
                           std::string_view first_answer_id, call_target& scratch) {
  if (!ts_ms || !is_fact_time(*ts_ms)) return 0;  // build() keeps no fact of it
  // The cheap tests first: only a POST can be a create (classify_target).
  if (!core::iequals(method, "POST") || accepted_create(status, code, first_answer_id)) return 0;
  std::string_view pq = path_and_query(url);
  classify_target(method, pq, scratch);
  if (scratch.kind != call_kind::create) return 0;
  return url_hash(pq);
}

uint32_t fact_sink::source_of(std::string_view path) {
  if (!have_source_ || path != last_source_) {
    last_source_.assign(path);
    last_source_index_ = store_.source(path);
    have_source_ = true;
  }
  return last_source_index_;
}

uint32_t fact_sink::endpoint_of(std::string_view method, std::string_view endpoint) {
  uint64_t h = XXH3_64bits_withSeed(endpoint.data(), endpoint.size(), method.size());
  for (char c : method) h = (h ^ static_cast<unsigned char>(core::ascii_lower(c))) * 0x100000001b3ull;
  if (const uint32_t* i = endpoint_cache_.find(h)) {
    const std::string& key = store_.endpoints()[*i];
    if (key.size() == method.size() + 1 + endpoint.size() &&
        core::iequals(std::string_view(key).substr(0, method.size()), method) &&
        std::string_view(key).substr(method.size() + 1) == endpoint) {
      return *i;
    }
  }
  scratch_.clear();
  for (char c : method) scratch_ += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  scratch_ += ' ';
  scratch_ += endpoint;
  uint32_t index = store_.endpoint(scratch_);
  if (endpoint_cache_.size() > 65536) endpoint_cache_.clear();
  endpoint_cache_[h] = index;
  return index;
}

uint32_t fact_sink::client_of(const call_input& in) {
  // The cache key: a 128-bit hash of what identifies the client (the
  // credential, else the hint, else the path), tagged by which it is.
  std::string_view text = in.authorization;
  uint64_t seed = 1;
  if (core::trim(text).empty()) {
    text = in.client_hint.empty() ? in.source_path : in.client_hint;
    seed = in.client_hint.empty() ? 3 : 2;
  }
  XXH128_hash_t h = XXH3_128bits_withSeed(text.data(), text.size(), seed);
  if (const auth_slot* slot = auth_cache_.find(h.low64); slot != nullptr && slot->hi == h.high64) {
    return slot->client;
  }
  std::optional<client_identity> id;
  if (seed == 1) {
    // Tokens are re-minted (a JWT per call is common), their issuer is
    // not: the second cache is by issuer, so SHA-256 runs once per client.
    std::string_view v = core::trim(in.authorization);
    if (v.size() > 7 && core::iequals(v.substr(0, 6), "bearer") && core::is_space(v[6])) {
      v = core::trim(v.substr(7));
    }
    bool is_jwt = false;
    if (auto iss = jwt_issuer_view(v, is_jwt)) {
      XXH128_hash_t ih = XXH3_128bits_withSeed(iss->data(), iss->size(), 4);
      if (const auth_slot* slot = issuer_cache_.find(ih.low64); slot != nullptr && slot->hi == ih.high64) {
        auth_cache_[h.low64] = {h.high64, slot->client};
        return slot->client;
      }
      uint32_t client = store_.client(client_from_issuer(*iss));
      if (issuer_cache_.size() > 65536) issuer_cache_.clear();
      issuer_cache_[ih.low64] = {ih.high64, client};
      if (auth_cache_.size() > 65536) auth_cache_.clear();
      auth_cache_[h.low64] = {h.high64, client};
      return client;
    }
    id = client_from_authorization(in.authorization);
  }
  if (!id) {
    id = in.client_hint.empty() ? client_from_path(in.source_path)
                                : client_from_hint(in.client_hint);
  }
  uint32_t client = store_.client(*id);
  if (auth_cache_.size() > 65536) auth_cache_.clear();
  auth_cache_[h.low64] = {h.high64, client};
  return client;
}

void fact_sink::tasks_of(const call_input& in, std::string_view pq, call_fact& f, fact_extras& x) {
  refs_.clear();
  if (target_.kind == call_kind::create) {
    if (accepted(in)) {
      f.flags |= call_fact::accepted_bit;
      auto id = core::trim(in.answer_tasks[0].id);
      add_ref(refs_, id, parse_task_state(in.answer_tasks[0].status));
      for (auto ext : {in.external_task_id, in.answer_external_task_id}) {
        ext = core::trim(ext);
        uint64_t h = ext.empty() ? 0 : task_name_hash(ext);
        if (h != 0 && ext != id && std::find(x.aliases.begin(), x.aliases.end(), h) == x.aliases.end()) {
          x.aliases.push_back(h);
        }
      }
      if (!core::trim(in.callback_url).empty()) x.callback_url_hash = url_hash(core::trim(in.callback_url));
    } else {
      // Not a create that worked: perhaps a callback (decided by the audit).
      x.url_hash = url_hash(pq);
      for (const auto& t : in.request_tasks) add_ref(refs_, t.id, parse_task_state(t.status));
    }
  } else if (target_.kind == call_kind::query) {
    if (!target_.tasks_endpoint) {
      // Legacy: the answer's task_id when it has one (the URL may name the
      // external_task_id), else the id in the URL.
      for (const auto& t : in.answer_tasks) add_ref(refs_, t.id, parse_task_state(t.status));
      if (refs_.empty()) {
        for (const auto& id : target_.ids) add_ref(refs_, id, task_state::none);
      }
    } else {
      for (const auto& id : target_.ids) add_ref(refs_, id, task_state::none);
      for (const auto& t : in.request_tasks) add_ref(refs_, t.id, task_state::none);
      for (auto& r : refs_) r.state = answer_state(in, r.name);
      for (const auto& t : in.answer_tasks) add_ref(refs_, t.id, parse_task_state(t.status));
    }
  }
  if (refs_.empty()) return;
  f.task = refs_[0].name;
  f.state = refs_[0].state;
  x.more_tasks.assign(refs_.begin() + 1, refs_.end());
}

bool fact_sink::build(const call_input& in, call_fact& f, fact_extras& x) {
  f = call_fact{};
  x = fact_extras{};
  uint32_t client = client_of(in);
  if (!in.ts_ms || !is_fact_time(*in.ts_ms)) {
    store_.add_untimed(client, in.failure);
    return false;
  }
  // The path and query once; the functions below take it as the URL.
  std::string_view pq = path_and_query(in.url);
  classify_target(in.method, pq, target_);
  f.ts_ms = *in.ts_ms;
  f.duration_ms = whole_ms(in.duration_ms);
  f.content_hash = record_hash(in.record_bytes);
  f.fingerprint = request_fingerprint(in.method, pq, in.request_body, scratch_);
  f.client = client;
  f.endpoint = endpoint_of(in.method, in.endpoint);
  f.where = record_ref{source_of(in.source_name.empty() ? in.source_path : in.source_name), in.line < 0 && in.entry >= 0,
                       in.line >= 0 ? in.line : std::max<int64_t>(in.entry, 0)}
                .pack();
  f.flags = static_cast<uint8_t>(target_.kind);
  if (in.failure) {
    f.flags |= call_fact::failure_bit;
    f.cause = store_.cause(in.cause.empty() ? "unclassified.unknown" : in.cause, in.retryable);
  }
  tasks_of(in, pq, f, x);
  if (!in.request_id.empty()) {
    x.request_id = in.request_id.substr(0, std::min(in.request_id.size(), max_request_id));
  }
  if (auto ra = parse_retry_after(in.retry_after)) {
    x.retry_deadline_ms = retry_deadline(*ra, f.ts_ms, f.duration_ms);
  }
  return true;
}

bool fact_sink::add(const call_input& in) {
  call_fact f;
  fact_extras x;
  if (!build(in, f, x)) return true;
  return store_.add(f, x);
}

}  // namespace analyzer::audit
