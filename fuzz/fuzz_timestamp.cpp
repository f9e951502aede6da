// SPDX-License-Identifier: MIT
// Record times: RFC 3339 / epoch text and epoch numbers. Whatever parses
// is a time of years 1970-9999, formats, and parses back to itself.
#include <cstring>
#include <string>

#include "analyzer/event/timestamp.hpp"
#include "fuzz_support.hpp"

using namespace analyzer::event;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto ms = parse_time_text(text)) {
    KT_FUZZ_CHECK(is_time(*ms));
    std::string formatted = format_time(*ms);
    KT_FUZZ_CHECK(parse_time_text(formatted) == ms);
  }
  if (size >= sizeof(double)) {
    double d = 0;
    std::memcpy(&d, data, sizeof d);
    if (auto ms = epoch_to_ms(d)) KT_FUZZ_CHECK(is_time(*ms));
  }
  return 0;
}
