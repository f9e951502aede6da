// SPDX-License-Identifier: MIT
// The whole reader as `analyze` uses it: compression and format detected
// from the bytes (gzip, zstd, UTF-16, CR-only lines, JSON Lines or HAR),
// read in pieces of 1-64 bytes.
#include "reader_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_support::read_and_check(data, size, analyzer::ingest::input_format::auto_detect);
  return 0;
}
