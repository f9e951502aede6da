// SPDX-License-Identifier: MIT
#pragma once
/// Helpers shared by the unit suites: building JWTs, compressing in memory,
/// reading an input into chunks, and running chunks through the real
/// worker or the normalizer. Header-only; every suite includes it.

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/cli/config.hpp"
#include "analyzer/engine/record_stage.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/sinks.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/event/event.hpp"
#include "analyzer/ingest/byte_source.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/reader.hpp"
#include "analyzer/report/escape.hpp"

// Boost.Test prints values of failed checks; teach it the engine's enums.
namespace analyzer::event {
inline std::ostream& boost_test_print_type(std::ostream& os, outcome o) {
  switch (o) {
    case outcome::ok: return os << "ok";
    case outcome::failure: return os << "failure";
    case outcome::malformed: return os << "malformed";
    case outcome::skipped: return os << "skipped";
  }
  return os << "?";
}
inline std::ostream& boost_test_print_type(std::ostream& os, failure_kind k) {
  return os << name_of(k);
}
inline std::ostream& boost_test_print_type(std::ostream& os, token_kind k) {
  return os << name_of(k);
}
inline std::ostream& boost_test_print_type(std::ostream& os,
                                           field_value::kind k) {
  static const char* names[] = {"absent", "boolean", "number", "text"};
  return os << names[static_cast<int>(k)];
}
}  // namespace analyzer::event

namespace analyzer::core {
inline std::ostream& boost_test_print_type(std::ostream& os, severity s) {
  return os << (s == severity::error ? "error"
                : s == severity::warning ? "warning" : "note");
}
}  // namespace analyzer::core

namespace analyzer::rules {
inline std::ostream& boost_test_print_type(std::ostream& os, retry_advice r) {
  return os << name_of(r);
}
}  // namespace analyzer::rules

namespace analyzer::ingest {
inline std::ostream& boost_test_print_type(std::ostream& os, input_format f) {
  return os << name_of(f);
}
inline std::ostream& boost_test_print_type(std::ostream& os, compression c) {
  return os << name_of(c);
}
}  // namespace analyzer::ingest

namespace test_support {

namespace fs = std::filesystem;
using namespace analyzer;

inline std::string source_dir() { return ANALYZER_SOURCE_DIR; }
/// tests/data: inputs made for the tests, and a copy of the shared HAR
/// fixtures (tests/data/har-fixtures/SOURCES.md), so a clone runs alone.
inline std::string test_data_dir() { return ANALYZER_TEST_DATA_DIR; }

/// Reader options with small chunks, to cut inputs into many pieces.
inline ingest::reader_options options_with(size_t chunk_bytes,
                                           size_t max_record_bytes = size_t{64} << 20) {
  ingest::reader_options o;
  o.chunk_bytes = chunk_bytes;
  o.max_record_bytes = max_record_bytes;
  return o;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ---- JWTs --------------------------------------------------------------

inline std::string base64url(std::string_view in) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 0x3F];
  return out;  // unpadded, as JWTs are
}

/// A JWT with the given claims JSON and a fake signature.
inline std::string make_jwt(std::string_view claims_json) {
  return base64url(R"({"alg":"HS256","typ":"JWT"})") + "." +
         base64url(claims_json) + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
}

// ---- compression -------------------------------------------------------

/// One gzip member (deflate with a gzip header, windowBits 31).
inline std::string gzip(std::string_view in) {
  z_stream z{};
  BOOST_REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) ==
                Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  BOOST_REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// What zlib itself can decompress from a (possibly cut) gzip stream.
inline std::string gunzip_prefix(std::string_view in) {
  z_stream z{};
  BOOST_REQUIRE(inflateInit2(&z, 31) == Z_OK);
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc != Z_OK) break;
    if (z.avail_in == 0 && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  return out;
}

inline std::string zstd(std::string_view in, int level = 3) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
  BOOST_REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

/// What libzstd itself can decompress from a (possibly cut) zstd stream.
inline std::string unzstd_prefix(std::string_view in) {
  ZSTD_DStream* d = ZSTD_createDStream();
  std::string out;
  char buf[16384];
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  for (;;) {
    ZSTD_outBuffer ob{buf, sizeof buf, 0};
    size_t rc = ZSTD_decompressStream(d, &ob, &ib);
    out.append(buf, ob.pos);
    if (ZSTD_isError(rc)) break;
    if (ib.pos == ib.size && ob.pos < ob.size) break;
  }
  ZSTD_freeDStream(d);
  return out;
}

// ---- reading -----------------------------------------------------------

/// Everything a read produced: the report and the chunks, in order.
struct read_result {
  ingest::input_report report;
  std::vector<ingest::chunk> chunks;
};

inline read_result read_bytes(std::string_view bytes,
                              const ingest::reader_options& options,
                              const std::string& path = "input.jsonl",
                              uint32_t source = 0) {
  ingest::buffer_pool pool;  // fresh: buffers sized by these options only
  read_result out;
  auto opened = ingest::wrap_decompressor(ingest::memory_source(bytes));
  out.report = ingest::read_stream(
      source, path, std::move(opened), options, pool,
      [&](ingest::chunk&& c) { out.chunks.push_back(std::move(c)); });
  return out;
}

inline read_result read_path(const std::string& path,
                             const ingest::reader_options& options) {
  ingest::buffer_pool pool;
  read_result out;
  out.report = ingest::read_input(
      0, path, options, pool,
      [&](ingest::chunk&& c) { out.chunks.push_back(std::move(c)); });
  return out;
}

/// The rule set with no rules at all (`--no-builtin-rules`, no --rules).
inline const rules::ruleset& empty_ruleset() {
  static std::unique_ptr<rules::ruleset> rs = [] {
    core::diagnostics problems;
    auto r = cli::load_ruleset({}, true, problems);
    BOOST_REQUIRE(r);
    BOOST_REQUIRE(problems.empty());
    return r;
  }();
  return *rs;
}

/// One `--events` line, picked apart.
struct event_line {
  std::string text;
  std::optional<int64_t> line, entry;
  std::string cause, request_id, error, method, endpoint;
  std::optional<int> status;
};

/// Reads the raw value of `"key":` in a flat JSON line: a string's content
/// (escapes left as they are), or a literal's text.
inline std::optional<std::string> json_value(std::string_view s,
                                             std::string_view key) {
  std::string pat = "\"" + std::string(key) + "\":";
  size_t at = s.find(pat);
  if (at == std::string_view::npos) return std::nullopt;
  size_t p = at + pat.size();
  if (p < s.size() && s[p] == '"') {
    std::string out;
    for (++p; p < s.size() && s[p] != '"'; ++p) {
      if (s[p] == '\\' && p + 1 < s.size()) out += s[p++];
      out += s[p];
    }
    return out;
  }
  size_t end = s.find_first_of(",}", p);
  std::string lit(s.substr(p, end - p));
  if (lit == "null") return std::nullopt;
  return lit;
}

inline event_line parse_event_line(std::string_view s) {
  event_line e;
  e.text = std::string(s);
  if (auto v = json_value(s, "line")) e.line = std::stoll(*v);
  if (auto v = json_value(s, "entry")) e.entry = std::stoll(*v);
  if (auto v = json_value(s, "status")) e.status = std::stoi(*v);
  e.cause = json_value(s, "cause").value_or("");
  e.request_id = json_value(s, "request_id").value_or("");
  e.error = json_value(s, "error").value_or("");
  e.method = json_value(s, "method").value_or("");
  e.endpoint = json_value(s, "endpoint").value_or("");
  return e;
}

/// The chunks run through the real analyze worker (no rules): its
/// aggregate and its `--events` lines.
struct worker_result {
  aggregate::aggregator agg{0};
  std::vector<event_line> events;
};

inline worker_result run_worker(const std::vector<ingest::chunk>& chunks,
                                size_t max_record_bytes = size_t{64} << 20,
                                const rules::ruleset* rs = nullptr) {
  const rules::ruleset& rules = rs != nullptr ? *rs : empty_ruleset();
  analyzer::engine::events_config events;
  events.rules = &rules;
  events.source_json = {report::json_quote("input"), report::json_quote("input-1"),
                        report::json_quote("input-2")};
  analyzer::engine::stage_config config;
  config.rules = &rules;
  config.max_record_bytes = max_record_bytes;
  config.manifest_index = {0, 1, 2};
  int causes = rules.cause_count();
  config.sinks = {[causes] { return std::make_unique<analyzer::engine::aggregate_sink>(causes); },
                  [&events] { return std::make_unique<analyzer::engine::events_sink>(events); }};
  analyzer::engine::record_stage worker(config);
  std::string out;
  for (const auto& c : chunks) out += worker.process(c);
  analyzer::engine::run_state state(analyzer::engine::cause_table(rules));
  worker.finish(state);
  worker_result r;
  r.agg = state.agg;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    r.events.push_back(parse_event_line(line));
  }
  return r;
}

/// One record normalized from a chunk (HAR entries, reader-made records).
struct normalized_record {
  int64_t number = 0;  // entry (HAR) or line
  event::outcome result = event::outcome::ok;
  event::failure_kind failure = event::failure_kind::none;
  int status = 0;
  std::string reason;  // malformed reason (reader's or normalizer's)
  std::string error;   // transport error text
  std::string method, endpoint;
};

/// Normalizes every explicit record of the chunks (HAR input).
inline std::vector<normalized_record> normalize_records(
    const std::vector<ingest::chunk>& chunks) {
  event::field_plan plan;
  ingest::normalizer norm(plan);
  event::event ev;
  std::vector<normalized_record> out;
  for (const auto& c : chunks) {
    BOOST_REQUIRE(c.explicit_records);
    for (const auto& r : c.records) {
      normalized_record n;
      n.number = r.number;
      if (!r.error.empty()) {
        n.result = event::outcome::malformed;
        n.reason = r.error;
      } else {
        const char* begin = c.buf.data.get() + r.offset;
        norm.normalize({begin, r.length},
                       c.buf.capacity - r.offset, ev);
        n.result = ev.result;
        n.failure = ev.failure;
        n.status = ev.status;
        n.reason = std::string(ev.malformed_reason);
        n.error = std::string(ev.error);
        n.method = std::string(ev.method);
        n.endpoint = std::string(ev.endpoint);
      }
      out.push_back(std::move(n));
    }
  }
  return out;
}

// ---- files -------------------------------------------------------------

/// A fresh directory under the system temp dir, removed at scope exit.
class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("kt-unit-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string write(const std::string& name, std::string_view text) const {
    fs::path p = path_ / name;
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace test_support
