// SPDX-License-Identifier: MIT
// `kling-triage completion bash|zsh|fish [--rules PATH]...`: the script for
// the command tree, with the cause and category ids of the loaded rules
// (the bundled pack, plus any --rules) for `--fail-on cause:<id>`.
#include <algorithm>
#include <fmt/format.h>

#include "analyzer/cli/completion.hpp"
#include "analyzer/cli/config.hpp"
#include "analyzer/engine/diff_gate.hpp"
#include "analyzer/engine/fail_on.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"

namespace analyzer::cli {

namespace {
void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}
}  // namespace

exit_code run_completion(const options& o) {
  core::diagnostics problems;
  auto rs = load_ruleset(o.rule_paths, o.no_builtin_rules, problems);
  print_diagnostics(problems);
  if (!rs) {
    print_error(fmt::format("the rules are invalid ({} problem{})", problems.size(),
                            problems.size() == 1 ? "" : "s"));
    return exit_code::error;
  }
  completion_ids ids;
  for (int i = 0; i < rs->cause_count(); ++i) {  // causes, not rules: several may share one
    ids.causes.push_back(rs->cause_id(i));
    ids.categories.push_back(rs->cause_rule(i).category);
  }
  ids.causes.emplace_back(rules::unclassified_id);
  ids.categories.emplace_back(rules::unclassified_category);
  sort_unique(ids.causes);
  sort_unique(ids.categories);
  for (auto s : engine::fail_on_starts) ids.fail_on_subjects.emplace_back(s);
  for (auto s : engine::diff_fail_on_starts) {  // diff, analyze --baseline
    auto& subjects = ids.fail_on_subjects;
    if (std::find(subjects.begin(), subjects.end(), s) == subjects.end()) subjects.emplace_back(s);
  }
  print_out(render_completion(o.shell, *o.cli, ids, KLING_TRIAGE_VERSION));
  return exit_code::ok;
}

}  // namespace analyzer::cli
