// SPDX-License-Identifier: MIT
// A client's tasks at the end of its partition: lifecycle states, the two
// task detectors (poll_too_fast, orphaned_task) and tasks in flight.
#include <algorithm>

#include "analyzer/audit/client_audit.hpp"

namespace analyzer::audit {

namespace {

size_t index_of(detector d) { return static_cast<size_t>(d); }

candidate at_point(point p, uint32_t client, point earlier) {
  candidate c;
  c.ts = p.ts;
  c.where = p.where;
  c.client = client;
  c.earlier = earlier;
  return c;
}

}  // namespace

void client_audit::lifecycles(client_result& out) {
  const audit_options& opt = ctx_.opt;
  task_totals& tot = ctx_.tasks;
  for (const task_rec& t : tasks_.tasks()) {
    if (t.dead) continue;
    ++out.tasks;
    // poll_too_fast: at least 3 queries whose mean interval is below the
    // threshold, i.e. span < threshold × (n − 1). Any task, its create in
    // the logs or not.
    int64_t n = t.queries;
    if (n >= opt.poll_min_queries && opt.poll_min_ms > 0) {
      int64_t span = t.last_query.ts - t.first_query.ts;
      if (span < opt.poll_min_ms * (n - 1)) {
        size_t i = index_of(detector::poll_too_fast);
        ++ctx_.findings[i];
        ++out.findings[i];
        int64_t wasted = n - 1 - span / opt.poll_min_ms;
        ctx_.wasted[i] += wasted;
        out.wasted[i] += wasted;
        candidate c = at_point(t.last_query, client_, t.first_query);
        c.values.calls = n;
        c.values.interval_ms = span / (n - 1);
        ctx_.offer(detector::poll_too_fast, c);
        for (uint64_t w : tasks_.queries_of(t)) ctx_.mark(detector::poll_too_fast, w, t.first_query);
      }
    }
    if (!t.create.set()) {
      ++tot.unknown_origin;
      continue;
    }
    ++tot.created;
    ctx_.polls.push_back(n);
    if (t.first_terminal != no_time) {
      ctx_.time_to_result.push_back(std::max<int64_t>(0, t.first_terminal - t.create.ts));
    }
    if (t.succeeded) {
      ++tot.succeeded;
    } else if (t.failed.set()) {
      ++tot.failed;
      const std::string& id = ctx_.store.causes()[t.failed_cause].id;
      ++tot.failed_by_cause[id.empty() ? "unclassified.unknown" : id];
    } else if (ctx_.end_ms - t.last_obs.ts > opt.grace_ms) {
      // Orphaned: no terminal state, last seen more than the grace period
      // before the end of the logs (exactly the grace period is pending).
      ++tot.orphaned;
      size_t i = index_of(detector::orphaned_task);
      ++ctx_.findings[i];
      ++out.findings[i];
      ctx_.wasted[i] += 1 + n;
      out.wasted[i] += 1 + n;
      candidate c = at_point(t.last_obs, client_, t.create);
      c.values.idle_ms = ctx_.end_ms - t.last_obs.ts;
      ctx_.offer(detector::orphaned_task, c);
      if (opt.keep_marks) {
        ctx_.mark(detector::orphaned_task, t.create.where, {});
        for (uint64_t w : tasks_.queries_of(t)) ctx_.mark(detector::orphaned_task, w, t.create);
      }
    } else {
      ++tot.pending;
    }
  }
}

/// peak_in_flight: the most tasks whose [create or first query, first
/// terminal observation or else last observation] hold one instant in
/// common. Intervals are closed: a task ending at t and one starting at t
/// were both in flight at t.
void client_audit::in_flight(client_result& out) {
  std::vector<int64_t> starts, ends;
  starts.reserve(tasks_.tasks().size());
  ends.reserve(tasks_.tasks().size());
  for (const task_rec& r : tasks_.tasks()) {
    if (r.dead) continue;
    int64_t start = r.create.set() ? r.create.ts : r.first_query.ts;
    int64_t end = r.first_terminal != no_time ? r.first_terminal : r.last_obs.ts;
    starts.push_back(start);
    ends.push_back(std::max(start, end));
  }
  // Tasks are met in time order, so starts are mostly sorted already.
  if (!std::is_sorted(starts.begin(), starts.end())) std::sort(starts.begin(), starts.end());
  if (!std::is_sorted(ends.begin(), ends.end())) std::sort(ends.begin(), ends.end());
  int64_t bucket = ctx_.opt.series_bucket_ms;
  auto bucket_of = [&](int64_t t) { return t - ((t % bucket) + bucket) % bucket; };
  auto failures = concurrency_.begin();
  int64_t running = 0;
  auto at = [&](int64_t t) -> series_point* {
    if (bucket <= 0) return nullptr;
    // Buckets with only failures in them, before this one.
    while (failures != concurrency_.end() && failures->first < bucket_of(t)) {
      if (out.series.empty() || out.series.back().start_ms != failures->first) {
        out.series.push_back({failures->first, running, running, 0});
      }
      out.series.back().concurrency_failures += failures->second;
      ++failures;
    }
    if (out.series.empty() || out.series.back().start_ms != bucket_of(t)) {
      out.series.push_back({bucket_of(t), running, running, 0});
    }
    return &out.series.back();
  };
  // A start at t comes before an end at t: closed intervals.
  size_t i = 0, j = 0;
  while (i < starts.size() || j < ends.size()) {
    bool start = i < starts.size() && starts[i] <= ends[j];
    int64_t t = start ? starts[i++] : ends[j++];
    series_point* p = at(t);  // before the change: a bucket starts with what is in flight
    running += start ? 1 : -1;
    out.peak_in_flight = std::max(out.peak_in_flight, running);
    if (p != nullptr) {
      p->peak = std::max(p->peak, running);
      p->end = running;
    }
  }
  for (; bucket > 0 && failures != concurrency_.end(); ++failures) {  // after the last task
    if (out.series.empty() || out.series.back().start_ms != failures->first) {
      out.series.push_back({failures->first, running, running, 0});
    }
    out.series.back().concurrency_failures += failures->second;
  }
}

}  // namespace analyzer::audit
