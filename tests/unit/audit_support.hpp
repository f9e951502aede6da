// SPDX-License-Identifier: MIT
#pragma once
/// Test-only: canonical JSON Lines → audit call_inputs (a small reader with
/// simdjson's DOM, standing in for the record stage until the audit is
/// wired into it), the bundled rules' retry advice per cause, and a
/// canonical dump of an audit_result for comparisons.

#include <simdjson.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/audit/audit.hpp"
#include "analyzer/audit/fact_sink.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/endpoint.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/rules/rule_loader.hpp"

namespace audit_support {

using namespace analyzer;

/// One call with the storage its views point into.
struct owned_call {
  std::list<std::string> text;
  std::vector<audit::named_task> request_tasks, answer_tasks;
  audit::call_input in;

  std::string_view keep(std::string_view s) { return text.emplace_back(s); }
};

/// Retry advice of every bundled cause, by cause id.
inline std::map<std::string, audit::retry_advice> bundled_advice() {
  rules::rule_library lib;
  for (const auto& src : rules::builtin_rule_sources()) rules::load_rule_file(src, lib);
  rules::resolve_library(lib);
  std::map<std::string, audit::retry_advice> out;
  for (const auto& c : lib.causes) {
    switch (lib.rules[static_cast<size_t>(c.first_rule)].retryable) {
      case rules::retry_advice::yes: out[c.id] = audit::retry_advice::yes; break;
      case rules::retry_advice::no: out[c.id] = audit::retry_advice::no; break;
      case rules::retry_advice::after_fix: out[c.id] = audit::retry_advice::after_fix; break;
      case rules::retry_advice::unknown: out[c.id] = audit::retry_advice::unknown; break;
    }
  }
  out["unclassified.unknown"] = audit::retry_advice::unknown;
  return out;
}

/// Reads `<line>\t<cause>` (or the kling-api scenarios file, cause last).
inline std::map<int64_t, std::string> read_causes(const std::string& path) {
  std::map<int64_t, std::string> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    auto tab = line.find('\t');
    auto last = line.rfind('\t');
    if (tab == std::string::npos) continue;
    out[std::stoll(line.substr(0, tab))] = line.substr(last + 1);
  }
  return out;
}

/// A member, or null when `e` is not an object or has none.
inline simdjson::dom::element member(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::element v;
  if (e.is_object() && !e[key].get(v)) return v;
  static simdjson::dom::parser nulls;
  static const simdjson::dom::element null = nulls.parse(std::string_view("null")).value();
  return null;
}

inline std::string_view str_or(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e.is_object() && !e[key].get(s)) return s;
  return {};
}

inline std::string_view header(simdjson::dom::element headers, std::string_view name) {
  simdjson::dom::object obj;
  if (headers.get(obj)) return {};
  for (auto [k, v] : obj) {
    std::string_view s;
    if (analyzer::core::iequals(k, name) && !v.get(s)) return s;
  }
  return {};
}

/// The task an object names: legacy task_id / task_status, 2026 id / status.
inline void named(owned_call& c, simdjson::dom::element obj, std::vector<audit::named_task>& out) {
  if (!obj.is_object()) return;
  std::string_view id = str_or(obj, "task_id"), st = str_or(obj, "task_status");
  if (id.empty()) id = str_or(obj, "id"), st = str_or(obj, "status");
  if (!id.empty()) out.push_back({c.keep(id), c.keep(st)});
}

inline void fill(owned_call& c, simdjson::dom::element rec, const std::string& line,
                 const std::string& cause, audit::retry_advice advice) {
  auto& in = c.in;
  in.record_bytes = c.keep(line);
  if (auto ts = str_or(rec, "ts"); !ts.empty()) in.ts_ms = event::parse_time_text(ts);
  double d = 0;
  if (!member(rec, "duration_ms").get(d)) in.duration_ms = d;
  auto req = member(rec, "request");
  in.method = c.keep(str_or(req, "method"));
  in.url = c.keep(str_or(req, "url"));
  std::string folded;
  event::fold_ids(event::split_url(in.url).path, folded);
  in.endpoint = c.keep(folded);
  in.authorization = c.keep(header(member(req, "headers"), "authorization"));
  simdjson::dom::element body = member(req, "body");
  if (!body.is_null()) {
    std::string_view s;
    if (!body.get(s)) {
      in.request_body = c.keep(s);
    } else {
      in.request_body = c.keep(simdjson::to_string(body));
      in.external_task_id = c.keep(str_or(body, "external_task_id"));
      in.callback_url = c.keep(str_or(body, "callback_url"));
      named(c, body, c.request_tasks);
      named(c, member(body, "data"), c.request_tasks);
      simdjson::dom::array ids;
      if (!member(body, "task_ids").get(ids)) {
        for (auto id : ids) {
          std::string_view s2;
          if (!id.get(s2)) c.request_tasks.push_back({c.keep(s2), {}});
        }
      }
    }
  }
  auto resp = member(rec, "response");
  int64_t status = 0;
  if (!member(resp, "status").get(status)) in.status = static_cast<int>(status);
  in.retry_after = c.keep(header(member(resp, "headers"), "retry-after"));
  simdjson::dom::element rb = member(resp, "body");
  if (rb.is_object()) {
    int64_t code = 0;
    if (!member(rb, "code").get(code)) in.code = code;
    in.request_id = c.keep(str_or(rb, "request_id"));
    simdjson::dom::element data = member(rb, "data");
    if (!data.is_null()) {
      simdjson::dom::array arr;
      if (!data.get(arr)) {
        for (auto e : arr) named(c, e, c.answer_tasks);
      } else {
        named(c, data, c.answer_tasks);
        in.answer_external_task_id =
            c.keep(str_or(member(data, "task_info"), "external_task_id"));
      }
    }
  }
  in.request_tasks = c.request_tasks;
  in.answer_tasks = c.answer_tasks;
  in.failure = cause != "ok";
  if (in.failure) in.cause = c.keep(cause);
  in.retryable = advice;
}

/// Canonical JSON lines → calls, with causes from `causes` (line → cause
/// id, "ok" for successes).
inline std::list<owned_call> read_lines(const std::vector<std::string>& lines,
                                        const std::string& source_name,
                                        const std::map<int64_t, std::string>& causes) {
  static const auto advice = bundled_advice();
  std::list<owned_call> out;
  simdjson::dom::parser parser;
  int64_t n = 0;
  for (const auto& line : lines) {
    ++n;
    simdjson::dom::element rec;
    BOOST_REQUIRE_MESSAGE(!parser.parse(line).get(rec), source_name << ":" << n << " is not JSON");
    auto it = causes.find(n);
    std::string cause = it == causes.end() ? "ok" : it->second;
    auto a = advice.find(cause);
    auto& c = out.emplace_back();
    c.in.source_path = c.keep(source_name);
    c.in.line = n;
    fill(c, rec, line, cause, a == advice.end() ? audit::retry_advice::unknown : a->second);
  }
  return out;
}

/// Every line of a canonical JSONL file.
inline std::list<owned_call> read_calls(const std::string& path, const std::string& source_name,
                                        const std::map<int64_t, std::string>& causes) {
  std::ifstream f(path);
  BOOST_REQUIRE_MESSAGE(f, "cannot read " << path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(f, line)) lines.push_back(line);
  return read_lines(lines, source_name, causes);
}

/// Feeds calls into a store through a sink.
inline void feed(audit::fact_store& store, const std::list<owned_call>& calls) {
  audit::fact_sink sink(store);
  for (const auto& c : calls) BOOST_REQUIRE(sink.add(c.in));
}

inline std::string pos(const audit::audit_result& r, const audit::record_pos& p) {
  std::ostringstream os;
  os << r.sources[p.source] << (p.entry >= 0 ? "#" : ":") << (p.entry >= 0 ? p.entry : p.line);
  return os.str();
}

/// Everything in a result, one fact a line, in a fixed order.
inline std::string dump(const audit::audit_result& r) {
  std::ostringstream os;
  auto pct = [&](const char* name, const audit::percentiles& p) {
    os << name << " n=" << p.n << " p50=" << p.p50.value_or(-1) << " p90=" << p.p90.value_or(-1)
       << " p99=" << p.p99.value_or(-1) << "\n";
  };
  os << "end " << r.end_ms.value_or(-1) << " calls " << r.calls << " untimed " << r.untimed_calls
     << " callbacks " << r.callbacks << " unmatched " << r.callbacks_unmatched << "\n";
  const auto& t = r.tasks;
  os << "tasks created=" << t.created << " succeeded=" << t.succeeded << " failed=" << t.failed
     << " pending=" << t.pending << " orphaned=" << t.orphaned
     << " unknown_origin=" << t.unknown_origin << "\n";
  for (const auto& [k, v] : t.failed_by_cause) os << "failed_by " << k << " " << v << "\n";
  pct("time_to_result_ms", t.time_to_result_ms);
  pct("polls_per_task", t.polls_per_task);
  for (const auto& c : r.clients) {
    os << "client " << c.id << " calls=" << c.calls << " failures=" << c.failures
       << " peak=" << c.peak_in_flight << " tasks=" << c.tasks;
    for (size_t i = 0; i < audit::detector_count; ++i) os << " " << c.findings[i] << "/" << c.wasted[i];
    os << "\n";
    for (const auto& s : c.series) {
      os << "  series " << s.start_ms << " " << s.peak << " " << s.end << " " << s.concurrency_failures << "\n";
    }
  }
  for (const auto& d : r.detectors) {
    os << "detector " << audit::name_of(d.id) << " findings=" << d.findings
       << " wasted=" << d.wasted_calls << "\n";
    for (const auto& e : d.examples) {
      os << "  e.g. " << pos(r, e.at) << " ts=" << e.ts_ms << " rid=" << e.request_id << " "
         << e.client;
      if (e.earlier) os << " after " << pos(r, *e.earlier) << " ts=" << e.earlier_ts_ms;
      const auto& v = e.values;
      os << " values " << v.waited_ms << " " << v.told_ms << " " << v.gap_ms << " " << v.calls
         << " " << v.interval_ms << " " << v.idle_ms << " " << v.cause << "\n";
    }
  }
  for (const auto& m : r.marks) {
    os << "mark " << pos(r, m.at) << " " << audit::name_of(m.id);
    if (m.earlier) os << " after " << pos(r, *m.earlier);
    os << "\n";
  }
  return os.str();
}

inline const audit::client_result* client(const audit::audit_result& r, std::string_view id) {
  for (const auto& c : r.clients) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

/// A member that must be there.
inline simdjson::dom::element at(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::element v;
  BOOST_REQUIRE_MESSAGE(!e[key].get(v), "no member " << key);
  return v;
}

inline std::string data_path(const std::string& rel) {
  return std::string(ANALYZER_TEST_DATA_DIR) + "/" + rel;
}

}  // namespace audit_support
