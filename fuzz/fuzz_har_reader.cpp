// SPDX-License-Identifier: MIT
// The HAR reader (log.entries streamed entry by entry), its input handed
// out in reads of 1-64 bytes so every window boundary is fuzzed; limits
// (chunk size, record size, depth) vary with the input.
#include "reader_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_support::read_and_check(data, size, analyzer::ingest::input_format::har);
  return 0;
}
