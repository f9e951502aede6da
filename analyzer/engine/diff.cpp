// SPDX-License-Identifier: MIT
#include "analyzer/engine/diff.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "analyzer/engine/significance.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::engine {

namespace {

/// Failures (and, for endpoints and models, records) per key on each side.
struct key_counts {
  int64_t base = 0, current = 0;
  std::optional<int64_t> base_records, current_records;
};
using count_table = std::map<std::string, key_counts>;

/// One side's counts for every dimension.
struct side_counts {
  std::map<std::string, int64_t> causes, categories, statuses, codes;
  std::map<std::string, aggregate::record_counts> endpoints, models;
};

/// `agg`: the side's counts as its report shows them (summary::agg).
side_counts count_side(const run_state& s, const aggregate::aggregator& agg) {
  side_counts out;
  for (size_t i = 0; i < agg.causes.size() && i < s.causes.size(); ++i) {
    const auto& st = agg.causes[i];
    if (st.count == 0) continue;
    out.causes[s.causes[i].id] += st.count;
    out.categories[s.causes[i].category] += st.count;
    for (const auto& [status, n] : st.statuses) out.statuses[fmt::format("{}", status)] += n;
    for (const auto& [code, n] : st.codes) out.codes[fmt::format("{}", code)] += n;
  }
  for (const auto& [k, v] : agg.endpoints) out.endpoints[k] += v;
  for (const auto& [k, v] : agg.models) out.models[k] += v;
  return out;
}

void add_counts(count_table& t, const std::map<std::string, int64_t>& m, bool base) {
  for (const auto& [k, n] : m) (base ? t[k].base : t[k].current) += n;
}

void add_records(count_table& t, const std::map<std::string, aggregate::record_counts>& m,
                 bool base) {
  for (const auto& [k, v] : m) {
    key_counts& c = t[k];  // rows without failures on either side are dropped later
    (base ? c.base : c.current) += v.failures;
    (base ? c.base_records : c.current_records) = v.records;
  }
}

double rate(int64_t n, int64_t records) {
  return records > 0 ? static_cast<double>(n) / static_cast<double>(records) : 0.0;
}

std::vector<report::diff_row> rows_of(const count_table& t, int64_t base_records,
                                      int64_t current_records, bool with_records) {
  std::vector<report::diff_row> rows;
  for (const auto& [id, c] : t) {
    if (c.base == 0 && c.current == 0) continue;
    report::diff_row r;
    r.id = id;
    r.base = {c.base, rate(c.base, base_records), std::nullopt};
    r.current = {c.current, rate(c.current, current_records), std::nullopt};
    if (with_records) {
      r.base.records = c.base_records.value_or(0);
      r.current.records = c.current_records.value_or(0);
    }
    if (r.base.rate > 0) r.rate_ratio = r.current.rate / r.base.rate;
    if (auto test = two_proportion_test(c.base, base_records, c.current, current_records)) {
      r.z = test->z;
      r.p_value = test->p_value;
    }
    r.state = classify(c.base, base_records, c.current, current_records);
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const report::diff_row& a, const report::diff_row& b) {
    if (a.state != b.state) return a.state < b.state;
    if (a.current.count != b.current.count) return a.current.count > b.current.count;
    return a.id < b.id;
  });
  return rows;
}

report::diff_side side_of(const run_state& s, std::string_view name, const report::summary& sum) {
  report::diff_side d;
  d.name = std::string(name);
  d.tool_version = s.meta.tool_version;
  d.rules_digest = s.meta.rules_digest;
  d.profiles_digest = s.meta.profiles_digest;
  d.rule_count = s.meta.rule_count;
  d.options = s.meta.options;
  const aggregate::aggregator& agg = *sum.agg;
  d.first_ms = agg.first_ts;
  d.last_ms = agg.last_ts;
  d.since_ms = s.meta.since_ms;
  d.until_ms = s.meta.until_ms;
  d.inputs = static_cast<int64_t>(sum.inputs.size());
  d.records = agg.records;
  d.ok = agg.ok;
  d.failures = agg.failures;
  d.malformed = agg.malformed;
  d.timeline = sum.timeline;
  d.incidents = sum.incidents;
  d.categories = sum.categories;
  return d;
}

report::diff_example example_of(const report::summary& s, const aggregate::example& ex) {
  report::diff_example out;
  out.source = report::source_of(s, ex.key.source);
  out.line = report::shown_line(s, ex.key.source, ex.line);
  out.entry = ex.entry;
  out.ts_ms = ex.ts_ms;
  out.status = ex.status;
  out.code = ex.code;
  out.endpoint = ex.endpoint;
  out.request_id = report::log_text(ex.request_id);
  out.message = report::log_text(ex.message);
  return out;
}

/// Fills each cause row's metadata, first/last seen and example: from the
/// side where the cause was seen last (CURRENT, or BASE for a gone one).
void describe_causes(std::vector<report::diff_row>& rows, const report::summary& base,
                     const report::summary& current) {
  auto find = [](const report::summary& s, const std::string& id) -> const report::cause_row* {
    for (const auto& c : s.causes) {
      if (c.id == id) return &c;
    }
    return nullptr;
  };
  for (auto& r : rows) {
    const report::cause_row* c = find(current, r.id);
    const report::summary* from = &current;
    if (c == nullptr) {
      c = find(base, r.id);
      from = &base;
    }
    if (c == nullptr) continue;
    r.category = c->category;
    r.title = c->title;
    r.retryable = c->retryable;
    r.fixes = c->fixes;
    r.docs = c->docs;
    r.first_seen = c->stats->first_seen;
    r.last_seen = c->stats->last_seen;
    if (!c->stats->examples.empty()) r.example = example_of(*from, c->stats->examples.front());
  }
}

std::string option_value(const run_state& s, std::string_view flag) {
  for (const auto& [f, v] : s.meta.options) {
    if (f == flag) return v;
  }
  return {};
}

}  // namespace

std::vector<std::string> incomparable_reasons(const run_state& base, const run_state& current) {
  std::vector<std::string> out;
  auto shown = [](const std::string& v) { return v.empty() ? std::string("(not given)") : v; };
  if (base.meta.rules_digest != current.meta.rules_digest) {
    out.push_back(fmt::format("the rules differ (BASE {}, CURRENT {}): a change may come from the "
                              "rules, not from the API", base.meta.rules_digest,
                              current.meta.rules_digest));
  }
  if (base.meta.profiles_digest != current.meta.profiles_digest) {
    out.push_back(fmt::format("the input profiles differ (BASE {}, CURRENT {}): records may be "
                              "read differently", base.meta.profiles_digest,
                              current.meta.profiles_digest));
  }
  std::vector<std::string> flags;
  for (const auto& opts : {base.meta.options, current.meta.options}) {
    for (const auto& [f, v] : opts) {
      if (f != "since" && f != "until" && std::find(flags.begin(), flags.end(), f) == flags.end()) {
        flags.push_back(f);
      }
    }
  }
  for (const auto& f : flags) {
    std::string a = option_value(base, f), b = option_value(current, f);
    if (a != b) {
      out.push_back(fmt::format("--{} differs (BASE {}, CURRENT {})", f, shown(a), shown(b)));
    }
  }
  return out;
}

report::diff_result compute_diff(const run_state& base, std::string_view base_name,
                                 const run_state& current, std::string_view current_name) {
  std::vector<std::string> notes;  // byte-range gaps: analyze and merge warned when they ran
  report::summary bs = build_summary(base, notes);
  report::summary cs = build_summary(current, notes);
  report::diff_result d;
  d.base = side_of(base, base_name, bs);
  d.current = side_of(current, current_name, cs);
  d.incomparable = incomparable_reasons(base, current);
  d.comparable = d.incomparable.empty();
  double br = d.base.failure_rate(), cr = d.current.failure_rate();
  if (br > 0) d.failure_rate_ratio = cr / br;
  else if (cr == 0) d.failure_rate_ratio = 1.0;

  side_counts b = count_side(base, *bs.agg), c = count_side(current, *cs.agg);
  int64_t bn = bs.agg->records, cn = cs.agg->records;
  auto simple = [&](const std::map<std::string, int64_t>& x, const std::map<std::string, int64_t>& y) {
    count_table t;
    add_counts(t, x, true);
    add_counts(t, y, false);
    return rows_of(t, bn, cn, false);
  };
  auto with_records = [&](const auto& x, const auto& y) {
    count_table t;
    add_records(t, x, true);
    add_records(t, y, false);
    return rows_of(t, bn, cn, true);
  };
  using report::diff_dimension;
  d.rows(diff_dimension::causes) = simple(b.causes, c.causes);
  d.rows(diff_dimension::categories) = simple(b.categories, c.categories);
  d.rows(diff_dimension::endpoints) = with_records(b.endpoints, c.endpoints);
  d.rows(diff_dimension::models) = with_records(b.models, c.models);
  d.rows(diff_dimension::statuses) = simple(b.statuses, c.statuses);
  d.rows(diff_dimension::codes) = simple(b.codes, c.codes);
  describe_causes(d.rows(diff_dimension::causes), bs, cs);
  return d;
}

}  // namespace analyzer::engine
