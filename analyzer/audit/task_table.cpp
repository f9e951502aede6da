// SPDX-License-Identifier: MIT
#include "analyzer/audit/task_table.hpp"

#include <algorithm>

namespace analyzer::audit {

bool task_table::later(point a, point b) const {
  if (!b.set()) return a.set();
  if (!a.set()) return false;
  if (a.ts != b.ts) return a.ts > b.ts;
  return ord_.before_where(b.where, a.where);
}

uint32_t task_table::find_or_add(uint64_t name) {
  bool fresh = false;
  uint32_t& i = names_.get(name, fresh);
  if (fresh) {
    i = static_cast<uint32_t>(tasks_.size());
    tasks_.emplace_back();
  }
  return i;
}

void task_table::observe(task_rec& t, point at, task_state state, uint16_t cause) {
  if (later(at, t.last_obs)) t.last_obs = at;
  if (!is_terminal(state)) return;
  if (t.first_terminal == no_time || at.ts < t.first_terminal) t.first_terminal = at.ts;
  if (state == task_state::succeeded) {
    t.succeeded = true;
  } else if (!t.failed.set() || later(t.failed, at)) {
    t.failed = at;
    t.failed_cause = cause;
  }
}

void task_table::merge(task_rec& into, task_rec& from) {
  into.queries += from.queries;
  if (!into.first_query.set() || later(into.first_query, from.first_query)) {
    into.first_query = from.first_query;
  }
  if (later(from.last_query, into.last_query)) into.last_query = from.last_query;
  if (later(from.last_obs, into.last_obs)) into.last_obs = from.last_obs;
  if (from.first_terminal != no_time &&
      (into.first_terminal == no_time || from.first_terminal < into.first_terminal)) {
    into.first_terminal = from.first_terminal;
  }
  into.succeeded = into.succeeded || from.succeeded;
  if (from.failed.set() && (!into.failed.set() || later(into.failed, from.failed))) {
    into.failed = from.failed;
    into.failed_cause = from.failed_cause;
  }
  if (from.query_list != 0) {
    if (into.query_list == 0) {
      into.query_list = from.query_list;
    } else {
      auto& dst = lists_[into.query_list - 1];
      auto& src = lists_[from.query_list - 1];
      dst.insert(dst.end(), src.begin(), src.end());
      src.clear();
    }
  }
  from = task_rec{};
  from.dead = true;
}

void task_table::create(uint64_t name, std::span<const uint64_t> aliases, point at,
                        task_state state) {
  uint32_t i = find_or_add(name);
  // Two creates answered with the same task id are one task, created by
  // the earlier.
  if (!tasks_[i].create.set() || later(tasks_[i].create, at)) tasks_[i].create = at;
  observe(tasks_[i], at, state, 0);
  for (uint64_t a : aliases) {
    bool fresh = false;
    uint32_t& j = names_.get(a, fresh);
    if (!fresh && j != i && !tasks_[j].create.set()) {
      // Queried by its external id before the create: the same task.
      merge(tasks_[i], tasks_[j]);
    }
    j = i;  // an external id reused by a later create names the later task
  }
}

void task_table::query(uint64_t name, point at, task_state state, uint16_t cause) {
  task_rec& t = tasks_[find_or_add(name)];
  ++t.queries;
  if (!t.first_query.set() || later(t.first_query, at)) t.first_query = at;
  if (later(at, t.last_query)) t.last_query = at;
  observe(t, at, state, cause);
  if (!keep_) return;
  if (t.query_list == 0) {
    lists_.emplace_back();
    t.query_list = static_cast<uint32_t>(lists_.size());
  }
  lists_[t.query_list - 1].push_back(at.where);
}

bool task_table::callback(uint64_t name, point at, task_state state, uint16_t cause) {
  const uint32_t* i = names_.find(name);
  if (i == nullptr || !tasks_[*i].create.set()) return false;
  observe(tasks_[*i], at, state, cause);
  return true;
}

std::span<const uint64_t> task_table::queries_of(const task_rec& t) const {
  if (t.query_list == 0) return {};
  return lists_[t.query_list - 1];
}

}  // namespace analyzer::audit
