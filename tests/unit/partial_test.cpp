// SPDX-License-Identifier: MIT
// engine/partial_file + partial_codec: a state survives a partial unchanged
// (equal bytes when written again) in every form; a stream holds many; the
// reader names truncated, changed, newer and foreign input, and never
// crashes on any of it (every prefix, bytes flipped with the checksum fixed
// up so that the decoders behind it are reached).
#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/engine/partial_codec.hpp"
#include "analyzer/engine/wire.hpp"
#include "analyzer/report/summary.hpp"
#include "state_fixture.hpp"

using namespace analyzer;
using engine::partial_errc;
using engine::partial_form;

namespace {

engine::partials_read read(const std::string& bytes) { return engine::read_partials(bytes); }

std::string json_of(const engine::run_state& s) {
  std::vector<std::string> notes;
  report::summary sum = engine::build_summary(s, notes);
  return report::write_json(sum);
}

/// A binary partial of `sections`, uncompressed, with a correct checksum:
/// what a forger (or the fuzzer) can make.
std::string forged(const std::vector<engine::partial_section>& sections) {
  return engine::encode_partial(sections, partial_form::binary, false);
}

/// `bytes` (a binary, uncompressed partial) with its checksum recomputed.
std::string fix_checksum(std::string bytes) {
  size_t header = std::string(engine::partial_schema).size() + 1;
  if (bytes.size() < header + 9) return bytes;
  size_t covered = bytes.size() - header - 8;
  uint64_t sum = XXH3_64bits(bytes.data() + header, covered);
  for (int i = 0; i < 8; ++i) bytes[header + covered + static_cast<size_t>(i)] = static_cast<char>(sum >> (8 * i));
  return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(partial_test)

BOOST_AUTO_TEST_CASE(a_state_round_trips_to_equal_bytes_in_every_form) {
  engine::run_state s = test_support::small_state();
  const std::string want = json_of(s);
  for (partial_form form : {partial_form::binary, partial_form::text}) {
    for (bool compress : {false, true}) {
      std::string bytes = engine::encode_state(s, form, compress);
      auto got = read(bytes);
      BOOST_TEST_REQUIRE(!got.error, (got.error ? got.error->message : ""));
      BOOST_TEST_REQUIRE(got.states.size() == 1u);
      BOOST_TEST(engine::encode_state(got.states[0], form, compress) == bytes);
      BOOST_TEST(json_of(got.states[0]) == want);
      BOOST_TEST(got.states[0].meta.rules_digest == s.meta.rules_digest);
      BOOST_TEST((got.states[0].inputs[2].range == s.inputs[2].range));
    }
  }
}

/// A state whose bounded dimensions left values out (--max-distinct 10) and
/// whose timeline widened (--max-timeline-cells 1000): 2,000 records, each
/// at its own minute and endpoint.
engine::run_state bounded_state(const std::string& declared_distinct = "10") {
  engine::run_state s(test_support::small_causes(), aggregate::limits{10, 1000});
  s.meta = test_support::small_state().meta;
  s.meta.options.emplace_back("max-distinct", declared_distinct);
  s.meta.options.emplace_back("max-timeline-cells", "1000");
  s.inputs.push_back(test_support::small_input("a.jsonl", 2000, 11));
  for (int i = 0; i < 2000; ++i) {
    event::event ev;
    ev.line = i + 1;
    ev.ts_ms = test_support::state_t0 + int64_t{i} * 60000;
    ev.method = "GET";
    std::string endpoint = "/v1/videos/text2video/task-" + std::to_string(i);
    ev.endpoint = endpoint;
    ev.result = event::outcome::ok;
    s.agg.add_ok(ev);
  }
  s.agg.finish();
  return s;
}

BOOST_AUTO_TEST_CASE(bounded_dimensions_and_a_widened_timeline_round_trip) {
  engine::run_state s = bounded_state();
  BOOST_TEST_REQUIRE(s.agg.endpoints.truncated());
  BOOST_TEST(s.agg.endpoints.size() == 10u);
  BOOST_TEST(s.agg.endpoints.other().records == 1990);
  BOOST_TEST_REQUIRE(s.agg.minutes.resolution_minutes() > 1);
  std::string bytes = engine::encode_state(s, partial_form::binary, true);
  auto got = read(bytes);
  BOOST_TEST_REQUIRE(!got.error, (got.error ? got.error->message : ""));
  const engine::run_state& back = got.states[0];
  BOOST_TEST(back.agg.endpoints.truncated());
  BOOST_TEST(back.agg.endpoints.other().records == 1990);
  BOOST_TEST(back.agg.minutes.resolution_minutes() == s.agg.minutes.resolution_minutes());
  BOOST_TEST(engine::encode_state(back, partial_form::binary, true) == bytes);
  BOOST_TEST(json_of(back) == json_of(s));
}

BOOST_AUTO_TEST_CASE(a_bounded_dimension_that_breaks_its_declared_limit_is_refused) {
  // Ten values kept and some left out, in a partial that says it kept 20:
  // merged with a true one, the values it left out would be lost.
  auto got = read(engine::encode_state(bounded_state("20"), partial_form::binary, false));
  BOOST_TEST_REQUIRE(got.error.has_value());
  BOOST_TEST((got.error->code == partial_errc::invalid));
  BOOST_TEST(got.error->message.find("bounded dimension") != std::string::npos, got.error->message);
  auto out_of_range = read(engine::encode_state(bounded_state("5"), partial_form::binary, false));
  BOOST_TEST_REQUIRE(out_of_range.error.has_value());
  BOOST_TEST(out_of_range.error->message.find("--max-distinct 5, out of range") != std::string::npos,
             out_of_range.error->message);
}

BOOST_AUTO_TEST_CASE(a_stream_holds_partials_of_both_forms) {
  engine::run_state s = test_support::small_state();
  std::string stream = engine::encode_state(s, partial_form::binary, true) + "\n\n" +
                       engine::encode_state(s, partial_form::text, true) +
                       engine::encode_state(s, partial_form::binary, false) +
                       engine::encode_state(s, partial_form::text, false);
  auto got = read(stream);
  BOOST_TEST(!got.error);
  BOOST_TEST(got.states.size() == 4u);
}

BOOST_AUTO_TEST_CASE(problems_are_named) {
  engine::run_state s = test_support::small_state();
  std::string bytes = engine::encode_state(s, partial_form::binary, true);
  auto code = [](const std::string& b) {
    auto r = engine::read_partials(b);
    return r.error ? r.error->code : partial_errc::invalid;
  };
  BOOST_TEST((code(bytes.substr(0, bytes.size() - 1)) == partial_errc::truncated));
  BOOST_TEST((code(bytes.substr(0, 12)) == partial_errc::truncated));
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  BOOST_TEST((code(flipped) == partial_errc::corrupted));
  std::string newer = bytes;
  newer.replace(0, engine::partial_schema.size(), "kling-triage/partial@7");
  BOOST_TEST((code(newer) == partial_errc::newer_version));
  BOOST_TEST((code("{\"ts\": 1}\n{\"ts\": 2}\n") == partial_errc::not_a_partial));
  BOOST_TEST((code("kling-triage/partial@1 base64:@@@@\n") == partial_errc::corrupted));
  BOOST_TEST((code("") == partial_errc::not_a_partial));
  BOOST_TEST((code("hello") == partial_errc::not_a_partial));
}

BOOST_AUTO_TEST_CASE(sections_the_build_does_not_know) {
  engine::run_state s = test_support::small_state();
  auto sections = engine::encode_state(s);
  sections.push_back({"from-the-future", false, "optional bytes"});
  auto skipped = read(forged(sections));
  BOOST_TEST(!skipped.error);
  BOOST_TEST_REQUIRE(skipped.notes.size() == 1u);
  BOOST_TEST(skipped.notes[0].find("from-the-future") != std::string::npos);
  sections.back().required = true;
  auto refused = read(forged(sections));
  BOOST_TEST_REQUIRE(refused.error.has_value());
  BOOST_TEST((refused.error->code == partial_errc::newer_version));
  // A known section of a newer version is refused too.
  sections = engine::encode_state(s);
  sections[2].bytes[0] = 2;  // counts, version 2
  auto newer = read(forged(sections));
  BOOST_TEST_REQUIRE(newer.error.has_value());
  BOOST_TEST(newer.error->message.find("newer version") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_prefix_is_refused_without_a_crash) {
  engine::run_state s = test_support::small_state();
  for (bool compress : {false, true}) {
    std::string bytes = engine::encode_state(s, partial_form::binary, compress);
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = read(bytes.substr(0, n));
      BOOST_TEST(r.error.has_value(), "prefix " << n);
    }
  }
}

BOOST_AUTO_TEST_CASE(flipped_bytes_behind_a_valid_checksum_never_crash) {
  // The checksum stops random damage; a forged file passes it and must meet
  // the decoders' own checks. Each result is an error or a valid state.
  engine::run_state s = test_support::small_state();
  const std::string bytes = engine::encode_state(s, partial_form::binary, false);
  std::mt19937 rng(11);
  size_t errors = 0, accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string m = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      size_t at = 24 + rng() % (m.size() - 32);
      m[at] = static_cast<char>(rng() % 3 == 0 ? m[at] ^ (1 << (rng() % 8)) : static_cast<char>(rng()));
    }
    auto r = read(fix_checksum(m));
    if (r.error) {
      ++errors;
    } else {
      ++accepted;
      for (auto& st : r.states) (void)json_of(st);  // what was accepted renders
    }
  }
  BOOST_TEST(errors > 0u);
  BOOST_TEST_MESSAGE(errors << " refused, " << accepted << " accepted");
}

BOOST_AUTO_TEST_CASE(the_wire_reader_bounds_counts_by_the_bytes_left) {
  engine::wire::writer w;
  w.varint(uint64_t{1} << 40);  // a count far beyond the bytes that follow
  engine::wire::reader r(w.bytes());
  BOOST_TEST(r.count(uint64_t{1} << 50, 1, "items") == 0u);
  BOOST_TEST(!r.ok());
  BOOST_TEST((r.problem() == engine::wire::fault::truncated));
  std::string eleven(11, '\xff');  // a varint of more than 64 bits
  engine::wire::reader v(eleven);
  (void)v.varint();
  BOOST_TEST(!v.ok());
}

BOOST_AUTO_TEST_SUITE_END()
