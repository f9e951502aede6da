// SPDX-License-Identifier: MIT
// The audit's driver: decides callbacks, streams every client's partition
// through a client_audit, then combines clients in key order and resolves
// the examples' texts.
#include "analyzer/audit/audit.hpp"

#include <algorithm>
#include <thread>
#include <unordered_set>

#include "analyzer/audit/client_audit.hpp"

namespace analyzer::audit {

namespace {

constexpr std::string_view detector_ids[detector_count] = {
    "retry_non_retryable", "retry_after_ignored", "no_backoff",
    "poll_too_fast",       "orphaned_task",       "duplicate_submission"};

/// Positions name sources by their rank in path order, so a result does not
/// depend on the order inputs were met in.
std::vector<uint32_t> source_ranks(const fact_store& s, std::vector<std::string>& sorted) {
  sorted = s.sources();
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint32_t> rank;
  for (const auto& p : s.sources()) {
    rank.push_back(static_cast<uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), p) - sorted.begin()));
  }
  return rank;
}

record_pos pos_of(uint64_t where, const std::vector<uint32_t>& rank) {
  record_ref r = record_ref::unpack(where);
  record_pos p;
  p.source = rank[r.source];
  (r.is_entry ? p.entry : p.line) = r.number;
  return p;
}

/// Request ids of the examples, by one pass over every fact.
void resolve_request_ids(const fact_store& s, audit_result& out,
                         const std::array<std::vector<candidate>, detector_count>& pools) {
  std::unordered_set<uint64_t> wanted;
  for (const auto& pool : pools) {
    for (const auto& c : pool) wanted.insert(c.where);
  }
  if (wanted.empty()) return;
  struct found {
    uint64_t hash;
    std::string id;
  };
  std::unordered_map<uint64_t, std::vector<found>> ids;
  scan_all(s, [&](const stream_item& it) {
    if (wanted.count(it.fact.where) == 0) return;
    extras_view x;
    std::string id = (!it.extras.empty() && x.parse(it.extras)) ? x.request_id() : "";
    ids[it.fact.where].push_back({it.fact.content_hash, std::move(id)});
  });
  for (size_t d = 0; d < detector_count; ++d) {
    for (size_t i = 0; i < pools[d].size(); ++i) {
      auto it = ids.find(pools[d][i].where);
      if (it == ids.end()) continue;
      // The same position twice (an input given twice): the one with this
      // content, else the smallest id, so the choice never depends on order.
      const found* best = nullptr;
      for (const auto& f : it->second) {
        bool match = pools[d][i].hash == 0 || f.hash == pools[d][i].hash;
        if (match && (best == nullptr || f.id < best->id)) best = &f;
      }
      if (best != nullptr) out.detectors[d].examples[i].request_id = best->id;
    }
  }
}

}  // namespace

std::string_view name_of(detector d) { return detector_ids[static_cast<size_t>(d)]; }

std::optional<detector> detector_named(std::string_view id) {
  for (size_t i = 0; i < detector_count; ++i) {
    if (detector_ids[i] == id) return static_cast<detector>(i);
  }
  return std::nullopt;
}

percentiles nearest_rank(std::vector<int64_t> values) {
  percentiles p;
  p.n = static_cast<int64_t>(values.size());
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  auto at = [&](int64_t pct) {
    int64_t rank = (pct * p.n + 99) / 100;  // ⌈pct/100 × n⌉, at least 1
    return values[static_cast<size_t>(std::max<int64_t>(rank, 1) - 1)];
  };
  p.p50 = at(50);
  p.p90 = at(90);
  p.p99 = at(99);
  return p;
}

audit_shared::audit_shared(const fact_store& s, const audit_options& o, const order& rank)
    : store(s), opt(o), ord(rank), routed(s.clients().size()) {
  end_ms = s.end_ms();
  if (o.end_ms && (end_ms == no_time || *o.end_ms > end_ms)) end_ms = *o.end_ms;
  for (const auto& c : s.causes()) {
    never_retry.push_back(!c.id.empty() && c.retryable == retry_advice::no);
    concurrency.push_back(std::find(o.concurrency_causes.begin(), o.concurrency_causes.end(),
                                    c.id) != o.concurrency_causes.end());
  }
  for (const auto& w : s.callback_owners()) owners[w.url_hash].push_back(w.client);
  const auto& posts = s.posts();
  for (uint32_t i = 0; i < posts.size(); ++i) {
    auto it = owners.find(posts[i].url_hash);
    if (it == owners.end()) continue;
    for (uint32_t c : it->second) routed[c].push_back(i);
  }
}

void audit_context::offer(detector d, const candidate& c) {
  auto& pool = pools[static_cast<size_t>(d)];
  auto earlier = [&](const candidate& a, const candidate& b) {
    if (a.ts != b.ts) return a.ts < b.ts;
    if (a.hash != b.hash) return a.hash < b.hash;
    return ord.before_where(a.where, b.where);
  };
  if (pool.size() == opt.examples && (pool.empty() || !earlier(c, pool.back()))) return;
  pool.insert(std::upper_bound(pool.begin(), pool.end(), c, earlier), c);
  if (pool.size() > opt.examples) pool.pop_back();
}

void audit_context::mark(detector d, uint64_t where, point earlier) {
  if (opt.keep_marks) marks.push_back({where, d, earlier});
}

void audit_context::absorb(audit_context&& part) {
  for (size_t d = 0; d < detector_count; ++d) {
    findings[d] += part.findings[d];
    wasted[d] += part.wasted[d];
    for (const auto& c : part.pools[d]) offer(static_cast<detector>(d), c);
  }
  marks.insert(marks.end(), part.marks.begin(), part.marks.end());
  time_to_result.insert(time_to_result.end(), part.time_to_result.begin(), part.time_to_result.end());
  polls.insert(polls.end(), part.polls.begin(), part.polls.end());
  for (auto [field, from] : {std::pair{&task_totals::created, part.tasks.created},
                             std::pair{&task_totals::succeeded, part.tasks.succeeded},
                             std::pair{&task_totals::failed, part.tasks.failed},
                             std::pair{&task_totals::pending, part.tasks.pending},
                             std::pair{&task_totals::orphaned, part.tasks.orphaned},
                             std::pair{&task_totals::unknown_origin, part.tasks.unknown_origin}}) {
    tasks.*field += from;
  }
  for (const auto& [cause, n] : part.tasks.failed_by_cause) tasks.failed_by_cause[cause] += n;
  calls += part.calls;
  applied.insert(applied.end(), part.applied.begin(), part.applied.end());
  for (auto& c : part.clients) clients.push_back(std::move(c));
}

namespace {

/// Audits the clients of the ranks [first, last) of an in-memory store.
void audit_ranks(const audit_shared& sh, memory_index& mem,
                 const std::vector<uint32_t>& by_rank, uint32_t first, uint32_t last,
                 audit_context& out) {
  for (uint32_t r = first; r < last; ++r) {
    client_audit a(out, by_rank[r]);
    mem.order_partition(sh.ord, r);
    a.reserve(mem.end(r) - mem.begin(r));
    fact_stream stream(sh.store, sh.ord, mem, mem.begin(r), mem.end(r));
    stream_item it;
    while (stream.next(it)) a.add(it);
    out.clients.push_back(a.finish());
  }
}

/// Every client, one after the other, from the merged stream (memory and
/// runs on disk).
void audit_sequential(const audit_shared& sh, audit_context& out) {
  std::vector<uint8_t> done(sh.store.clients().size(), 0);
  fact_stream stream(sh.store, sh.ord);
  stream_item it;
  std::optional<client_audit> current;
  uint32_t client = 0;
  while (stream.next(it)) {
    if (!current || it.fact.client != client) {
      if (current) out.clients.push_back(current->finish());
      client = it.fact.client;
      current.emplace(out, client);
      done[client] = 1;
    }
    current->add(it);
  }
  if (current) out.clients.push_back(current->finish());
  for (uint32_t c = 0; c < sh.store.clients().size(); ++c) {
    if (!done[c]) out.clients.push_back(client_audit(out, c).finish());
  }
}

/// Clients in parallel: each thread audits a contiguous range of client
/// ranks into its own part; parts are added up in rank order.
void audit_parallel(const audit_shared& sh, size_t threads, audit_context& out) {
  memory_index mem(sh.store, sh.ord, true);
  auto n = static_cast<uint32_t>(sh.store.clients().size());
  std::vector<uint32_t> by_rank(n);
  for (uint32_t c = 0; c < n; ++c) by_rank[sh.ord.client_rank(c)] = c;
  // Ranges of about equal facts; a client is never split.
  std::vector<uint32_t> cut{0};
  size_t per = (mem.size() + threads - 1) / threads;
  for (uint32_t r = 0; r < n; ++r) {
    if (mem.end(r) >= per * cut.size() && cut.size() < threads) cut.push_back(r + 1);
  }
  if (cut.back() != n) cut.push_back(n);
  std::vector<audit_context> parts;
  for (size_t i = 0; i + 1 < cut.size(); ++i) parts.emplace_back(sh);
  std::vector<std::thread> pool;
  for (size_t i = 0; i + 1 < cut.size(); ++i) {
    pool.emplace_back([&, i] { audit_ranks(sh, mem, by_rank, cut[i], cut[i + 1], parts[i]); });
  }
  for (auto& t : pool) t.join();
  for (auto& p : parts) out.absorb(std::move(p));
}

}  // namespace

audit_result run_audit(const fact_store& store, const audit_options& options) {
  order ord(store);
  audit_shared shared(store, options, ord);
  audit_context ctx(shared);
  audit_result out;
  out.options = options;
  if (shared.end_ms != no_time) out.end_ms = shared.end_ms;
  std::vector<uint32_t> rank = source_ranks(store, out.sources);

  // Runs on disk are read as one merged stream; facts in memory can be
  // audited a client per thread.
  size_t threads = std::max<size_t>(1, options.threads);
  if (threads > 1 && store.segments().empty() && store.clients().size() > 1) {
    audit_parallel(shared, threads, ctx);
  } else {
    audit_sequential(shared, ctx);
  }

  for (auto& c : ctx.clients) {
    if (c.calls > 0 || c.tasks > 0) out.clients.push_back(std::move(c));
  }
  for (const auto& c : store.clients()) out.untimed_calls += c.untimed_calls;
  std::sort(out.clients.begin(), out.clients.end(), [](const auto& a, const auto& b) {
    return a.calls != b.calls ? a.calls > b.calls : a.key < b.key;
  });

  out.calls = ctx.calls;
  std::vector<uint8_t> applied(store.posts().size(), 0);
  for (uint32_t p : ctx.applied) applied[p] = 1;
  for (uint32_t i = 0; i < store.posts().size(); ++i) {
    if (shared.owners.count(store.posts()[i].url_hash) == 0) continue;
    ++out.callbacks;
    if (!applied[i]) ++out.callbacks_unmatched;
  }
  out.tasks = std::move(ctx.tasks);
  out.tasks.time_to_result_ms = nearest_rank(std::move(ctx.time_to_result));
  out.tasks.polls_per_task = nearest_rank(std::move(ctx.polls));

  for (size_t d = 0; d < detector_count; ++d) {
    detector_result& r = out.detectors[d];
    r.id = static_cast<detector>(d);
    r.findings = ctx.findings[d];
    r.wasted_calls = ctx.wasted[d];
    for (const candidate& c : ctx.pools[d]) {
      example e;
      e.at = pos_of(c.where, rank);
      e.ts_ms = c.ts;
      e.client = store.clients()[c.client].display;
      if (c.earlier.set()) {
        e.earlier = pos_of(c.earlier.where, rank);
        e.earlier_ts_ms = c.earlier.ts;
      }
      e.values = c.values;
      if (c.cause != 0) e.values.cause = store.causes()[c.cause].id;
      r.examples.push_back(std::move(e));
    }
  }
  resolve_request_ids(store, out, ctx.pools);

  std::sort(ctx.marks.begin(), ctx.marks.end(), [&](const raw_mark& a, const raw_mark& b) {
    if (a.where != b.where) return ord.before_where(a.where, b.where);
    return a.id < b.id;
  });
  for (const raw_mark& m : ctx.marks) {
    mark k{pos_of(m.where, rank), m.id, std::nullopt};
    if (m.earlier.set()) k.earlier = pos_of(m.earlier.where, rank);
    if (out.marks.empty() || !(out.marks.back() == k)) out.marks.push_back(k);
  }
  return out;
}

}  // namespace analyzer::audit
