// SPDX-License-Identifier: MIT
// `analyze` as an ordered list of phases: configure → load rules → expand
// inputs → stream (read, normalize, classify, aggregate on every core) →
// merge → report.
#include "analyzer/cli/run.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <fmt/format.h>
#include <thread>
#include <tuple>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/fail_on.hpp"
#include "analyzer/cli/inputs.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/profile_commands.hpp"
#include "analyzer/cli/progress.hpp"
#include "analyzer/cli/run_stats.hpp"
#include "analyzer/cli/worker.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/escape.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::cli {

int64_t now_ms() {
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
    auto v = core::parse_int(sde);
    if (v && *v >= 0 && *v <= event::max_time_ms / 1000) return *v * 1000;
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
    case command::rules_suggest: return run_rules_suggest(o);
    case command::explain: return run_explain(o);
    case command::profiles_list: return run_profiles_list(o);
    case command::profiles_check: return run_profiles_check(o);
    case command::profiles_test: return run_profiles_test(o);
    case command::profiles_detect: return run_profiles_detect(o);
    case command::completion: return run_completion(o);
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
  std::vector<fail_on_condition> gate;
  bool progress = false;
};

/// Every --fail-on condition, each problem reported (usage errors).
bool configure_gate(const options& o, analyze_config& c) {
  std::vector<std::string> problems;
  for (const auto& text : o.fail_on) {
    std::string why;
    if (auto cond = parse_fail_on(text, why)) {
      c.gate.push_back(std::move(*cond));
    } else {
      problems.push_back(fmt::format("invalid --fail-on condition `{}`: {}", text, why));
    }
  }
  for (size_t i = 0; i + 1 < problems.size(); ++i) print_error(problems[i]);
  if (!problems.empty()) print_usage_error(problems.back());  // the --help hint once
  return problems.empty();
}

bool configure_window(const options& o, analyze_config& c) {
  int64_t now = now_ms();
  for (auto [flag, text, out] : {std::tuple{"--since", &o.since, &c.worker.since_ms},
                                 std::tuple{"--until", &o.until, &c.worker.until_ms}}) {
    if (!text->has_value()) continue;
    std::string why;
    *out = event::parse_time_bound(**text, now, &why);
    if (*out) continue;
    std::string_view help = "use RFC 3339 (2026-11-24T03:00:00Z) or a duration such as 30m, 24h, 7d";
    print_usage_error(why == "empty" ? fmt::format("{} needs a time: {}", flag, help)
                      : why == "ambiguous"
                          ? fmt::format("invalid time `{}` for {}: a bare number is ambiguous; {}",
                                        **text, flag, help)
                      : why == "invalid" ? fmt::format("invalid time `{}` for {}: {}", **text, flag, help)
                                         : fmt::format("time `{}` for {} is {}", **text, flag, why));
    return false;
  }
  return true;
}

bool configure_inputs(const options& o, analyze_config& c) {
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
  return true;
}

/// `--events` or `-o` naming an input would empty it before it is read
/// (the report then says 0 records): a usage error, as is both naming one file.
bool configure_outputs(const options& o, const analyze_config& c) {
  namespace fs = std::filesystem;
  std::vector<std::pair<const char*, const std::string*>> outputs;
  if (!o.output.empty() && o.output != "-") outputs.emplace_back("-o", &o.output);
  if (!o.events.empty() && o.events != "-") outputs.emplace_back("--events", &o.events);
  std::error_code ec;
  for (const auto& [flag, path] : outputs) {
    if (!fs::exists(*path, ec)) continue;
    for (const auto& in : c.inputs) {
      if (in != "-" && fs::equivalent(*path, in, ec)) {
        print_usage_error(fmt::format("{} {} is an input: writing it would destroy it", flag, *path));
        return false;
      }
    }
  }
  if (outputs.size() == 2 && (*outputs[0].second == *outputs[1].second ||
                              fs::equivalent(*outputs[0].second, *outputs[1].second, ec))) {
    print_usage_error(fmt::format("-o and --events both name {}", o.output));
    return false;
  }
  return true;
}

bool configure(const options& o, analyze_config& c) {
  if (!configure_gate(o, c) || !configure_window(o, c) || !configure_inputs(o, c) ||
      !configure_outputs(o, c)) {
    return false;
  }
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  c.pipeline.threads = o.threads > 0 ? o.threads : hw;
  c.pipeline.reader.max_record_bytes = o.max_record_bytes;
  c.pipeline.reader.max_depth = o.max_depth;
  c.worker.max_depth = o.max_depth;
  c.worker.bounds.max_distinct = o.max_distinct;
  c.worker.bounds.max_timeline_cells = o.max_timeline_cells;
  c.pipeline.reader.format = o.input_format == "har"     ? ingest::input_format::har
                             : o.input_format == "jsonl" ? ingest::input_format::jsonl
              : o.input_format == "json"  ? ingest::input_format::json
                                                         : ingest::input_format::auto_detect;
  c.worker.max_record_bytes = o.max_record_bytes;
  c.worker.write_events = !o.events.empty();
  for (const auto& in : c.inputs) {
    c.worker.source_json.push_back(report::json_quote(in == "-" ? "<stdin>" : in));
  }
  bool tty = o.output.empty() && isatty(STDOUT_FILENO);
  c.color = o.color == "always" || (o.color == "auto" && tty && std::getenv("NO_COLOR") == nullptr);
  // Events streamed to the same terminal would tear the progress line.
  bool events_on_tty = o.events == "-" && isatty(STDOUT_FILENO);
  c.progress = progress_wanted(o.progress) && !(o.progress == "auto" && events_on_tty);
  return true;
}

std::vector<report::input_info> describe_inputs(const std::vector<ingest::input_report>& reports,
                                                const profile::profile_set& profiles) {
  std::vector<report::input_info> out;
  for (const auto& r : reports) {
    report::input_info in;
    if (r.profile >= 0) in.profile = profiles.profiles[static_cast<size_t>(r.profile)]->id;
    in.path = r.path == "-" ? "<stdin>" : r.path;
    in.format = std::string(ingest::name_of(r.format));
    in.compression = std::string(ingest::name_of(r.kind));
    in.encoding = r.encoding;
    in.line_ends = r.line_ends;
    in.raw_bytes = r.raw_bytes;
    in.bytes = r.bytes;
    in.unreadable = r.unreadable;
    in.errors = r.errors;
    out.push_back(std::move(in));
  }
  return out;
}

/// The rules, or null after printing why not.
std::unique_ptr<rules::ruleset> load_rules(const options& o, const analyze_config& c) {
  core::diagnostics problems;
  auto rules = load_ruleset(o.rule_paths, o.no_builtin_rules, problems, {}, rule_limits(o));
  print_diagnostics(problems);
  if (!rules) {
    print_error(fmt::format("the rules are invalid ({} problem{}); nothing was analyzed",
                            problems.size(), problems.size() == 1 ? "" : "s"));
    return nullptr;
  }
  // An unknown id is not an error (a cause may simply not exist yet), but
  // it is most often a typo in the nightly job.
  for (const auto& w : unknown_id_warnings(c.gate, *rules)) print_warning(w);
  return rules;
}

/// Reads every input through the workers, writing --events in input order.
/// nullopt (after printing why) when the events file cannot be written.
std::optional<std::vector<ingest::input_report>> stream(
    const options& o, analyze_config& cfg,
    std::vector<std::unique_ptr<ingest::chunk_worker>>& workers) {
  std::optional<output_file> events;
  if (!o.events.empty()) {
    events.emplace(o.events);
    if (!events->ok()) {
      print_error(fmt::format("--events: {}", events->error()));
      return std::nullopt;
    }
  }
  ingest::progress_counters counters;
  std::optional<progress_display> progress;
  if (cfg.progress) {
    cfg.pipeline.progress = cfg.worker.progress = &counters;
    progress.emplace(counters, total_input_bytes(cfg.inputs));
  }
  for (unsigned i = 0; i < cfg.pipeline.threads; ++i) {
    workers.push_back(std::make_unique<analyze_worker>(cfg.worker));
  }
  // A failed write stops the run (write_failed reaches main: exit 2).
  auto reports = ingest::run_pipeline(cfg.inputs, cfg.pipeline, workers,
                                      [&](std::string&& lines) { events->write(lines); });
  if (progress) progress->stop();
  cfg.pipeline.progress = cfg.worker.progress = nullptr;
  if (events) events->close();
  return reports;
}

/// How the report leaves: redaction written in its format; control
/// characters escaped in every human-readable format (the coloured text
/// report escapes each value itself: its colours are control sequences).
output_style report_style(const options& o, bool color) {
  if (o.format == "json") return machine_output;
  if (o.format == "markdown") return {core::redact_style::markdown, true};
  if (o.format == "html") return {core::redact_style::html, true};
  return {core::redact_style::plain, !color};
}

std::string render(const options& o, const report::summary& s, bool color) {
  if (o.format == "json") return report::write_json(s);
  if (o.format == "markdown") return report::write_markdown(s);
  if (o.format == "html") return report::write_html(s);
  return report::write_text(s, color);
}

/// Each input's errors on stderr; true when there was any.
bool report_input_errors(const report::summary& s) {
  bool any = false;
  for (const auto& r : s.inputs) {
    for (const auto& e : r.errors) {
      print_error(fmt::format("{}: {}", r.path, e));
      any = true;
    }
  }
  return any;
}

/// A line on stderr per met condition: the report may be a file nobody
/// reads unless the job fails.
void report_gate(const std::vector<report::gate_result>& gate) {
  for (const auto& g : gate) {
    if (!g.met) continue;
    bool rate = g.condition.rfind("failure-rate", 0) == 0;
    print_err(fmt::format("kling-triage: --fail-on `{}` met (value {})\n", g.condition,
                          rate ? fmt::format("{:.2f}%", g.value * 100) : fmt::format("{}", g.value)));
  }
}

run_stats collect_stats(const report::summary& s, unsigned threads) {
  run_stats st;
  st.records = s.agg->records + s.agg->filtered;
  st.inputs = s.inputs.size();
  for (const auto& in : s.inputs) {
    st.raw_bytes += in.raw_bytes;
    st.bytes += in.bytes;
  }
  st.threads = threads;
  return st;
}

}  // namespace

exit_code run_analyze(const options& o) {
  phase_clock clock;
  analyze_config cfg;
  if (!configure(o, cfg)) return exit_code::error;

  auto rules = load_rules(o, cfg);
  if (!rules) return exit_code::error;
  cfg.worker.rules = rules.get();
  int forced = -1;
  auto profiles = load_profiles_for(o, forced);
  if (!profiles) return exit_code::error;
  cfg.worker.profiles = profiles.get();
  for (const auto& p : profiles->profiles) cfg.worker.profile_json.push_back(report::json_quote(p->id));
  cfg.pipeline.reader.choose_profile = make_chooser(*profiles, forced);
  double load_rules_s = clock.lap();

  // Workers each own an aggregator; merged exactly below.
  std::vector<std::unique_ptr<ingest::chunk_worker>> workers;
  auto reports = stream(o, cfg, workers);
  if (!reports) return exit_code::error;
  double stream_s = clock.lap();

  aggregate::aggregator total(rules->cause_count(), cfg.worker.bounds);
  for (const auto& w : workers) total.merge(static_cast<const analyze_worker&>(*w).result());
  total.finish();
  double merge_s = clock.lap();

  auto s = report::summary::build(total, *rules, describe_inputs(*reports, *profiles));
  s.tool_version = KLING_TRIAGE_VERSION;
  s.generated_at = event::format_time(now_ms());
  s.since_ms = cfg.worker.since_ms;
  s.until_ms = cfg.worker.until_ms;
  s.show_prompts = o.show_prompts;
  s.gate = evaluate_gate(cfg.gate, s);
  if (auto err = write_file(o.output, render(o, s, cfg.color), report_style(o, cfg.color));
      !err.empty()) {
    print_error(err);
    return exit_code::error;
  }
  double report_s = clock.lap();

  bool input_error = report_input_errors(s);
  report_gate(s.gate);
  if (o.stats) {
    run_stats st = collect_stats(s, cfg.pipeline.threads);
    st.load_rules_s = load_rules_s;
    st.stream_s = stream_s;
    st.merge_s = merge_s;
    st.report_s = report_s;
    st.total_s = clock.total();
    print_err(format_stats(st, peak_memory_bytes()));
  }
  // An unreadable input wins: the gate was measured on partial data.
  if (input_error) return exit_code::error;
  return gate_failed(s.gate) ? exit_code::findings : exit_code::ok;
}

}  // namespace analyzer::cli
