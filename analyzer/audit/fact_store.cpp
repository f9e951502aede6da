// SPDX-License-Identifier: MIT
#include "analyzer/audit/fact_store.hpp"

#include <algorithm>

namespace analyzer::audit {

std::string_view name_of(call_kind k) {
  switch (k) {
    case call_kind::create: return "create";
    case call_kind::query: return "query";
    case call_kind::other: break;
  }
  return "other";
}

std::string_view name_of(task_state s) {
  switch (s) {
    case task_state::submitted: return "submitted";
    case task_state::processing: return "processing";
    case task_state::succeeded: return "succeeded";
    case task_state::failed: return "failed";
    case task_state::other: return "other";
    case task_state::none: break;
  }
  return "none";
}

std::string_view name_of(retry_advice r) {
  switch (r) {
    case retry_advice::yes: return "yes";
    case retry_advice::no: return "no";
    case retry_advice::after_fix: return "after_fix";
    case retry_advice::unknown: break;
  }
  return "unknown";
}

uint64_t record_ref::pack() const {
  uint64_t n = static_cast<uint64_t>(std::clamp<int64_t>(number, 0, max_number));
  return uint64_t{std::min(source, max_source)} << 40 | uint64_t{is_entry} << 39 | n;
}

record_ref record_ref::unpack(uint64_t v) {
  return {static_cast<uint32_t>(v >> 40), ((v >> 39) & 1) != 0,
          static_cast<int64_t>(v & static_cast<uint64_t>(max_number))};
}

fact_store::fact_store(store_options options) : options_(std::move(options)) {
  causes_.push_back({"", retry_advice::unknown});
  cause_index_.emplace("", 0);
}

fact_store::~fact_store() = default;
fact_store::fact_store(fact_store&&) noexcept = default;
fact_store& fact_store::operator=(fact_store&&) noexcept = default;

uint32_t fact_store::client(const client_identity& id) {
  auto [it, fresh] = client_index_.try_emplace(id.key, static_cast<uint32_t>(clients_.size()));
  if (fresh) clients_.push_back({id.key, id.display, 0, 0});
  return it->second;
}

uint32_t fact_store::source(std::string_view path) {
  auto [it, fresh] = source_index_.try_emplace(std::string(path),
                                               static_cast<uint32_t>(sources_.size()));
  if (fresh) sources_.emplace_back(path);
  return it->second;
}

uint16_t fact_store::cause(std::string_view id, retry_advice advice) {
  auto [it, fresh] = cause_index_.try_emplace(std::string(id),
                                              static_cast<uint16_t>(causes_.size()));
  if (fresh) causes_.push_back({std::string(id), advice});
  return it->second;
}

uint32_t fact_store::endpoint(std::string_view key) {
  auto [it, fresh] = endpoint_index_.try_emplace(std::string(key),
                                                 static_cast<uint32_t>(endpoints_.size()));
  if (fresh) endpoints_.emplace_back(key);
  return it->second;
}

void fact_store::add_untimed(uint32_t client, bool failure) {
  clients_[client].untimed_calls += 1;
  clients_[client].untimed_failures += failure ? 1 : 0;
}

void fact_store::note_time(int64_t ts_ms) {
  if (is_fact_time(ts_ms)) end_ms_ = std::max(end_ms_, ts_ms);
}

void fact_store::add_owner(uint64_t url_hash, uint32_t client) {
  auto& seen = owner_index_[url_hash];
  if (std::find(seen.begin(), seen.end(), client) != seen.end()) return;
  seen.push_back(client);
  owners_.push_back({url_hash, client});
}

void fact_store::note_side_tables(const call_fact& f, const fact_extras& x) {
  if (f.kind() != call_kind::create) return;
  if (f.accepted()) {
    if (x.callback_url_hash != 0) add_owner(x.callback_url_hash, f.client);
    return;
  }
  if (x.url_hash == 0) return;
  post_entry p{x.url_hash, f.client, f.ts_ms, f.content_hash, f.where, {}};
  if (f.task != 0) p.tasks.push_back({f.task, f.state});
  p.tasks.insert(p.tasks.end(), x.more_tasks.begin(), x.more_tasks.end());
  posts_.push_back(std::move(p));
}

size_t fact_store::memory_bytes() const {
  return block_bytes_ + posts_.capacity() * sizeof(post_entry) +
         owners_.capacity() * sizeof(callback_owner);
}

bool fact_store::add(const call_fact& fact, const fact_extras& extras) {
  if (blocks_.empty() || blocks_.back().facts.size() == block::capacity) {
    blocks_.emplace_back();
    blocks_.back().facts.reserve(block::capacity);
    block_bytes_ += block::capacity * sizeof(call_fact);
  }
  block& b = blocks_.back();
  call_fact f = fact;
  size_t before = b.extras.capacity();
  size_t offset = b.extras.size();
  f.extra = encode_extras(extras, b.extras) ? static_cast<uint32_t>(offset + 1) : 0;
  block_bytes_ += b.extras.capacity() - before;
  b.facts.push_back(f);
  note_side_tables(f, extras);
  ++facts_;
  note_time(f.ts_ms);
  return block_bytes_ <= options_.memory_budget || spill();
}

std::string fact_store::merge_problem(const fact_store& other) const {
  for (const auto& c : other.clients_) {
    auto have = client_index_.find(c.key);
    int64_t mine = have != client_index_.end() ? clients_[have->second].untimed_calls : 0;
    if (c.untimed_calls > max_untimed_calls - mine) {
      return "a client's untimed calls would add up past 2^62 with the partials before it";
    }
  }
  return {};
}

bool fact_store::merge(fact_store&& other) {
  std::vector<uint32_t> clients, sources, endpoints;
  std::vector<uint16_t> causes;
  for (const auto& c : other.clients_) {
    uint32_t i = client({c.key, c.display});
    clients_[i].untimed_calls += c.untimed_calls;
    clients_[i].untimed_failures += c.untimed_failures;
    clients.push_back(i);
  }
  for (const auto& p : other.sources_) sources.push_back(source(p));
  for (const auto& c : other.causes_) causes.push_back(cause(c.id, c.retryable));
  for (const auto& e : other.endpoints_) endpoints.push_back(endpoint(e));
  auto remap_where = [&](uint64_t w) {
    record_ref r = record_ref::unpack(w);
    r.source = sources[r.source];
    return r.pack();
  };
  for (auto& b : other.blocks_) {
    for (auto& f : b.facts) {
      f.client = clients[f.client];
      f.endpoint = endpoints[f.endpoint];
      f.cause = causes[f.cause];
      f.where = remap_where(f.where);
    }
    block_bytes_ += b.facts.capacity() * sizeof(call_fact) + b.extras.capacity();
    blocks_.push_back(std::move(b));
  }
  for (auto& g : other.segments_) {
    for (auto& i : g.clients) i = clients[i];
    for (auto& i : g.sources) i = sources[i];
    for (auto& i : g.causes) i = causes[i];
    for (auto& i : g.endpoints) i = endpoints[i];
    segments_.push_back(std::move(g));
  }
  for (auto& p : other.posts_) {
    p.client = clients[p.client];
    p.where = remap_where(p.where);
    posts_.push_back(std::move(p));
  }
  for (const auto& o : other.owners_) add_owner(o.url_hash, clients[o.client]);
  facts_ += other.facts_;
  note_time(other.end_ms_);
  other = fact_store(other.options_);
  return block_bytes_ <= options_.memory_budget || spill();
}

}  // namespace analyzer::audit
