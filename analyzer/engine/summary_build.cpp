// SPDX-License-Identifier: MIT
#include "analyzer/engine/summary_build.hpp"

#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/callback_section.hpp"

#include <algorithm>
#include <map>

#include "analyzer/report/timeline.hpp"

namespace analyzer::engine {

namespace {

void fill_unexplained(report::summary& s) {
  const auto& table = s.agg->unexplained;
  report::unexplained_summary& u = s.unexplained;
  for (const auto& [key, st] : table.entries()) u.rows.push_back({key.second, &st});
  std::sort(u.rows.begin(), u.rows.end(),
            [](const report::template_row& a, const report::template_row& b) {
              if (a.stats->count != b.stats->count) return a.stats->count > b.stats->count;
              return a.text < b.text;
            });
  u.distinct = u.rows.size();
  u.capped = table.capped();
  if (u.rows.size() > report::unexplained_summary::listed) {
    u.rows.resize(report::unexplained_summary::listed);
  }
  u.other = s.unclassified;
  for (const auto& r : u.rows) u.other -= r.stats->count;
}

void fill_causes(report::summary& s, const run_state& state) {
  const auto& agg = *s.agg;
  std::map<std::string, int64_t> by_category;
  for (size_t i = 0; i < agg.causes.size() && i < state.causes.size(); ++i) {
    const auto& st = agg.causes[i];
    if (st.count == 0) continue;
    const cause_info& c = state.causes[i];
    report::cause_row row;
    row.index = static_cast<int>(i);
    row.stats = &st;
    row.id = c.id;
    row.category = c.category;
    row.title = c.title;
    row.retryable = c.retryable;
    row.fixes = c.fixes;
    row.docs = c.docs;
    if (static_cast<int>(i) == agg.unclassified_index()) s.unclassified = st.count;
    by_category[row.category] += st.count;
    s.causes.push_back(std::move(row));
  }
  std::sort(s.causes.begin(), s.causes.end(),
            [](const report::cause_row& a, const report::cause_row& b) {
              if (a.stats->count != b.stats->count) return a.stats->count > b.stats->count;
              return a.id < b.id;
            });
  for (const auto& [id, n] : by_category) s.categories.push_back({id, n});
  std::stable_sort(s.categories.begin(), s.categories.end(),
                   [](const report::category_row& a, const report::category_row& b) {
                     return a.count > b.count;
                   });
}

void fill_inputs(report::summary& s, const run_state& state, std::vector<std::string>& notes) {
  display_plan plan = plan_display(state.inputs);
  for (const auto& d : plan.entries) s.sources.push_back({d.source, d.first_line});
  for (const auto& row : plan.rows) {
    report::input_info in;
    const input_entry& first = state.inputs[row.front()];
    in.path = first.path;
    in.format = first.format;
    in.compression = first.compression;
    in.encoding = first.encoding;
    in.line_ends = first.line_ends;
    in.profile = first.profile;
    for (size_t i : row) {
      const input_entry& e = state.inputs[i];
      in.raw_bytes += e.raw_bytes;
      in.bytes += e.bytes;
      in.unreadable = in.unreadable || e.unreadable;
      for (const auto& err : e.errors) {
        if (std::find(in.errors.begin(), in.errors.end(), err) == in.errors.end()) {
          in.errors.push_back(err);
        }
      }
      if (i < s.agg->inputs.size()) in.stats.merge(s.agg->inputs[i]);
    }
    s.inputs.push_back(std::move(in));
  }
  notes.insert(notes.end(), plan.gaps.begin(), plan.gaps.end());
}

}  // namespace

std::vector<cause_info> cause_table(const rules::ruleset& rules) {
  std::vector<cause_info> out;
  for (int i = 0; i < rules.cause_count(); ++i) {
    const rules::rule& r = rules.cause_rule(i);
    out.push_back({r.cause, r.category, r.title, std::string(rules::name_of(r.retryable)),
                   r.fixes, r.docs});
  }
  out.push_back({std::string(rules::unclassified_id), std::string(rules::unclassified_category),
                 "Failures no rule explains", "unknown",
                 {"Add a rule for them: run `kling-triage explain FILE:LINE` on an example "
                  "to see its fields, then see rules/README.md."},
                 ""});
  return out;
}

report::summary build_summary(const run_state& state, std::vector<std::string>& notes,
                              audit_detail audit) {
  report::summary s;
  // With the audit, the possible callbacks are settled here: the calls
  // gain the POSTs that were not callbacks (callback_section.hpp).
  s.owned_agg = settle_callbacks(state, notes);
  s.agg = s.owned_agg ? s.owned_agg.get() : &state.agg;
  s.rule_count = static_cast<int>(state.meta.rule_count);
  s.rules_digest = state.meta.rules_digest;
  s.since_ms = state.meta.since_ms;
  s.until_ms = state.meta.until_ms;
  fill_inputs(s, state, notes);
  fill_causes(s, state);
  fill_unexplained(s);
  report::fill_timeline(s);
  if (audit != audit_detail::none) {
    s.audit = run_state_audit(state, s.sources, false, audit == audit_detail::charts);
  }
  return s;
}

}  // namespace analyzer::engine
