// SPDX-License-Identifier: MIT
// Hostile inputs (issue 8): each class of input that once crashed, hung,
// misread or exhausted memory, pinned at the unit that handles it. The
// whole binary is tried on the same classes by tests/hostile/.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/rules/rule_loader.hpp"
#include "test_support.hpp"

BOOST_AUTO_TEST_SUITE(hostile_input_test)

using namespace test_support;
using analyzer::event::outcome;

namespace {
std::string nested(size_t depth, std::string_view open, std::string_view close,
                   std::string_view inner = "") {
  std::string s;
  s.reserve(depth * (open.size() + close.size()) + inner.size());
  for (size_t i = 0; i < depth; ++i) s += open;
  s += inner;
  for (size_t i = 0; i < depth; ++i) s += close;
  return s;
}

/// The event's views stay valid until the next call with the same depth.
event::event normalize(std::string_view record, size_t max_depth = ingest::default_max_depth) {
  static event::field_plan plan;
  static std::map<size_t, std::unique_ptr<ingest::normalizer>> by_depth;
  auto& n = by_depth[max_depth];
  if (!n) n = std::make_unique<ingest::normalizer>(plan, max_depth);
  event::event ev;
  n->normalize_copy(record, ev);
  return ev;
}
}  // namespace

// ---- depth: every walk bounded, none recursive on input nesting ---------

// A 200,000-deep `data` array overflowed the stack in the normalizer: it
// no longer descends into nested lists (the tasks are the list's elements).
BOOST_AUTO_TEST_CASE(deep_data_array_does_not_recurse) {
  std::string rec = R"({"request":{"url":"/v1/x"},"response":{"status":500,"body":{"code":1,"data":)" +
                    nested(200000, "[", "]") + "}}}";
  event::event ev = normalize(rec);
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.status == 500);
}

BOOST_AUTO_TEST_CASE(deep_request_body_of_a_failure_is_malformed) {
  std::string body = "\\\"" + std::string("x") + "\\\"";
  std::string text_body = nested(5000, "[", "]");
  std::string rec = R"({"request":{"url":"/v1/x","body":")" + text_body +
                    R"("},"response":{"status":400}})";
  event::event ev = normalize(rec);
  BOOST_TEST(ev.result == outcome::malformed);
  BOOST_TEST(ev.malformed_reason == "nested deeper than 1024 levels (see --max-depth)");
  // The limit is the option's: 16 levels here.
  event::event small = normalize(R"({"request":{"body":")" + nested(40, "[", "]") +
                                     R"("},"response":{"status":500}})",
                                 16);
  BOOST_TEST(small.result == outcome::malformed);
  BOOST_TEST(small.malformed_reason == "nested deeper than 16 levels (see --max-depth)");
}

// A HAR whose skipped parts nest 50,000 levels deep killed the run with
// SIGSEGV, losing every input's report.
BOOST_AUTO_TEST_CASE(deep_har_outside_entries_stops_that_input_only) {
  for (std::string har : {
           R"({"log":{"creator":)" + nested(50000, R"({"a":)", "}", "1") + R"(,"entries":[]}})",
           R"({"x":)" + nested(50000, "[", "]") + R"(,"log":{"entries":[]}})",
           R"({"log":{"pages":)" + nested(50000, "[", "]") + R"(,"entries":[]}})"}) {
    auto r = read_bytes(har, options_with(4096), "deep.har");
    BOOST_TEST_REQUIRE(r.report.errors.size() == 1u);
    BOOST_TEST(contains(r.report.errors[0], "nested deeper than 1024 levels (see --max-depth) at byte"),
               r.report.errors[0]);
  }
}

BOOST_AUTO_TEST_CASE(deep_har_entry_is_malformed_and_the_next_is_read) {
  std::string entry_ok = R"({"request":{"method":"GET","url":"https://x/v1/a"},"response":{"status":200}})";
  std::string har = R"({"log":{"entries":[)" + nested(3000, R"({"request":)", "}", "1") + "," +
                    entry_ok + "]}}";
  auto r = read_bytes(har, options_with(4096), "deep.har");
  BOOST_TEST(r.report.errors.empty());
  auto recs = normalize_records(r.chunks);
  BOOST_TEST_REQUIRE(recs.size() == 2u);
  BOOST_TEST(recs[0].result == outcome::malformed);
  BOOST_TEST(recs[0].reason == "nested deeper than 1024 levels (see --max-depth)");
  BOOST_TEST(recs[1].result == outcome::ok);
}

// ---- numbers and times out of range -------------------------------------

// "ts": 1e308 gave window.first = -6911-07-11T31:12:54Z and UBSan reports.
BOOST_AUTO_TEST_CASE(times_out_of_range_are_unknown_and_the_record_kept) {
  for (std::string ts : {"1e308", "-1", "1e400", "\"0042-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"",
                         "\"99999999999999999999999\"", "1e21"}) {
    event::event ev = normalize(R"({"ts":)" + ts + R"(,"request":{"method":"POST","url":"/v1/x"},)"
                                R"("response":{"status":429,"body":{"code":1e30,"message":"m"}}})");
    BOOST_TEST(ev.result == outcome::failure, ts);
    BOOST_TEST(!ev.ts_ms.has_value(), ts);
    BOOST_TEST(ev.status == 429);
    BOOST_TEST(!ev.code.has_value(), "a code of 1e30 is no integer");
  }
}

BOOST_AUTO_TEST_CASE(jwt_claims_out_of_range_are_ignored) {
  std::string jwt = make_jwt(R"({"exp":1e300,"nbf":-1e300})");
  event::event ev = normalize(R"({"ts":"2026-11-24T03:00:00Z","request":{"headers":{"Authorization":"Bearer )" +
                              jwt + R"("}},"response":{"status":401}})");
  BOOST_TEST(ev.result == outcome::failure);
  BOOST_TEST(ev.auth.token == event::token_kind::jwt);
  BOOST_TEST(!ev.auth.exp_in_s.has_value());
  BOOST_TEST(!ev.auth.nbf_in_s.has_value());
}

// ---- the reader: encodings, line ends, the record limit ------------------

namespace {
std::string sample_lines(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += R"({"ts":"2026-11-24T03:00:00Z","request":{"method":"POST","url":"https://x/v1/videos/text2video"},)"
           R"("response":{"status":)" + std::string(i % 3 == 0 ? "429" : "200") + "}}\n";
  }
  return out;
}

}  // namespace

// 3,000 records after a skippable frame were read as 96 malformed lines.
BOOST_AUTO_TEST_CASE(zstd_starting_with_a_skippable_frame) {
  std::string text = sample_lines(3000);
  std::string skippable("\x50\x2a\x4d\x18\x08\x00\x00\x00" "12345678", 16);
  auto r = read_bytes(skippable + zstd(text), options_with(1 << 16));
  BOOST_TEST(r.report.kind == ingest::compression::zstd);
  auto w = run_worker(r.chunks);
  BOOST_TEST(w.agg.records == 3000);
  BOOST_TEST(w.agg.malformed == 0);
}

// CR-only line ends made one giant malformed line.
BOOST_AUTO_TEST_CASE(cr_only_line_ends_are_read_as_lines) {
  std::string text = sample_lines(500);
  std::replace(text.begin(), text.end(), '\n', '\r');
  auto r = read_bytes(text, options_with(4096));
  BOOST_TEST(r.report.line_ends == "cr");
  auto w = run_worker(r.chunks);
  BOOST_TEST(w.agg.records == 500);
  BOOST_TEST(w.agg.malformed == 0);
  BOOST_TEST_REQUIRE(w.events.size() == 500u);
  BOOST_TEST(w.events[499].line.value_or(-1) == 500);
}

namespace {
std::string utf16(std::string_view utf8, bool big_endian) {
  std::string out = big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
  auto put = [&](uint32_t u) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0) { cp = c & 0x07; n = 4; } else if (c >= 0xE0) { cp = c & 0x0F; n = 3; }
    else if (c >= 0xC0) { cp = c & 0x1F; n = 2; }
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      put(0xD800 + ((cp - 0x10000) >> 10));
      put(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}
}  // namespace

// UTF-16 (what PowerShell's `>` writes) was read as plain text: every
// line malformed.
BOOST_AUTO_TEST_CASE(utf16_with_bom_is_read) {
  std::string text = sample_lines(300) +
                     R"({"request":{"url":"/v1/x"},"response":{"status":400,"body":{"message":"caf\u00e9 \ud83d\ude00"}}})"
                     "\n";
  for (bool be : {false, true}) {
    auto r = read_bytes(utf16(text, be), options_with(4096));
    BOOST_TEST(r.report.encoding == (be ? "utf-16be" : "utf-16le"));
    auto w = run_worker(r.chunks);
    BOOST_TEST(w.agg.records == 301);
    BOOST_TEST(w.agg.malformed == 0);
  }
  // A lone surrogate and an odd last byte are repaired, not fatal.
  auto r = read_bytes(std::string("\xFF\xFE{\x00}\x00\n\x00\x00\xD8\n\x00x", 12), options_with(4096));
  BOOST_TEST(r.report.errors.empty());
}

// A line of exactly --max-record-bytes bytes was rejected: the newline was
// counted. Checked where the reader cuts (lines longer than a chunk) and
// where the worker does (lines inside one).
BOOST_AUTO_TEST_CASE(a_line_of_exactly_the_record_limit_is_a_record) {
  const size_t limit = 2048;
  std::string head = R"({"request":{"url":"/v1/x"},"response":{"status":500},"pad":")";
  std::string line = head + std::string(limit - head.size() - 2, 'a') + "\"}";
  BOOST_TEST_REQUIRE(line.size() == limit);
  std::string longer = head + std::string(limit - head.size() - 1, 'a') + "\"}";
  std::string text = line + "\n" + line + "\r\n" + longer + "\n" + line + "\n";
  for (size_t chunk : {size_t{1024}, size_t{1} << 16}) {
    auto r = read_bytes(text, options_with(chunk, limit));
    auto w = run_worker(r.chunks, limit);
    BOOST_TEST(w.agg.records == 4, "chunk " << chunk);
    BOOST_TEST(w.agg.failures == 3, "chunk " << chunk);
    BOOST_TEST(w.agg.malformed == 1, "chunk " << chunk);
    BOOST_TEST_REQUIRE(w.events.size() == 4u);
    BOOST_TEST(w.events[2].cause == "malformed");
    BOOST_TEST(contains(w.events[2].error, "record limit (2048 bytes"));
  }
}

// Found by fuzz_reader: a JSON document (--input-format json) that ended
// just past the record limit was handed on whole.
BOOST_AUTO_TEST_CASE(a_json_document_over_the_record_limit_is_malformed) {
  std::string doc = "[" + std::string(1500, ' ') + "]";
  auto opt = options_with(256, 1024);
  opt.format = ingest::input_format::json;
  auto r = read_bytes(doc, opt, "doc.json");
  BOOST_TEST_REQUIRE(r.chunks.size() == 1u);
  BOOST_TEST_REQUIRE(r.chunks[0].records.size() == 1u);
  BOOST_TEST(contains(r.chunks[0].records[0].error, "longer than the record limit"));
}

// ---- rule files: size, alias expansion, nesting, unreadable -------------

namespace {
std::string dump(const core::diagnostics& list) {
  std::string out;
  for (const auto& d : list) out += core::render(d);
  return out;
}

core::diagnostics load(const std::string& text, rules::load_limits limits = {}) {
  rules::rule_library lib;
  rules::load_rule_file({"bomb.yaml", text, false}, lib, limits);
  return lib.problems;
}

std::string laughs(const std::string& target) {
  std::string y = "defs:\n  - &l0 {response: {status: 500}}\n";
  for (int i = 1; i < 10; ++i) {
    y += "  - &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) y += (k ? ",*l" : "*l") + std::to_string(i - 1);
    y += "]\n";
  }
  return y + target;
}
}  // namespace

// Nested anchors in `samples` or `when: any:` grew past 4 GB in seconds.
BOOST_AUTO_TEST_CASE(billion_laughs_are_refused_with_a_location) {
  std::string in_samples = laughs(
      "rules:\n  - id: b.s\n    category: c\n    title: t\n    when: {status: 500}\n"
      "    samples:\n      match: *l9\n");
  auto p = load(in_samples);
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(contains(p[0].message, "expands to more than 100000 nodes"), p[0].message);
  BOOST_TEST(p[0].where.file == "bomb.yaml");
  BOOST_TEST(p[0].where.line > 0);
  BOOST_TEST(p[0].where.column > 0);

  std::string w = "defs:\n  - &c0 {status: 500}\n";
  for (int i = 1; i < 10; ++i) {
    w += "  - &c" + std::to_string(i) + " {any: [";
    for (int k = 0; k < 10; ++k) w += (k ? ",*c" : "*c") + std::to_string(i - 1);
    w += "]}\n";
  }
  w += "rules:\n  - id: b.w\n    category: c\n    title: t\n    when: *c9\n"
       "    samples: {match: [{response: {status: 500}}]}\n";
  p = load(w);
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(contains(p[0].message, "expands to more than 100000 nodes"));
  // Aliases within the limit are fine (and counted each time they are used).
  rules::load_limits small;
  small.max_nodes = 50;
  p = load("rules:\n  - id: b.ok\n    category: c\n    title: &x t\n    when: {status: 500}\n"
           "    samples: {match: [{response: {status: 500}}]}\n    description: *x\n",
           small);
  BOOST_TEST(p.empty(), dump(p));
  small.max_nodes = 20;
  p = load("a: &x [1, 2, 3]\nb: [*x, *x, *x, *x, *x, *x]\nrules: []\n", small);
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(contains(p[0].message, "expands to more than 20 nodes"));
}

BOOST_AUTO_TEST_CASE(rule_file_size_and_nesting_are_bounded) {
  rules::load_limits tiny;
  tiny.max_file_bytes = 64;
  auto p = load(std::string(100, '#'), tiny);
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(p[0].message == "rule file is larger than 64 bytes");
  // A folder entry that never ends (a FIFO, /dev/zero) is read no further
  // than the limit.
  core::diagnostics problems;
  auto sources = rules::read_rule_path("/dev/zero", problems, tiny);
  BOOST_TEST_REQUIRE(sources.size() == 1u);
  BOOST_TEST(sources[0].text.size() == 65u);

  std::string deep = "rules:\n  - id: d\n    category: c\n    title: t\n    when: " +
                     nested(100, "{not: ", "}", "{status: 500}") +
                     "\n    samples: {match: [{response: {status: 500}}]}\n";
  p = load(deep);
  BOOST_TEST_REQUIRE(!p.empty());
  BOOST_TEST(p[0].message == "conditions nested deeper than 64 levels");
  p = load("rules: " + nested(5000, "[", "]"));
  BOOST_TEST_REQUIRE(p.size() == 1u);
  BOOST_TEST(contains(p[0].message, "nested deeper than"), p[0].message);
}

BOOST_AUTO_TEST_CASE(unreadable_rule_file_names_the_reason) {
  temp_dir dir;
  core::diagnostics problems;
  (void)rules::read_rule_path((dir.path() / "missing.yaml").string(), problems);
  BOOST_TEST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0].message == "cannot read rule file: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
