// SPDX-License-Identifier: MIT
// The serialized form of a fact store, version 1. Little-endian throughout;
// `str` is a u32 length and that many bytes.
//
//   magic "KTAUDIT\n" | u32 version | u32 flags (0)
//   u32 n, n × clients   {str key, str display, u64 untimed calls, u64 untimed failures}
//   u32 n, n × sources   {str path}
//   u32 n, n × causes    {str id, u8 retryable}        (entry 0 is "", no failure)
//   u32 n, n × endpoints {str "METHOD /folded/path"}
//   i64 end of the logs (INT64_MIN: none) | u64 facts
//   blocks {u32 n (1..65536), n × 64-byte facts, u32 extras bytes, extras}, then u32 0
//   u64 XXH3-64 of every byte before it
//
// Facts are sorted by (client key, time, content hash, source path, line or
// entry), so a reader can take one client's partition at a time.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/fact_store.hpp"
#include "analyzer/audit/store_access.hpp"
#include "analyzer/audit/stream.hpp"
#include "analyzer/audit/wire.hpp"

namespace analyzer::audit {

namespace {

/// Buffers output, hands it on in ~1 MiB pieces and hashes everything.
class writer {
 public:
  explicit writer(const std::function<void(std::string_view)>& out)
      : out_(out), state_(XXH3_createState()) {
    XXH3_64bits_reset(state_);
  }
  ~writer() { XXH3_freeState(state_); }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  std::string& buf() { return buf_; }
  /// Bytes handed on or buffered so far.
  size_t written() const { return flushed_ + buf_.size(); }
  void maybe_flush() {
    if (buf_.size() >= (size_t{1} << 20)) flush();
  }
  void flush() {
    if (buf_.empty()) return;
    XXH3_64bits_update(state_, buf_.data(), buf_.size());
    out_(buf_);
    flushed_ += buf_.size();
    buf_.clear();
  }
  void str(std::string_view s) {
    put_u32(buf_, static_cast<uint32_t>(s.size()));
    buf_ += s;
  }
  void finish() {
    flush();
    uint64_t sum = XXH3_64bits_digest(state_);
    put_u64(buf_, sum);
    out_(buf_);
    buf_.clear();
  }

 private:
  const std::function<void(std::string_view)>& out_;
  XXH3_state_t* state_;
  std::string buf_;
  size_t flushed_ = 0;
};

/// The tables in a canonical order (clients, sources and endpoints by text,
/// causes by id with 0 first), so equal contents give equal bytes whatever
/// order a store met them in; `remap` takes the store's indices there.
struct canonical {
  std::vector<uint32_t> clients, sources, endpoints;  // new position of each index
  std::vector<uint16_t> causes;
  std::vector<uint32_t> client_order, source_order, endpoint_order, cause_order;

  template <typename T, typename Key>
  static void sort_by(const std::vector<T>& items, Key key, std::vector<uint32_t>& order,
                      std::vector<uint32_t>& position) {
    order.resize(items.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return key(items[a]) < key(items[b]); });
    position.resize(items.size());
    for (uint32_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  }

  explicit canonical(const fact_store& s) {
    sort_by(s.clients(), [](const client_entry& c) -> const std::string& { return c.key; },
            client_order, clients);
    sort_by(s.sources(), [](const std::string& p) -> const std::string& { return p; },
            source_order, sources);
    sort_by(s.endpoints(), [](const std::string& e) -> const std::string& { return e; },
            endpoint_order, endpoints);
    std::vector<uint32_t> cause_pos;
    sort_by(s.causes(), [](const cause_entry& c) -> const std::string& { return c.id; },
            cause_order, cause_pos);  // "" sorts first: index 0 stays 0
    causes.assign(cause_pos.begin(), cause_pos.end());
  }

  call_fact remap(call_fact f) const {
    f.client = clients[f.client];
    f.endpoint = endpoints[f.endpoint];
    f.cause = causes[f.cause];
    record_ref w = record_ref::unpack(f.where);
    w.source = sources[w.source];
    f.where = w.pack();
    return f;
  }
};

void write_tables(writer& w, const fact_store& s, const canonical& c, uint64_t facts) {
  std::string& b = w.buf();
  b += wire::magic;
  put_u32(b, wire::version);
  put_u32(b, 0);
  put_u32(b, static_cast<uint32_t>(s.clients().size()));
  for (uint32_t i : c.client_order) {
    const client_entry& e = s.clients()[i];
    w.str(e.key);
    w.str(e.display);
    put_u64(b, static_cast<uint64_t>(e.untimed_calls));
    put_u64(b, static_cast<uint64_t>(e.untimed_failures));
  }
  put_u32(b, static_cast<uint32_t>(s.sources().size()));
  for (uint32_t i : c.source_order) w.str(s.sources()[i]);
  put_u32(b, static_cast<uint32_t>(s.causes().size()));
  for (uint32_t i : c.cause_order) {
    w.str(s.causes()[i].id);
    b += static_cast<char>(s.causes()[i].retryable);
  }
  put_u32(b, static_cast<uint32_t>(s.endpoints().size()));
  for (uint32_t i : c.endpoint_order) w.str(s.endpoints()[i]);
  put_u64(b, static_cast<uint64_t>(s.end_ms()));
  put_u64(b, facts);
}

/// Facts in blocks of up to 65,536, each followed by its extras (copied,
/// so offsets are the block's own).
void write_facts(writer& w, const fact_store& s, const canonical& canon, bool memory_only,
                 uint32_t block_facts) {
  order ord(s);
  fact_stream stream(s, ord, memory_only);
  std::vector<call_fact> facts;
  std::string extras;
  auto emit = [&] {
    std::string& b = w.buf();
    put_u32(b, static_cast<uint32_t>(facts.size()));
    for (const auto& f : facts) wire::put_fact_padded(b, f);
    put_u32(b, static_cast<uint32_t>(extras.size()));
    b += extras;
    facts.clear();
    extras.clear();
    w.maybe_flush();
  };
  stream_item it;
  extras_view x;
  while (stream.next(it)) {
    call_fact f = canon.remap(it.fact);
    if (!it.extras.empty() && x.parse(it.extras)) {
      f.extra = static_cast<uint32_t>(extras.size() + 1);
      extras.append(it.extras.substr(0, x.size()));
    } else {
      f.extra = 0;
    }
    facts.push_back(f);
    if (facts.size() == block_facts) emit();
  }
  if (!facts.empty()) emit();
  put_u32(w.buf(), 0);
}

uint64_t count_facts(const fact_store& s, bool memory_only) {
  uint64_t n = 0;
  for (const auto& b : s.blocks()) n += b.facts.size();
  if (!memory_only) {
    for (const auto& g : s.segments()) n += g.facts;
  }
  return n;
}

}  // namespace

store_access::layout store_access::write(const fact_store& s, bool memory_only,
                                         uint32_t block_facts,
                                         const std::function<void(std::string_view)>& out) {
  writer w(out);
  canonical canon(s);
  layout l;
  l.facts = count_facts(s, memory_only);
  write_tables(w, s, canon, l.facts);
  l.facts_offset = w.written();
  write_facts(w, s, canon, memory_only, std::clamp<uint32_t>(block_facts, 1, wire::max_block_facts));
  w.finish();
  l.clients = canon.client_order;
  l.sources = canon.source_order;
  l.endpoints = canon.endpoint_order;
  l.causes = canon.cause_order;
  return l;
}

bool fact_store::serialize(const std::function<void(std::string_view)>& out) const {
  store_access::write(*this, false, wire::max_block_facts, out);
  return true;
}

std::string fact_store::serialize() const {
  std::string all;
  serialize([&](std::string_view piece) { all += piece; });
  return all;
}

bool fact_store::attach(std::shared_ptr<const std::string> bytes, std::string& error) {
  std::string_view view(*bytes);
  return store_access::read(*this, std::move(bytes), view, error);
}

bool fact_store::attach(std::shared_ptr<const void> owner, std::string_view bytes,
                        std::string& error) {
  return store_access::read(*this, std::move(owner), bytes, error);
}

/// Writes the facts held in memory as one sorted run to an unlinked file;
/// the memory is then freed. The run is read back a block at a time.
bool fact_store::spill() {
  std::string dir = options_.spill_dir;
  if (dir.empty()) {
    const char* t = std::getenv("TMPDIR");
    dir = (t != nullptr && *t != '\0') ? t : "/tmp";
  }
  std::string path = dir + "/kling-triage-audit-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) {
    error_ = fmt::format("cannot create a spill file in {}: {}", dir, std::strerror(errno));
    return false;
  }
  unlink(path.c_str());  // gone when closed, even after a crash
  auto owned = std::shared_ptr<const int>(new int(fd), [](const int* p) {
    close(*p);
    delete p;
  });
  bool ok = true;
  auto l = store_access::write(*this, true, options_.spill_block_facts, [&](std::string_view piece) {
    while (ok && !piece.empty()) {
      ssize_t n = ::write(fd, piece.data(), piece.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok = false;
        error_ = fmt::format("cannot write a spill file in {}: {}", dir,
                             n < 0 ? std::strerror(errno) : "no space written");
        break;
      }
      piece.remove_prefix(static_cast<size_t>(n));
    }
  });
  if (!ok) return false;
  segment seg;
  seg.fd = std::move(owned);
  seg.facts_offset = l.facts_offset;
  seg.facts = l.facts;
  seg.clients = std::move(l.clients);
  seg.sources = std::move(l.sources);
  seg.endpoints = std::move(l.endpoints);
  seg.causes.assign(l.causes.begin(), l.causes.end());
  segments_.push_back(std::move(seg));
  blocks_.clear();
  blocks_.shrink_to_fit();
  block_bytes_ = 0;
  malloc_trim(0);  // give the freed blocks back: the point of spilling
  return true;
}

}  // namespace analyzer::audit
