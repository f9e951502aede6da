// SPDX-License-Identifier: MIT
#pragma once
/// report/report_text: wording and rows shared by the Markdown and HTML
/// reports, so both say the same thing with the same numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/report/summary.hpp"
#include "analyzer/report/timeline.hpp"

namespace analyzer::report {

/// 1234567 → "1,234,567".
std::string group_thousands(int64_t n);
/// "1 failure", "1,234 failures".
std::string count_of(int64_t n, std::string_view noun);
/// n / total as "12.3%", or "-" when total is 0.
std::string percent_of(int64_t n, int64_t total);
/// How an input was read: "profile pino-http, 0.0% of calls with a response
/// body (causes from the HTTP status alone)"; skipped lines when any.
std::string reading_of(const input_info& in, const aggregate::input_stats& st);
/// A fraction as "57.1%".
std::string percent_text(double fraction);
/// "2026-11-24 14:10:05" (UTC), or "-".
std::string utc_seconds(const std::optional<int64_t>& ms);
/// "2026-11-24 14:10" (UTC).
std::string utc_minute(int64_t ms);
/// "2026-11-24 14:10 → 14:30" (the end's date only when it differs).
std::string window_text(int64_t start_ms, int64_t end_ms);
/// "20 min", "3 h 5 min", "2 d 4 h".
std::string duration_text(int64_t ms);
/// 60 → "1 minute", 900 → "15 minutes", 3600 → "1 hour", 86400 → "1 day".
std::string resolution_text(int64_t seconds);
/// 1234 → "1.2 KB".
std::string byte_size(int64_t bytes);
/// "path:line" (JSONL) or "path#entry" (HAR).
std::string record_position(const summary& s, uint32_t source, int64_t line, int64_t entry);
/// Log-derived text made safe to show: credentials removed, UTF-8
/// repaired, control characters escaped (`\x1b`).
std::string log_text(std::string_view s);

/// Rule text (titles, fixes) with its `code spans` kept: `escape` for the
/// plain parts, `code` for the text between backquotes.
template <typename Escape, typename Code>
std::string with_code_spans(std::string_view s, Escape&& escape, Code&& code) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t open = s.find('`', pos);
    size_t close = open == std::string_view::npos ? open : s.find('`', open + 1);
    if (close == std::string_view::npos) {
      out += escape(s.substr(pos));
      break;
    }
    out += escape(s.substr(pos, open - pos));
    out += code(s.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out;
}

struct breakdown_row {
  std::string key;
  int64_t records = 0;
  int64_t failures = 0;
};
/// Endpoints or models, by records then key.
std::vector<breakdown_row> endpoint_rows(const summary& s);
std::vector<breakdown_row> model_rows(const summary& s);

/// HTTP statuses with their counts ("no response" for 0), by status.
std::vector<std::pair<std::string, int64_t>> status_rows(const summary& s);
/// Business codes with their counts, by code.
std::vector<std::pair<std::string, int64_t>> code_rows(const summary& s);
/// Failures by retry advice: yes, after_fix, no, unknown (always all four).
std::vector<std::pair<std::string, int64_t>> retryable_rows(const summary& s);
/// What each retry advice means, for a reader.
std::string_view retryable_meaning(std::string_view advice);

/// One sentence on how incident windows were found, with the figures.
std::string incident_method_text(const incident_scan& scan);

/// A template's statuses or codes, most frequent first: "400 (12), 422 (3)";
/// status 0 is "no response"; "-" when there are none.
std::string status_counts(const aggregate::template_stats& t);
std::string code_counts(const aggregate::template_stats& t);
/// A template as shown: itself, or "(no message)".
std::string template_text(const template_row& r);
/// The command that writes a rule for a template's example.
std::string suggest_command(const summary& s, const template_row& r);

/// How many templates of unexplained failures the text, Markdown and HTML
/// reports list (JSON lists unexplained_summary::listed).
inline constexpr size_t listed_templates = 10;
/// The templates those reports list, and the failures of all the others.
size_t shown_templates(const unexplained_summary& u);
int64_t unlisted_failures(const unexplained_summary& u);

/// How many causes are shown in full (the rest go to a compact table).
inline constexpr size_t detailed_causes = 10;

}  // namespace analyzer::report
