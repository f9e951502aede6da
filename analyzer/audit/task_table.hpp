// SPDX-License-Identifier: MIT
#pragma once
/// One client's tasks, by name (internal to the audit). A task is known by
/// its task id and its external_task_id(s); a query that names a task
/// before its create is in the logs (clock skew, shards) starts an entry the
/// create later adopts. Every update is a min / max / sum, so the outcome
/// does not depend on the order observations arrive in.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "analyzer/audit/fact.hpp"
#include "analyzer/audit/flat_map.hpp"
#include "analyzer/audit/stream.hpp"

namespace analyzer::audit {

/// A record's time and position.
struct point {
  int64_t ts = no_time;
  uint64_t where = 0;
  bool set() const { return ts != no_time; }
};

struct task_rec {
  point create;        // unset: the create is not in the logs
  point first_query, last_query;
  point last_obs;      // create, query or callback
  int64_t first_terminal = no_time;
  point failed;        // the first failed observation
  uint16_t failed_cause = 0;
  bool succeeded = false;
  bool dead = false;   // merged into another entry
  uint32_t queries = 0;
  uint32_t query_list = 0;  // 1 + index into the query lists (keep_marks)
};

class task_table {
 public:
  task_table(const order& ord, bool keep_queries) : ord_(ord), keep_(keep_queries) {}

  /// An accepted create of task `name` (also known by `aliases`), whose
  /// answer gave `state`.
  void create(uint64_t name, std::span<const uint64_t> aliases, point at, task_state state);
  /// A query naming `name`; a failed answer's cause is `cause`.
  void query(uint64_t name, point at, task_state state, uint16_t cause);
  /// A callback about `name`: observes it only if its create is in the
  /// logs. False when no created task has that name.
  bool callback(uint64_t name, point at, task_state state, uint16_t cause);

  /// Room for `n` tasks (a hint: the number of the client's facts).
  void reserve(size_t n) {
    tasks_.reserve(n);
    names_.reserve(n);
  }

  const std::vector<task_rec>& tasks() const { return tasks_; }
  /// Where each query of `t` is (keep_marks only).
  std::span<const uint64_t> queries_of(const task_rec& t) const;

 private:
  uint32_t find_or_add(uint64_t name);
  void observe(task_rec& t, point at, task_state state, uint16_t cause);
  void merge(task_rec& into, task_rec& from);
  bool later(point a, point b) const;  // a after b

  const order& ord_;
  bool keep_;
  std::vector<task_rec> tasks_;
  flat_map<uint32_t> names_;
  std::vector<std::vector<uint64_t>> lists_;
};

}  // namespace analyzer::audit
