// SPDX-License-Identifier: MIT
#include "analyzer/aggregate/time_buckets.hpp"

#include <algorithm>
#include <array>

#include "analyzer/event/timestamp.hpp"

namespace analyzer::aggregate {

namespace {
constexpr std::array<int64_t, 9> ladder = {1, 5, 15, 60, 1440, 14400, 144000, 1440000, 14400000};

size_t cells_of(const minute_bucket& b) { return 1 + b.causes.size(); }
}  // namespace

time_buckets::time_buckets(size_t max_cells) : max_cells_(std::max<size_t>(max_cells, 1)) {}

int64_t time_buckets::resolution_minutes() const { return ladder[level_]; }

void time_buckets::add(int64_t ms, bool failure, int cause) {
  int64_t per = ladder[level_];
  int64_t minute = ms / 60000;  // times are never negative
  minute_bucket& b = buckets_[minute - minute % per];
  if (b.records == 0 && b.failures == 0 && b.causes.empty()) ++cells_;
  ++b.records;
  if (failure) {
    ++b.failures;
    auto [it, inserted] = b.causes.try_emplace(cause, 0);
    ++it->second;
    if (inserted) ++cells_;
  }
  if (cells_ > max_cells_) fit();
}

void time_buckets::widen_to(size_t level) {
  if (level <= level_) return;
  level_ = level;
  int64_t per = ladder[level_];
  minute_map wider;
  for (auto& [minute, b] : buckets_) {
    minute_bucket& into = wider[minute - minute % per];
    into.records += b.records;
    into.failures += b.failures;
    for (const auto& [cause, n] : b.causes) into.causes[cause] += n;
  }
  buckets_ = std::move(wider);
  cells_ = 0;
  for (const auto& [m, b] : buckets_) cells_ += cells_of(b);
}

void time_buckets::fit() {
  while (cells_ > max_cells_ && level_ + 1 < ladder.size()) widen_to(level_ + 1);
}

bool time_buckets::restore(int64_t resolution, minute_map buckets) {
  const auto* at = std::find(ladder.begin(), ladder.end(), resolution);
  if (at == ladder.end()) return false;
  constexpr int64_t last_minute = event::max_time_ms / 60000;
  size_t cells = 0;
  for (const auto& [minute, b] : buckets) {
    if (minute < 0 || minute > last_minute || minute % resolution != 0) return false;
    if (b.records <= 0 || b.failures < 0 || b.failures > b.records) return false;
    cells += cells_of(b);
  }
  auto level = static_cast<size_t>(at - ladder.begin());
  if (cells > max_cells_ && level + 1 < ladder.size()) return false;
  buckets_ = std::move(buckets);
  level_ = level;
  cells_ = cells;
  return true;
}

void time_buckets::merge(const time_buckets& o) {
  widen_to(o.level_);
  int64_t per = ladder[level_];
  for (const auto& [minute, b] : o.buckets_) {
    minute_bucket& into = buckets_[minute - minute % per];
    if (into.records == 0 && into.failures == 0 && into.causes.empty()) ++cells_;
    into.records += b.records;
    into.failures += b.failures;
    for (const auto& [cause, n] : b.causes) {
      auto [it, inserted] = into.causes.try_emplace(cause, 0);
      it->second += n;
      if (inserted) ++cells_;
    }
  }
  fit();
}

}  // namespace analyzer::aggregate
