// SPDX-License-Identifier: MIT
// --fail-on conditions, of a report and of a diff: a refusal always says
// why; an accepted condition has a metric, an operator and a finite
// threshold, and can be measured.
#include <cmath>
#include <string>

#include "analyzer/engine/diff_gate.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

namespace {

void diff_condition(std::string_view text) {
  std::string error;
  auto c = engine::parse_diff_condition(text, error);
  if (!c) {
    KT_FUZZ_CHECK(!error.empty());
    return;
  }
  KT_FUZZ_CHECK(engine::is_diff_condition(text));
  KT_FUZZ_CHECK(std::isfinite(c->threshold) && c->threshold >= 0);
  report::diff_result empty;
  KT_FUZZ_CHECK(engine::evaluate_diff_gate({*c}, empty).size() == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  diff_condition(text);
  auto c = engine::parse_fail_on(text, error);
  if (!c) {
    KT_FUZZ_CHECK(!error.empty());
    return 0;
  }
  KT_FUZZ_CHECK(std::isfinite(c->threshold));
  if (c->metric == engine::gate_metric::failure_rate) KT_FUZZ_CHECK(c->threshold >= 0 && c->threshold <= 1);
  (void)engine::compare(c->op, 0.5, c->threshold);
  return 0;
}
