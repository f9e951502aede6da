// SPDX-License-Identifier: MIT
#pragma once
/// Shared by the fuzz targets: a byte source that hands out its bytes in
/// small, input-chosen pieces (so every read boundary gets fuzzed), and a
/// check that aborts (a libFuzzer crash) when an invariant breaks.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "analyzer/ingest/byte_source.hpp"

#define KT_FUZZ_CHECK(cond)                                                      \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                              \
    }                                                                            \
  } while (0)

namespace fuzz_support {

/// Reads of 1 to 64 bytes, their sizes drawn from a generator seeded by
/// `seed`: the same input always splits the same way.
class chunked_source final : public analyzer::ingest::byte_source {
 public:
  chunked_source(std::string_view bytes, uint32_t seed) : bytes_(bytes), state_(seed | 1) {}
  int64_t read(char* buf, size_t n) override {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    size_t k = std::min({n, bytes_.size() - pos_, size_t{1} + state_ % 64});
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return static_cast<int64_t>(k);
  }
  int64_t raw_bytes() const override { return static_cast<int64_t>(pos_); }
  uint64_t checksum() const override { return 0; }  // not what is fuzzed

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  uint32_t state_;
};

}  // namespace fuzz_support
