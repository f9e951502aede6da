// SPDX-License-Identifier: MIT
#include "analyzer/engine/run_state.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <tuple>

namespace analyzer::engine {

run_state::run_state(std::vector<cause_info> c, const aggregate::limits& bounds)
    : causes(std::move(c)), agg(std::max(0, static_cast<int>(causes.size()) - 1), bounds) {}

state_section* run_state::section(std::string_view name) const {
  for (const auto& s : sections) {
    if (s->name() == name) return s.get();
  }
  return nullptr;
}

namespace {

std::string shown(std::string_view v) { return v.empty() ? std::string("not given") : std::string(v); }

std::string option_mismatch(const run_meta& a, std::string_view an, const run_meta& b,
                            std::string_view bn) {
  std::map<std::string, std::pair<std::string, std::string>> all;
  for (const auto& [k, v] : a.options) all[k].first = v;
  for (const auto& [k, v] : b.options) all[k].second = v;
  for (const auto& [flag, values] : all) {
    if (values.first == values.second) continue;
    std::string msg = fmt::format("--{} differs: {} in {}, {} in {}", flag, shown(values.first),
                                  an, shown(values.second), bn);
    if (flag == "since" || flag == "until") {
      msg += " (a relative time such as 24h is resolved when each run starts: give every "
             "run the same absolute time, as kt-dask does)";
    }
    return msg;
  }
  return {};
}

/// A capability's section in one state and not the other: its result would
/// cover only some of the inputs.
std::string missing_section(const run_state& a, std::string_view an, const run_state& b,
                            std::string_view bn) {
  for (auto [x, xn, y, yn] : {std::tuple{&a, an, &b, bn}, std::tuple{&b, bn, &a, an}}) {
    for (const auto& sec : x->sections) {
      if (y->section(sec->name()) != nullptr) continue;
      // Audited partials written before the `callbacks` section existed have
      // an `audit` section and none of it: the hint names what to redo.
      std::string hint = sec->name() == "callbacks"
                             ? std::string("audited partials written before callbacks were counted "
                                           "apart have none: analyze their inputs again")
                             : fmt::format("e.g. analyze --{} for all or none", sec->name());
      return fmt::format("{} has a `{}` section and {} has none: make every partial with the "
                         "same capabilities ({})",
                         xn, sec->name(), yn, hint);
    }
  }
  return {};
}

}  // namespace

std::string incompatible(const run_state& a, std::string_view an, const run_state& b,
                         std::string_view bn) {
  if (a.meta.rules_digest != b.meta.rules_digest) {
    return fmt::format("the rules differ: {} was analyzed with rules {}, {} with {} (merge "
                       "partials made with the same rule files)",
                       an, a.meta.rules_digest, bn, b.meta.rules_digest);
  }
  if (a.meta.profiles_digest != b.meta.profiles_digest) {
    return fmt::format("the input profiles differ: {} was read with profiles {}, {} with {} "
                       "(merge partials made with the same --profiles)",
                       an, a.meta.profiles_digest, bn, b.meta.profiles_digest);
  }
  if (auto m = option_mismatch(a.meta, an, b.meta, bn); !m.empty()) return m;
  if (a.meta.rule_count != b.meta.rule_count || a.causes != b.causes) {
    return fmt::format("{} and {} carry different causes under one rules digest: one of them "
                       "was altered", an, bn);
  }
  return {};
}

merge_result state_merger::add(run_state&& s, std::string_view name) {
  if (auto conflict = conflicting_ranges(s.inputs); !conflict.empty()) {
    return {merge_outcome::refused, fmt::format("{}: {}", name, conflict)};
  }
  if (!total_) {
    total_.emplace(std::move(s));
    first_name_ = std::string(name);
    return {};
  }
  run_state& t = *total_;
  if (auto why = incompatible(t, first_name_, s, name); !why.empty()) {
    return {merge_outcome::refused, why};
  }
  if (auto why = missing_section(t, first_name_, s, name); !why.empty()) {
    return {merge_outcome::refused, why};
  }
  switch (compare_inputs(t.inputs, s.inputs)) {
    case overlap::all:
      return {merge_outcome::skipped_duplicate,
              fmt::format("{}: every input in it is already merged (the same partial twice?); "
                          "counted once", name)};
    case overlap::some: {
      std::string example;
      for (const auto& e : s.inputs) {
        auto it = std::lower_bound(t.inputs.begin(), t.inputs.end(), e, manifest_less);
        if (it != t.inputs.end() && it->same_input(e)) {
          example = e.path;
          break;
        }
      }
      return {merge_outcome::refused,
              fmt::format("{} shares some inputs ({}, ...) with the partials before it, but "
                          "not all: their records cannot be counted once", name, example)};
    }
    case overlap::none: break;
  }
  std::vector<uint32_t> map_t, map_s;
  std::vector<input_entry> merged = merge_manifests(t.inputs, s.inputs, map_t, map_s);
  if (auto conflict = conflicting_ranges(merged); !conflict.empty()) {
    return {merge_outcome::refused, fmt::format("{}: {}", name, conflict)};
  }
  t.agg.remap_sources(map_t, merged.size());
  t.agg.merge(s.agg, &map_s);
  for (auto& sec : t.sections) sec->remap_sources(map_t);
  for (auto& sec : s.sections) {
    if (state_section* mine = t.section(sec->name())) {
      if (auto why = mine->merge(*sec, map_s); !why.empty()) {
        return {merge_outcome::refused, fmt::format("{}: {}", name, why)};
      }
    } else {
      sec->remap_sources(map_s);
      t.sections.push_back(std::move(sec));
    }
  }
  std::sort(t.sections.begin(), t.sections.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
  t.inputs = std::move(merged);
  return {};
}

}  // namespace analyzer::engine
