// SPDX-License-Identifier: MIT
#pragma once
/// Callbacks are not Kling calls (contract: "Task identity"): a logged POST
/// is a callback when its URL is the callback_url of an accepted create,
/// which may be in another shard, another day, another machine. So no
/// shard can leave a callback out of its counts: with the audit, each
/// shard counts its possible callbacks (audit::possible_callback) apart
/// from the calls, in one aggregator per URL, and the run state carries
/// them in its `callbacks` section. They merge like every count. Only a
/// report settles them (settle_callbacks): the POSTs to a URL some accepted
/// create named are callbacks (totals.callbacks), the others join the
/// calls, exactly as if they had been counted there from the start.
///
/// Bounded: at most `max_urls` URLs are kept apart, those of smallest hash
/// (bottom-k: which ones does not depend on order, split or thread count);
/// the POSTs to the others are counted in `rest`, which always joins the
/// calls, and the report says so.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/audit/identity.hpp"
#include "analyzer/engine/record_sink.hpp"
#include "analyzer/engine/run_state.hpp"

namespace analyzer::engine {

class callback_section final : public state_section {
 public:
  static constexpr std::string_view section_name = "callbacks";
  static constexpr size_t max_urls = 256;

  callback_section(int cause_count, const aggregate::limits& bounds) : rest(cause_count, bounds) {}

  std::string_view name() const override { return section_name; }
  void remap_sources(const std::vector<uint32_t>& map) override;
  std::string merge(state_section& other, const std::vector<uint32_t>& map) override;
  std::string encode() const override;

  /// The section of a partial (section_decoder).
  static std::unique_ptr<state_section> decode(std::string_view bytes, const run_state& state,
                                               std::string& error);

  /// The counts of POSTs to the URL whose hash is `url_hash` (never 0).
  aggregate::aggregator& at(uint64_t url_hash);
  /// Adds `other`'s counts (inputs numbered by `map`, null: the same).
  void absorb(callback_section&& other, const std::vector<uint32_t>* map);

  std::map<uint64_t, aggregate::aggregator> by_url;  // at most max_urls
  aggregate::aggregator rest;  // POSTs to URLs past the bound: calls
  bool capped = false;         // some URLs were past the bound

 private:
  void evict();
  /// An empty aggregator like the rest (same causes, same bounds).
  aggregate::aggregator fresh() const {
    return aggregate::aggregator(rest.unclassified_index(), rest.bounds());
  }
};

/// The state's callbacks section, or null.
const callback_section* callbacks_of(const run_state& state);

/// The records the state's callbacks section holds (possible callbacks,
/// not yet in the state's aggregate); 0 without one.
int64_t records_apart(const run_state& state);

/// The counts a report shows: the state's calls, with the possible
/// callbacks settled against the audit's accepted creates (their
/// callback_url). Null when the state has no callbacks section (then its
/// aggregate is the answer). `notes` receives a line when some POSTs could
/// not be kept apart.
std::shared_ptr<aggregate::aggregator> settle_callbacks(const run_state& state,
                                                        std::vector<std::string>& notes);

/// The aggregate sink with the audit: possible callbacks are counted apart
/// (in the worker's callbacks section), every other record as
/// aggregate_sink counts it.
class callback_split_sink final : public record_sink {
 public:
  callback_split_sink(int cause_count, const aggregate::limits& bounds)
      : agg_(cause_count, bounds), apart_(cause_count, bounds) {}
  void add(const record_fact& f, std::string& ordered) override;
  void finish(run_state& state) override;

 private:
  aggregate::aggregator agg_;
  callback_section apart_;
  audit::call_target target_;
};

}  // namespace analyzer::engine
