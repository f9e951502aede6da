// SPDX-License-Identifier: MIT
// The timeline and incident windows; the method is in timeline.hpp.
#include "analyzer/report/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "analyzer/rules/ruleset.hpp"

namespace analyzer::report {

namespace {

constexpr int64_t minute_ms = 60000;

int64_t floor_div(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

struct counts {
  int64_t records = 0;
  int64_t failures = 0;
  double rate() const {
    return records > 0 ? static_cast<double>(failures) / static_cast<double>(records) : 0.0;
  }
};

/// Buckets of `per` minutes (key: bucket index since the epoch), sorted.
using grid = std::map<int64_t, counts>;

grid group(const minute_map& minutes, int64_t per) {
  grid g;
  for (const auto& [minute, b] : minutes) {
    counts& c = g[floor_div(minute, per)];
    c.records += b.records;
    c.failures += b.failures;
  }
  return g;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/// The bucket volume the median record sits in.
int64_t weighted_median_volume(const grid& g) {
  std::vector<int64_t> volumes;
  int64_t total = 0;
  for (const auto& [k, c] : g) {
    volumes.push_back(c.records);
    total += c.records;
  }
  std::sort(volumes.begin(), volumes.end());
  int64_t seen = 0;
  for (int64_t v : volumes) {
    seen += v;
    if (2 * seen >= total) return v;
  }
  return 0;
}

int64_t choose_resolution(const minute_map& minutes, const incident_params& p) {
  for (int64_t r : p.resolutions_minutes) {
    if (weighted_median_volume(group(minutes, r)) >= p.target_records) return r;
  }
  return p.resolutions_minutes.empty() ? 1 : p.resolutions_minutes.back();
}

void judge_baseline(const grid& g, const incident_params& p, incident_scan& scan) {
  std::vector<double> rates;
  for (const auto& [k, c] : g) {
    if (c.records > 0) rates.push_back(c.rate());
  }
  scan.baseline = median(rates);
  for (double& r : rates) r = std::abs(r - scan.baseline);
  scan.mad = median(std::move(rates));
  double t = std::max({scan.baseline + p.k * scan.mad, p.multiple * scan.baseline, p.floor});
  scan.threshold = std::min(t, (1.0 + scan.baseline) / 2.0);
}

/// Runs of hot bucket indices, merged across gaps of at most max_gap.
std::vector<std::vector<int64_t>> hot_runs(const grid& g, const incident_params& p,
                                           double threshold) {
  std::vector<std::vector<int64_t>> runs;
  for (const auto& [k, c] : g) {
    if (c.failures < p.min_bucket_failures || c.rate() <= threshold) continue;
    if (!runs.empty() && k - runs.back().back() <= p.max_gap + 1) {
      runs.back().push_back(k);
    } else {
      runs.push_back({k});
    }
  }
  return runs;
}

std::vector<std::pair<std::string, int64_t>> top_causes(
    const std::map<int, int64_t>& by_cause, const std::vector<std::string>& cause_id_of) {
  std::vector<std::pair<std::string, int64_t>> rows;
  for (const auto& [cause, n] : by_cause) {
    size_t i = static_cast<size_t>(cause);
    rows.emplace_back(i < cause_id_of.size() ? cause_id_of[i]
                                          : std::string(rules::unclassified_id),
                      n);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (rows.size() > 3) rows.resize(3);
  return rows;
}

incident make_incident(const minute_map& minutes, const grid& g, int64_t per,
                       const std::vector<int64_t>& run,
                       const std::vector<std::string>& cause_id_of) {
  incident inc;
  int64_t first = run.front() * per;
  int64_t end = (run.back() + 1) * per;
  inc.start_ms = first * minute_ms;
  inc.end_ms = end * minute_ms;
  std::map<int, int64_t> by_cause;
  for (const auto& [m, b] : minutes) {  // the buckets, not every minute of the window
    if (m < first || m >= end) continue;
    inc.records += b.records;
    inc.failures += b.failures;
    for (const auto& [cause, n] : b.causes) by_cause[cause] += n;
  }
  for (auto it = g.lower_bound(run.front()); it != g.end() && it->first <= run.back(); ++it) {
    inc.peak_failure_rate = std::max(inc.peak_failure_rate, it->second.rate());
  }
  inc.top_causes = top_causes(by_cause, cause_id_of);
  return inc;
}

/// Per cause index: the id and category of s.causes' rows.
void cause_names(const summary& s, std::vector<std::string>& ids,
                 std::vector<std::string>& categories) {
  size_t n = s.agg != nullptr ? s.agg->causes.size() : 0;
  ids.assign(n, std::string(rules::unclassified_id));
  categories.assign(n, std::string(rules::unclassified_category));
  for (const cause_row& c : s.causes) {
    if (c.index < 0 || static_cast<size_t>(c.index) >= n) continue;
    ids[static_cast<size_t>(c.index)] = c.id;
    categories[static_cast<size_t>(c.index)] = c.category;
  }
}

}  // namespace

int64_t choose_bucket_seconds(int64_t first_minute, int64_t last_minute) {
  int64_t span = last_minute - first_minute + 1;  // minutes
  if (span <= 3 * 60) return 60;
  if (span <= 8 * 60) return 300;
  if (span <= 18 * 60) return 900;
  if (span <= 4 * 24 * 60) return 3600;
  int64_t days = (span + 1439) / 1440;
  return 86400 * std::max<int64_t>(1, (days + 199) / 200);  // at most 200 buckets
}

timeline build_timeline(const minute_map& minutes, const std::vector<std::string>& category_of,
                        int64_t stored_minutes) {
  timeline t;
  if (minutes.empty()) return t;
  int64_t first = minutes.begin()->first, last = first;
  for (const auto& [m, b] : minutes) {
    first = std::min(first, m);
    last = std::max(last, m);
  }
  // A whole number of stored buckets (they are coarser than a minute only
  // when the run's times did not fit the budget per minute).
  int64_t per = choose_bucket_seconds(first, last + stored_minutes - 1) / 60;
  per = (per + stored_minutes - 1) / stored_minutes * stored_minutes;
  t.bucket_seconds = per * 60;
  int64_t first_b = floor_div(first, per);
  t.buckets.resize(static_cast<size_t>(floor_div(last, per) - first_b + 1));
  for (size_t i = 0; i < t.buckets.size(); ++i) {
    t.buckets[i].start_ms = (first_b + static_cast<int64_t>(i)) * per * minute_ms;
  }
  for (const auto& [m, b] : minutes) {
    timeline_bucket& tb = t.buckets[static_cast<size_t>(floor_div(m, per) - first_b)];
    tb.records += b.records;
    tb.failures += b.failures;
    for (const auto& [cause, n] : b.causes) {
      size_t i = static_cast<size_t>(cause);
      tb.by_category[i < category_of.size() ? category_of[i]
                                            : std::string(rules::unclassified_category)] += n;
    }
  }
  return t;
}

timeline regroup(const timeline& t, int64_t bucket_seconds) {
  if (bucket_seconds <= t.bucket_seconds || t.buckets.empty()) return t;
  timeline out;
  out.bucket_seconds = bucket_seconds;
  int64_t size_ms = bucket_seconds * 1000;
  for (const timeline_bucket& b : t.buckets) {
    int64_t start = floor_div(b.start_ms, size_ms) * size_ms;
    if (out.buckets.empty() || out.buckets.back().start_ms != start) {
      out.buckets.push_back({});
      out.buckets.back().start_ms = start;
    }
    timeline_bucket& into = out.buckets.back();
    into.records += b.records;
    into.failures += b.failures;
    for (const auto& [cat, n] : b.by_category) into.by_category[cat] += n;
  }
  return out;
}

incident_scan detect_incidents(const minute_map& minutes,
                               const std::vector<std::string>& cause_id_of,
                               const incident_params& params) {
  incident_scan scan;
  if (minutes.empty()) return scan;
  scan.resolution_minutes = choose_resolution(minutes, params);
  grid g = group(minutes, scan.resolution_minutes);
  judge_baseline(g, params, scan);
  for (const auto& run : hot_runs(g, params, scan.threshold)) {
    if (static_cast<int64_t>(run.size()) < params.min_hot_buckets) continue;
    scan.incidents.push_back(
        make_incident(minutes, g, scan.resolution_minutes, run, cause_id_of));
  }
  return scan;
}

namespace {
/// Incident resolutions no finer than the stored buckets.
incident_params params_for(const aggregate::aggregator& agg) {
  incident_params p;
  int64_t stored = agg.minutes.resolution_minutes();
  std::vector<int64_t> usable;
  for (int64_t r : p.resolutions_minutes) {
    if (r >= stored && r % stored == 0) usable.push_back(r);
  }
  if (usable.empty()) usable.push_back(stored);
  p.resolutions_minutes = usable;
  return p;
}
}  // namespace

incident_scan scan_incidents(const summary& s) {
  if (s.agg == nullptr) return {};
  std::vector<std::string> ids, categories;
  cause_names(s, ids, categories);
  return detect_incidents(s.agg->minutes.buckets(), ids, params_for(*s.agg));
}

void fill_timeline(summary& s) {
  if (s.agg == nullptr) return;
  std::vector<std::string> ids, categories;
  cause_names(s, ids, categories);
  s.timeline = build_timeline(s.agg->minutes.buckets(), categories,
                              s.agg->minutes.resolution_minutes());
  s.incidents = detect_incidents(s.agg->minutes.buckets(), ids, params_for(*s.agg)).incidents;
}

}  // namespace analyzer::report
