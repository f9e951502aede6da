// SPDX-License-Identifier: MIT
// gzip and zstd byte sources (detected from the magic bytes, as for any
// input), read to the end or to 256 KiB of output, in reads of varying size.
#include <vector>

#include "fuzz_support.hpp"

using namespace analyzer::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  opened_input in = wrap_decompressor(std::make_unique<fuzz_support::chunked_source>(bytes, data[0]));
  if (!in.source) {
    KT_FUZZ_CHECK(!in.error.empty());
    return 0;
  }
  std::vector<char> buf(256 + data[0] * 97u);
  size_t total = 0;
  while (total < (size_t{256} << 10)) {
    int64_t r = in.source->read(buf.data(), buf.size());
    if (r < 0) {
      KT_FUZZ_CHECK(!in.source->error().empty());
      break;
    }
    KT_FUZZ_CHECK(static_cast<size_t>(r) <= buf.size());
    if (r == 0) break;
    total += static_cast<size_t>(r);
  }
  KT_FUZZ_CHECK(in.source->raw_bytes() >= 0 && static_cast<size_t>(in.source->raw_bytes()) <= bytes.size());
  return 0;
}
