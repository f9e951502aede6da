// SPDX-License-Identifier: MIT
// The detectors over one client's calls in time order. Where the contract
// leaves a choice, the reading taken is said here (and in README.md).
#include "analyzer/audit/client_audit.hpp"

#include <algorithm>

namespace analyzer::audit {

namespace {

constexpr uint64_t expire_every = 65536;

size_t index_of(detector d) { return static_cast<size_t>(d); }

}  // namespace

client_audit::client_audit(audit_context& ctx, uint32_t client)
    : ctx_(ctx), client_(client), tasks_(ctx.ord, ctx.opt.keep_marks) {
  const client_entry& c = ctx.store.clients()[client];
  result_.id = c.display;
  result_.key = c.key;
  result_.calls = c.untimed_calls;
  result_.failures = c.untimed_failures;
}

void client_audit::finding(detector d, const call_fact& f, point earlier, finding_values v,
                           uint16_t cause) {
  size_t i = index_of(d);
  ++ctx_.findings[i];
  ++result_.findings[i];
  candidate c{f.ts_ms, f.content_hash, f.where, client_, earlier, std::move(v), cause};
  ctx_.offer(d, c);
}

/// A call with the fingerprint of an earlier call (this client) that failed
/// with a cause whose retryable is `no`, at most the window after it (ts to
/// ts; the window's end counts), whatever this call's own answer. The
/// earlier call named is the latest such failure.
void client_audit::retry_non_retryable(const call_fact& f, point at) {
  const nr_entry* e = nr_.empty() ? nullptr : nr_.find(f.fingerprint);
  if (e != nullptr && f.ts_ms - e->at.ts <= ctx_.opt.retry_window_ms) {
    finding_values v;
    v.gap_ms = f.ts_ms - e->at.ts;
    point earlier = e->at;
    finding(detector::retry_non_retryable, f, earlier, std::move(v), e->cause);
    ++ctx_.wasted[index_of(detector::retry_non_retryable)];
    ++result_.wasted[index_of(detector::retry_non_retryable)];
    ctx_.mark(detector::retry_non_retryable, f.where, earlier);
  }
  if (f.failure() && ctx_.never_retry[f.cause]) nr_[f.fingerprint] = {at, f.cause};
}

/// A call to the same method and folded endpoint that starts before the
/// deadline of an earlier response carrying Retry-After. A response counts
/// from the moment it arrived (ts + duration): a call already under way
/// then could not have read it. Several responses: the latest deadline.
void client_audit::retry_after(const call_fact& f, const extras_view* x, point at) {
  while (!pending_.empty() && pending_.top().activation <= f.ts_ms) {
    const pending_ra& p = pending_.top();
    bool fresh = false;
    ra_entry& e = ra_.get(p.endpoint, fresh);
    if (fresh || p.entry.deadline > e.deadline) e = p.entry;
    pending_.pop();
  }
  if (ra_entry* found = ra_.empty() ? nullptr : ra_.find(f.endpoint)) {
    const ra_entry e = *found;
    if (f.ts_ms < e.deadline) {
      finding_values v;
      v.waited_ms = f.ts_ms - e.received;
      v.told_ms = e.deadline - e.received;
      finding(detector::retry_after_ignored, f, e.at, std::move(v));
      ++ctx_.wasted[index_of(detector::retry_after_ignored)];
      ++result_.wasted[index_of(detector::retry_after_ignored)];
      ctx_.mark(detector::retry_after_ignored, f.where, e.at);
    } else {
      ra_.erase(f.endpoint);  // passed: no later call can start before it
    }
  }
  if (x != nullptr && x->retry_deadline_ms() != no_time) {
    int64_t received = f.ts_ms + f.duration_ms;
    pending_.push({received, seen_, f.endpoint, {x->retry_deadline_ms(), at, received}});
  }
}

/// An accepted create whose fingerprint equals an earlier accepted
/// create's at most the window before it (its end counts).
void client_audit::duplicate(const call_fact& f, point at) {
  if (f.kind() != call_kind::create || !f.accepted()) return;
  bool fresh = false;
  point& last = dup_.get(f.fingerprint, fresh);
  if (!fresh && f.ts_ms - last.ts <= ctx_.opt.duplicate_window_ms) {
    finding_values v;
    v.gap_ms = f.ts_ms - last.ts;
    point earlier = last;
    finding(detector::duplicate_submission, f, earlier, std::move(v));
    ++ctx_.wasted[index_of(detector::duplicate_submission)];
    ++result_.wasted[index_of(detector::duplicate_submission)];
    ctx_.mark(detector::duplicate_submission, f.where, earlier);
  }
  last = at;
}

/// Runs of calls with one fingerprint, each failing with a cause whose
/// retryable is not `no`, whose gaps never grow. A success or another
/// failure ends the run. Where a gap grows, the run ends at the call before
/// it and the next run starts there: maximal runs share that one call
/// (which is never counted as wasted twice: a run wastes its calls after
/// its first).
void client_audit::no_backoff(const call_fact& f, point at) {
  bool qualifies = f.failure() && !ctx_.never_retry[f.cause];
  if (!qualifies) {
    if (run_state* open = runs_.empty() ? nullptr : runs_.find(f.fingerprint)) {
      close_run(*open);
      runs_.erase(f.fingerprint);
    }
    return;
  }
  run_state& r = runs_[f.fingerprint];
  bool keep = ctx_.opt.keep_marks;
  if (r.k == 0) {
    r.k = 1;
    r.first = r.last = at;
  } else {
    int64_t gap = f.ts_ms - r.last.ts;
    if (r.k >= 2 && gap > r.last_gap) {
      close_run(r);
      point start = r.last;
      r = run_state{};
      r.k = 1;
      r.first = r.last = start;
      if (keep) r.calls.push_back(start.where);
    }
    if (r.k == 1) r.first_gap = gap;
    r.last_gap = gap;
    r.last = at;
    ++r.k;
  }
  r.last_hash = f.content_hash;
  if (keep) r.calls.push_back(at.where);
}

void client_audit::close_run(run_state& r) {
  if (r.k < ctx_.opt.no_backoff_calls) return;
  size_t i = index_of(detector::no_backoff);
  ++ctx_.findings[i];
  ++result_.findings[i];
  ctx_.wasted[i] += r.k - 1;
  result_.wasted[i] += r.k - 1;
  candidate c;
  c.ts = r.last.ts;
  c.hash = r.last_hash;
  c.where = r.last.where;
  c.client = client_;
  c.earlier = r.first;
  c.values.calls = r.k;
  c.values.gap_ms = r.first_gap;
  ctx_.offer(detector::no_backoff, c);
  for (size_t k = 1; k < r.calls.size(); ++k) ctx_.mark(detector::no_backoff, r.calls[k], r.first);
}

void client_audit::tasks(const call_fact& f, const extras_view* x, point at) {
  if (f.kind() == call_kind::create) {
    if (!f.accepted() || f.task == 0) return;
    std::vector<uint64_t> aliases;
    if (x != nullptr) {
      for (size_t i = 0; i < x->alias_count(); ++i) aliases.push_back(x->alias(i));
    }
    tasks_.create(f.task, aliases, at, f.state);
    return;
  }
  if (f.kind() != call_kind::query || f.task == 0) return;
  uint16_t cause = f.failure() ? f.cause : 0;
  tasks_.query(f.task, at, f.state, cause);
  if (x == nullptr) return;
  for (size_t i = 0; i < x->task_count(); ++i) {
    task_ref t = x->task(i);
    tasks_.query(t.name, at, t.state, cause);
  }
}

void client_audit::expire(int64_t now) {
  nr_.erase_if([&](uint64_t, const nr_entry& e) { return now - e.at.ts > ctx_.opt.retry_window_ms; });
  dup_.erase_if([&](uint64_t, const point& p) { return now - p.ts > ctx_.opt.duplicate_window_ms; });
}

void client_audit::add(const stream_item& it) {
  const call_fact& f = it.fact;
  extras_view xv;
  const extras_view* x = (!it.extras.empty() && xv.parse(it.extras)) ? &xv : nullptr;
  // A POST to an accepted create's callback_url is a callback: it observes
  // a task of the create's client (applied in finish()), and is not a call
  // of this one.
  if (f.kind() == call_kind::create && !f.accepted() && x != nullptr && x->url_hash() != 0 &&
      ctx_.owners.count(x->url_hash()) != 0) {
    return;
  }
  ++seen_;
  ++ctx_.calls;
  ++result_.calls;
  if (f.failure()) ++result_.failures;
  point at{f.ts_ms, f.where};
  retry_non_retryable(f, at);
  retry_after(f, x, at);
  duplicate(f, at);
  no_backoff(f, at);
  tasks(f, x, at);
  if (ctx_.opt.series_bucket_ms > 0 && f.failure() && ctx_.concurrency[f.cause]) {
    int64_t b = ctx_.opt.series_bucket_ms;
    ++concurrency_[f.ts_ms - ((f.ts_ms % b) + b) % b];
  }
  if (seen_ % expire_every == 0) expire(f.ts_ms);
}

void client_audit::callbacks() {
  const auto& posts = ctx_.store.posts();
  for (uint32_t p : ctx_.routed[client_]) {
    const post_entry& e = posts[p];
    for (const task_ref& t : e.tasks) {
      if (tasks_.callback(t.name, {e.ts_ms, e.where}, t.state, 0)) ctx_.applied.push_back(p);
    }
  }
}

client_result client_audit::finish() {
  runs_.for_each([&](uint64_t, run_state& r) { close_run(r); });
  runs_.clear();
  callbacks();
  lifecycles(result_);
  in_flight(result_);
  return std::move(result_);
}

}  // namespace analyzer::audit
