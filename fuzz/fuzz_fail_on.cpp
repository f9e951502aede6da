// SPDX-License-Identifier: MIT
// --fail-on conditions: a refusal always says why; an accepted condition
// has a metric, an operator and a finite threshold, and can be measured.
#include <cmath>
#include <string>

#include "analyzer/engine/fail_on.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  auto c = engine::parse_fail_on(std::string_view(reinterpret_cast<const char*>(data), size), error);
  if (!c) {
    KT_FUZZ_CHECK(!error.empty());
    return 0;
  }
  KT_FUZZ_CHECK(std::isfinite(c->threshold));
  if (c->metric == engine::gate_metric::failure_rate) KT_FUZZ_CHECK(c->threshold >= 0 && c->threshold <= 1);
  (void)engine::compare(c->op, 0.5, c->threshold);
  return 0;
}
