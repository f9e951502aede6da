// SPDX-License-Identifier: MIT
// A rule file → the loader (YAML, aliases, matchers, regexes, samples) →
// the compiled rule set → every sample classified, as `rules test` does.
#include <string>

#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/rules/rule_loader.hpp"
#include "analyzer/rules/ruleset.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rules::rule_source src{"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), false};
  rules::load_limits limits;
  limits.max_nodes = 20000;
  limits.max_file_bytes = 65536;
  rules::rule_library lib;
  rules::load_rule_file(src, lib, limits);
  for (const auto& p : lib.problems) KT_FUZZ_CHECK(!p.message.empty());
  if (!lib.problems.empty()) return 0;
  core::diagnostics problems;
  auto rs = rules::ruleset::compile(std::move(lib), problems);
  if (!rs) return 0;
  ingest::normalizer norm(rs->plan());
  rules::match_scratch scratch;
  event::event ev;
  for (int i = 0; i < rs->size(); ++i) {
    for (const auto& s : rs->at(i).match_samples) {
      norm.normalize_copy(s.json, ev);
      if (ev.result != event::outcome::failure) continue;
      int w = rs->classify(ev, scratch);
      KT_FUZZ_CHECK(w >= -1 && w < rs->size());
      (void)rs->trace(ev, scratch);
    }
  }
  return 0;
}
