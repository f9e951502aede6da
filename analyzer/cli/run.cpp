// SPDX-License-Identifier: MIT
// `analyze` as an ordered list of phases: configure → load rules → expand
// inputs → stream (read, normalize, classify, aggregate on every core) →
// merge → report.
#include "analyzer/cli/run.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <thread>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/inputs.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/worker.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::cli {

int64_t now_ms() {
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
    if (auto v = core::parse_int(sde)) return *v * 1000;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

exit_code main_entry(int argc, char** argv) {
  options o;
  if (auto early = parse_options(argc, argv, o)) return *early;
  switch (o.cmd) {
    case command::analyze: return run_analyze(o);
    case command::rules_list: return run_rules_list(o);
    case command::rules_check: return run_rules_check(o);
    case command::rules_test: return run_rules_test(o);
    case command::explain: return run_explain(o);
    case command::none: break;
  }
  print_usage_error("no command given");
  return exit_code::error;
}

namespace {

/// Validated settings for one analyze run.
struct analyze_config {
  std::vector<std::string> inputs;
  ingest::pipeline_options pipeline;
  worker_config worker;
  bool color = false;
};

bool configure(const options& o, analyze_config& c) {
  int64_t now = now_ms();
  for (auto [text, out] : {std::pair{&o.since, &c.worker.since_ms},
                           std::pair{&o.until, &c.worker.until_ms}}) {
    if (text->empty()) continue;
    *out = event::parse_time_bound(*text, now);
    if (!*out) {
      print_usage_error(fmt::format("invalid time `{}`: use RFC 3339 "
                                    "(2026-11-24T03:00:00Z) or a duration such as 30m, 24h, 7d",
                                    *text));
      return false;
    }
  }
  std::vector<std::string> args = o.inputs;
  if (args.empty()) {
    if (isatty(STDIN_FILENO)) {
      print_usage_error("no INPUT given (and stdin is a terminal)");
      return false;
    }
    args.push_back("-");
  }
  c.inputs = expand_inputs(args);
  if (c.inputs.empty()) {
    print_usage_error("the given folders hold no log files (.jsonl, .ndjson, .json, .log, .har, .txt, "
                      "optionally .gz/.zst)");
    return false;
  }
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  c.pipeline.threads = o.threads > 0 ? o.threads : hw;
  c.pipeline.reader.max_record_bytes = o.max_record_bytes;
  c.pipeline.reader.format = o.input_format == "har"     ? ingest::input_format::har
                             : o.input_format == "jsonl" ? ingest::input_format::jsonl
                                                         : ingest::input_format::auto_detect;
  c.worker.max_record_bytes = o.max_record_bytes;
  c.worker.write_events = !o.events.empty();
  for (const auto& in : c.inputs) {
    c.worker.source_json.push_back(report::json_quote(in == "-" ? "<stdin>" : in));
  }
  bool tty = o.output.empty() && isatty(STDOUT_FILENO);
  c.color = o.color == "always" || (o.color == "auto" && tty && std::getenv("NO_COLOR") == nullptr);
  return true;
}

std::vector<report::input_info> describe_inputs(const std::vector<ingest::input_report>& reports) {
  std::vector<report::input_info> out;
  for (const auto& r : reports) {
    report::input_info in;
    in.path = r.path == "-" ? "<stdin>" : r.path;
    in.format = std::string(ingest::name_of(r.format));
    in.compression = std::string(ingest::name_of(r.kind));
    in.raw_bytes = r.raw_bytes;
    in.bytes = r.bytes;
    in.unreadable = r.unreadable;
    in.errors = r.errors;
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace

exit_code run_analyze(const options& o) {
  analyze_config cfg;
  if (!configure(o, cfg)) return exit_code::error;

  core::diagnostics problems;
  auto rules = load_ruleset(o.rule_paths, o.no_builtin_rules, problems);
  print_diagnostics(problems);
  if (!rules) {
    print_error(fmt::format("the rules are invalid ({} problem{}); nothing was analyzed",
                            problems.size(), problems.size() == 1 ? "" : "s"));
    return exit_code::error;
  }
  cfg.worker.rules = rules.get();

  std::FILE* events = nullptr;
  if (!o.events.empty()) {
    events = o.events == "-" ? stdout : std::fopen(o.events.c_str(), "wb");
    if (events == nullptr) {
      print_usage_error(fmt::format("cannot write --events file {}", o.events));
      return exit_code::error;
    }
  }

  std::vector<std::unique_ptr<ingest::chunk_worker>> workers;
  for (unsigned i = 0; i < cfg.pipeline.threads; ++i) {
    workers.push_back(std::make_unique<analyze_worker>(cfg.worker));
  }
  auto reports = ingest::run_pipeline(cfg.inputs, cfg.pipeline, workers, [&](std::string&& lines) {
    if (events == stdout) {
      print_out(lines);
    } else if (std::fwrite(lines.data(), 1, lines.size(), events) != lines.size()) {
      throw std::runtime_error(fmt::format("cannot write --events file {}", o.events));
    }
  });
  if (events != nullptr && events != stdout && std::fclose(events) != 0) {
    print_error(fmt::format("cannot write --events file {}", o.events));
    return exit_code::error;
  }

  aggregate::aggregator total(rules->size());
  for (const auto& w : workers) total.merge(static_cast<const analyze_worker&>(*w).result());

  auto s = report::summary::build(total, *rules, describe_inputs(reports));
  s.tool_version = KLING_TRIAGE_VERSION;
  s.generated_at = event::format_time(now_ms());
  s.since_ms = cfg.worker.since_ms;
  s.until_ms = cfg.worker.until_ms;
  std::string text = o.format == "json" ? report::write_json(s) : report::write_text(s, cfg.color);
  if (auto err = write_file(o.output, text); !err.empty()) {
    print_error(err);
    return exit_code::error;
  }

  bool input_error = false;
  for (const auto& r : s.inputs) {
    for (const auto& e : r.errors) {
      print_error(fmt::format("{}: {}", r.path, e));
      input_error = true;
    }
  }
  return input_error ? exit_code::error : exit_code::ok;
}

}  // namespace analyzer::cli
