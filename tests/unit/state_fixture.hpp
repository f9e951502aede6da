// SPDX-License-Identifier: MIT
#pragma once
/// A small run state built by hand (no rules, no input files): three inputs
/// (a JSON Lines file, a HAR file, a file read in two byte ranges), two
/// causes and unclassified, a few records each. For the engine's merge and
/// partial suites and the reporters' suite.

#include <string>
#include <vector>

#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/summary_build.hpp"

namespace test_support {

inline constexpr int64_t state_t0 = 1795489965000;  // 2026-11-24T03:12:45Z

inline std::vector<analyzer::engine::cause_info> small_causes() {
  return {{"rate_limit.requests", "rate_limit", "Too many requests", "yes",
           {"Honour `Retry-After`."}, "https://example.invalid/429"},
          {"billing.insufficient_credits", "billing", "No credits left", "no",
           {"Top up the account."}, ""},
          {"unclassified.unknown", "unclassified", "Failures no rule explains", "unknown",
           {"Add a rule."}, ""}};
}

/// One record into `s`: `cause` -1 is ok, -2 malformed, else a cause index.
inline void add_record(analyzer::engine::run_state& s, uint32_t source, int64_t line,
                       int64_t entry, int64_t offset_s, int cause, int status,
                       std::string_view message = "") {
  analyzer::event::event ev;
  ev.source = source;
  ev.line = line;
  ev.entry = entry;
  ev.ts_ms = state_t0 + offset_s * 1000;
  ev.method = "POST";
  ev.endpoint = "/v1/videos/text2video";
  ev.model = "kling-v2-1";
  ev.status = status;
  ev.message = message;
  std::string request_id = "req-" + std::to_string(line) + "-" + std::to_string(entry);
  ev.request_id = request_id;
  std::string bytes = "record " + std::to_string(source) + ":" + std::to_string(line) + ":" +
                      std::to_string(entry);
  analyzer::aggregate::record_bytes b(bytes);
  if (cause == -1) {
    ev.result = analyzer::event::outcome::ok;
    s.agg.add_ok(ev);
  } else if (cause == -2) {
    ev.result = analyzer::event::outcome::malformed;
    ev.ts_ms.reset();
    ev.malformed_reason = "not JSON: a line of plain text";
    s.agg.add_malformed(ev, b);
  } else {
    ev.result = analyzer::event::outcome::failure;
    s.agg.add_failure(ev, cause, b);
  }
}

inline analyzer::engine::input_entry small_input(std::string path, int64_t lines,
                                                 uint64_t checksum) {
  analyzer::engine::input_entry e;
  e.path = std::move(path);
  e.lines = lines;
  e.checksum = checksum;
  e.format = "jsonl";
  e.compression = "none";
  e.profile = "canonical";
  e.raw_bytes = e.bytes = lines * 100;
  return e;
}

struct small_record {
  uint32_t input;  // index in the full manifest below
  int64_t line, entry, offset_s;
  int cause, status;  // cause: -1 ok, -2 malformed
  const char* message;
};

/// The records of the state below, by input.
inline const std::vector<small_record>& small_records() {
  static const std::vector<small_record> records = {
      {0, 1, -1, 0, -1, 200, ""},
      {0, 2, -1, 30, 0, 429, "Too many requests"},
      {0, 3, -1, 90, 1, 429, "Account balance not enough"},
      {0, 4, -1, 0, -2, 0, ""},
      {1, 5, -1, 10, 0, 429, "Too many requests"},
      {1, 6, -1, 20, -1, 200, ""},
      {2, 2, -1, 5, 0, 429, "Too many requests"},  // line 12 of big.jsonl
      {2, 3, -1, 400, 2, 418, "I'm a teapot: 42"},
      {3, -1, 0, 60, -1, 200, ""},
      {3, -1, 1, 61, 0, 429, "Too many requests"}};
  return records;
}

/// The state of a run over inputs `keep` (indices into: a.jsonl whole,
/// big.jsonl in ranges [0, 1000) of 10 lines and [1000, 1700) of 7 lines,
/// c.har whole): what analyzing only those inputs gives.
inline analyzer::engine::run_state small_state(const std::vector<size_t>& keep = {0, 1, 2, 3}) {
  using namespace analyzer::engine;
  run_state s(small_causes());
  s.meta.tool_version = "0.0.test";
  s.meta.rules_digest = "sha256:" + std::string(64, 'a');
  s.meta.rule_count = 2;
  s.meta.profiles_digest = "sha256:" + std::string(64, 'b');
  s.meta.options = {{"since", ""}, {"until", ""}};
  std::vector<input_entry> all;
  all.push_back(small_input("a.jsonl", 6, 11));
  all.push_back(small_input("big.jsonl", 10, 12));
  all.back().range = byte_range{0, 1000};
  all.push_back(small_input("big.jsonl", 7, 13));
  all.back().range = byte_range{1000, 1700};
  all.push_back(small_input("c.har", 0, 14));
  all.back().format = "har";
  all.back().profile = "har";
  std::vector<int64_t> index(all.size(), -1);
  for (size_t k : keep) {
    index[k] = static_cast<int64_t>(s.inputs.size());
    s.inputs.push_back(all[k]);
  }
  for (const auto& r : small_records()) {
    if (index[r.input] < 0) continue;
    add_record(s, static_cast<uint32_t>(index[r.input]), r.line, r.entry, r.offset_s, r.cause,
               r.status, r.message);
  }
  s.agg.inputs.resize(s.inputs.size());
  return s;
}

}  // namespace test_support
