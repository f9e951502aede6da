// SPDX-License-Identifier: MIT
// The redaction filter every output goes through: never crashes, and its
// cheap candidate scan never skips a line the careful pass would change.
#include <string>

#include "analyzer/core/redact.hpp"
#include "fuzz_support.hpp"

using namespace analyzer::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto style = static_cast<redact_style>(data[0] % 3);
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string fast = redact(text, style);
  KT_FUZZ_CHECK(fast == detail::redact_every_line(text, style));
  if (!may_hold_secret(text)) KT_FUZZ_CHECK(fast == text);
  (void)clip(text, data[0]);
  return 0;
}
