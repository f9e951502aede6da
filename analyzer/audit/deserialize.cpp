// SPDX-License-Identifier: MIT
// Reading serialized facts back (format: serialize.cpp). Partials come from
// other machines and users' folders: every count is bounded by the bytes
// left, every index by its table, every enum by its values, every extras
// encoding by its block, and the order is checked; the first problem is
// reported with its byte offset and nothing is added.
#include <algorithm>
#include <unordered_map>
#include <fmt/format.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/store_access.hpp"
#include "analyzer/audit/stream.hpp"
#include "analyzer/audit/wire.hpp"

namespace analyzer::audit {

namespace {

constexpr int64_t max_untimed = max_untimed_calls;

struct tables {
  std::vector<client_entry> clients;
  std::vector<std::string> sources;
  std::vector<cause_entry> causes;
  std::vector<std::string> endpoints;
  int64_t end_ms = no_time;
  uint64_t facts = 0;
};

class reader {
 public:
  explicit reader(std::string_view b) : b_(b) {}

  size_t pos() const { return pos_; }
  size_t left() const { return b_.size() - pos_; }
  const char* here() const { return b_.data() + pos_; }
  const std::string& error() const { return error_; }

  bool fail(std::string_view what) {
    if (error_.empty()) error_ = fmt::format("at byte {}: {}", pos_, what);
    return false;
  }
  bool need(size_t n) { return n <= left() || fail("unexpected end of the data"); }
  bool u8(uint8_t& v) {
    if (!need(1)) return false;
    v = static_cast<uint8_t>(b_[pos_++]);
    return true;
  }
  bool u32(uint32_t& v) {
    if (!need(4)) return false;
    v = get_u32(here());
    pos_ += 4;
    return true;
  }
  bool u64(uint64_t& v) {
    if (!need(8)) return false;
    v = get_u64(here());
    pos_ += 8;
    return true;
  }
  bool str(std::string& s) {
    uint32_t n = 0;
    if (!u32(n)) return false;
    if (n > wire::max_text) return fail("a table text is longer than 64 KiB");
    if (!need(n)) return false;
    s.assign(here(), n);
    pos_ += n;
    return true;
  }
  /// A table's entry count, bounded by what is left (each entry takes at
  /// least `min_bytes`).
  bool count(uint32_t& n, size_t min_bytes) {
    if (!u32(n)) return false;
    return n <= left() / min_bytes || fail("a table count is larger than the data");
  }
  void skip(size_t n) { pos_ += n; }

 private:
  std::string_view b_;
  size_t pos_ = 0;
  std::string error_;
};

bool read_header(reader& r) {
  if (!r.need(wire::magic.size() + 8)) return false;
  if (std::string_view(r.here(), wire::magic.size()) != wire::magic) {
    return r.fail("not kling-triage audit facts (bad magic)");
  }
  r.skip(wire::magic.size());
  uint32_t version = 0, flags = 0;
  r.u32(version);
  r.u32(flags);
  if (version != wire::version) {
    return r.fail(fmt::format("audit facts version {} (this build reads version {})", version,
                              wire::version));
  }
  return flags == 0 || r.fail("unknown format flags");
}

bool read_tables(reader& r, tables& t) {
  uint32_t n = 0;
  if (!r.count(n, 24)) return false;
  t.clients.resize(n);
  for (auto& c : t.clients) {
    uint64_t calls = 0, failures = 0;
    if (!r.str(c.key) || !r.str(c.display) || !r.u64(calls) || !r.u64(failures)) return false;
    if (c.key.empty()) return r.fail("a client without a key");
    if (calls > uint64_t{max_untimed} || failures > calls) return r.fail("bad untimed counts");
    c.untimed_calls = static_cast<int64_t>(calls);
    c.untimed_failures = static_cast<int64_t>(failures);
  }
  if (!r.count(n, 4)) return false;
  t.sources.resize(n);
  for (auto& s : t.sources) {
    if (!r.str(s)) return false;
  }
  if (!r.count(n, 5)) return false;
  if (n == 0 || n > 65536) return r.fail("the cause table must hold 1 to 65,536 entries");
  t.causes.resize(n);
  for (size_t i = 0; i < t.causes.size(); ++i) {
    uint8_t advice = 0;
    if (!r.str(t.causes[i].id) || !r.u8(advice)) return false;
    if (advice > 3) return r.fail("unknown retry advice");
    if ((i == 0) != t.causes[i].id.empty()) return r.fail("cause 0 must be the only empty one");
    t.causes[i].retryable = static_cast<retry_advice>(advice);
  }
  if (!r.count(n, 4)) return false;
  t.endpoints.resize(n);
  for (auto& e : t.endpoints) {
    if (!r.str(e)) return false;
  }
  uint64_t end = 0;
  if (!r.u64(end) || !r.u64(t.facts)) return false;
  t.end_ms = static_cast<int64_t>(end);
  if (t.end_ms != no_time && !is_fact_time(t.end_ms)) return r.fail("the end of the logs is not a time");
  return true;
}

/// Checks every fact of an untrusted run and collects its side tables.
class fact_checker {
 public:
  fact_checker(reader& r, const tables& t) : r_(r), t_(t), order_(t.clients, t.sources) {}

  bool check(const call_fact& f, const char* reserved, std::string_view extras) {
    if (f.client >= t_.clients.size()) return r_.fail("a fact's client is not in the table");
    if (f.endpoint >= t_.endpoints.size()) return r_.fail("a fact's endpoint is not in the table");
    if (f.cause >= t_.causes.size()) return r_.fail("a fact's cause is not in the table");
    record_ref w = record_ref::unpack(f.where);
    if (w.source >= t_.sources.size()) return r_.fail("a fact's source is not in the table");
    if ((f.flags & ~call_fact::known_flags) != 0 || (f.flags & call_fact::kind_mask) > 2) {
      return r_.fail("a fact has unknown flags");
    }
    if (static_cast<uint8_t>(f.state) > 5) return r_.fail("a fact has an unknown task state");
    if (reserved[0] || reserved[1] || reserved[2] || reserved[3]) return r_.fail("reserved bytes are not zero");
    if (!is_fact_time(f.ts_ms) || f.duration_ms < 0) {
      return r_.fail("a fact's time is not in years 1970-9999, or its duration is negative");
    }
    if ((f.cause != 0) != f.failure()) return r_.fail("a fact's cause and failure flag disagree");
    if (f.extra > extras.size()) return r_.fail("a fact's extras are outside its block");
    extras_view x;
    if (f.extra != 0 && !x.parse(extras.substr(f.extra - 1))) return r_.fail("a fact's extras are malformed");
    if (have_prev_ && order_.before(f, prev_)) return r_.fail("facts are not in order");
    prev_ = f;
    have_prev_ = true;
    collect(f, f.extra != 0 ? &x : nullptr);
    return true;
  }

  std::vector<post_entry> posts;
  std::vector<callback_owner> owners;

 private:
  void collect(const call_fact& f, const extras_view* x) {
    if (f.kind() != call_kind::create || x == nullptr) return;
    if (f.accepted() && x->callback_url_hash() != 0) {
      owners.push_back({x->callback_url_hash(), f.client});
    } else if (!f.accepted() && x->url_hash() != 0) {
      post_entry p{x->url_hash(), f.client, f.ts_ms, f.content_hash, f.where, {}};
      if (f.task != 0) p.tasks.push_back({f.task, f.state});
      for (size_t i = 0; i < x->task_count(); ++i) p.tasks.push_back(x->task(i));
      posts.push_back(std::move(p));
    }
  }

  reader& r_;
  const tables& t_;
  order order_;
  call_fact prev_;
  bool have_prev_ = false;
};

bool read_blocks(reader& r, const tables& t, fact_checker* checker) {
  uint64_t seen = 0;
  for (;;) {
    uint32_t n = 0;
    if (!r.u32(n)) return false;
    if (n == 0) break;
    if (n > wire::max_block_facts) return r.fail("a block holds more than 65,536 facts");
    if (!r.need(size_t{n} * wire::fact_bytes + 4)) return false;
    const char* facts = r.here();
    uint32_t xlen = get_u32(facts + size_t{n} * wire::fact_bytes);
    r.skip(size_t{n} * wire::fact_bytes + 4);
    if (!r.need(xlen)) return false;
    std::string_view extras(r.here(), xlen);
    if (checker != nullptr) {
      for (uint32_t i = 0; i < n; ++i) {
        const char* p = facts + size_t{i} * wire::fact_bytes;
        if (!checker->check(wire::get_fact(p), p + 60, extras)) return false;
      }
    }
    r.skip(xlen);
    seen += n;
    if (seen > t.facts) return r.fail("more facts than the header says");
  }
  return seen == t.facts || r.fail("fewer facts than the header says");
}

}  // namespace

bool store_access::read(fact_store& s, std::shared_ptr<const void> owner, std::string_view bytes,
                        std::string& error) {
  reader r(bytes);
  auto failed = [&] {
    error = r.error();
    return false;
  };
  if (bytes.size() < wire::magic.size() + 16) {
    r.fail("too short to be audit facts");
    return failed();
  }
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (XXH3_64bits(body.data(), body.size()) != get_u64(bytes.data() + body.size())) {
    error = "the checksum does not match (truncated or corrupted)";
    return false;
  }
  // Everything before the checksum is the body: the tables too, so that
  // the facts cannot start inside (or past) the checksum.
  r = reader(body);
  tables t;
  if (!read_header(r) || !read_tables(r, t)) return failed();
  size_t facts_offset = r.pos();
  reader blocks(body);
  blocks.skip(facts_offset);
  fact_checker checker(blocks, t);
  if (!read_blocks(blocks, t, &checker)) {
    error = blocks.error();
    return false;
  }
  if (blocks.pos() != body.size()) {
    blocks.fail("unexpected bytes after the last block");
    error = blocks.error();
    return false;
  }

  // Untimed counts add up across partials (each at most 2^62): refuse,
  // before anything is added, what would pass 2^62 for a client.
  std::unordered_map<std::string_view, int64_t> untimed;
  for (const auto& c : t.clients) {
    auto [it, fresh] = untimed.try_emplace(c.key, 0);
    if (fresh) {
      auto have = s.client_index_.find(c.key);
      if (have != s.client_index_.end()) it->second = s.clients_[have->second].untimed_calls;
    }
    if (c.untimed_calls > max_untimed - it->second) {
      error = "a client's untimed calls would add up past 2^62 with the facts already attached";
      return false;
    }
    it->second += c.untimed_calls;
  }

  fact_store::segment seg;
  seg.owner = std::move(owner);
  seg.bytes = bytes;
  seg.facts_offset = facts_offset;
  seg.facts = t.facts;
  for (const auto& c : t.clients) {
    uint32_t i = s.client({c.key, c.display});
    s.clients_[i].untimed_calls += c.untimed_calls;
    s.clients_[i].untimed_failures += c.untimed_failures;
    seg.clients.push_back(i);
  }
  for (const auto& p : t.sources) seg.sources.push_back(s.source(p));
  for (const auto& c : t.causes) seg.causes.push_back(s.cause(c.id, c.retryable));
  for (const auto& e : t.endpoints) seg.endpoints.push_back(s.endpoint(e));
  for (auto& p : checker.posts) {
    p.client = seg.clients[p.client];
    record_ref w = record_ref::unpack(p.where);
    w.source = seg.sources[w.source];
    p.where = w.pack();
    s.posts_.push_back(std::move(p));
  }
  for (auto o : checker.owners) s.add_owner(o.url_hash, seg.clients[o.client]);
  s.facts_ += t.facts;
  if (t.end_ms != no_time) s.note_time(t.end_ms);
  s.segments_.push_back(std::move(seg));
  return true;
}

}  // namespace analyzer::audit
