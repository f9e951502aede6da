// SPDX-License-Identifier: MIT
#include "analyzer/engine/manifest.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <tuple>

namespace analyzer::engine {

namespace {
/// Whole inputs sort as the range [0, max) of their file.
auto order_key(const input_entry& e) {
  int64_t start = e.range ? e.range->start : 0;
  int64_t end = e.range ? e.range->end : std::numeric_limits<int64_t>::max();
  return std::tuple<const std::string&, int64_t, int64_t, uint64_t>(e.path, start, end, e.checksum);
}
}  // namespace

bool manifest_less(const input_entry& a, const input_entry& b) {
  auto ka = order_key(a);
  auto kb = order_key(b);
  if (ka != kb) return ka < kb;
  return !a.range && b.range;  // a whole file before a range [0, max)
}

overlap compare_inputs(const std::vector<input_entry>& merged,
                       const std::vector<input_entry>& incoming) {
  size_t found = 0;
  for (const auto& e : incoming) {
    auto it = std::lower_bound(merged.begin(), merged.end(), e, manifest_less);
    if (it != merged.end() && it->same_input(e)) ++found;
  }
  if (found == 0) return overlap::none;
  return found == incoming.size() ? overlap::all : overlap::some;
}

std::string conflicting_ranges(const std::vector<input_entry>& entries) {
  std::map<std::string, std::vector<const input_entry*>> by_path;
  for (const auto& e : entries) by_path[e.path].push_back(&e);
  for (const auto& [path, list] : by_path) {
    bool whole = false, ranged = false;
    for (const auto* e : list) (e->range ? ranged : whole) = true;
    if (whole && ranged) {
      return fmt::format("{} is both whole and in byte ranges: its records would count twice",
                         path);
    }
    const input_entry* prev = nullptr;
    for (const auto* e : list) {  // sorted by start
      if (!e->range) continue;
      if (prev != nullptr && e->range->start < prev->range->end) {
        return fmt::format("byte ranges {}-{} and {}-{} of {} overlap", prev->range->start,
                           prev->range->end, e->range->start, e->range->end, path);
      }
      prev = e;
    }
  }
  return {};
}

std::vector<input_entry> merge_manifests(const std::vector<input_entry>& a,
                                         const std::vector<input_entry>& b,
                                         std::vector<uint32_t>& map_a,
                                         std::vector<uint32_t>& map_b) {
  std::vector<input_entry> out;
  out.reserve(a.size() + b.size());
  map_a.assign(a.size(), 0);
  map_b.assign(b.size(), 0);
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    bool take_a = j == b.size() || (i < a.size() && !manifest_less(b[j], a[i]));
    if (take_a && j < b.size() && a[i].same_input(b[j])) {
      map_b[j++] = static_cast<uint32_t>(out.size());  // the same input: kept once
    }
    if (take_a) {
      map_a[i] = static_cast<uint32_t>(out.size());
      out.push_back(a[i++]);
    } else {
      map_b[j] = static_cast<uint32_t>(out.size());
      out.push_back(b[j++]);
    }
  }
  return out;
}

display_plan plan_display(const std::vector<input_entry>& entries) {
  display_plan plan;
  plan.entries.resize(entries.size());
  std::map<std::string, size_t> ranged_row;  // path → its row
  int64_t chain_end = 0, next_line = 1;
  std::string chain_source;
  for (size_t i = 0; i < entries.size(); ++i) {
    const input_entry& e = entries[i];
    entry_display& d = plan.entries[i];
    if (!e.range) {
      d.source = e.path;
      d.row = plan.rows.size();
      plan.rows.push_back({i});
      continue;
    }
    auto [it, first] = ranged_row.try_emplace(e.path, plan.rows.size());
    if (first) {
      plan.rows.emplace_back();
      chain_end = 0;
      next_line = 1;
      chain_source = e.path;
    }
    if (e.range->start != chain_end) {  // a gap: lines from here are relative
      // Said the same for a shard analyzed alone and for partials merged
      // with one missing: the counts are of the ranges read, nothing else.
      plan.gaps.push_back(fmt::format("{0}: bytes {1}-{2} were not read for this report (a "
                                      "--byte-range shard, or a partial missing from the merge); "
                                      "lines after them are counted from byte {2}: {0}@{2}",
                                      e.path, chain_end, e.range->start));
      chain_source = fmt::format("{}@{}", e.path, e.range->start);
      next_line = 1;
    }
    d.source = chain_source;
    d.first_line = next_line;
    d.row = it->second;
    plan.rows[it->second].push_back(i);
    chain_end = e.range->end;
    next_line += e.lines;
  }
  return plan;
}

}  // namespace analyzer::engine
