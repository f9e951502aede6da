// SPDX-License-Identifier: MIT
#pragma once
/// report/timeline: failures over time and incident windows, computed from
/// the aggregator's minute buckets (exact, mergeable counts: every number
/// here is a sum of minutes, so it does not depend on how the run was
/// split over threads or machines). Records without a time, and malformed
/// records, are not in the timeline.
///
/// Timeline resolution (display): chosen from the span of the minutes that
/// hold records, so that a chart has a readable number of bars:
///   span <= 3 h → 60 s, <= 8 h → 5 min, <= 18 h → 15 min, <= 4 days → 1 h,
///   <= 200 days → 1 day, beyond → the multiple of a day giving at most 200
///   buckets (a stray timestamp years off must not make thousands of bars). Buckets are aligned on multiples of their size since
///   the Unix epoch (UTC), contiguous (zero-filled), oldest first.
///
/// Incident windows: periods where the failure rate rose well above its
/// baseline. The method, deterministic and with fixed parameters:
///  1. Resolution r: the smallest of 1, 5, 15 and 60 minutes at which the
///     typical call sits in a bucket of at least `target_records` records
///     (record-weighted median of bucket volume); 60 when none does. Sparse
///     logs are judged per hour, busy ones per minute.
///  2. Baseline b: the median failure rate of the buckets (at resolution r)
///     that hold records. Spread: the MAD, median |rate - b|. Both are
///     robust: an incident shorter than half the window does not move them.
///  3. A bucket is hot when its failure rate exceeds the threshold
///        t = min(max(b + k·MAD, m·b, floor), (1 + b) / 2)
///     (k = 4, m = 3, floor = 10 %; the cap keeps a total outage visible
///     over a high baseline) and it holds at least `min_bucket_failures`
///     (3) failures, so one or two unlucky calls never make a bucket hot.
///  4. Hot buckets separated by at most `max_gap` (1) cold bucket merge into
///     one window; a window is an incident when it has at least
///     `min_hot_buckets` (3) hot buckets. A lone noisy bucket is not.
///  5. An incident runs from the start of its first hot bucket to the end
///     of its last (exclusive). Its records and failures are sums over its
///     minutes, peak_failure_rate is the highest bucket rate in it (at
///     resolution r), top_causes the (up to 3) causes with most failures
///     in it, by count then id.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

using aggregate::minute_map;

struct incident_params {
  std::vector<int64_t> resolutions_minutes{1, 5, 15, 60};
  int64_t target_records = 10;
  double k = 4.0;
  double multiple = 3.0;
  double floor = 0.10;
  int64_t min_bucket_failures = 3;
  int64_t max_gap = 1;
  int64_t min_hot_buckets = 3;
};

/// What the incident scan found, with the figures it judged by.
struct incident_scan {
  int64_t resolution_minutes = 1;
  double baseline = 0;
  double mad = 0;
  double threshold = 0;
  std::vector<incident> incidents;
};

/// The display bucket size for minutes spanning [first_minute, last_minute].
int64_t choose_bucket_seconds(int64_t first_minute, int64_t last_minute);

/// The timeline of `minutes` (buckets of `stored_minutes`, keyed by their
/// first minute); `category_of[i]` is cause index i's category.
timeline build_timeline(const minute_map& minutes,
                        const std::vector<std::string>& category_of,
                        int64_t stored_minutes = 1);

/// `t` at a coarser resolution (a multiple of t.bucket_seconds): exact
/// sums, aligned on multiples of `bucket_seconds` since the epoch.
timeline regroup(const timeline& t, int64_t bucket_seconds);

/// Incident windows of `minutes`; `cause_id_of[i]` is cause index i's id.
incident_scan detect_incidents(const minute_map& minutes,
                               const std::vector<std::string>& cause_id_of,
                               const incident_params& params = {});

/// Fills s.timeline and s.incidents from s.agg and s.causes.
void fill_timeline(summary& s);

/// The scan behind s.incidents (for reporters that describe the method).
incident_scan scan_incidents(const summary& s);

}  // namespace analyzer::report
