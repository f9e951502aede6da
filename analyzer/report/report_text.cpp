// SPDX-License-Identifier: MIT
#include "analyzer/report/report_text.hpp"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <fmt/format.h>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"

namespace analyzer::report {

namespace {

/// The row for the values a bounded dimension did not keep.
std::string other_label(int64_t distinct) {
  return fmt::format("other (about {} more values)", group_thousands(distinct));
}

template <typename M>
std::vector<breakdown_row> sorted_rows(const M& m) {
  std::vector<breakdown_row> rows;
  rows.reserve(m.size());
  for (const auto& [k, v] : m) rows.push_back({k, v.records, v.failures});
  std::sort(rows.begin(), rows.end(), [](const breakdown_row& a, const breakdown_row& b) {
    return a.records != b.records ? a.records > b.records : a.key < b.key;
  });
  if (m.truncated()) {
    rows.push_back({other_label(m.other_distinct_estimate()), m.other().records, m.other().failures});
  }
  return rows;
}

std::string plural(int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

}  // namespace

std::string group_thousands(int64_t n) {
  std::string digits = fmt::format("{}", n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string count_of(int64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", group_thousands(n), noun, n == 1 ? "" : "s");
}

std::string percent_of(int64_t n, int64_t total) {
  if (total <= 0) return "-";
  return percent_text(static_cast<double>(n) / static_cast<double>(total));
}

std::string percent_text(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

std::string utc_seconds(const std::optional<int64_t>& ms) {
  if (!ms) return "-";
  std::string t = event::format_time(*ms);
  return t.substr(0, 10) + " " + t.substr(11, 8);
}

std::string utc_minute(int64_t ms) {
  std::string t = event::format_time(ms);
  return t.substr(0, 10) + " " + t.substr(11, 5);
}

std::string window_text(int64_t start_ms, int64_t end_ms) {
  std::string a = utc_minute(start_ms), b = utc_minute(end_ms);
  return a + " → " + (a.substr(0, 10) == b.substr(0, 10) ? b.substr(11) : b);
}

std::string duration_text(int64_t ms) {
  int64_t minutes = ms / 60000;
  int64_t days = minutes / 1440, hours = (minutes / 60) % 24, mins = minutes % 60;
  if (days > 0) return hours > 0 ? fmt::format("{} d {} h", days, hours) : fmt::format("{} d", days);
  if (hours > 0) return mins > 0 ? fmt::format("{} h {} min", hours, mins) : fmt::format("{} h", hours);
  return fmt::format("{} min", mins);
}

std::string resolution_text(int64_t seconds) {
  if (seconds % 86400 == 0) return seconds == 86400 ? "1 day" : plural(seconds / 86400, "day");
  if (seconds % 3600 == 0) return seconds == 3600 ? "1 hour" : plural(seconds / 3600, "hour");
  if (seconds % 60 == 0) return seconds == 60 ? "1 minute" : plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

std::string byte_size(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string record_position(const summary& s, uint32_t source, int64_t line, int64_t entry) {
  line = shown_line(s, source, line);
  if (line >= 0 && entry >= 0) return fmt::format("{}:{}/{}", source_of(s, source), line, entry);
  if (line >= 0) return fmt::format("{}:{}", source_of(s, source), line);
  return fmt::format("{}#{}", source_of(s, source), entry);
}

std::string reading_of(const input_info& in, const aggregate::input_stats& st) {
  if (in.profile.empty()) return in.unreadable ? std::string() : "no input profile read it";
  int64_t calls = st.ok + st.failures;
  std::string out = fmt::format("profile {}, {} of calls with a response body", in.profile,
                                percent_of(st.response_bodies, calls));
  if (calls > 0 && st.response_bodies == 0) out += " (causes from the HTTP status alone)";
  if (st.skipped > 0) out += fmt::format(", {} lines skipped (not calls)", group_thousands(st.skipped));
  return out;
}

std::string log_text(std::string_view s) {
  return core::printable(core::redact(s));
}

std::vector<breakdown_row> endpoint_rows(const summary& s) {
  return s.agg != nullptr ? sorted_rows(s.agg->endpoints) : std::vector<breakdown_row>{};
}

std::vector<breakdown_row> model_rows(const summary& s) {
  return s.agg != nullptr ? sorted_rows(s.agg->models) : std::vector<breakdown_row>{};
}

std::vector<std::pair<std::string, int64_t>> status_rows(const summary& s) {
  std::vector<std::pair<std::string, int64_t>> rows;
  if (s.agg == nullptr) return rows;
  for (size_t i = 0; i < s.agg->statuses.size(); ++i) {
    if (s.agg->statuses[i] == 0) continue;
    rows.emplace_back(i == 0 ? std::string("no response") : fmt::format("{}", i),
                      s.agg->statuses[i]);
  }
  return rows;
}

std::vector<std::pair<std::string, int64_t>> code_rows(const summary& s) {
  std::vector<std::pair<std::string, int64_t>> rows;
  if (s.agg == nullptr) return rows;
  for (const auto& [code, n] : s.agg->codes) rows.emplace_back(fmt::format("{}", code), n);
  if (s.agg->codes.truncated()) {
    rows.emplace_back(other_label(s.agg->codes.other_distinct_estimate()), s.agg->codes.other());
  }
  return rows;
}

std::vector<std::pair<std::string, int64_t>> retryable_rows(const summary& s) {
  std::vector<std::pair<std::string, int64_t>> rows{
      {"yes", 0}, {"after_fix", 0}, {"no", 0}, {"unknown", 0}};
  for (const auto& c : s.causes) {
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const auto& r) { return r.first == c.retryable; });
    (it != rows.end() ? it->second : rows.back().second) += c.stats->count;
  }
  return rows;
}

std::string_view retryable_meaning(std::string_view advice) {
  if (advice == "yes") return "transient: retry with backoff";
  if (advice == "after_fix") return "retry once the cause is fixed";
  if (advice == "no") return "the same request fails again";
  return "no rule explains them";
}

std::string incident_method_text(const incident_scan& scan) {
  incident_params p;
  int64_t r = scan.resolution_minutes;
  std::string unit = r == 1 ? "minute" : r == 60 ? "hour" : fmt::format("{}-minute bucket", r);
  return fmt::format(
      "Judged per {0}: baseline failure rate {1} (the median over {0}s with calls), spread "
      "(MAD) {2}. A {0} is hot when its failure rate is above {3} with at least {4} failures; "
      "hot {0}s with at most {5} cold {0} between them merge, and {6} or more hot {0}s make an "
      "incident.",
      unit, percent_text(scan.baseline), percent_text(scan.mad), percent_text(scan.threshold),
      p.min_bucket_failures, p.max_gap, p.min_hot_buckets);
}

namespace {
template <typename M>
std::string counts_text(const M& m, bool statuses) {
  using K = std::remove_const_t<typename std::iterator_traits<decltype(m.begin())>::value_type::first_type>;
  std::vector<std::pair<K, int64_t>> rows(m.begin(), m.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [k, n] : rows) {
    std::string name = statuses && k == 0 ? std::string("no response") : fmt::format("{}", k);
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", name, group_thousands(n));
  }
  return out.empty() ? "-" : out;
}
}  // namespace

std::string status_counts(const aggregate::template_stats& t) { return counts_text(t.statuses, true); }
std::string code_counts(const aggregate::template_stats& t) {
  std::string out = counts_text(t.codes, false);
  if (t.codes.truncated()) out += fmt::format(", {} ({})", other_label(t.codes.other_distinct_estimate()),
                                               group_thousands(t.codes.other()));
  return out;
}

size_t shown_templates(const unexplained_summary& u) {
  return std::min(u.rows.size(), listed_templates);
}

int64_t unlisted_failures(const unexplained_summary& u) {
  int64_t rest = u.other;
  for (size_t i = shown_templates(u); i < u.rows.size(); ++i) rest += u.rows[i].stats->count;
  return rest;
}

std::string template_text(const template_row& r) {
  return r.text.empty() ? std::string("(no message)") : log_text(r.text);
}

std::string suggest_command(const summary& s, const template_row& r) {
  if (!r.stats->earliest) return {};
  const auto& ex = *r.stats->earliest;
  return "kling-triage rules suggest " + record_position(s, ex.key.source, ex.line, ex.entry);
}

}  // namespace analyzer::report
