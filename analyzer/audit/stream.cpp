// SPDX-License-Identifier: MIT
#include "analyzer/audit/stream.hpp"

#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <numeric>

#include "analyzer/audit/wire.hpp"

namespace analyzer::audit {

namespace {

template <typename T, typename Key>
std::vector<uint32_t> ranks_of(const std::vector<T>& items, Key key) {
  std::vector<uint32_t> idx(items.size());
  std::iota(idx.begin(), idx.end(), 0u);
  std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
    return key(items[a]) < key(items[b]);
  });
  std::vector<uint32_t> rank(items.size());
  for (size_t r = 0; r < idx.size(); ++r) {
    // Equal keys share a rank, so they order alike.
    rank[idx[r]] = (r > 0 && key(items[idx[r]]) == key(items[idx[r - 1]]))
                       ? rank[idx[r - 1]]
                       : static_cast<uint32_t>(r);
  }
  return rank;
}


}  // namespace

order::order(const fact_store& s) : order(s.clients(), s.sources()) {}

order::order(const std::vector<client_entry>& clients, const std::vector<std::string>& sources)
    : client_rank_(ranks_of(clients, [](const client_entry& c) -> const std::string& {
        return c.key;
      })),
      source_rank_(ranks_of(sources, [](const std::string& p) -> const std::string& {
        return p;
      })) {}

bool order::before_where(uint64_t a, uint64_t b) const {
  record_ref x = record_ref::unpack(a), y = record_ref::unpack(b);
  uint32_t rx = source_rank_[x.source], ry = source_rank_[y.source];
  if (rx != ry) return rx < ry;
  if (x.is_entry != y.is_entry) return !x.is_entry;
  return x.number < y.number;
}

bool order::before(const call_fact& a, const call_fact& b) const {
  uint32_t ca = client_rank_[a.client], cb = client_rank_[b.client];
  if (ca != cb) return ca < cb;
  if (a.ts_ms != b.ts_ms) return a.ts_ms < b.ts_ms;
  if (a.content_hash != b.content_hash) return a.content_hash < b.content_hash;
  return before_where(a.where, b.where);
}

/// Reads one run's blocks in order, mapping its indices to the store's. A
/// run in memory is read in place; a run in a file a block at a time into
/// a buffer, so reading it holds one block (4,096 facts for a spilled run).
/// Blocks were checked when the run was attached, or written by the store.
struct fact_stream::cursor {
  const fact_store::segment* seg = nullptr;
  const char* p = nullptr;   // next fact
  uint32_t left = 0;         // facts left in the block
  std::string_view extras;   // the block's extras
  size_t next_block = 0;     // offset of the next block
  // A file run's blocks, alternately: the item handed out last still points
  // into the previous block while the next one is read.
  std::string bufs[2];
  int current = 0;
  bool done = false;

  void open(const fact_store::segment& s) {
    seg = &s;
    next_block = s.facts_offset;
  }

  /// The bytes [at, at + n) of the run.
  const char* bytes_at(size_t at, size_t n, std::string& into) {
    if (!seg->fd) return seg->bytes.data() + at;
    into.resize(n);
    size_t got = 0;
    while (got < n) {
      ssize_t r = pread(*seg->fd, into.data() + got, n - got, static_cast<off_t>(at + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return nullptr;  // the spill file went away: end the run
      got += static_cast<size_t>(r);
    }
    return into.data();
  }

  bool start_block() {
    std::string head;
    const char* h = bytes_at(next_block, 4, head);
    uint32_t n = h == nullptr ? 0 : get_u32(h);
    if (n == 0) return false;
    size_t facts_bytes = size_t{n} * wire::fact_bytes;
    current ^= 1;
    std::string& buf = bufs[current];
    // Facts and the extras length, then the extras.
    const char* f = bytes_at(next_block + 4, facts_bytes + 4, buf);
    if (f == nullptr) return false;
    uint32_t xlen = get_u32(f + facts_bytes);
    if (seg->fd) {
      buf.resize(facts_bytes + 4 + xlen);
      std::string tail;
      const char* x = bytes_at(next_block + 8 + facts_bytes, xlen, tail);
      if (x == nullptr) return false;
      std::copy(x, x + xlen, buf.data() + facts_bytes + 4);
      f = buf.data();
    }
    p = f;
    left = n;
    extras = {f + facts_bytes + 4, xlen};
    next_block += 8 + facts_bytes + xlen;
    return true;
  }

  bool read(stream_item& out) {
    while (left == 0) {
      if (done || !start_block()) {
        done = true;
        return false;
      }
    }
    call_fact f = wire::get_fact(p);
    p += wire::fact_bytes;
    --left;
    f.client = seg->clients[f.client];
    f.endpoint = seg->endpoints[f.endpoint];
    f.cause = seg->causes[f.cause];
    record_ref w = record_ref::unpack(f.where);
    w.source = seg->sources[w.source];
    f.where = w.pack();
    out.fact = f;
    out.extras = f.extra == 0 ? std::string_view{} : extras.substr(f.extra - 1);
    return true;
  }
};

memory_index::memory_index(const fact_store& s, const order& ord, bool deferred)
    : store_(s), start_(s.clients().size() + 1, 0) {
  const auto& blocks = s.blocks();
  // Partition by client (a counting sort on the client's rank keeps each
  // partition in memory order), then order each partition. Logs are
  // written in time order, so a partition is most often sorted already.
  size_t n = 0;
  for (const auto& b : blocks) {
    n += b.facts.size();
    for (const auto& f : b.facts) ++start_[ord.client_rank(f.client) + 1];
  }
  for (size_t i = 1; i < start_.size(); ++i) start_[i] += start_[i - 1];
  index_.resize(n);
  std::vector<size_t> next(start_.begin(), start_.end() - 1);
  for (size_t bi = 0; bi < blocks.size(); ++bi) {
    for (size_t i = 0; i < blocks[bi].facts.size(); ++i) {
      index_[next[ord.client_rank(blocks[bi].facts[i].client)]++] = static_cast<uint32_t>(bi << 14 | i);
    }
  }
  // Each partition is ordered on a compact copy of its keys (time and
  // record hash, then the fact's position only for ties), so the sort
  // reads contiguous memory instead of facts spread over the blocks.
  // Stable, in memory order: the same order as a stable sort of the facts.
  // Deferred: the audit orders each partition on its own thread just
  // before reading it, while its facts are still in the cache.
  if (deferred) return;
  std::vector<sort_key> keys;
  for (size_t c = 0; c + 1 < start_.size(); ++c) sort_partition(ord, c, keys);
}

void memory_index::order_partition(const order& ord, uint32_t rank) {
  thread_local std::vector<sort_key> keys;
  sort_partition(ord, rank, keys);
  if (keys.capacity() > (size_t{1} << 16)) std::vector<sort_key>().swap(keys);  // do not keep a large one
}

void memory_index::sort_partition(const order& ord, size_t c, std::vector<sort_key>& keys) {
  const auto& blocks = store_.blocks();
  auto fact_at = [&](uint32_t k) -> const call_fact& {
    return blocks[k >> 14].facts[k & 0x3fff];
  };
  auto first = index_.begin() + static_cast<std::ptrdiff_t>(start_[c]);
  auto last = index_.begin() + static_cast<std::ptrdiff_t>(start_[c + 1]);
  if (last - first < 2) return;
  keys.clear();
  bool sorted = true;
  for (auto it = first; it != last; ++it) {
    const call_fact& f = fact_at(*it);
    keys.push_back({f.ts_ms, f.content_hash, *it});
    if (sorted && keys.size() > 1) {
      const sort_key& x = keys[keys.size() - 2];
      const sort_key& y = keys.back();
      sorted = x.ts < y.ts || (x.ts == y.ts && (x.hash < y.hash || (x.hash == y.hash &&
                                                !ord.before_where(fact_at(y.index).where,
                                                                  fact_at(x.index).where))));
    }
  }
  if (sorted) return;
  // One partition is one client's: the client's rank is equal throughout.
  std::stable_sort(keys.begin(), keys.end(), [&](const sort_key& x, const sort_key& y) {
    if (x.ts != y.ts) return x.ts < y.ts;
    if (x.hash != y.hash) return x.hash < y.hash;
    return ord.before_where(fact_at(x.index).where, fact_at(y.index).where);
  });
  for (size_t i = 0; i < keys.size(); ++i) first[static_cast<std::ptrdiff_t>(i)] = keys[i].index;
}

void memory_index::item(size_t pos, size_t limit, stream_item& out) const {
  // A partition's facts are spread over memory among other clients':
  // fetch ahead, the fact far ahead and its extras (which needs the fact)
  // nearer, so neither is a cache miss when it is read.
  const auto& blocks = store_.blocks();
  if (pos + 16 < limit) {
    uint32_t a = index_[pos + 16];
    __builtin_prefetch(blocks[a >> 14].facts.data() + (a & 0x3fff));
  }
  if (pos + 6 < limit) {
    uint32_t a = index_[pos + 6];
    const auto& ab = blocks[a >> 14];
    uint32_t extra = ab.facts[a & 0x3fff].extra;
    if (extra != 0) __builtin_prefetch(ab.extras.data() + extra - 1);
  }
  uint32_t k = index_[pos];
  const auto& b = blocks[k >> 14];
  const call_fact& f = b.facts[k & 0x3fff];
  out.fact = f;
  out.extras = f.extra == 0 ? std::string_view{} : std::string_view(b.extras).substr(f.extra - 1);
}

fact_stream::fact_stream(const fact_store& s, const order& ord, bool memory_only)
    : store_(s), order_(ord), own_(std::make_unique<memory_index>(s, ord)) {
  memory_ = own_.get();
  memory_end_ = memory_->size();
  start(memory_only);
}

fact_stream::fact_stream(const fact_store& s, const order& ord, const memory_index& mem,
                         size_t first, size_t last)
    : store_(s), order_(ord), memory_(&mem), memory_pos_(first), memory_end_(last) {
  start(true);
}

void fact_stream::start(bool memory_only) {
  size_t runs = memory_only ? 0 : store_.segments().size();
  cursors_.resize(runs);
  heads_.resize(1 + runs);
  for (size_t r = 0; r < runs; ++r) cursors_[r].open(store_.segments()[r]);
  for (size_t src = 0; src < heads_.size(); ++src) {
    if (advance(src)) heap_.push_back(src);
  }
  for (size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
}

fact_stream::~fact_stream() = default;

bool fact_stream::advance(size_t src) {
  if (src == 0) {
    if (memory_pos_ == memory_end_) return false;
    memory_->item(memory_pos_++, memory_end_, heads_[0]);
    return true;
  }
  return cursors_[src - 1].read(heads_[src]);
}

bool fact_stream::less(size_t a, size_t b) const {
  const call_fact& x = heads_[heap_[a]].fact;
  const call_fact& y = heads_[heap_[b]].fact;
  if (order_.before(x, y)) return true;
  if (order_.before(y, x)) return false;
  return heap_[a] < heap_[b];  // identical keys: by source, for stability
}

void fact_stream::sift_down(size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_.size() && less(l, m)) m = l;
    if (r < heap_.size() && less(r, m)) m = r;
    if (m == i) return;
    std::swap(heap_[i], heap_[m]);
    i = m;
  }
}

bool fact_stream::next(stream_item& out) {
  if (heap_.empty()) return false;
  size_t src = heap_[0];
  out = heads_[src];
  if (!advance(src)) {
    heap_[0] = heap_.back();
    heap_.pop_back();
  }
  if (!heap_.empty()) sift_down(0);
  return true;
}

void scan_all(const fact_store& s, const std::function<void(const stream_item&)>& fn) {
  stream_item it;
  for (const auto& b : s.blocks()) {
    for (const call_fact& f : b.facts) {
      it.fact = f;
      it.extras = f.extra == 0 ? std::string_view{} : std::string_view(b.extras).substr(f.extra - 1);
      fn(it);
    }
  }
  for (const auto& g : s.segments()) {
    fact_stream::cursor c;
    c.open(g);
    while (c.read(it)) fn(it);
  }
}

}  // namespace analyzer::audit
