// SPDX-License-Identifier: MIT
// One JSON Lines record → the normalizer (record pass, failure evidence,
// rule fields, explain's field list) → the bundled rules' classification
// and trace. Half the inputs run with a small depth limit, so the limit's
// paths are reached by short inputs.
#include <cstdint>
#include <string_view>

#include "analyzer/cli/config.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "analyzer/rules/ruleset.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

namespace {
const rules::ruleset& bundled() {
  static std::unique_ptr<rules::ruleset> rs = [] {
    core::diagnostics problems;
    auto r = cli::load_ruleset({}, false, problems);
    KT_FUZZ_CHECK(r != nullptr);
    return r;
  }();
  return *rs;
}

event::field_plan& extra_plan() {
  static event::field_plan plan = [] {
    event::field_plan p;
    for (const char* f : {"request.body.prompt", "request.body.image_list.0.image",
                          "response.body.data.task_status_msg", "request.headers.x-api-key",
                          "response.headers.retry-after", "request.body.callback_url"}) {
      (void)event::resolve_field(f, p);
    }
    return p;
  }();
  return plan;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const rules::ruleset& rs = bundled();
  size_t depth = (data[0] & 1) != 0 ? 16 : ingest::default_max_depth;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  static ingest::normalizer norm_small(rs.plan(), 16);
  static ingest::normalizer norm(rs.plan());
  ingest::normalizer& n = depth == 16 ? norm_small : norm;
  static rules::match_scratch scratch;
  event::event ev;
  // The first byte's upper bits pick a bundled input profile (canonical,
  // HAR, pino, OpenTelemetry envelopes, text lines, ...); 0 is canonical.
  const auto& profiles = profile::bundled_set().profiles;
  size_t pick = (data[0] >> 1) % (profiles.size() + 1);
  if (pick > 0) {
    const profile::compiled_profile& p = *profiles[pick - 1];
    if (p.has_envelope()) {
      static std::string padded;
      static std::vector<std::string_view> records;
      std::string why;
      padded.assign(text);
      padded.reserve(padded.size() + ingest::required_padding());
      if (n.split_records(padded, padded.capacity(), p, records, why)) {
        for (auto r : records) n.normalize_copy(r, ev, p);
      } else {
        KT_FUZZ_CHECK(!why.empty());
      }
      return 0;
    }
    n.normalize_copy(text, ev, p);
  } else {
    n.normalize_copy(text, ev);
  }
  if (ev.result == event::outcome::failure) {
    int winner = rs.classify(ev, scratch);
    KT_FUZZ_CHECK(winner >= -1 && winner < rs.size());
    auto traces = rs.trace(ev, scratch);
    KT_FUZZ_CHECK(traces.size() == static_cast<size_t>(rs.size()));
    (void)n.flatten_last();
  }
  if (ev.ts_ms) KT_FUZZ_CHECK(event::is_time(*ev.ts_ms));
  KT_FUZZ_CHECK(ev.result != event::outcome::malformed || !ev.malformed_reason.empty());

  static ingest::normalizer other(extra_plan());
  other.normalize_copy(text, ev);
  return 0;
}
