// SPDX-License-Identifier: MIT
// `analyze` as an ordered list of phases: configure → load rules and
// profiles → stream (the engine: read, normalize, classify, hand facts to
// the sinks on every core; their states merged) → deliver (partial,
// report, gate).
#include "analyzer/cli/run.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <future>
#include <system_error>
#include <fmt/format.h>
#include <thread>
#include <tuple>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/profile_commands.hpp"
#include "analyzer/cli/progress.hpp"
#include "analyzer/cli/run_stats.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/engine/analysis.hpp"
#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/callback_section.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "analyzer/engine/inputs.hpp"
#include "analyzer/engine/partial_codec.hpp"
#include "analyzer/engine/summary_build.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "analyzer/report/diff.hpp"
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
    case command::merge: return run_merge(o);
    case command::diff: return run_diff(o);
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
  engine::analysis_request request;
  bool color = false;
  std::vector<engine::fail_on_condition> gate;
  std::vector<engine::diff_condition> diff_gate;  // with --baseline
  bool progress = false;
};

bool configure_window(const options& o, analyze_config& c) {
  int64_t now = now_ms();
  for (auto [flag, text, out] : {std::tuple{"--since", &o.since, &c.request.options.since_ms},
                                 std::tuple{"--until", &o.until, &c.request.options.until_ms}}) {
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
  std::vector<std::string> repeated;
  c.request.inputs = engine::expand_inputs(args, &repeated);
  for (const auto& r : repeated) print_warning(fmt::format("{} is given twice; it is read once", r));
  if (c.request.inputs.empty()) {
    print_usage_error("the given folders hold no log files (.jsonl, .ndjson, .json, .log, .har, .txt, "
                      "optionally .gz/.zst)");
    return false;
  }
  return true;
}

/// `--byte-range START:END`, two byte offsets with START < END.
bool configure_range(const options& o, analyze_config& c) {
  if (o.byte_range.empty()) return true;
  auto colon = o.byte_range.find(':');
  auto start = core::parse_int(std::string_view(o.byte_range).substr(0, colon));
  auto end = colon == std::string::npos ? std::nullopt
                                        : core::parse_int(std::string_view(o.byte_range).substr(colon + 1));
  if (!start || !end || *start < 0 || *end <= *start) {
    print_usage_error(fmt::format("invalid --byte-range `{}`: give START:END, byte offsets with "
                                  "START < END (e.g. 0:268435456)", o.byte_range));
    return false;
  }
  c.request.byte_range = ingest::byte_range{*start, *end};
  return true;
}

/// `--events`, `-o` or `--partial` naming an input would empty it before
/// it is read (the report then says 0 records): a usage error, as is two
/// of them naming one file.
bool configure_outputs(const options& o, const analyze_config& c) {
  namespace fs = std::filesystem;
  std::vector<std::pair<const char*, const std::string*>> outputs;
  if (!o.output.empty() && o.output != "-") outputs.emplace_back("-o", &o.output);
  if (!o.events.empty() && o.events != "-") outputs.emplace_back("--events", &o.events);
  if (!o.partial.empty() && o.partial != "-") outputs.emplace_back("--partial", &o.partial);
  std::error_code ec;
  for (const auto& [flag, path] : outputs) {
    if (!fs::exists(*path, ec)) continue;
    for (const auto& in : c.request.inputs) {
      if (in != "-" && fs::equivalent(*path, in, ec)) {
        print_usage_error(fmt::format("{} {} is an input: writing it would destroy it", flag, *path));
        return false;
      }
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      const std::string& a = *outputs[i].second;
      const std::string& b = *outputs[j].second;
      if (a == b || fs::equivalent(a, b, ec)) {
        print_usage_error(fmt::format("{} and {} both name {}", outputs[i].first, outputs[j].first, a));
        return false;
      }
    }
  }
  return true;
}

/// --audit and its thresholds; an audit gate or threshold turns it on.
bool configure_audit(const options& o, analyze_config& c) {
  engine::audit_request audit;
  bool given = false;
  if (!parse_audit_thresholds(o, audit.thresholds, given)) return false;
  bool on = o.audit || given || engine::needs_audit(c.gate);
  // The facts in memory before a sorted run is spilled to $TMPDIR: a
  // share of the 256 MiB budget per worker.
  unsigned workers = std::max(1u, c.request.pipeline.threads);
  audit.store.memory_budget = audit.merged_budget / workers;
  if (on) c.request.audit = audit;
  return true;
}

bool configure(const options& o, analyze_config& c) {
  if (!parse_gates(o.fail_on, !o.baseline.empty(), c.gate, c.diff_gate) || !configure_window(o, c) ||
      !configure_inputs(o, c) || !configure_range(o, c) || !configure_outputs(o, c)) {
    return false;
  }
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  auto& r = c.request;
  r.pipeline.threads = o.threads > 0 ? o.threads : hw;
  r.pipeline.reader.max_record_bytes = o.max_record_bytes;
  r.pipeline.reader.max_depth = o.max_depth;
  r.pipeline.reader.format = o.input_format == "har"     ? ingest::input_format::har
                             : o.input_format == "jsonl" ? ingest::input_format::jsonl
                             : o.input_format == "json"  ? ingest::input_format::json
                                                         : ingest::input_format::auto_detect;
  r.options.max_record_bytes = o.max_record_bytes;
  r.options.max_depth = o.max_depth;
  r.options.bounds.max_distinct = o.max_distinct;
  r.options.bounds.max_timeline_cells = o.max_timeline_cells;
  r.options.input_format = o.input_format;
  r.options.profile = o.profile_id;
  r.tool_version = KLING_TRIAGE_VERSION;
  c.color = color_wanted(o);
  // Events streamed to the same terminal would tear the progress line.
  bool events_on_tty = o.events == "-" && isatty(STDOUT_FILENO);
  c.progress = progress_wanted(o.progress) && !(o.progress == "auto" && events_on_tty);
  return configure_audit(o, c);
}

/// The rules, or null after printing why not.
std::unique_ptr<rules::ruleset> load_rules(const options& o) {
  core::diagnostics problems;
  auto rules = load_ruleset(o.rule_paths, o.no_builtin_rules, problems, {}, rule_limits(o), false);
  print_diagnostics(problems);
  if (!rules) {
    print_error(fmt::format("the rules are invalid ({} problem{}); nothing was analyzed",
                            problems.size(), problems.size() == 1 ? "" : "s"));
  }
  return rules;
}

/// Runs the analysis, writing --events in input order. nullopt (after
/// printing why) when the events file cannot be opened or a byte range
/// cannot be read; a failed write stops the run (write_failed reaches
/// main: exit 2).
std::optional<engine::run_state> stream(const options& o, analyze_config& cfg) {
  std::optional<output_file> events;
  if (!o.events.empty()) {
    events.emplace(o.events);
    if (!events->ok()) {
      print_error(fmt::format("--events: {}", events->error()));
      return std::nullopt;
    }
    cfg.request.events = [&](std::string&& lines) { events->write(lines); };
  }
  ingest::progress_counters counters;
  std::optional<progress_display> progress;
  if (cfg.progress) {
    cfg.request.pipeline.progress = &counters;
    progress.emplace(counters, total_input_bytes(cfg.request.inputs));
  }
  std::string error;
  auto state = engine::run_analysis(cfg.request, error);
  if (progress) progress->stop();
  cfg.request.pipeline.progress = nullptr;
  cfg.request.events = nullptr;
  if (events) events->close();
  if (!state) print_usage_error(error);
  return state;
}

run_stats collect_stats(const engine::run_state& s, unsigned threads) {
  run_stats st;
  st.records = s.agg.records + s.agg.filtered + engine::records_apart(s);
  st.inputs = s.inputs.size();
  for (const auto& in : s.inputs) {
    st.raw_bytes += in.raw_bytes;
    st.bytes += in.bytes;
  }
  st.threads = threads;
  return st;
}

}  // namespace

/// How the report leaves: redaction written in its format; control
/// characters escaped in every human-readable format (the coloured text
/// report escapes each value itself: its colours are control sequences).
output_style report_style(const options& o, bool color) {
  if (o.format == "json") return machine_output;
  if (o.format == "markdown") return {core::redact_style::markdown, true};
  if (o.format == "html") return {core::redact_style::html, true};
  return {core::redact_style::plain, !color};
}

namespace {

std::string render(const options& o, const report::summary& s, bool color) {
  if (o.format == "json") return report::write_json(s);
  if (o.format == "markdown") return report::write_markdown(s);
  if (o.format == "html") return report::write_html(s);
  return report::write_text(s, color);
}

constexpr std::string_view embedded_placeholder = "@kling-triage-partial@";

/// Puts the state's partial (text form) where the placeholder is.
void splice_partial(std::string& report_text, const engine::run_state& state) {
  std::string quoted = fmt::format("\"{}\"", embedded_placeholder);
  auto at = report_text.rfind(quoted);
  if (at == std::string::npos) return;
  std::string partial = engine::encode_state(state, engine::partial_form::text, true);
  while (!partial.empty() && partial.back() == '\n') partial.pop_back();
  report_text.replace(at, quoted.size(), fmt::format("\"{}\"", partial));
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

/// How a diff names the run being analyzed: its input, or how many.
std::string current_name(const engine::run_state& state) {
  if (state.inputs.size() == 1) return state.inputs.front().path;
  return fmt::format("{} inputs", state.inputs.size());
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

}  // namespace

bool parse_audit_thresholds(const options& o, engine::audit_thresholds& t, bool& given) {
  given = false;
  for (auto [text, flag, out] :
       {std::tuple{&o.audit_grace, "--audit-grace", &t.grace_ms},
        std::tuple{&o.audit_poll_min, "--audit-poll-min", &t.poll_min_ms},
        std::tuple{&o.audit_retry_window, "--audit-retry-window", &t.retry_window_ms},
        std::tuple{&o.audit_duplicate_window, "--audit-duplicate-window", &t.duplicate_window_ms}}) {
    if (text->empty()) continue;
    auto ms = engine::parse_duration(*text);
    if (!ms || (*ms == 0 && out == &t.poll_min_ms)) {
      print_usage_error(fmt::format("invalid {} `{}`: give a duration such as 1500ms, 2s, 30m "
                                    "or 1.5h", flag, *text));
      return false;
    }
    *out = *ms;
    given = true;
  }
  return true;
}

bool color_wanted(const options& o) {
  bool tty = o.output.empty() && isatty(STDOUT_FILENO);
  return o.color == "always" || (o.color == "auto" && tty && std::getenv("NO_COLOR") == nullptr);
}

bool parse_gate(const std::vector<std::string>& texts,
                std::vector<engine::fail_on_condition>& gate) {
  std::vector<engine::diff_condition> none;
  return parse_gates(texts, false, gate, none);
}

exit_code deliver(const options& o, const engine::run_state& state,
                  const std::vector<engine::fail_on_condition>& gate, bool color,
                  const baseline_input* baseline) {
  for (const auto& w : engine::unknown_id_warnings(gate, state.causes)) print_warning(w);
  if (engine::needs_audit(gate) && engine::audit_of(state) == nullptr) {
    print_usage_error("an audit gate (audit:<detector>, orphaned) needs audited partials: "
                      "analyze every shard with --audit");
    return exit_code::error;
  }
  if (const auto* a = engine::audit_of(state); a != nullptr && !a->error.empty()) {
    print_error(fmt::format("the audit could not keep its facts: {} (set TMPDIR to a folder "
                            "with space)", a->error));
    return exit_code::error;
  }
  bool failed = false;
  if (!o.partial.empty()) {
    auto form = o.partial_encoding == "base64" ? engine::partial_form::text
                                               : engine::partial_form::binary;
    // Binary (or base64): its texts were redacted when they were kept.
    if (auto err = write_file(o.partial, engine::encode_state(state, form, true), raw_output);
        !err.empty()) {
      print_error(err);
      return exit_code::error;
    }
  }
  std::vector<std::string> notes;
  // The notes are about the report (its inputs' lines): none when only a partial is written;
  // nor is the audit run then, unless a gate needs it.
  bool report = o.partial.empty() || !o.output.empty();
  auto detail = !report && !engine::needs_audit(gate) ? engine::audit_detail::none
                : o.format == "html" && report          ? engine::audit_detail::charts
                                                        : engine::audit_detail::counts;
  auto s = engine::build_summary(state, notes, detail);
  if (report) {
    for (const auto& n : notes) print_warning(n);
  }
  s.tool_version = KLING_TRIAGE_VERSION;
  s.generated_at = event::format_time(now_ms());
  s.gate = engine::evaluate_gate(gate, s);
  std::optional<report::diff_result> diff;
  if (baseline != nullptr) {
    diff = make_diff(*baseline->state, baseline->name, state, current_name(state), baseline->gate);
    s.baseline = &*diff;
  }
  if (report) {
    bool embed = o.embed_partial && o.format == "json";
    if (o.embed_partial && !embed) {
      print_warning("--embed-partial: only a JSON report (-f json) carries its partial");
    }
    // The embedded partial is base64, which the redaction must not touch
    // (a random `eyJ` in it is no JWT): the report is filtered with a
    // placeholder in its place.
    if (embed) s.embedded_partial = embedded_placeholder;
    s.show_prompts = o.show_prompts;
    std::string text = filter_output(render(o, s, color), report_style(o, color));
    if (embed) splice_partial(text, state);
    if (auto err = write_file(o.output, text, raw_output); !err.empty()) {
      print_error(err);
      return exit_code::error;
    }
  }
  failed = report_input_errors(s);
  report_gate(s.gate);
  if (diff) report_diff_gate(diff->gate);
  // An unreadable input wins: the gate was measured on partial data.
  if (failed) return exit_code::error;
  bool diff_met = diff && std::any_of(diff->gate.begin(), diff->gate.end(),
                                      [](const auto& g) { return g.met; });
  return engine::gate_failed(s.gate) || diff_met ? exit_code::findings : exit_code::ok;
}

exit_code run_analyze(const options& o) {
  phase_clock clock;
  analyze_config cfg;
  if (!configure(o, cfg)) return exit_code::error;

  // The bundled profiles compile on the other core while the rules load
  // (start-up; bench/README.md). A failure there is reported below, by
  // load_profiles_for, exactly as before.
  std::future<void> profiles_warm;
  try {
    profiles_warm = std::async(std::launch::async, [] { (void)profile::bundled_set(); });
  } catch (const std::system_error&) {  // no thread: compiled below, in turn
  }
  auto rules = load_rules(o);
  if (profiles_warm.valid()) {
    try {
      profiles_warm.get();
    } catch (...) {  // NOLINT(bugprone-empty-catch): reported by load_profiles_for
    }
  }
  if (!rules) return exit_code::error;
  cfg.request.rules = rules.get();
  int forced = -1;
  auto profiles = load_profiles_for(o, forced);
  if (!profiles) return exit_code::error;
  cfg.request.profiles = profiles.get();
  cfg.request.pipeline.reader.choose_profile = make_chooser(*profiles, forced);
  // The baseline is read before the logs: a bad one costs no analysis.
  std::optional<engine::run_state> base;
  baseline_input baseline;
  if (!o.baseline.empty()) {
    base = read_side(o.baseline);
    if (!base) return exit_code::error;
    baseline = {&*base, o.baseline == "-" ? std::string("<stdin>") : o.baseline, cfg.diff_gate};
  }
  double load_rules_s = clock.lap();

  // Workers each own their sinks' state; merged exactly at the end.
  auto state = stream(o, cfg);
  if (!state) return exit_code::error;
  double stream_s = clock.lap();

  exit_code code = deliver(o, *state, cfg.gate, cfg.color, base ? &baseline : nullptr);
  double report_s = clock.lap();
  if (o.stats) {
    run_stats st = collect_stats(*state, cfg.request.pipeline.threads);
    st.load_rules_s = load_rules_s;
    st.stream_s = stream_s;
    st.report_s = report_s;
    st.total_s = clock.total();
    print_err(format_stats(st, peak_memory_bytes()));
  }
  return code;
}

}  // namespace analyzer::cli
