// SPDX-License-Identifier: MIT
#include "analyzer/report/summary.hpp"

#include <algorithm>
#include <map>

#include "analyzer/report/timeline.hpp"

namespace analyzer::report {

namespace {
void fill_unexplained(summary& s) {
  const auto& table = s.agg->unexplained;
  unexplained_summary& u = s.unexplained;
  for (const auto& [key, st] : table.entries()) u.rows.push_back({key.second, &st});
  std::sort(u.rows.begin(), u.rows.end(), [](const template_row& a, const template_row& b) {
    if (a.stats->count != b.stats->count) return a.stats->count > b.stats->count;
    return a.text < b.text;
  });
  u.distinct = u.rows.size();
  u.capped = table.capped();
  if (u.rows.size() > unexplained_summary::listed) u.rows.resize(unexplained_summary::listed);
  u.other = s.unclassified;
  for (const auto& r : u.rows) u.other -= r.stats->count;
}
}  // namespace

summary summary::build(const aggregate::aggregator& agg,
                       const rules::ruleset& rules,
                       std::vector<input_info> inputs) {
  summary s;
  s.agg = &agg;
  s.inputs = std::move(inputs);
  s.rule_count = rules.size();
  s.rules_digest = rules.digest();
  std::map<std::string, int64_t> by_category;
  for (size_t i = 0; i < agg.causes.size(); ++i) {
    const auto& st = agg.causes[i];
    if (st.count == 0) continue;
    cause_row row;
    row.index = static_cast<int>(i);
    row.stats = &st;
    if (static_cast<int>(i) == agg.unclassified_index()) {
      row.id = rules::unclassified_id;
      row.category = rules::unclassified_category;
      row.title = "Failures no rule explains";
      row.retryable = "unknown";
      row.fixes = {"Add a rule for them: run `kling-triage explain FILE:LINE` "
                   "on an example to see its fields, then see rules/README.md."};
      s.unclassified = st.count;
    } else {
      const rules::rule& r = rules.cause_rule(static_cast<int>(i));
      row.id = r.cause;
      row.category = r.category;
      row.title = r.title;
      row.retryable = rules::name_of(r.retryable);
      row.fixes = r.fixes;
      row.docs = r.docs;
    }
    by_category[row.category] += st.count;
    s.causes.push_back(std::move(row));
  }
  std::sort(s.causes.begin(), s.causes.end(), [](const cause_row& a, const cause_row& b) {
    if (a.stats->count != b.stats->count) return a.stats->count > b.stats->count;
    return a.id < b.id;
  });
  for (const auto& [id, n] : by_category) s.categories.push_back({id, n});
  std::stable_sort(s.categories.begin(), s.categories.end(),
                   [](const category_row& a, const category_row& b) { return a.count > b.count; });
  fill_unexplained(s);
  fill_timeline(s);
  return s;
}

std::string source_of(const summary& s, uint32_t source) {
  return source < s.inputs.size() ? s.inputs[source].path : "?";
}

}  // namespace analyzer::report
