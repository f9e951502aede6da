// SPDX-License-Identifier: MIT
// ingest/reader and byte_source: JSON Lines through plain, gzip and zstd
// streams, cut into chunks, split into lines by the real worker.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <zlib.h>

#include "analyzer/ingest/detect.hpp"
#include "analyzer/ingest/reader.hpp"
#include "test_support.hpp"

namespace bdata = boost::unit_test::data;
using namespace analyzer;
using test_support::options_with;
using ingest::compression;
using ingest::input_format;
using test_support::contains;
using test_support::read_bytes;
using test_support::run_worker;

namespace {

/// Line `n` of a test input: a successful call whose request_id names its
/// line, with some varied text so that compression is not trivial.
std::string record(int64_t n) {
  static const char* const words[] = {"fox", "snow", "dawn", "river", "lantern",
                                      "orbit", "copper", "meadow", "cinder", "tide"};
  std::string msg;
  uint64_t x = static_cast<uint64_t>(n) * 2654435761u + 12345;
  for (int i = 0; i < 6; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    msg += words[(x >> 33) % 10];
    msg += ' ';
  }
  return R"({"ts": "2026-11-24T03:12:45Z", "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video", "body": {"prompt": ")" +
         msg + R"("}}, "response": {"status": 200, "body": {"code": 0, "message": "SUCCEED", "request_id": "r)" +
         std::to_string(n) + R"("}}})";
}

/// Lines first..last, each ending in "\n".
std::string records(int64_t first, int64_t last, const char* eol = "\n") {
  std::string out;
  for (int64_t n = first; n <= last; ++n) out += record(n) + eol;
  return out;
}


/// Every event is an ok record on its own line: event i is line first + i.
void check_consecutive_ok(const test_support::worker_result& r, int64_t first,
                          int64_t count) {
  BOOST_TEST_REQUIRE(static_cast<int64_t>(r.events.size()) >= count);
  int64_t bad = 0;
  for (int64_t i = 0; i < count; ++i) {
    const auto& e = r.events[static_cast<size_t>(i)];
    int64_t want = first + i;
    if (e.line.value_or(-1) != want || e.request_id != "r" + std::to_string(want) ||
        e.cause != "ok") {
      if (++bad <= 5) {
        BOOST_ERROR("event " << i << ": want line " << want << ", got " << e.text);
      }
    }
  }
  BOOST_TEST(bad == 0);
}

size_t count_newlines(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reader_test)

BOOST_AUTO_TEST_CASE(plain_jsonl) {
  std::string text = records(1, 3);
  auto read = read_bytes(text, options_with(size_t{4} << 20));
  BOOST_TEST(read.report.format == input_format::jsonl);
  BOOST_TEST(read.report.kind == compression::none);
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(text.size()));
  BOOST_TEST(read.report.raw_bytes == static_cast<int64_t>(text.size()));
  BOOST_TEST(read.report.errors.empty());
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 3u);
  check_consecutive_ok(r, 1, 3);
  BOOST_TEST(r.agg.records == 3);
  BOOST_TEST(r.agg.ok == 3);
  BOOST_TEST(r.agg.malformed == 0);
}

BOOST_AUTO_TEST_CASE(gzip_jsonl) {
  std::string text = records(1, 500);
  std::string gz = test_support::gzip(text);
  auto read = read_bytes(gz, options_with(4096));
  BOOST_TEST(read.report.kind == compression::gzip);
  BOOST_TEST(read.report.format == input_format::jsonl);
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(text.size()));
  BOOST_TEST(read.report.raw_bytes == static_cast<int64_t>(gz.size()));
  BOOST_TEST(read.report.errors.empty());
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 500u);
  check_consecutive_ok(r, 1, 500);
}

BOOST_AUTO_TEST_CASE(zstd_jsonl) {
  std::string text = records(1, 500);
  std::string zst = test_support::zstd(text);
  auto read = read_bytes(zst, options_with(4096));
  BOOST_TEST(read.report.kind == compression::zstd);
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(text.size()));
  BOOST_TEST(read.report.raw_bytes == static_cast<int64_t>(zst.size()));
  BOOST_TEST(read.report.errors.empty());
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 500u);
  check_consecutive_ok(r, 1, 500);
}

BOOST_AUTO_TEST_CASE(multi_member_gzip) {
  std::string gz = test_support::gzip(records(1, 100)) +
                   test_support::gzip(records(101, 250)) +
                   test_support::gzip(records(251, 252));
  auto read = read_bytes(gz, options_with(4096));
  BOOST_TEST(read.report.kind == compression::gzip);
  BOOST_TEST(read.report.errors.empty());
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(records(1, 252).size()));
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 252u);
  check_consecutive_ok(r, 1, 252);
}

BOOST_AUTO_TEST_CASE(multi_member_gzip_split_inside_a_line) {
  // A member boundary in the middle of a line: the line is whole again.
  std::string text = records(1, 20);
  size_t mid = text.size() / 2 + 7;
  std::string gz = test_support::gzip(text.substr(0, mid)) +
                   test_support::gzip(text.substr(mid));
  auto r = run_worker(read_bytes(gz, options_with(4096)).chunks);
  BOOST_TEST(r.events.size() == 20u);
  check_consecutive_ok(r, 1, 20);
}

BOOST_AUTO_TEST_CASE(multi_frame_zstd) {
  std::string text = records(1, 300);
  size_t mid = text.size() / 3 + 11;  // inside a line
  std::string zst = test_support::zstd(text.substr(0, mid)) +
                    test_support::zstd(text.substr(mid, 5000)) +
                    test_support::zstd(text.substr(mid + 5000));
  auto read = read_bytes(zst, options_with(4096));
  BOOST_TEST(read.report.kind == compression::zstd);
  BOOST_TEST(read.report.errors.empty());
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(text.size()));
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 300u);
  check_consecutive_ok(r, 1, 300);
}

const size_t cut_chunk_sizes[] = {4096, 65536, size_t{4} << 20};

/// A compressed stream cut in half: every line the decompressor itself can
/// recover is an ok record, numbered from 1, the cut line (if any of it
/// arrived) is one malformed record, and the error names the byte offset.
void check_truncated(const std::string& compressed,
                     std::string (*recover)(std::string_view),
                     compression kind, const std::string& word, size_t chunk_bytes) {
  size_t cut = compressed.size() / 2;
  std::string cut_stream = compressed.substr(0, cut);
  std::string recoverable = recover(cut_stream);  // the lines to expect
  size_t complete = count_newlines(recoverable);
  BOOST_TEST_REQUIRE(complete > 100u);
  BOOST_TEST_REQUIRE(complete < 3000u);

  auto read = read_bytes(cut_stream, options_with(chunk_bytes));
  BOOST_TEST(read.report.kind == kind);
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, "truncated " + word), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(cut)), error);
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(recoverable.size()));

  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.ok == static_cast<int64_t>(complete));
  check_consecutive_ok(r, 1, static_cast<int64_t>(complete));
  bool partial = !recoverable.empty() && recoverable.back() != '\n';
  BOOST_TEST(r.agg.malformed == (partial ? 1 : 0));
  if (partial && !r.agg.malformed_examples.empty()) {
    BOOST_TEST(r.agg.malformed_examples[0].line ==
               static_cast<int64_t>(complete) + 1);
  }
}

BOOST_DATA_TEST_CASE(truncated_gzip_keeps_every_complete_line,
                     bdata::make(cut_chunk_sizes), chunk_bytes) {
  check_truncated(test_support::gzip(records(1, 3000)), test_support::gunzip_prefix,
                  compression::gzip, "gzip", chunk_bytes);
}

BOOST_DATA_TEST_CASE(truncated_zstd_keeps_every_complete_line,
                     bdata::make(cut_chunk_sizes), chunk_bytes) {
  check_truncated(test_support::zstd(records(1, 3000)), test_support::unzstd_prefix,
                  compression::zstd, "zstd", chunk_bytes);
}

BOOST_AUTO_TEST_CASE(truncated_gzip_small_file_keeps_its_lines) {
  // The whole cut stream fits in one read: nothing may be dropped.
  std::string text = records(1, 10);
  std::string gz = test_support::gzip(text);
  std::string cut_gz = gz.substr(0, gz.size() - 4);  // lose part of the trailer
  std::string recoverable = test_support::gunzip_prefix(cut_gz);
  BOOST_TEST_REQUIRE(recoverable == text);
  auto read = read_bytes(cut_gz, options_with(size_t{4} << 20));
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  BOOST_TEST(contains(read.report.errors[0], "truncated gzip"));
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.ok == 10);
  check_consecutive_ok(r, 1, 10);
}

BOOST_DATA_TEST_CASE(truncated_gzip_keeps_what_zlib_keeps_at_every_cut,
                     bdata::make(cut_chunk_sizes), chunk_bytes) {
  // igzip decodes gzip; cut anywhere, it hands out exactly the bytes zlib
  // decodes from the same prefix, and names the same offset.
  std::string gz = test_support::gzip(records(1, 3000));
  for (size_t k = 1; k < 24; ++k) {
    size_t cut = gz.size() * k / 24 + k;  // not on a round offset
    std::string cut_gz = gz.substr(0, cut);
    std::string recoverable = test_support::gunzip_prefix(cut_gz);
    auto read = read_bytes(cut_gz, options_with(chunk_bytes));
    BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
    BOOST_TEST(contains(read.report.errors[0], "truncated gzip stream"), read.report.errors[0]);
    BOOST_TEST(contains(read.report.errors[0], "byte " + std::to_string(cut)), read.report.errors[0]);
    BOOST_TEST(read.report.bytes == static_cast<int64_t>(recoverable.size()), "cut at " << cut);
    auto r = run_worker(read.chunks);
    BOOST_TEST(r.agg.ok == static_cast<int64_t>(count_newlines(recoverable)), "cut at " << cut);
  }
}

BOOST_DATA_TEST_CASE(multi_member_gzip_across_input_blocks,
                     bdata::make(cut_chunk_sizes), chunk_bytes) {
  // Members larger than the decoder's 256 KiB input block, and tiny ones,
  // so that member boundaries fall anywhere in a block.
  std::string gz = test_support::gzip(records(1, 25000)) + test_support::gzip(records(25001, 25001)) +
                   test_support::gzip(records(25002, 25003)) + test_support::gzip("") +
                   test_support::gzip(records(25004, 40000));
  BOOST_TEST_REQUIRE(gz.size() > (size_t{1} << 18) + (size_t{1} << 16));
  auto read = read_bytes(gz, options_with(chunk_bytes));
  BOOST_TEST(read.report.errors.empty());
  BOOST_TEST(read.report.bytes == static_cast<int64_t>(records(1, 40000).size()));
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 40000u);
  check_consecutive_ok(r, 1, 40000);
}

BOOST_AUTO_TEST_CASE(zlib_member_after_gzip_goes_to_the_zlib_fallback) {
  // igzip rejects a zlib-wrapped member; zlib (which auto-detects both
  // wrappers) reads it from its first byte, as it always did.
  std::string tail = records(301, 400);
  std::string z(compressBound(static_cast<uLong>(tail.size())), '\0');
  uLongf zlen = z.size();
  BOOST_TEST_REQUIRE(compress2(reinterpret_cast<Bytef*>(z.data()), &zlen,
                               reinterpret_cast<const Bytef*>(tail.data()), tail.size(), 6) == Z_OK);
  z.resize(zlen);
  std::string in = test_support::gzip(records(1, 300)) + z + test_support::gzip(records(401, 410));
  auto read = read_bytes(in, options_with(4096));
  BOOST_TEST(read.report.errors.empty());
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 410u);
  check_consecutive_ok(r, 1, 410);
}

BOOST_AUTO_TEST_CASE(bytes_after_the_last_member_are_named_and_lines_kept) {
  std::string gz = test_support::gzip(records(1, 200));
  auto read = read_bytes(gz + "not gzip at all\n", options_with(4096));
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  BOOST_TEST(contains(read.report.errors[0], "corrupt gzip data at compressed byte"),
             read.report.errors[0]);
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.ok == 200);
  check_consecutive_ok(r, 1, 200);
}

BOOST_AUTO_TEST_CASE(corrupt_deflate_data_is_named_and_earlier_lines_kept) {
  std::string gz = test_support::gzip(records(1, 3000));
  std::string bad = gz;
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) bad[i] = static_cast<char>(~bad[i]);
  auto read = read_bytes(bad, options_with(4096));
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  BOOST_TEST(contains(read.report.errors[0], "gzip"), read.report.errors[0]);
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.ok > 100);
  BOOST_TEST(r.agg.records <= 3000);
  check_consecutive_ok(r, 1, std::min<int64_t>(r.agg.ok, 100));
}

BOOST_AUTO_TEST_CASE(crlf_line_endings) {
  std::string text = records(1, 50, "\r\n");
  auto read = read_bytes(text, options_with(1024));
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 50u);
  BOOST_TEST(r.agg.malformed == 0);
  check_consecutive_ok(r, 1, 50);
}

BOOST_AUTO_TEST_CASE(utf8_bom_is_skipped) {
  std::string text = "\xEF\xBB\xBF" + records(1, 3);
  auto read = read_bytes(text, options_with(size_t{4} << 20));
  BOOST_TEST(read.report.format == input_format::jsonl);
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.agg.malformed == 0);
  BOOST_TEST(r.events.size() == 3u);
  check_consecutive_ok(r, 1, 3);
}

BOOST_AUTO_TEST_CASE(utf8_bom_in_gzip_is_skipped) {
  std::string text = "\xEF\xBB\xBF" + records(1, 3);
  auto r = run_worker(read_bytes(test_support::gzip(text),
                                 options_with(size_t{4} << 20)).chunks);
  BOOST_TEST(r.agg.malformed == 0);
  check_consecutive_ok(r, 1, 3);
}

BOOST_AUTO_TEST_CASE(blank_lines_are_skipped_and_not_counted) {
  std::string text = "\n" + record(2) + "\n\n   \n" + record(5) + "\n\t\r\n" +
                     record(7) + "\n\n";
  auto r = run_worker(read_bytes(text, options_with(4096)).chunks);
  BOOST_TEST(r.agg.records == 3);
  BOOST_TEST(r.agg.malformed == 0);
  BOOST_TEST_REQUIRE(r.events.size() == 3u);
  BOOST_TEST(r.events[0].line.value_or(-1) == 2);
  BOOST_TEST(r.events[0].request_id == "r2");
  BOOST_TEST(r.events[1].line.value_or(-1) == 5);
  BOOST_TEST(r.events[1].request_id == "r5");
  BOOST_TEST(r.events[2].line.value_or(-1) == 7);
  BOOST_TEST(r.events[2].request_id == "r7");
}

BOOST_AUTO_TEST_CASE(last_line_without_newline) {
  std::string text = records(1, 2) + record(3);
  auto r = run_worker(read_bytes(text, options_with(4096)).chunks);
  BOOST_TEST(r.events.size() == 3u);
  check_consecutive_ok(r, 1, 3);
}

BOOST_AUTO_TEST_CASE(last_line_without_newline_across_chunks) {
  std::string text = records(1, 199) + record(200);
  auto r = run_worker(read_bytes(text, options_with(1000)).chunks);
  BOOST_TEST(r.events.size() == 200u);
  check_consecutive_ok(r, 1, 200);
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_counted_with_their_line) {
  std::string text = record(1) + "\nnot json\n" + record(3) + "\n[1,2]\n" +
                     record(5) + "\n{\"a\": 1}\n";
  auto r = run_worker(read_bytes(text, options_with(4096)).chunks);
  BOOST_TEST(r.agg.records == 6);
  BOOST_TEST(r.agg.ok == 3);
  BOOST_TEST(r.agg.malformed == 3);
  BOOST_TEST_REQUIRE(r.agg.malformed_examples.size() == 3u);
  std::set<int64_t> lines;  // in the order of their bytes' hash
  for (const auto& m : r.agg.malformed_examples) lines.insert(m.line);
  BOOST_TEST((lines == std::set<int64_t>{2, 4, 6}));
  BOOST_TEST_REQUIRE(r.events.size() == 6u);
  BOOST_TEST(r.events[1].cause == "malformed");
  BOOST_TEST(!r.events[1].error.empty());
}

/// A line of about `bytes` bytes: a valid record with a long prompt.
std::string long_record(int64_t n, size_t bytes) {
  std::string base = record(n);
  std::string pad(bytes > base.size() ? bytes - base.size() : 0, 'x');
  std::string line = base;
  line.insert(line.find("\"prompt\": \"") + 11, pad);
  return line;
}

struct long_line_case {
  size_t chunk_bytes;
  size_t line_bytes;
};
std::ostream& operator<<(std::ostream& os, const long_line_case& c) {
  return os << "chunk " << c.chunk_bytes << ", line " << c.line_bytes;
}

const long_line_case long_lines[] = {
    {1024, 5000},  {1024, 2100},  {2048, 3000}, {4096, 3000},
    {4096, 20000}, {65536, 3000}, {65536, 200000},
};

BOOST_DATA_TEST_CASE(line_longer_than_max_record_bytes,
                     bdata::make(long_lines), c) {
  const size_t limit = 2048;
  std::string text = record(1) + "\n" + long_record(2, c.line_bytes) + "\n" +
                     records(3, 40);
  auto read = read_bytes(text, options_with(c.chunk_bytes, limit));
  BOOST_TEST(read.report.errors.empty());
  auto r = run_worker(read.chunks, limit);
  BOOST_TEST(r.agg.records == 40);
  BOOST_TEST(r.agg.ok == 39);
  BOOST_TEST(r.agg.malformed == 1);
  BOOST_TEST_REQUIRE(r.agg.malformed_examples.size() == 1u);
  BOOST_TEST(r.agg.malformed_examples[0].line == 2);
  const std::string& why = r.agg.malformed_examples[0].error;
  BOOST_TEST(contains(why, "record limit"), why);
  BOOST_TEST(contains(why, "2048"), why);
  BOOST_TEST_REQUIRE(r.events.size() == 40u);
  BOOST_TEST(r.events[0].request_id == "r1");
  BOOST_TEST(r.events[1].line.value_or(-1) == 2);
  BOOST_TEST(r.events[1].cause == "malformed");
  for (size_t i = 2; i < r.events.size(); ++i) {
    BOOST_TEST(r.events[i].line.value_or(-1) == static_cast<int64_t>(i) + 1);
    BOOST_TEST(r.events[i].request_id == "r" + std::to_string(i + 1));
  }
}

BOOST_AUTO_TEST_CASE(long_lines_back_to_back_and_at_the_end) {
  const size_t limit = 2048;
  std::string text = long_record(1, 9000) + "\n" + long_record(2, 9000) + "\n" +
                     record(3) + "\n" + long_record(4, 9000);  // no newline
  auto read = read_bytes(text, options_with(1024, limit));
  auto r = run_worker(read.chunks, limit);
  BOOST_TEST(r.agg.records == 4);
  BOOST_TEST(r.agg.ok == 1);
  BOOST_TEST(r.agg.malformed == 3);
  BOOST_TEST_REQUIRE(r.agg.malformed_examples.size() == 3u);
  BOOST_TEST(r.agg.malformed_examples[0].line == 1);
  BOOST_TEST(r.agg.malformed_examples[1].line == 2);
  BOOST_TEST(r.agg.malformed_examples[2].line == 4);
  BOOST_TEST_REQUIRE(r.events.size() == 4u);
  BOOST_TEST(r.events[2].request_id == "r3");
  BOOST_TEST(r.events[2].line.value_or(-1) == 3);
}

BOOST_AUTO_TEST_CASE(line_numbers_across_chunk_boundaries) {
  std::string text = records(1, 5000);
  auto read = read_bytes(text, options_with(4096));
  BOOST_TEST(read.chunks.size() > 100u);
  int64_t expect_first = 1;
  for (const auto& c : read.chunks) {
    BOOST_TEST(!c.explicit_records);
    BOOST_TEST(c.first_line == expect_first);
    BOOST_TEST(c.size > 0u);
    std::string_view body(c.buf.data.get(), c.size);
    BOOST_TEST(body.back() == '\n');  // chunks end at line boundaries
    expect_first += static_cast<int64_t>(count_newlines(body));
  }
  auto r = run_worker(read.chunks);
  BOOST_TEST(r.events.size() == 5000u);
  check_consecutive_ok(r, 1, 5000);
}

BOOST_AUTO_TEST_CASE(line_numbers_across_chunk_boundaries_gzip_crlf_blank) {
  std::string text;
  for (int64_t n = 1; n <= 3000; ++n) {
    text += n % 7 == 0 ? std::string("\r\n") : record(n) + "\r\n";
  }
  auto r = run_worker(read_bytes(test_support::gzip(text), options_with(4096)).chunks);
  BOOST_TEST(r.agg.malformed == 0);
  BOOST_TEST(r.agg.records == 3000 - 3000 / 7);
  int64_t bad = 0;
  for (const auto& e : r.events) {
    if ("r" + std::to_string(e.line.value_or(-1)) != e.request_id) ++bad;
  }
  BOOST_TEST(bad == 0);
}

// ---- format detection --------------------------------------------------

struct sniff_case {
  const char* head;
  const char* path;
  input_format want;
};
std::ostream& operator<<(std::ostream& os, const sniff_case& c) {
  return os << c.path << ": " << std::string_view(c.head).substr(0, 30);
}

const sniff_case sniffs[] = {
    {"{\n  \"log\": {\n    \"version\": \"1.2\",", "capture.json", input_format::har},
    {"{\r\n\t\"log\" : {", "x", input_format::har},
    {"{\n  \"something\": 1\n}", "x.json", input_format::har},  // pretty JSON document
    {"{\"log\":{\"version\":\"1.2\",\"entries\":[]}}", "capture.txt", input_format::har},
    {"  {\"log\": {\"entries\": []}}", "-", input_format::har},
    {"{\"log\":{\"version\":\"1.2\"", "truncated", input_format::har},
    {"{\"ts\": \"2026-11-24T03:12:45Z\", \"response\": {\"status\": 200}}\n{\"ts\": 1}\n",
     "api.jsonl", input_format::jsonl},
    {"{\"ts\": \"2026-11-24T03:12:45Z\", \"response\": {\"status\": 200}}\n{\"ts\": 1}\n",
     "api.har", input_format::jsonl},  // JSON Lines content wins over the name
    {"{\"startedDateTime\": \"2026-11-24T03:12:45Z\", \"request\": {}}\n{\"startedDateTime\": 1}\n",
     "entries.log", input_format::jsonl},  // a HAR entry per line
    {"{\"version\":\"1.2\",\"log\":{}}", "capture.har", input_format::har},
    {"{\"version\":\"1.2\",\"log\":{}}", "capture.HAR.gz", input_format::har},
    {"{\"version\":\"1.2\",\"log\":{}}", "capture.json", input_format::jsonl},
    {"", "empty.har", input_format::har},
    {"", "empty.jsonl", input_format::jsonl},
    {"garbage", "x.har", input_format::har},
    {"garbage", "x.log", input_format::jsonl},
};

BOOST_DATA_TEST_CASE(sniff_format_cases, bdata::make(sniffs), c) {
  BOOST_TEST(ingest::sniff_format(c.head, c.path) == c.want);
}

BOOST_AUTO_TEST_CASE(read_stream_detects_har_by_content_and_honours_override) {
  std::string har = R"({"log": {"version": "1.2", "entries": [{"startedDateTime": "2026-11-24T03:12:45Z", "time": 1, "request": {"method": "GET", "url": "https://api.klingai.com/x"}, "response": {"status": 200}}]}})";
  auto detected = read_bytes(har, options_with(4096), "capture.jsonl");
  BOOST_TEST(detected.report.format == input_format::har);
  auto r = run_worker(detected.chunks);
  BOOST_TEST(r.agg.ok == 1);
  BOOST_TEST_REQUIRE(r.events.size() == 1u);
  BOOST_TEST(r.events[0].entry.value_or(-1) == 0);
  BOOST_TEST(!r.events[0].line.has_value());

  auto forced = options_with(4096);
  forced.format = input_format::jsonl;
  auto as_jsonl = read_bytes(har, forced, "capture.har");
  BOOST_TEST(as_jsonl.report.format == input_format::jsonl);
  auto r2 = run_worker(as_jsonl.chunks);
  BOOST_TEST(r2.agg.records == 1);
  BOOST_TEST(r2.agg.malformed == 1);  // a HAR document is not a logged call
}

BOOST_AUTO_TEST_CASE(gzip_magic_is_detected_whatever_the_name) {
  std::string gz = test_support::gzip(records(1, 2));
  auto read = read_bytes(gz, options_with(4096), "plain-name.jsonl");
  BOOST_TEST(read.report.kind == compression::gzip);
  BOOST_TEST(run_worker(read.chunks).agg.ok == 2);
}

BOOST_AUTO_TEST_CASE(empty_input) {
  auto read = read_bytes("", options_with(4096));
  BOOST_TEST(read.report.errors.empty());
  BOOST_TEST(read.report.bytes == 0);
  BOOST_TEST(run_worker(read.chunks).agg.records == 0);
}

BOOST_AUTO_TEST_CASE(unreadable_path_is_reported) {
  auto read = test_support::read_path("/nonexistent/dir/api.jsonl", options_with(4096));
  BOOST_TEST(read.report.unreadable);
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  BOOST_TEST(!read.report.errors[0].empty());
  BOOST_TEST(read.chunks.empty());
}

BOOST_AUTO_TEST_SUITE_END()
