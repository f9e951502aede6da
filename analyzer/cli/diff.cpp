// SPDX-License-Identifier: MIT
// `diff` as phases: parse the gate → read both sides (each a partial, many
// partials merged, or a JSON report carrying one) → compare (the engine)
// → deliver (the diff, met conditions on stderr, the exit code).
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/engine/diff.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/report/diff.hpp"

namespace analyzer::cli {

namespace {

std::string render(const options& o, const report::diff_result& d, bool color) {
  if (o.format == "json") return report::write_diff_json(d);
  if (o.format == "markdown") return report::write_diff_markdown(d);
  if (o.format == "html") return report::write_diff_html(d);
  return report::write_diff_text(d, color);
}

}  // namespace

std::optional<engine::run_state> read_side(const std::string& path) {
  engine::state_merger merger;
  if (!merge_file(path, merger)) return std::nullopt;
  return merger.take();
}

bool parse_gates(const std::vector<std::string>& texts, bool diff_allowed,
                 std::vector<engine::fail_on_condition>& report_gate,
                 std::vector<engine::diff_condition>& diff_gate) {
  std::vector<std::string> problems;
  for (const auto& text : texts) {
    std::string why;
    if (!engine::is_diff_condition(text)) {
      if (auto c = engine::parse_fail_on(text, why)) {
        report_gate.push_back(std::move(*c));
      } else {
        problems.push_back(fmt::format("invalid --fail-on condition `{}`: {}", text, why));
      }
    } else if (!diff_allowed) {
      problems.push_back(fmt::format("--fail-on `{}` is a condition on a diff: give --baseline "
                                     "BASE, or use `kling-triage diff`", text));
    } else if (auto c = engine::parse_diff_condition(text, why)) {
      diff_gate.push_back(std::move(*c));
    } else {
      problems.push_back(fmt::format("invalid --fail-on condition `{}`: {}", text, why));
    }
  }
  for (size_t i = 0; i + 1 < problems.size(); ++i) print_error(problems[i]);
  if (!problems.empty()) print_usage_error(problems.back());  // the --help hint once
  return problems.empty();
}

report::diff_result make_diff(const engine::run_state& base, const std::string& base_name,
                              const engine::run_state& current, const std::string& current_name,
                              const std::vector<engine::diff_condition>& gate) {
  for (const auto& w : engine::unknown_diff_ids(gate, base.causes, current.causes)) print_warning(w);
  report::diff_result d = engine::compute_diff(base, base_name, current, current_name);
  d.tool_version = KLING_TRIAGE_VERSION;
  d.generated_at = event::format_time(now_ms());
  d.gate = engine::evaluate_diff_gate(gate, d);
  for (const auto& why : d.incomparable) print_warning("not comparable: " + why);
  // A side whose run could not read all its input undercounts: say so.
  for (const auto* side : {&base, &current}) {
    for (const auto& in : side->inputs) {
      if (!in.unreadable && in.errors.empty()) continue;
      print_warning(fmt::format("{}: its run could not read {} completely; its counts are partial",
                                side == &base ? "BASE" : "CURRENT", in.path));
    }
  }
  return d;
}

void report_diff_gate(const std::vector<report::diff_gate_result>& gate) {
  for (const auto& g : gate) {
    if (!g.met) continue;
    std::string value = !g.text.empty() ? g.text
                        : g.number      ? fmt::format("{:g}", *g.number)
                                        : std::string("infinite");
    print_err(fmt::format("kling-triage: --fail-on `{}` met (value {})\n", g.condition, value));
  }
}

exit_code run_diff(const options& o) {
  std::vector<engine::fail_on_condition> report_gate;
  std::vector<engine::diff_condition> gate;
  if (!parse_gates(o.fail_on, true, report_gate, gate)) return exit_code::error;
  if (!report_gate.empty()) {
    print_usage_error(fmt::format("--fail-on `{}` is a condition on a report: a diff takes "
                                  "new-cause, regressed, cause:<id>:state==<state> and "
                                  "failure-rate-ratio (use analyze or merge for a report's)",
                                  report_gate.front().text));
    return exit_code::error;
  }
  const std::string& base_path = o.diff_base;
  const std::string& current_path = o.diff_current;
  if (base_path == "-" && current_path == "-") {
    print_usage_error("only one side can be read from stdin");
    return exit_code::error;
  }
  auto base = read_side(base_path);
  if (!base) return exit_code::error;
  auto current = read_side(current_path);
  if (!current) return exit_code::error;
  auto name = [](const std::string& p) { return p == "-" ? std::string("<stdin>") : p; };
  report::diff_result d = make_diff(*base, name(base_path), *current, name(current_path), gate);
  bool color = color_wanted(o);
  if (auto err = write_file(o.output, render(o, d, color), report_style(o, color)); !err.empty()) {
    print_error(err);
    return exit_code::error;
  }
  report_diff_gate(d.gate);
  bool met = std::any_of(d.gate.begin(), d.gate.end(), [](const auto& g) { return g.met; });
  return met ? exit_code::findings : exit_code::ok;
}

}  // namespace analyzer::cli
