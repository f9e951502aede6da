// SPDX-License-Identifier: MIT
#include "analyzer/cli/config.hpp"

#include <fmt/format.h>

#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/profile/profile_loader.hpp"

namespace analyzer::cli {

namespace {

/// Each rule's samples against the rule alone: a `match` sample must be a
/// failure that satisfies `when`; a `no_match` sample must not.
/// The bundled pack's samples are checked by `rules test` in the build's own
/// test suite; `builtin_too` re-checks them (for `rules check`), otherwise
/// only user rules pay for it at start-up.
void check_own_samples(const rules::ruleset& rs, core::diagnostics& problems,
                       bool builtin_too) {
  ingest::normalizer norm(rs.plan());
  rules::match_scratch scratch;
  event::event ev;
  for (int i = 0; i < rs.size(); ++i) {
    const rules::rule& r = rs.at(i);
    if (r.builtin && !builtin_too) continue;
    auto check = [&](const rules::sample& s, bool want) {
      norm.normalize_copy(s.json, ev);
      bool failure = ev.result == event::outcome::failure;
      bool holds = failure && rs.holds(i, ev, scratch);
      if (holds == want) return;
      std::string why =
          ev.result == event::outcome::malformed
              ? fmt::format("the sample is malformed: {}", ev.malformed_reason)
          : !failure ? std::string("the sample is not a failure (successful calls are never classified)")
          : want ? std::string("its `when` does not hold for the sample")
                 : std::string("its `when` holds for the sample");
      problems.push_back({core::severity::error,
                          fmt::format("rule `{}`: a `{}` sample fails", r.id,
                                      want ? "match" : "no_match"),
                          s.where, {},
                          why + "; run `kling-triage explain` on the record to see its fields"});
    };
    for (const auto& s : r.match_samples) check(s, true);
    for (const auto& s : r.no_match_samples) check(s, false);
  }
}

std::unique_ptr<rules::ruleset> finish(rules::rule_library lib,
                                       core::diagnostics& problems,
                                       bool check_builtin_samples) {
  rules::resolve_library(lib);  // sets and causes: reported with the rest
  for (auto& p : lib.problems) problems.push_back(std::move(p));
  lib.problems.clear();
  if (core::has_errors(problems)) return nullptr;
  auto rs = rules::ruleset::compile(std::move(lib), problems);
  if (core::has_errors(problems)) return nullptr;
  check_own_samples(*rs, problems, check_builtin_samples);
  if (core::has_errors(problems)) return nullptr;
  return rs;
}

rules::rule_library load_paths(const std::vector<std::string>& paths,
                               core::diagnostics& problems, int* file_count, bool strict,
                               const rules::load_limits& limits) {
  rules::rule_library layer;
  for (const auto& p : paths) {
    for (auto& src : rules::read_rule_path(p, problems, limits)) {
      src.require_samples = strict;
      rules::load_rule_file(src, layer, limits);
      if (file_count != nullptr) ++*file_count;
    }
  }
  return layer;
}

}  // namespace

rules::load_limits rule_limits(const options& o) {
  rules::load_limits l;
  l.max_file_bytes = static_cast<size_t>(o.max_rule_bytes);
  l.max_nodes = static_cast<size_t>(o.max_rule_nodes);
  return l;
}

std::unique_ptr<rules::ruleset> load_ruleset(const std::vector<std::string>& paths,
                                             bool no_builtin,
                                             core::diagnostics& problems,
                                             const std::vector<rules::rule_source>& extra,
                                             const rules::load_limits& limits,
                                             bool builtin_samples) {
  rules::rule_library lib;
  if (!no_builtin) {
    rules::rule_library builtin;
    for (const auto& src : builtin_samples ? rules::builtin_rule_sources()
                                           : rules::builtin_rule_sources_lean()) {
      rules::load_rule_file(src, builtin);
    }
    rules::merge_layer(lib, std::move(builtin));
  }
  if (!paths.empty()) rules::merge_layer(lib, load_paths(paths, problems, nullptr, false, limits));
  if (!extra.empty()) {
    rules::rule_library layer;
    for (const auto& src : extra) rules::load_rule_file(src, layer, limits);
    rules::merge_layer(lib, std::move(layer));
  }
  return finish(std::move(lib), problems, false);
}

std::unique_ptr<rules::ruleset> load_files_only(const std::vector<std::string>& paths,
                                                core::diagnostics& problems,
                                                int& file_count, bool strict,
                                                const rules::load_limits& limits) {
  // The bundled pack's sets (not its rules) are in scope, so a user file
  // can write `code: {not_in: kling_codes}`; the files may redefine them.
  rules::rule_library lib;
  rules::rule_library builtin;
  for (const auto& src : rules::builtin_rule_sources()) rules::load_rule_file(src, builtin);
  lib.sets = std::move(builtin.sets);
  rules::merge_layer(lib, load_paths(paths, problems, &file_count, strict, limits));
  return finish(std::move(lib), problems, true);
}

namespace {
std::unique_ptr<profile::profile_set> profiles_from(const std::vector<std::string>& paths,
                                                    core::diagnostics& problems, bool check,
                                                    int* file_count, int* loaded, bool samples) {
  auto set = std::make_unique<profile::profile_set>();
  const auto& bundled = samples ? profile::bundled_set_with_samples() : profile::bundled_set();
  set->profiles = bundled.profiles;
  set->digest_text = bundled.digest_text;
  if (paths.empty() && !check) return set;
  std::vector<std::shared_ptr<profile::compiled_profile>> layer;
  for (const auto& p : paths) {
    for (const auto& src : profile::read_profile_path(p, problems)) {
      profile::load_profile_file(src, layer, problems);
      profile::append_digest_text(src, set->digest_text);
      if (file_count != nullptr) ++*file_count;
    }
  }
  if (loaded != nullptr) *loaded = static_cast<int>(layer.size());
  std::vector<std::shared_ptr<profile::compiled_profile>> all;
  for (const auto& p : bundled.profiles) {
    all.push_back(std::const_pointer_cast<profile::compiled_profile>(p));
  }
  profile::merge_layer(all, std::move(layer), problems);
  if (core::has_errors(problems)) return nullptr;
  set->profiles.assign(all.begin(), all.end());
  ingest::check_detection(*set, problems);
  if (core::has_errors(problems)) return nullptr;
  return set;
}
}  // namespace

std::unique_ptr<profile::profile_set> load_profiles(const std::vector<std::string>& paths,
                                                    core::diagnostics& problems,
                                                    bool check_always, bool bundled_samples) {
  return profiles_from(paths, problems, check_always, nullptr, nullptr, bundled_samples);
}

std::unique_ptr<profile::profile_set> load_profile_files(const std::vector<std::string>& paths,
                                                         core::diagnostics& problems,
                                                         int& file_count, int& loaded) {
  return profiles_from(paths, problems, true, &file_count, &loaded, true);
}

}  // namespace analyzer::cli
