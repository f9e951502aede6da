// SPDX-License-Identifier: MIT
// `profiles list`, `profiles check`, `profiles test`, `profiles detect`, and
// the profile set every command that reads inputs uses.
#include "analyzer/cli/profile_commands.hpp"

#include <cmath>
#include <fmt/format.h>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/core/suggest.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/byte_source.hpp"
#include "analyzer/ingest/detect.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/profile_detect.hpp"

namespace analyzer::cli {

std::unique_ptr<profile::profile_set> load_profiles_for(const options& o, int& forced,
                                                        bool samples) {
  core::diagnostics problems;
  auto set = load_profiles(o.profile_paths, problems, false, samples);
  print_diagnostics(problems);
  if (!set) {
    print_error(fmt::format("the profiles are invalid ({} problem{}); nothing was read",
                            problems.size(), problems.size() == 1 ? "" : "s"));
    return nullptr;
  }
  forced = -1;
  if (!o.profile_id.empty()) {
    forced = set->index_of(o.profile_id);
    if (forced < 0) {
      std::vector<std::string_view> ids;
      for (const auto& p : set->profiles) ids.push_back(p->id);
      print_usage_error(fmt::format("unknown profile `{}`; {}see `kling-triage profiles list`",
                                    o.profile_id, core::did_you_mean(o.profile_id, ids)));
      return nullptr;
    }
  }
  return set;
}

ingest::profile_chooser make_chooser(const profile::profile_set& set, int forced) {
  return [&set, forced](std::string_view head, size_t capacity, ingest::input_format format,
                        std::string& why) {
    if (forced >= 0) return forced;
    event::field_plan plan;
    ingest::normalizer norm(plan);
    auto d = ingest::detect_profile(set, head, capacity, format, norm);
    if (d.profile < 0 && d.sampled > 0) {
      why = fmt::format("no input profile reads it (first record: {}); run `kling-triage "
                        "profiles detect` on it, or write a profile (--profiles)",
                        d.first_keys.empty() ? "not a JSON object" : "keys " + d.first_keys);
    }
    return d.profile;
  };
}

exit_code run_profiles_list(const options& o) {
  int forced = -1;
  auto set = load_profiles_for(o, forced);
  if (!set) return exit_code::error;
  std::string out = fmt::format("{:<22} {:<6} {}\n", "ID", "FORMAT", "TITLE");
  for (const auto& p : set->profiles) {
    std::string_view kind = p->kind == profile::compiled_profile::shape::text  ? "text"
                            : p->kind == profile::compiled_profile::shape::har ? "har"
                                                                               : "json";
    out += fmt::format("{:<22} {:<6} {}\n", p->id, kind, p->title);
    out += fmt::format("{:<22} {:<6} ({}:{})\n", "", "", p->where.file, p->where.line);
  }
  out += fmt::format("{} profiles\n", set->profiles.size());
  print_out(out);
  return exit_code::ok;
}

exit_code run_profiles_check(const options& o) {
  core::diagnostics problems;
  int files = 0;
  int loaded = 0;
  auto set = load_profile_files(o.profile_paths, problems, files, loaded);
  print_diagnostics(problems);
  if (!set) {
    print_error(fmt::format("{} problem{} found", problems.size(), problems.size() == 1 ? "" : "s"));
    return exit_code::error;
  }
  print_out(fmt::format("ok: {} profile{} in {} file{}; every sample has one reader\n", loaded,
                        loaded == 1 ? "" : "s", files, files == 1 ? "" : "s"));
  return exit_code::ok;
}

namespace {

std::string value_text(const event::field_value& v) {
  switch (v.type) {
    case event::field_value::kind::absent: return "null";
    case event::field_value::kind::boolean: return v.boolean ? "true" : "false";
    case event::field_value::kind::number: return fmt::format("{}", v.number);
    case event::field_value::kind::text: return std::string(v.text);
    case event::field_value::kind::list: {
      std::string out = "[";
      for (const auto& item : v.items) out += (out.size() > 1 ? ", " : "") + value_text(item);
      return out + "]";
    }
  }
  return "null";
}

std::string_view outcome_name(event::outcome r) {
  switch (r) {
    case event::outcome::ok: return "ok";
    case event::outcome::failure: return "failure";
    case event::outcome::malformed: return "malformed";
    case event::outcome::skipped: return "skipped";
  }
  return "?";
}

/// The event's value of an expected field, as text ("null" when absent).
/// Contract names (`response.status`, `response.body.code`, `request.method`)
/// are aliases of the rule fields.
std::string expected_field(const event::event& ev, const std::string& name,
                           event::field_plan& plan) {
  if (name == "result") return std::string(outcome_name(ev.result));
  if (name == "ts") return ev.ts_ms ? event::format_time(*ev.ts_ms) : "null";
  if (name == "response_body") return ev.response_body ? "true" : "false";
  if (name == "malformed_reason") return std::string(ev.malformed_reason);
  std::string field = name == "response.status"      ? "status"
                      : name == "response.body.code" ? "code"
                      : name == "request.method"     ? "method"
                      : name == "request.url"        ? "url"
                                                     : name;
  auto ref = event::resolve_field(field, plan);
  if (!ref) return "<unknown field>";
  return value_text(event::get_field(ev, *ref));
}

bool same_value(const std::string& want, const std::string& got) {
  if (want == got) return true;
  auto a = core::parse_number(want);
  auto b = core::parse_number(got);
  return a && b && std::fabs(*a - *b) < 1e-9;
}

}  // namespace

exit_code run_profiles_test(const options& o) {
  int forced = -1;
  auto set = load_profiles_for(o, forced, true);
  if (!set) return exit_code::error;
  // A plan with every body and header field the samples expect.
  event::field_plan plan;
  for (const auto& p : set->profiles) {
    for (const auto& s : p->samples) {
      for (const auto& [k, v] : s.expect) (void)event::resolve_field(k, plan);
    }
  }
  ingest::normalizer norm(plan);
  event::field_plan scratch_plan = plan;
  event::event ev;
  int passed = 0;
  int failed = 0;
  std::string out;
  for (size_t i = 0; i < set->profiles.size(); ++i) {
    const auto& p = *set->profiles[i];
    for (const auto& s : p.samples) {
      std::vector<std::string> problems;
      std::string buf = s.text;
      buf.reserve(buf.size() + ingest::required_padding());
      if (p.kind != profile::compiled_profile::shape::har) {
        int tie = -1;
        int best = ingest::best_profile(*set, buf, buf.capacity(), norm, &tie);
        if (best != static_cast<int>(i)) {
          problems.push_back(best < 0 ? "no profile detects it"
                                      : fmt::format("detected as `{}`", set->profiles[static_cast<size_t>(best)]->id));
        } else if (tie >= 0) {
          problems.push_back(fmt::format("also detected by `{}`", set->profiles[static_cast<size_t>(tie)]->id));
        }
      }
      // The record as the input pass reads it: an envelope's first record.
      std::vector<std::string_view> records;
      std::string why;
      std::string_view record = buf;
      if (p.has_envelope()) {
        if (!norm.split_records(buf, buf.capacity(), p, records, why) || records.empty()) {
          problems.push_back("not an envelope of records: " + why);
        } else {
          record = records.front();
        }
      }
      if (problems.empty() || !p.has_envelope()) {
        std::string copy(record);
        norm.normalize_copy(copy, ev, p);
        if (s.skipped && ev.result != event::outcome::skipped) {
          problems.push_back(fmt::format("expected skip, read as {}", outcome_name(ev.result)));
        }
        for (const auto& [field, want] : s.expect) {
          std::string got = expected_field(ev, field, scratch_plan);
          if (!same_value(want, got)) {
            problems.push_back(fmt::format("{}: expected {}, got {}", field, want,
                                           core::redact_secrets(core::shorten(got, 80))));
          }
        }
        if (!s.skipped && ev.result == event::outcome::malformed &&
            std::none_of(s.expect.begin(), s.expect.end(),
                         [](const auto& kv) { return kv.first == "result"; })) {
          problems.push_back(fmt::format("malformed: {}", ev.malformed_reason));
        }
      }
      bool ok = problems.empty();
      (ok ? passed : failed)++;
      if (!ok || o.verbose) {
        out += fmt::format("{} {} sample at {}:{}{}\n", ok ? "ok  " : "FAIL", p.id, s.where.file,
                           s.where.line, ok ? "" : ": " + problems.front());
        for (size_t k = 1; k < problems.size(); ++k) out += "       " + problems[k] + "\n";
      }
    }
  }
  out += fmt::format("profiles test: {} profiles\n{} passed, {} failed\n", set->profiles.size(),
                     passed, failed);
  print_out(out);
  return failed == 0 ? exit_code::ok : exit_code::findings;
}

exit_code run_profiles_detect(const options& o) {
  int forced = -1;
  auto set = load_profiles_for(o, forced);
  if (!set) return exit_code::error;
  event::field_plan plan;
  ingest::normalizer norm(plan);
  std::string out;
  bool all_read = true;
  for (const auto& path : o.inputs) {
    auto in = ingest::open_input(path);
    if (!in.source) {
      out += fmt::format("{}: cannot read: {}\n", path, in.error);
      all_read = false;
      continue;
    }
    std::string head(size_t{1} << 20, '\0');
    size_t fill = 0;
    while (fill < head.size()) {
      int64_t r = in.source->read(head.data() + fill, head.size() - fill);
      if (r <= 0) break;
      fill += static_cast<size_t>(r);
    }
    std::string_view view(head.data(), fill);
    if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
    auto format = o.input_format == "har"     ? ingest::input_format::har
                  : o.input_format == "jsonl" ? ingest::input_format::jsonl
              : o.input_format == "json"  ? ingest::input_format::json
                                              : ingest::sniff_format(view, path);
    head.resize(fill + ingest::required_padding());
    auto d = ingest::detect_profile(*set, view, head.size() - static_cast<size_t>(view.data() - head.data()),
                                    format, norm);
    if (format == ingest::input_format::har) {
      out += fmt::format("{}: a HAR document: profile {}\n", path,
                         d.profile >= 0 ? set->profiles[static_cast<size_t>(d.profile)]->id : "(none)");
      continue;
    }
    if (d.profile < 0) {
      all_read = false;
      out += fmt::format("{}: no profile reads it ({} record{} sampled{})\n", path, d.sampled,
                         d.sampled == 1 ? "" : "s",
                         d.first_keys.empty() ? "; the first is not a JSON object"
                                              : "; the first has keys " + d.first_keys);
      if (d.best_minority >= 0) {
        const auto& p = *set->profiles[static_cast<size_t>(d.best_minority)];
        out += fmt::format("  {} reads only {} of them (fewer than half)\n", p.id,
                           d.votes[static_cast<size_t>(d.best_minority)]);
      }
      out += "  write a profile for this logger (README: \"Write a profile for your own logger\") "
             "and pass it with --profiles\n";
      continue;
    }
    const auto& chosen = *set->profiles[static_cast<size_t>(d.profile)];
    out += fmt::format("{}: {} ({})\n", path, chosen.id, chosen.title);
    out += fmt::format("  {} record{} sampled; the most specific profile whose detect holds reads each:\n",
                       d.sampled, d.sampled == 1 ? "" : "s");
    for (size_t i = 0; i < set->profiles.size(); ++i) {
      if (d.matches[i] == 0) continue;
      const auto& p = *set->profiles[i];
      out += fmt::format("    {:<22} detect holds for {}, best reader of {}  (specificity {}; {})\n",
                         p.id, d.matches[i], d.votes[i], p.specificity,
                         profile::describe(p, p.detect));
    }
  }
  print_out(out);
  return all_read ? exit_code::ok : exit_code::findings;
}

}  // namespace analyzer::cli
