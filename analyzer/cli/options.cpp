// SPDX-License-Identifier: MIT
#include "analyzer/cli/options.hpp"

#include <CLI/CLI.hpp>

#include "analyzer/cli/cli_tree.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/version.hpp"

namespace analyzer::cli {

namespace {
/// Bounds on loading rule files (every command that loads them).
void add_rule_limits(CLI::App& app, options& o) {
  app.add_option("--max-rule-bytes", o.max_rule_bytes, "A rule file larger than this is refused")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 30))->capture_default_str();
  app.add_option("--max-rule-nodes", o.max_rule_nodes,
                 "A rule file with more YAML nodes than this, aliases expanded, is refused")
      ->check(CLI::Range(uint64_t{100}, uint64_t{100000000}))->capture_default_str();
}

void add_rule_options(CLI::App& app, options& o) {
  add_rule_limits(app, o);
  app.add_option("--rules", o.rule_paths,
                 "Extra rule file or folder, loaded after the bundled pack; "
                 "a rule with a bundled rule's id replaces it (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--no-builtin-rules", o.no_builtin_rules,
               "Do not load the bundled rule pack");
}
/// What analyze and merge share: where the partial goes and how the
/// report carries it.
void add_partial_options(CLI::App& app, options& o) {
  app.add_option("--partial", o.partial,
                 "Write the run's whole state as a partial to FILE (- for stdout) for a later "
                 "merge or diff; the report is then written only with -o")
      ->type_name("FILE");
  app.add_option("--partial-encoding", o.partial_encoding,
                 "binary, or base64: the partial as one line of text (Hadoop Streaming, RDD.pipe)")
      ->check(CLI::IsMember({"binary", "base64"}))->capture_default_str();
  app.add_flag("--embed-partial", o.embed_partial,
               "JSON report: carry the partial too (key `partial`), so the report can be "
               "merged or diffed later");
}

/// The audit: on, and its thresholds (durations: 1500ms, 2s, 30m, 1.5h).
void add_audit_options(CLI::App& app, options& o, bool explain) {
  if (explain) {
    app.add_flag("--no-audit", o.no_audit,
                 "Do not audit the record's input (by default explain says which audit "
                 "findings count the record, which reads the whole input)");
  } else {
    app.add_flag("--audit", o.audit,
                 "Also audit task lifecycles and the client's own behaviour (retries of what "
                 "cannot succeed, ignored Retry-After, no backoff, fast polling, orphaned tasks, "
                 "duplicate submissions); on with any --audit-* option or audit gate");
  }
  app.add_option("--audit-grace", o.audit_grace,
                 "A task with no terminal state is orphaned when its last observation is more "
                 "than this before the end of the logs (default 30m)")
      ->type_name("DURATION");
  app.add_option("--audit-poll-min", o.audit_poll_min,
                 "poll_too_fast: a task's mean poll interval below this (default 2s)")
      ->type_name("DURATION");
  app.add_option("--audit-retry-window", o.audit_retry_window,
                 "retry_non_retryable: a retry at most this long after the failure (default 600s)")
      ->type_name("DURATION");
  app.add_option("--audit-duplicate-window", o.audit_duplicate_window,
                 "duplicate_submission: an equal accepted create at most this long before "
                 "(default 120s)")
      ->type_name("DURATION");
}

void add_profile_options(CLI::App& app, options& o, bool force) {
  app.add_option("--profiles", o.profile_paths,
                 "Extra input profile file or folder, after the bundled set; a profile "
                 "with a bundled profile's id replaces it (repeatable)")
      ->allow_extra_args(false);
  if (force) {
    app.add_option("--profile", o.profile_id,
                   "Read every input with this profile (see `profiles list`) instead of detecting it");
  }
}
}  // namespace

std::optional<exit_code> parse_options(int argc, char** argv, options& o) {
  CLI::App app{"kling-triage: why Kling API calls failed, how often, since "
               "when, and what to change.\nReads JSON Lines and HAR logs "
               "(plain, gzip, zstd) from files, folders or stdin."};
  app.name("kling-triage");
  app.set_version_flag("--version", std::string("kling-triage ") + KLING_TRIAGE_VERSION);
  app.require_subcommand(1);

  CLI::App* analyze = app.add_subcommand("analyze", "Classify every logged call and write a report");
  analyze->add_option("inputs", o.inputs,
                      "Files, folders (read recursively, sorted) or - for stdin");
  analyze->add_option("-f,--format", o.format, "Report format")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}))->capture_default_str();
  analyze->add_option("-o,--output", o.output, "Write the report here instead of stdout");
  analyze->add_option("--events", o.events,
                      "Also write one JSON object per input record to this file");
  add_rule_options(*analyze, o);
  add_profile_options(*analyze, o, true);
  analyze->add_option_function<std::string>(
      "--since", [&o](const std::string& v) { o.since = v; },
      "Keep records at or after this time (RFC 3339, or 30m, 24h, 7d ago)")->type_name("TIME");
  analyze->add_option_function<std::string>(
      "--until", [&o](const std::string& v) { o.until = v; },
      "Keep records before this time (RFC 3339, or 30m, 24h, 7d ago)")->type_name("TIME");
  analyze->add_option("-j,--threads", o.threads, "Worker threads (default: all hardware threads)")
      ->check(CLI::Range(1u, 256u));
  analyze->add_option("--input-format", o.input_format, "Override format detection")
      ->check(CLI::IsMember({"auto", "jsonl", "har", "json"}))->capture_default_str();
  analyze->add_option("--max-record-bytes", o.max_record_bytes,
                      "A line or HAR entry larger than this is reported as malformed")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 32))->capture_default_str();
  analyze->add_option("--max-depth", o.max_depth,
                      "A record (or HAR document) nested deeper than this is malformed")
      ->check(CLI::Range(uint64_t{16}, uint64_t{1000000}))->capture_default_str();
  analyze->add_option("--max-distinct", o.max_distinct,
                      "Values kept per dimension (codes, endpoints, models); the rest count as other")
      ->check(CLI::Range(uint64_t{10}, uint64_t{10000000}))->capture_default_str();
  analyze->add_option("--max-timeline-cells", o.max_timeline_cells,
                      "Timeline cells kept per minute before buckets widen")
      ->check(CLI::Range(uint64_t{1000}, uint64_t{100000000}))->capture_default_str();
  analyze->add_option("--color", o.color, "Colour in the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  analyze->add_option("--fail-on", o.fail_on,
                      "Exit 1 when COND holds, e.g. 'failure-rate>5%', "
                      "'cause:billing.insufficient_credits>=1', 'category:auth>0', "
                      "'unclassified>0', 'malformed>=10', 'audit:retry_non_retryable>0', "
                      "'orphaned>10' (ops > >= < <= ==; repeatable)")
      ->allow_extra_args(false)->type_name("COND");
  add_audit_options(*analyze, o, false);
  analyze->add_option("--progress", o.progress,
                      "Progress line on stderr (auto: when stderr is a terminal)")
      ->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  analyze->add_flag("--stats", o.stats,
                    "Print run statistics on stderr: records, MB/s, phase times, peak memory");
  analyze->add_flag("--show-prompts", o.show_prompts,
                    "Allow prompts in the output (hidden by default)");
  add_partial_options(*analyze, o);
  analyze->add_option("--byte-range", o.byte_range,
                      "Read only the lines that start in bytes [START, END) of the one INPUT "
                      "(an uncompressed JSON Lines file): a shard of a large file, with its true "
                      "name and line numbers in the partial")
      ->type_name("START:END");
  analyze->add_option("--baseline", o.baseline,
                      "Also diff this run against BASE (a partial, or a JSON report with "
                      "--embed-partial): the report gains a baseline section, and --fail-on "
                      "takes the diff's conditions")
      ->type_name("BASE");
  analyze->callback([&] { o.cmd = command::analyze; });

  CLI::App* merge = app.add_subcommand(
      "merge", "One report (or one partial) from partials of runs over other inputs");
  merge->add_option("partials", o.inputs,
                    "Partial files, JSON reports written with --embed-partial, or - for stdin "
                    "(each may hold many partials, concatenated)");
  merge->add_option("-f,--format", o.format, "Report format")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}))->capture_default_str();
  merge->add_option("-o,--output", o.output, "Write the report here instead of stdout");
  add_partial_options(*merge, o);
  merge->add_option("--color", o.color, "Colour in the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  merge->add_option("--fail-on", o.fail_on,
                    "Exit 1 when COND holds (as analyze --fail-on; repeatable)")
      ->allow_extra_args(false)->type_name("COND");
  merge->callback([&] { o.cmd = command::merge; });

  CLI::App* diff = app.add_subcommand(
      "diff", "What changed between a baseline and the current run: new, regressed, improved, "
              "gone and unchanged causes, categories, endpoints, models, statuses and codes");
  diff->add_option("BASE", o.diff_base,
                   "The baseline: a partial (many concatenated are merged) or a JSON report "
                   "written with --embed-partial; - for stdin")
      ->required();
  diff->add_option("CURRENT", o.diff_current, "The run to compare with it, in the same forms")
      ->required();
  diff->add_option("-f,--format", o.format, "Diff format")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}))->capture_default_str();
  diff->add_option("-o,--output", o.output, "Write the diff here instead of stdout");
  diff->add_option("--color", o.color, "Colour in the text form")
      ->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  diff->add_option("--fail-on", o.fail_on,
                   "Exit 1 when COND holds: 'new-cause>0', 'regressed>0', "
                   "'cause:<id>:state==regressed', 'failure-rate-ratio>1.5' (repeatable)")
      ->allow_extra_args(false)->type_name("COND");
  diff->callback([&] { o.cmd = command::diff; });

  CLI::App* rules = app.add_subcommand("rules", "List, check and test rule files");
  rules->require_subcommand(1);
  CLI::App* list = rules->add_subcommand("list", "The loaded rules: id, category, priority, title, file");
  add_rule_options(*list, o);
  list->callback([&] { o.cmd = command::rules_list; });
  CLI::App* check = rules->add_subcommand("check", "Validate rule files; problems as file:line:col");
  check->add_option("paths", o.rule_paths, "Rule files or folders")->required();
  add_rule_limits(*check, o);
  check->add_flag("--strict", o.strict,
                  "A rule without samples is an error, not a warning (for CI)");
  check->callback([&] { o.cmd = command::rules_check; });
  CLI::App* test = rules->add_subcommand("test", "Run every rule's samples through the whole rule set");
  add_rule_options(*test, o);
  test->add_flag("-v,--verbose", o.verbose, "List every sample, not only failures");
  test->callback([&] { o.cmd = command::rules_test; });
  CLI::App* suggest = rules->add_subcommand(
      "suggest", "Write a rule (YAML, on stdout) for one record's message template, with samples");
  suggest->add_option("record", o.explain_target,
                      "INPUT:LINE (JSON Lines) or INPUT#ENTRY (HAR, 0-based)")->required();
  add_rule_options(*suggest, o);
  suggest->add_option("--input-format", o.input_format, "Override format detection")
      ->check(CLI::IsMember({"auto", "jsonl", "har"}));
  suggest->callback([&] { o.cmd = command::rules_suggest; });

  CLI::App* profiles = app.add_subcommand("profiles", "List, check, test and detect input profiles");
  profiles->require_subcommand(1);
  CLI::App* plist = profiles->add_subcommand("list", "The loaded profiles: id, title, file");
  add_profile_options(*plist, o, false);
  plist->callback([&] { o.cmd = command::profiles_list; });
  CLI::App* pcheck = profiles->add_subcommand(
      "check", "Validate profile files (with the bundled set); problems as file:line:col");
  pcheck->add_option("paths", o.profile_paths, "Profile files or folders")->required();
  pcheck->callback([&] { o.cmd = command::profiles_check; });
  CLI::App* ptest = profiles->add_subcommand("test", "Run every profile's samples");
  add_profile_options(*ptest, o, false);
  ptest->add_flag("-v,--verbose", o.verbose, "List every sample, not only failures");
  ptest->callback([&] { o.cmd = command::profiles_test; });
  CLI::App* pdetect = profiles->add_subcommand(
      "detect", "Which profile reads each input, and why (the sampled records' votes)");
  pdetect->add_option("inputs", o.inputs, "Files (or - for stdin)")->required();
  add_profile_options(*pdetect, o, false);
  pdetect->add_option("--input-format", o.input_format, "Override format detection")
      ->check(CLI::IsMember({"auto", "jsonl", "har", "json"}));
  pdetect->callback([&] { o.cmd = command::profiles_detect; });

  CLI::App* explain = app.add_subcommand(
      "explain", "One record: its fields, evidence, the rules that matched and why the winner won");
  explain->add_option("record", o.explain_target,
                      "INPUT:LINE (JSON Lines), INPUT:LINE/INDEX (a line holding many records, "
                      "0-based index) or INPUT#ENTRY (HAR, 0-based)")
      ->required();
  add_rule_options(*explain, o);
  explain->add_option("--max-depth", o.max_depth, "A record nested deeper than this is malformed")
      ->check(CLI::Range(uint64_t{16}, uint64_t{1000000}))->capture_default_str();
  add_profile_options(*explain, o, true);
  explain->add_option("--input-format", o.input_format, "Override format detection")
      ->check(CLI::IsMember({"auto", "jsonl", "har", "json"}));
  explain->add_flag("--show-prompts", o.show_prompts,
                    "Show request prompts (first 200 characters); hidden by default");
  add_audit_options(*explain, o, true);
  explain->callback([&] { o.cmd = command::explain; });

  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script (bash, zsh or fish) for kling-triage");
  completion->add_option("shell", o.shell, "The shell to complete for")
      ->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  add_rule_options(*completion, o);
  completion->callback([&] {
    o.cmd = command::completion;
    o.cli = std::make_shared<const cli_command>(describe(app));
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    print_out(app.help());
    return exit_code::ok;
  } catch (const CLI::CallForAllHelp& e) {
    print_out(app.help("", CLI::AppFormatMode::All));
    return exit_code::ok;
  } catch (const CLI::CallForVersion& e) {
    print_out(version_text(KLING_TRIAGE_VERSION));
    return exit_code::ok;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      print_out(app.help());
      return exit_code::ok;
    }
    print_usage_error(e.what());
    return exit_code::error;
  }
  return std::nullopt;
}

}  // namespace analyzer::cli
