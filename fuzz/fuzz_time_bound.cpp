// SPDX-License-Identifier: MIT
// --since/--until: RFC 3339 or a duration before "now" (30m, 24h, 7d).
// Whatever parses is a time of years 1970-9999; a refusal says why.
#include <cstring>
#include <string>

#include "analyzer/event/timestamp.hpp"
#include "fuzz_support.hpp"

using namespace analyzer::event;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int64_t now = 1795489965000;  // 2026-11-24T03:12:45Z
  if (size >= 8) {
    std::memcpy(&now, data, 8);
    now = min_time_ms + static_cast<int64_t>(static_cast<uint64_t>(now) % (max_time_ms + 1));
    data += 8;
    size -= 8;
  }
  std::string why;
  auto t = parse_time_bound(std::string_view(reinterpret_cast<const char*>(data), size), now, &why);
  if (t) KT_FUZZ_CHECK(is_time(*t));
  else KT_FUZZ_CHECK(!why.empty());
  return 0;
}
