// SPDX-License-Identifier: MIT
// `rules list`, `rules check`, `rules test`.
#include <fmt/format.h>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/ingest/normalizer.hpp"

namespace analyzer::cli {

namespace {
std::unique_ptr<rules::ruleset> load_or_report(const options& o) {
  core::diagnostics problems;
  auto rs = load_ruleset(o.rule_paths, o.no_builtin_rules, problems, {}, rule_limits(o));
  print_diagnostics(problems);
  if (!rs) {
    print_error(fmt::format("the rules are invalid ({} problem{})", problems.size(),
                            problems.size() == 1 ? "" : "s"));
  }
  return rs;
}
}  // namespace

exit_code run_rules_list(const options& o) {
  auto rs = load_or_report(o);
  if (!rs) return exit_code::error;
  std::string out = fmt::format("{:<40} {:<15} {:>8}  {}\n", "ID", "CATEGORY", "PRIORITY", "TITLE");
  for (int i = 0; i < rs->size(); ++i) {
    const auto& r = rs->at(i);
    out += fmt::format("{:<40} {:<15} {:>8}  {}\n", r.id, r.category, r.priority, r.title);
    std::string where = fmt::format("({}:{})", r.where.file, r.where.line);
    if (r.cause != r.id) where = fmt::format("cause {}  {}", r.cause, where);
    out += fmt::format("{:<40} {:<15} {:>8}  {}\n", "", "", "", where);
  }
  out += fmt::format("{} rules, {} causes, {} sets, digest {}\n", rs->size(), rs->cause_count(),
                     rs->sets().size(), rs->digest());
  print_out(out);
  return exit_code::ok;
}

exit_code run_rules_check(const options& o) {
  core::diagnostics problems;
  int files = 0;
  auto rs = load_files_only(o.rule_paths, problems, files, o.strict, rule_limits(o));
  print_diagnostics(problems);
  if (!rs) {
    print_error(fmt::format("{} problem{} found", problems.size(), problems.size() == 1 ? "" : "s"));
    return exit_code::error;
  }
  print_out(fmt::format("ok: {} rules in {} file{}, every sample holds\n", rs->size(), files,
                        files == 1 ? "" : "s"));
  return exit_code::ok;
}

exit_code run_rules_test(const options& o) {
  auto rs = load_or_report(o);
  if (!rs) return exit_code::error;
  ingest::normalizer norm(rs->plan());
  rules::match_scratch scratch;
  event::event ev;
  int passed = 0;
  int failed = 0;
  std::string out;
  for (int i = 0; i < rs->size(); ++i) {
    const auto& r = rs->at(i);
    auto run = [&](const rules::sample& s, bool want) {
      norm.normalize_copy(s.json, ev);
      int winner = ev.result == event::outcome::failure ? rs->classify(ev, scratch) : -1;
      std::string got = ev.result == event::outcome::ok          ? "ok"
                        : ev.result == event::outcome::malformed ? "malformed"
                        : winner < 0                             ? "unclassified.unknown"
                        : rs->at(winner).cause == rs->at(winner).id
                            ? rs->at(winner).id
                            : fmt::format("{} (rule {})", rs->at(winner).cause, rs->at(winner).id);
      bool ok = (winner == i) == want;
      (ok ? passed : failed)++;
      if (!ok || o.verbose) {
        out += fmt::format("{} {} {} sample at {}:{}: classified as {}\n", ok ? "ok  " : "FAIL", r.id,
                           want ? "match" : "no_match", s.where.file, s.where.line, got);
      }
    };
    for (const auto& s : r.match_samples) run(s, true);
    for (const auto& s : r.no_match_samples) run(s, false);
  }
  out += fmt::format("rules test: {} rules\n{} passed, {} failed\n", rs->size(), passed, failed);
  print_out(out);
  return failed == 0 ? exit_code::ok : exit_code::findings;
}

}  // namespace analyzer::cli
