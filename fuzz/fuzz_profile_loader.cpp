// SPDX-License-Identifier: MIT
// An input profile file → the profile loader (YAML, pointers, patterns,
// conditions) → compiled profiles; each profile's own samples read with it.
#include <memory>
#include <string>
#include <vector>

#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  profile::profile_source src{"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), false};
  std::vector<std::shared_ptr<profile::compiled_profile>> out;
  core::diagnostics problems;
  profile::load_profile_file(src, out, problems);
  for (const auto& p : problems) KT_FUZZ_CHECK(!p.message.empty());
  static event::field_plan plan;
  static ingest::normalizer norm(plan);
  event::event ev;
  std::vector<std::string_view> records;
  std::string why;
  for (const auto& p : out) {
    KT_FUZZ_CHECK(p != nullptr);
    for (const auto& sample : p->samples) {
      if (p->has_envelope()) {
        std::string padded = sample.text;
        padded.reserve(padded.size() + ingest::required_padding());
        if (!norm.split_records(padded, padded.capacity(), *p, records, why)) continue;
        for (auto r : records) norm.normalize_copy(r, ev, *p);
      } else {
        norm.normalize_copy(sample.text, ev, *p);
      }
      if (ev.ts_ms) KT_FUZZ_CHECK(*ev.ts_ms >= 0);
    }
  }
  return 0;
}
