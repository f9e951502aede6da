// SPDX-License-Identifier: MIT
#pragma once
/// Reads fuzz input through the real reader, from a chunked source, and
/// checks what every emitted chunk promises: records inside the buffer,
/// padding room after the data, line numbers that only grow.

#include <string_view>

#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/reader.hpp"
#include "fuzz_support.hpp"

namespace fuzz_support {

inline void read_and_check(const uint8_t* data, size_t size, analyzer::ingest::input_format format) {
  using namespace analyzer::ingest;
  if (size < 2) return;
  uint32_t seed = data[0] | (uint32_t{data[1]} << 8);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  reader_options opt;
  opt.chunk_bytes = 256 + (seed % 4096);
  opt.max_record_bytes = 1024 + (seed % 8192);
  opt.max_depth = 8 + (seed % 64);
  opt.format = format;
  buffer_pool pool;
  opened_input in = wrap_decompressor(std::make_unique<chunked_source>(bytes, seed));
  int64_t last_line = 0;
  auto emit = [&](chunk&& c) {
    KT_FUZZ_CHECK(c.size + required_padding() <= c.buf.capacity || c.buf.capacity == 0);
    if (c.explicit_records) {
      for (const auto& r : c.records) {
        KT_FUZZ_CHECK(r.offset + r.length <= c.size);
        KT_FUZZ_CHECK(!r.error.empty() || r.length > 0);
        if (r.error.empty()) KT_FUZZ_CHECK(r.length <= opt.max_record_bytes);
      }
    } else {
      KT_FUZZ_CHECK(c.first_line > last_line);
      last_line = c.first_line;
    }
    pool.release(std::move(c.buf));
  };
  input_report rep = read_stream(0, "fuzz", std::move(in), opt, pool, emit);
  KT_FUZZ_CHECK(rep.bytes >= 0 && rep.raw_bytes >= 0);
  for (const auto& e : rep.errors) KT_FUZZ_CHECK(!e.empty());
}

}  // namespace fuzz_support
