// SPDX-License-Identifier: MIT
// The partial reader (docs/partial-format.md), on hostile bytes. The first
// byte chooses what the rest is:
//   even: a stream as `merge` reads it (partials in either form, or a JSON
//         report carrying one);
//   odd:  the body of one partial (its section table, uncompressed), framed
//         here with a valid header and checksum, so that the section
//         decoders behind the checksum are reached.
// Every partial that is read must encode back to bytes that read to the
// same encoding (the writer is canonical), merge with the others without
// breaking an invariant, and render as a JSON report.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/engine/partial_codec.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/engine/wire.hpp"
#include "analyzer/report/summary.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

namespace {

/// `body` as a binary partial: header, flags 0 (not compressed), length,
/// body, XXH3-64 of flags..body.
std::string framed(std::string_view body) {
  engine::wire::writer w;
  w.u8(0);
  w.str(body);
  uint64_t sum = XXH3_64bits(w.bytes().data(), w.bytes().size());
  w.fixed64(sum);
  return std::string(engine::partial_schema) + "\n" + w.take();
}

void check_state(const engine::run_state& s) {
  KT_FUZZ_CHECK(!s.causes.empty());
  KT_FUZZ_CHECK(s.agg.records == s.agg.ok + s.agg.failures + s.agg.malformed);
  KT_FUZZ_CHECK(s.agg.causes.size() == s.causes.size());
  // Canonical: what was read encodes to bytes that read back to themselves.
  std::string once = engine::encode_state(s, engine::partial_form::binary, false);
  auto again = engine::read_partials(once);
  KT_FUZZ_CHECK(!again.error && again.states.size() == 1);
  KT_FUZZ_CHECK(engine::encode_state(again.states[0], engine::partial_form::binary, false) == once);
}

void render(const engine::run_state& s) {
  std::vector<std::string> notes;
  report::summary summary = engine::build_summary(s, notes);
  std::string json = report::write_json(summary);
  KT_FUZZ_CHECK(!json.empty() && json.back() == '\n');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string bytes = (data[0] & 1) != 0 ? framed(rest) : std::string(rest);
  engine::partials_read got = engine::read_partials(bytes);
  if (got.error) KT_FUZZ_CHECK(!got.error->message.empty());
  engine::state_merger merger;
  for (auto& s : got.states) {
    check_state(s);
    render(s);
    engine::merge_result r = merger.add(std::move(s), "fuzz");
    if (r.outcome != engine::merge_outcome::merged) KT_FUZZ_CHECK(!r.message.empty());
  }
  if (auto total = merger.take()) {
    check_state(*total);
    render(*total);
  }
  return 0;
}
