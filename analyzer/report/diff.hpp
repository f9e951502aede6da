// SPDX-License-Identifier: MIT
#pragma once
/// report/diff: what changed between a baseline run and the current one
/// (contract "Diff against a baseline"), as the diff reporters render it.
/// engine/diff.hpp computes it from two run states; every number here is
/// final (rates, ratios, the test's z and p), the writers only format.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/report/summary.hpp"

namespace analyzer::report {

/// A row's state, in the order rows are sorted by.
enum class diff_state { new_, regressed, improved, gone, unchanged };
std::string_view name_of(diff_state s);
/// The state named `text`, or nullopt.
std::optional<diff_state> diff_state_named(std::string_view text);

/// One side of the comparison: what it covered and its totals.
struct diff_side {
  std::string name;  // the file it was read from, as given
  std::string tool_version, rules_digest, profiles_digest;
  int64_t rule_count = 0;
  std::vector<std::pair<std::string, std::string>> options;  // as run_meta::options
  std::optional<int64_t> first_ms, last_ms, since_ms, until_ms;
  int64_t inputs = 0;
  int64_t records = 0, ok = 0, failures = 0, malformed = 0;
  // For the HTML form's two charts (svg_chart.hpp).
  struct timeline timeline;
  std::vector<incident> incidents;
  std::vector<category_row> categories;
  double failure_rate() const {
    return records > 0 ? static_cast<double>(failures) / static_cast<double>(records) : 0.0;
  }
};

/// A row's figures on one side: failures with that key, and their rate
/// (count / the side's records; 0 when it has none). `records` is the
/// calls to an endpoint or model (other tables: unset).
struct diff_figures {
  int64_t count = 0;
  double rate = 0;
  std::optional<int64_t> records;
};

/// An example of a cause as the reports cite it (texts already redacted).
struct diff_example {
  std::string source;
  int64_t line = -1, entry = -1;
  std::optional<int64_t> ts_ms;
  int status = 0;
  std::optional<int64_t> code;
  std::string endpoint, request_id, message;
};

struct diff_row {
  std::string id;
  diff_state state = diff_state::unchanged;
  diff_figures base, current;
  /// current rate / base rate; nullopt when the base rate is 0.
  std::optional<double> rate_ratio;
  /// The two-sided two-proportion z-test of the rates; nullopt when a side
  /// has no records (nothing to test).
  std::optional<double> z, p_value;
  // Causes only: the metadata (CURRENT's, else BASE's cause table), when the
  // cause was seen (in CURRENT, or for a gone cause in BASE), and its
  // earliest example there.
  std::string category, title, retryable, docs;
  std::vector<std::string> fixes;
  std::optional<int64_t> first_seen, last_seen;
  std::optional<diff_example> example;
};

/// The six tables of a diff, in the order the JSON writes them.
enum class diff_dimension { causes, categories, endpoints, models, statuses, codes };
inline constexpr diff_dimension diff_dimensions[] = {
    diff_dimension::causes,  diff_dimension::categories, diff_dimension::endpoints,
    diff_dimension::models,  diff_dimension::statuses,   diff_dimension::codes};
std::string_view name_of(diff_dimension d);

/// One --fail-on condition of a diff: its measured value (a count, a
/// ratio, or a state's name; null: an infinite ratio, or a cause on
/// neither side) and whether it held.
struct diff_gate_result {
  std::string condition;
  std::optional<double> number;
  std::string text;  // the value when it is a state
  bool met = false;
};

struct diff_result {
  diff_side base, current;
  /// False when the runs were made with different rules, profiles or
  /// result-changing options: a change may be theirs, not the API's.
  bool comparable = true;
  std::vector<std::string> incomparable;  // one sentence per difference
  /// CURRENT's failure rate / BASE's; nullopt when BASE's is 0 and
  /// CURRENT's is not (infinite); 1 when both are 0.
  std::optional<double> failure_rate_ratio;
  std::vector<diff_row> tables[std::size(diff_dimensions)];
  std::vector<diff_gate_result> gate;
  std::string generated_at, tool_version;

  const std::vector<diff_row>& rows(diff_dimension d) const {
    return tables[static_cast<size_t>(d)];
  }
  std::vector<diff_row>& rows(diff_dimension d) { return tables[static_cast<size_t>(d)]; }
  /// Rows of `d` in state `s`.
  size_t count(diff_dimension d, diff_state s) const;
};

/// The diff as a document (`kling-triage/diff@1`).
std::string write_diff_json(const diff_result& d);
/// The diff as the body of a report's `baseline` key (no schema line).
void write_diff_fields(class json_writer& w, const diff_result& d);
std::string write_diff_text(const diff_result& d, bool color);
std::string write_diff_markdown(const diff_result& d);
std::string write_diff_html(const diff_result& d);

/// The `baseline` section of a report (analyze --baseline): the diff's
/// body under a heading, in each report format.
std::string baseline_text(const diff_result& d, bool color);
std::string baseline_markdown(const diff_result& d);
std::string baseline_html(const diff_result& d);

/// "1.8×", "∞" (no base rate), "-" (nothing on either side).
std::string ratio_text(const std::optional<double>& ratio, int64_t base_count);
/// The rate as a percentage with enough digits to see small ones: "0.42%".
std::string rate_text(double rate);
/// A row's key as a person reads it: "category auth", "endpoint POST
/// /v1/videos/text2video", "status 429", "no response", "code 1102"
/// (log-derived text made safe); a cause's id as it is.
std::string diff_key_label(diff_dimension dim, const std::string& id);
/// The one-line verdict the text, Markdown and HTML forms lead with.
std::string diff_headline(const diff_result& d);

}  // namespace analyzer::report
