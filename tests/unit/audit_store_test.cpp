// SPDX-License-Identifier: MIT
// The fact store: extras, serialization (stable bytes, hostile input),
// spilling sorted runs, merging.
#include <random>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/extras.hpp"
#include "analyzer/audit/fact_store.hpp"
#include "audit_support.hpp"

using namespace analyzer;
using namespace audit_support;

namespace {

std::list<owned_call> generated_calls() {
  return read_calls(data_path("audit/generated/traffic.jsonl"), "traffic.jsonl",
                    read_causes(data_path("audit/generated/traffic.causes.tsv")));
}

std::string dump_of(const audit::fact_store& s) {
  audit::audit_options o;
  o.keep_marks = true;
  return dump(audit::run_audit(s, o));
}

/// Bytes with a fresh checksum, after an edit.
std::string resealed(std::string bytes) {
  uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + static_cast<size_t>(i)] = static_cast<char>(sum >> (8 * i));
  return bytes;
}

std::string attach_error(std::string bytes) {
  audit::fact_store s;
  std::string error;
  bool ok = s.attach(std::make_shared<const std::string>(std::move(bytes)), error);
  BOOST_TEST(s.size() == 0u);
  return ok ? std::string("accepted") : error;
}

/// Offset of the first fact (after the header and tables).
size_t first_fact_offset(const std::string& bytes, const audit::fact_store& s) {
  size_t off = 16;
  auto str = [&] { off += 4 + audit::get_u32(bytes.data() + off); };
  off += 4;
  for (size_t i = 0; i < s.clients().size(); ++i) str(), str(), off += 16;
  off += 4;
  for (size_t i = 0; i < s.sources().size(); ++i) str();
  off += 4;
  for (size_t i = 0; i < s.causes().size(); ++i) str(), off += 1;
  off += 4;
  for (size_t i = 0; i < s.endpoints().size(); ++i) str();
  return off + 16 + 4;  // end, count, the first block's count
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_store_test)

BOOST_AUTO_TEST_CASE(extras_round_trip) {
  audit::fact_extras x;
  x.request_id = "a7bb15bb-c42e-41bb-a5e4-650852403bba";
  x.retry_deadline_ms = 1795000005250;
  x.url_hash = 7;
  x.callback_url_hash = 9;
  x.more_tasks = {{11, audit::task_state::failed}, {12, audit::task_state::none}};
  x.aliases = {13};
  std::string arena;
  BOOST_REQUIRE(audit::encode_extras(x, arena));
  BOOST_TEST(arena.size() == 1u + 16 + 8 + 8 + 8 + 1 + 18 + 1 + 8);  // the UUID packed
  audit::extras_view v;
  BOOST_REQUIRE(v.parse(arena));
  BOOST_TEST(v.request_id() == x.request_id);
  BOOST_TEST(v.retry_deadline_ms() == x.retry_deadline_ms);
  BOOST_TEST(v.url_hash() == 7u);
  BOOST_TEST(v.callback_url_hash() == 9u);
  BOOST_REQUIRE(v.task_count() == 2u);
  BOOST_TEST((v.task(0) == x.more_tasks[0]));
  BOOST_TEST((v.task(1) == x.more_tasks[1]));
  BOOST_TEST(v.alias(0) == 13u);
  BOOST_TEST(v.size() == arena.size());
  // Not a canonical lower-case UUID: kept as text.
  audit::fact_extras y;
  y.request_id = "A7BB15BB-C42E-41BB-A5E4-650852403BBA";
  arena.clear();
  audit::encode_extras(y, arena);
  BOOST_REQUIRE(v.parse(arena));
  BOOST_TEST(v.request_id() == y.request_id);
  // Every truncation is refused, never read past.
  for (size_t n = 0; n < arena.size(); ++n) BOOST_TEST(!v.parse(std::string_view(arena).substr(0, n)));
  BOOST_TEST(!audit::encode_extras(audit::fact_extras{}, arena));
  // A deadline no Retry-After can give is malformed.
  for (int64_t d : {audit::min_deadline_ms - 1, audit::max_deadline_ms + 1}) {
    audit::fact_extras z;
    z.retry_deadline_ms = d;
    arena.clear();
    BOOST_REQUIRE(audit::encode_extras(z, arena));
    BOOST_TEST(!v.parse(arena), d);
  }
}

BOOST_AUTO_TEST_CASE(serialized_bytes_are_stable_and_read_back_equal) {
  auto calls = generated_calls();
  audit::fact_store a;
  feed(a, calls);
  std::string bytes = a.serialize();
  audit::fact_store b;
  std::string error;
  BOOST_REQUIRE_MESSAGE(b.attach(std::make_shared<const std::string>(bytes), error), error);
  BOOST_TEST(b.size() == a.size());
  BOOST_TEST(b.serialize() == bytes);
  BOOST_TEST(dump_of(b) == dump_of(a));
  // Attaching twice holds every fact twice (the caller refuses an input
  // given twice, as merge does).
  BOOST_REQUIRE(b.attach(std::make_shared<const std::string>(bytes), error));
  BOOST_TEST(b.size() == 2 * a.size());
}

BOOST_AUTO_TEST_CASE(hostile_bytes_are_refused_with_their_offset) {
  auto calls = generated_calls();
  audit::fact_store a;
  feed(a, calls);
  const std::string bytes = a.serialize();
  // Every truncation.
  for (size_t n = 0; n < bytes.size(); n += (n < 4096 ? 1 : 97)) {
    BOOST_TEST(attach_error(bytes.substr(0, n)) != "accepted", "cut at " << n);
  }
  // Random flips: the checksum catches them.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string bad = bytes;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    BOOST_TEST(attach_error(bad) != "accepted");
  }
  // Well-sealed but wrong: each is named.
  size_t f = first_fact_offset(bytes, a);
  auto edit = [&](size_t at, std::string_view with) {
    std::string bad = bytes;
    bad.replace(at, with.size(), with);
    return attach_error(resealed(bad));
  };
  BOOST_TEST(edit(0, "KTAUDIX") .find("bad magic") != std::string::npos);
  BOOST_TEST(edit(8, std::string("\x02\0\0\0", 4)).find("version 2") != std::string::npos);
  BOOST_TEST(edit(f + 44, std::string("\xff\xff\0\0", 4)).find("client is not in the table") != std::string::npos);
  BOOST_TEST(edit(f + 59, "\x09").find("unknown task state") != std::string::npos);
  BOOST_TEST(edit(f + 58, "\x33").find("unknown flags") != std::string::npos);
  BOOST_TEST(edit(f + 52, std::string("\xff\xff\xff\x00", 4)).find("extras") != std::string::npos);
  BOOST_TEST(edit(f + 60, "\x01").find("reserved") != std::string::npos);
  // Times the record stage never gives (found by fuzz_fact_store: the audit
  // then overflowed subtracting them): a call's start, the end of the logs.
  auto le64 = [](uint64_t v) {
    std::string out;
    for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i));
    return out;
  };
  for (uint64_t ts : {uint64_t{1} << 63 | 1, uint64_t{253402300799999} + 1, ~uint64_t{0}}) {
    BOOST_TEST(edit(f, le64(ts)).find("not in years 1970-9999") != std::string::npos, ts);
  }
  BOOST_TEST(edit(f - 20, le64(uint64_t{1} << 62)).find("end of the logs is not a time") != std::string::npos);
  // Two facts swapped: out of order.
  std::string swapped = bytes;
  std::string first = swapped.substr(f, 64), second = swapped.substr(f + 64, 64);
  swapped.replace(f, 64, second);
  swapped.replace(f + 64, 64, first);
  BOOST_TEST(attach_error(resealed(swapped)).find("not in order") != std::string::npos);
  // A count larger than the data.
  BOOST_TEST(edit(16, std::string("\xff\xff\xff\x7f", 4)).find("count") != std::string::npos);
  BOOST_TEST(attach_error(bytes + "x") != "accepted");
}

// Found by fuzz_fact_store: the tables were read up to the end of the bytes,
// checksum included, so a header whose fact count is the checksum put the
// first block past the body, and the block reader read past the buffer.
BOOST_AUTO_TEST_CASE(tables_that_run_into_the_checksum_are_refused) {
  std::string bytes = "KTAUDIT\n";
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>(v >> (8 * i));
  };
  u32(1), u32(0);          // version, flags
  u32(0), u32(0);          // no clients, no sources
  u32(1), u32(0), bytes += '\0';  // cause 0: "", retryable yes
  u32(0);                  // no endpoints
  bytes += std::string(8, '\0');  // the end of the logs; the fact count would be the checksum
  bytes += std::string(8, '\0');
  std::string error = attach_error(resealed(bytes));
  BOOST_TEST(error.find("unexpected end of the data") != std::string::npos, error);
}

// What attach() refuses the store does not take either: a call whose time
// is outside 1970-9999 is counted as untimed, and such a time is not the
// end of the logs; the store's bytes stay readable.
BOOST_AUTO_TEST_CASE(times_that_are_not_times_are_untimed) {
  audit::fact_store s;
  audit::fact_sink sink(s);
  audit::call_input in;
  in.source_path = "a.jsonl";
  in.line = 1;
  in.method = "GET";
  in.url = "/v1/videos/text2video/1";
  in.endpoint = "/v1/videos/text2video/{id}";
  in.ts_ms = audit::max_fact_time_ms + 1;
  BOOST_TEST(sink.add(in));
  in.ts_ms = -1;
  BOOST_TEST(sink.add(in));
  s.note_time(audit::max_fact_time_ms + 1);
  BOOST_TEST(s.size() == 0u);
  BOOST_REQUIRE(s.clients().size() == 1u);
  BOOST_TEST(s.clients()[0].untimed_calls == 2);
  BOOST_TEST(s.end_ms() == audit::no_time);
  BOOST_TEST(attach_error(s.serialize()) == "accepted");
}

// Found by fuzz_fact_store: untimed counts (each at most 2^62) of the same
// client in two partials overflowed when added up.
BOOST_AUTO_TEST_CASE(untimed_counts_that_would_overflow_are_refused) {
  audit::fact_store one;
  audit::fact_sink sink(one);
  audit::call_input in;
  in.source_path = "a.jsonl";
  in.method = "GET";
  in.url = "/v1/videos/text2video/1";
  BOOST_TEST(sink.add(in));  // no time: untimed
  std::string bytes = one.serialize();
  BOOST_REQUIRE(one.clients().size() == 1u);
  size_t at = 16 + 4 + 4 + one.clients()[0].key.size() + 4 + one.clients()[0].display.size();
  for (int i = 0; i < 8; ++i) bytes[at + static_cast<size_t>(i)] = i == 7 ? '\x40' : '\0';  // 2^62
  bytes = resealed(bytes);
  audit::fact_store s;
  std::string error;
  BOOST_REQUIRE_MESSAGE(s.attach(std::make_shared<const std::string>(bytes), error), error);
  BOOST_TEST(s.clients()[0].untimed_calls == int64_t{1} << 62);
  BOOST_TEST(!s.attach(std::make_shared<const std::string>(bytes), error));
  BOOST_TEST(error.find("past 2^62") != std::string::npos, error);
  BOOST_TEST(s.clients()[0].untimed_calls == int64_t{1} << 62);  // nothing added
  BOOST_TEST(s.spilled_runs() == 1u);

  // The same bound when whole stores merge (two partials' audit sections):
  // refused before anything is added, instead of a signed overflow.
  audit::fact_store a, b;
  BOOST_REQUIRE(a.attach(std::make_shared<const std::string>(bytes), error));
  BOOST_REQUIRE(b.attach(std::make_shared<const std::string>(bytes), error));
  BOOST_TEST(a.merge_problem(b).find("past 2^62") != std::string::npos);
  audit::fact_store small;
  BOOST_TEST(small.merge_problem(a).empty());
}

BOOST_AUTO_TEST_CASE(spilled_runs_give_the_same_audit_and_bytes) {
  // Many sources of the same traffic, so there are many facts to spill.
  audit::fact_store memory, spilled({size_t{48} << 10, "", 5});  // 5 facts a block
  auto calls = generated_calls();
  std::list<owned_call> copies;
  for (int i = 0; i < 40; ++i) {
    for (const auto& c : calls) {
      auto& k = copies.emplace_back(c);
      k.in.source_path = k.keep("copy-" + std::to_string(i) + ".jsonl");
    }
  }
  for (auto& c : copies) {  // views into the copied list's own texts
    c.in.request_tasks = c.request_tasks;
    c.in.answer_tasks = c.answer_tasks;
  }
  feed(memory, copies);
  feed(spilled, copies);
  BOOST_TEST(memory.spilled_runs() == 0u);
  BOOST_TEST(spilled.spilled_runs() > 3u);
  BOOST_TEST(spilled.memory_bytes() < memory.memory_bytes());
  BOOST_TEST(spilled.error().empty());
  BOOST_TEST(spilled.size() == memory.size());
  BOOST_TEST(spilled.serialize() == memory.serialize());
  BOOST_TEST(dump_of(spilled) == dump_of(memory));
}

BOOST_AUTO_TEST_CASE(a_spill_folder_that_cannot_be_written_is_an_error) {
  audit::fact_store s({1, "/nonexistent/kling-triage"});
  auto calls = generated_calls();
  audit::fact_sink sink(s);
  BOOST_TEST(!sink.add(calls.front().in));
  BOOST_TEST(s.error().find("/nonexistent/kling-triage") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(merging_halves_equals_the_whole) {
  auto calls = generated_calls();
  audit::fact_store whole, a, b;
  feed(whole, calls);
  std::list<owned_call> first, second;
  int i = 0;
  for (const auto& c : calls) (i++ % 2 ? first : second).push_back(c);
  for (auto* part : {&first, &second}) {
    for (auto& c : *part) {
      c.in.request_tasks = c.request_tasks;
      c.in.answer_tasks = c.answer_tasks;
    }
  }
  std::list<owned_call> reversed(calls.rbegin(), calls.rend());
  for (auto& c : reversed) {
    c.in.request_tasks = c.request_tasks;
    c.in.answer_tasks = c.answer_tasks;
  }
  feed(a, reversed);  // tables met in another order
  feed(b, first);
  BOOST_REQUIRE(a.merge(std::move(b)));
  BOOST_TEST(b.size() == 0u);
  BOOST_TEST(a.size() == whole.size() + first.size());
  audit::fact_store c;
  feed(c, second);
  feed(c, first);
  feed(c, first);
  // The same facts, met in other orders and merged: the same bytes.
  BOOST_TEST(a.serialize() == c.serialize());
}

BOOST_AUTO_TEST_SUITE_END()
