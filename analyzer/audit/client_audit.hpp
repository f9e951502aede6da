// SPDX-License-Identifier: MIT
#pragma once
/// One client's partition, fed in the total order (internal to the audit).

#include <queue>
#include <unordered_map>
#include <vector>

#include "analyzer/audit/audit.hpp"
#include "analyzer/audit/flat_map.hpp"
#include "analyzer/audit/stream.hpp"
#include "analyzer/audit/task_table.hpp"

namespace analyzer::audit {

/// A finding before its texts are resolved: positions are packed, the
/// cause is an index.
struct candidate {
  int64_t ts = 0;
  uint64_t hash = 0;
  uint64_t where = 0;
  uint32_t client = 0;
  point earlier;
  finding_values values;
  uint16_t cause = 0;  // values.cause, as an index
};

struct raw_mark {
  uint64_t where = 0;
  detector id = detector::retry_non_retryable;
  point earlier;
};

/// What every client's audit reads: decided once, then shared (read-only)
/// by the threads that audit clients.
struct audit_shared {
  audit_shared(const fact_store& s, const audit_options& o, const order& ord);

  const fact_store& store;
  const audit_options& opt;
  const order& ord;
  int64_t end_ms = no_time;
  std::unordered_map<uint64_t, std::vector<uint32_t>> owners;  // callback URL → clients
  std::vector<std::vector<uint32_t>> routed;  // per client: callbacks (post indices)
  std::vector<uint8_t> concurrency;           // per cause index
  std::vector<uint8_t> never_retry;           // per cause index: retryable no
};

/// What auditing some clients found: each client fills its own, and the
/// driver adds them up in client order (every part is a sum, a union or a
/// bounded earliest-first list, so the total does not depend on grouping).
struct audit_context {
  explicit audit_context(const audit_shared& sh)
      : shared(sh), store(sh.store), opt(sh.opt), ord(sh.ord), end_ms(sh.end_ms),
        owners(sh.owners), routed(sh.routed), concurrency(sh.concurrency),
        never_retry(sh.never_retry) {}

  const audit_shared& shared;
  const fact_store& store;
  const audit_options& opt;
  const order& ord;
  const int64_t end_ms;
  const std::unordered_map<uint64_t, std::vector<uint32_t>>& owners;
  const std::vector<std::vector<uint32_t>>& routed;
  const std::vector<uint8_t>& concurrency;
  const std::vector<uint8_t>& never_retry;

  std::array<std::vector<candidate>, detector_count> pools;
  std::array<int64_t, detector_count> findings{}, wasted{};
  std::vector<raw_mark> marks;
  std::vector<int64_t> time_to_result, polls;
  task_totals tasks;
  int64_t calls = 0;
  std::vector<uint32_t> applied;  // callbacks (post indices) that observed a task
  std::vector<client_result> clients;

  /// Keeps `c` if it is among the earliest options.examples findings.
  void offer(detector d, const candidate& c);
  void mark(detector d, uint64_t where, point earlier);
  /// Adds another part's findings to this one.
  void absorb(audit_context&& part);
};

class client_audit {
 public:
  client_audit(audit_context& ctx, uint32_t client);
  /// A hint: the client has about `facts` facts.
  void reserve(size_t facts) { tasks_.reserve(facts / 2); }
  void add(const stream_item& it);
  client_result finish();

 private:
  struct nr_entry {
    point at;
    uint16_t cause = 0;
  };
  struct ra_entry {
    int64_t deadline = no_time;
    point at;               // the response's call
    int64_t received = 0;   // ts + duration
  };
  struct pending_ra {
    int64_t activation = 0;  // when the response arrived
    uint64_t seq = 0;
    uint32_t endpoint = 0;
    ra_entry entry;
    bool operator>(const pending_ra& o) const {
      return activation != o.activation ? activation > o.activation : seq > o.seq;
    }
  };
  struct run_state {
    int64_t k = 0;
    point first, last;
    int64_t first_gap = 0, last_gap = 0;
    std::vector<uint64_t> calls;  // keep_marks only
    uint64_t last_hash = 0;
  };

  void finding(detector d, const call_fact& f, point earlier, finding_values v,
               uint16_t cause = 0);
  void retry_non_retryable(const call_fact& f, point at);
  void retry_after(const call_fact& f, const extras_view* x, point at);
  void duplicate(const call_fact& f, point at);
  void no_backoff(const call_fact& f, point at);
  void close_run(run_state& r);
  void tasks(const call_fact& f, const extras_view* x, point at);
  void callbacks();
  void lifecycles(client_result& out);
  void in_flight(client_result& out);
  void expire(int64_t now);

  audit_context& ctx_;
  uint32_t client_;
  client_result result_;
  uint64_t seen_ = 0;
  flat_map<nr_entry> nr_;
  flat_map<ra_entry> ra_;  // by endpoint index
  std::priority_queue<pending_ra, std::vector<pending_ra>, std::greater<>> pending_;
  flat_map<point> dup_;
  flat_map<run_state> runs_;
  task_table tasks_;
  std::map<int64_t, int64_t> concurrency_;  // bucket → failures
};

}  // namespace analyzer::audit
