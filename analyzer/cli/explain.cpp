// SPDX-License-Identifier: MIT
// `explain INPUT:LINE | INPUT#ENTRY`: one record's normalized fields, the
// evidence, every rule that matched, and why the winner won. Tokens are
// only ever described (`Bearer <jwt: exp ..., 95 s before the request>`).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <fmt/format.h>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/profile_commands.hpp"
#include "analyzer/cli/record_at.hpp"
#include "analyzer/cli/run.hpp"
#include "analyzer/core/redact.hpp"
#include "analyzer/audit/detector_texts.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/engine/analysis.hpp"
#include "analyzer/report/audit_report.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/ingest/reader.hpp"

namespace analyzer::cli {

namespace {

std::string describe_token(const event::event& ev) {
  const auto& a = ev.auth;
  if (!a.present) return "(no Authorization header)";
  std::string scheme = a.scheme == "none" ? "" : fmt::format("{} ", a.scheme == "bearer" ? "Bearer" : a.scheme);
  if (a.token == event::token_kind::none) return scheme + "<empty>";
  if (a.token == event::token_kind::opaque) return scheme + "<opaque token>";
  std::string claims;
  auto rel = [&](const char* name, const std::optional<int64_t>& in_s) {
    if (!in_s || !ev.ts_ms) return;
    int64_t abs_s = *ev.ts_ms / 1000 + *in_s;
    std::string when = event::format_time(abs_s * 1000);
    when.erase(when.size() - 5, 4);  // JWT times are whole seconds: drop ".000"
    std::string rel_text = *in_s >= 0 ? fmt::format("{} s after the request", *in_s)
                                      : fmt::format("{} s before the request", -*in_s);
    claims += fmt::format("{}{} {}, {}", claims.empty() ? "" : "; ", name, when, rel_text);
  };
  rel("exp", a.exp_in_s);
  rel("nbf", a.nbf_in_s);
  if (claims.empty()) claims = ev.ts_ms ? "no exp/nbf claims" : "record has no time";
  return scheme + fmt::format("<jwt: {}>", claims);
}

/// One `name  value` line; both may come from the log, so both are made
/// printable (a newline in a value must not forge a line).
std::string field_line(std::string_view name, std::string_view value) {
  return fmt::format("  {:<26} {}\n", core::printable(name), core::printable(value));
}

constexpr size_t shown_prompt_chars = 200;

size_t char_count(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

/// Which audit findings count the record (the audit of its whole input,
/// with the --audit-* thresholds), and the earlier call each points at.
/// Empty after printing why when the input cannot be audited.
std::optional<std::string> audit_lines(const options& o, const target& t, const rules::ruleset& rs,
                                       const profile::profile_set& profiles, int forced) {
  engine::audit_request audit;
  bool given = false;
  if (!parse_audit_thresholds(o, audit.thresholds, given)) return std::nullopt;
  engine::analysis_request req;
  req.rules = &rs;
  req.profiles = &profiles;
  req.inputs = {t.path};
  req.pipeline.threads = std::max(1u, std::thread::hardware_concurrency());
  req.pipeline.reader.max_record_bytes = o.max_record_bytes;
  req.pipeline.reader.choose_profile = make_chooser(profiles, forced);
  if (o.input_format == "har") req.pipeline.reader.format = ingest::input_format::har;
  if (o.input_format == "jsonl") req.pipeline.reader.format = ingest::input_format::jsonl;
  if (o.input_format == "json") req.pipeline.reader.format = ingest::input_format::json;
  req.audit = audit;
  std::string error;
  auto state = engine::run_analysis(req, error);
  if (!state) return std::string();
  auto result = engine::run_state_audit(*state, {}, true, false);
  if (!result) return std::string();
  std::string out = fmt::format("\naudit  (of all of {}: {} calls; thresholds as analyze --audit)\n",
                                t.path, result->calls);
  bool any = false;
  for (const auto& m : result->marks) {
    if ((t.line >= 0 && m.at.line != t.line) || (t.line < 0 && m.at.entry != t.entry)) continue;
    any = true;
    const auto& text = audit::builtin_detector_texts().detectors[static_cast<size_t>(m.id)];
    out += fmt::format("  audit: {}  {}", audit::name_of(m.id), text.title);
    if (m.earlier) out += fmt::format("; the earlier call: {}", report::audit_position(*result, *m.earlier));
    out += "\n";
  }
  if (!any) out += "  no audit finding counts this call\n";
  return out;
}

/// The first `n` code points of `s`, with "…" when cut.
std::string first_chars(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) return std::string(s.substr(0, i)) + "\xE2\x80\xA6";
  }
  return std::string(s);
}

/// `request.body.prompt`, `...negative_prompt`, `...multi_prompt.0.prompt`,
/// `...prompts.1`: the last non-index segment names a prompt.
bool is_prompt_field(std::string_view key) {
  while (!key.empty()) {
    size_t dot = key.rfind('.');
    std::string_view last = key.substr(dot == std::string_view::npos ? 0 : dot + 1);
    if (!core::parse_int(last)) return core::to_lower(last).find("prompt") != std::string::npos;
    if (dot == std::string_view::npos) break;
    key = key.substr(0, dot);
  }
  return false;
}

/// The text of a typed content item is a prompt when the item's type names
/// one (the 2026 standard: `contents: [{type: prompt, text: ...}]`).
bool is_prompt_item_text(std::string_view key,
                         const std::vector<std::pair<std::string, std::string>>& flat) {
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || key.substr(dot + 1) != "text") return false;
  std::string type_key = std::string(key.substr(0, dot)) + ".type";
  return std::any_of(flat.begin(), flat.end(), [&](const auto& kv) {
    return kv.first == type_key && core::to_lower(kv.second).find("prompt") != std::string::npos;
  });
}

/// A request body that is not JSON is shown raw: it may hold a prompt.
bool is_raw_body_with_prompt(std::string_view key, std::string_view value) {
  return key == "request.body" && core::to_lower(value).find("prompt") != std::string::npos;
}

/// The full values of the prompt fields among `flat` (flatten_last cuts
/// every value at 200 bytes): a second pass with a plan naming them.
std::vector<std::optional<std::string>> full_prompt_values(
    const std::vector<std::pair<std::string, std::string>>& flat, std::string_view record,
    const profile::compiled_profile& prof) {
  event::field_plan plan;
  std::vector<std::optional<event::field_ref>> refs;
  for (const auto& [k, v] : flat) {
    bool prompt = is_prompt_field(k) || is_prompt_item_text(k, flat);
    refs.push_back(prompt ? event::resolve_field(k, plan) : std::nullopt);
  }
  ingest::normalizer norm(plan);
  event::event ev;
  norm.normalize_copy(record, ev, prof);
  std::vector<std::optional<std::string>> out;
  for (const auto& ref : refs) {
    event::field_value v = ref ? event::get_field(ev, *ref) : event::field_value{};
    bool text = v.present() && v.type == event::field_value::kind::text;
    out.push_back(text ? std::optional<std::string>(std::string(v.text)) : std::nullopt);
  }
  return out;
}

/// The body fields section. Prompts are users' content, not evidence: they
/// are described (length) unless --show-prompts, then cut at 200 chars.
std::string body_field_lines(const std::vector<std::pair<std::string, std::string>>& flat,
                             std::string_view record, bool show_prompts,
                             const profile::compiled_profile& prof) {
  auto full = full_prompt_values(flat, record, prof);
  std::string out;
  for (size_t i = 0; i < flat.size(); ++i) {
    const auto& [k, v] = flat[i];
    std::string shown = v;
    if (is_prompt_field(k) || is_prompt_item_text(k, flat)) {
      std::string_view value = full[i] ? std::string_view(*full[i]) : std::string_view(v);
      shown = show_prompts ? first_chars(value, shown_prompt_chars)
                           : fmt::format("<prompt: {} char{}, hidden; --show-prompts to see>",
                                         char_count(value), char_count(value) == 1 ? "" : "s");
    } else if (!show_prompts && is_raw_body_with_prompt(k, v)) {
      shown = "<request body, not JSON, may hold a prompt: hidden; --show-prompts to see>";
    }
    out += field_line(k, core::redact_field(k, shown));  // api_key, x-api-key: by name
  }
  return out;
}

}  // namespace

exit_code run_explain(const options& o) {
  target t;
  auto rs = target_and_rules(o, t);
  if (!rs) return exit_code::error;

  int forced = -1;
  auto profiles = load_profiles_for(o, forced);
  if (!profiles) return exit_code::error;
  std::string error;
  int profile_index = -1;
  auto text = find_record(t, o, error, make_chooser(*profiles, forced), &profile_index);
  if (!text) {
    print_error(fmt::format("{}: no {} {}{}", t.path, t.line >= 0 ? "line" : "entry",
                            t.line >= 0 ? t.line : t.entry, error.empty() ? "" : " (" + error + ")"));
    return exit_code::error;
  }
  std::string out = fmt::format("record  {}\n", o.explain_target);
  if (!text->empty() && (*text)[0] == '\x01') {
    print_out(out + fmt::format("  malformed: {}\n", text->substr(1)));
    return exit_code::ok;
  }
  if (core::trim(*text).empty()) {
    print_out(out + "  a blank line: not a record\n");
    return exit_code::ok;
  }
  if (profile_index < 0) {
    print_out(out + fmt::format("  malformed: {}\n", ingest::no_profile_reason()));
    return exit_code::ok;
  }
  const profile::compiled_profile& prof = *profiles->profiles[static_cast<size_t>(profile_index)];
  out += field_line("profile", fmt::format("{}  ({}; {})", prof.id, forced >= 0 ? "--profile" : "detected",
                                           prof.file));
  ingest::normalizer norm(rs->plan(), o.max_depth);
  event::event ev;
  // A line holding many records (an OTLP export): one of them, by index.
  std::string record(core::trim(*text));
  if (prof.has_envelope()) {
    std::vector<std::string_view> records;
    std::string why;
    std::string padded = record;
    padded.reserve(padded.size() + ingest::required_padding());
    if (!norm.split_records(padded, padded.capacity(), prof, records, why)) {
      print_out(out + fmt::format("  malformed: {}\n", why));
      return exit_code::ok;
    }
    int64_t index = t.index >= 0 ? t.index : 0;
    if (index >= static_cast<int64_t>(records.size())) {
      print_error(fmt::format("{}: line {} holds {} record{} (0-based INDEX: {}:{}/0)", t.path, t.line,
                              records.size(), records.size() == 1 ? "" : "s", t.path, t.line));
      return exit_code::error;
    }
    out += field_line("record", fmt::format("{} of the {} in this line", index, records.size()));
    record = std::string(records[static_cast<size_t>(index)]);
  }
  norm.normalize_copy(record, ev, prof);
  if (ev.result == event::outcome::skipped) {
    print_out(out + fmt::format("  skipped: profile `{}` says this line is not a call\n", prof.id));
    return exit_code::ok;
  }
  if (ev.result == event::outcome::malformed) {
    print_out(out + fmt::format("  malformed: {}\n", ev.malformed_reason));
    return exit_code::ok;
  }
  std::string audit_text;
  if (!o.no_audit && t.path != "-") {
    auto lines = audit_lines(o, t, *rs, *profiles, forced);
    if (!lines) return exit_code::error;
    audit_text = std::move(*lines);
  }
  out += field_line("response body", ev.response_body ? "logged" : "not logged (status-only evidence)");
  out += field_line("outcome", ev.result == event::outcome::ok
                                   ? "ok"
                                   : fmt::format("failure ({})", event::name_of(ev.failure)));
  for (const auto& [name, id] : event::builtin_fields()) {
    if (name.substr(0, 4) == "auth" || name.substr(0, 3) == "jwt") continue;
    event::field_value v = event::get_field(ev, {event::field_area::builtin, id, 0});
    if (!v.present()) continue;
    std::string shown = v.type == event::field_value::kind::text ? std::string(v.text)
                        : v.type == event::field_value::kind::boolean ? (v.boolean ? "true" : "false")
                        : fmt::format("{}", v.number);
    out += field_line(name, core::clip(shown, 160));
  }
  if (ev.ts_ms) out += field_line("ts", event::format_time(*ev.ts_ms));
  if (ev.result == event::outcome::ok) {
    out += "\nSuccessful calls are not matched against rules.\n";
    print_out(out + audit_text);
    return exit_code::ok;
  }
  out += "\nevidence\n";
  out += field_line("Authorization", describe_token(ev));
  for (const auto& [name, id] : event::builtin_fields()) {
    if (name.substr(0, 4) != "auth" && name.substr(0, 3) != "jwt") continue;
    event::field_value v = event::get_field(ev, {event::field_area::builtin, id, 0});
    if (!v.present()) continue;
    std::string shown = v.type == event::field_value::kind::text ? std::string(v.text)
                        : v.type == event::field_value::kind::boolean ? (v.boolean ? "true" : "false")
                        : fmt::format("{}", v.number);
    out += field_line(name, shown);
  }
  auto flat = norm.flatten_last();
  norm.normalize_copy(record, ev, prof);  // flatten_last reused scratch
  if (!flat.empty()) {
    out += "\nbody fields (for request.body.<path> / response.body.<path>)\n";
    out += body_field_lines(flat, record, o.show_prompts, prof);
  }
  rules::match_scratch scratch;
  auto traces = rs->trace(ev, scratch);
  int winner = rs->classify(ev, scratch);
  out += "\nrules that matched (highest priority first), each with the conditions that held\n";
  bool any = false;
  for (const auto& tr : traces) {
    if (!tr.matched) continue;
    any = true;
    const auto& r = rs->at(tr.rule);
    out += fmt::format("  {:>5}  {}{}{}\n", r.priority, r.id,
                       r.cause == r.id ? "" : fmt::format("  (cause {})", r.cause),
                       tr.rule == winner ? "   <- wins: highest priority" : "");
    for (const auto& h : tr.held) out += fmt::format("           {}\n", core::redact_secrets(h));
  }
  if (!any) out += "  (none)\n";
  out += "\nclosest rules that did not match\n";
  int shown = 0;
  for (const auto& tr : traces) {
    if (tr.matched || shown >= 8) continue;
    const auto& r = rs->at(tr.rule);
    if (tr.failed_condition.rfind("`status` is", 0) == 0 || tr.failed_condition.empty()) continue;
    std::string why = tr.failed_condition;
    if (!o.show_prompts && is_prompt_field(tr.failed_field)) {  // never a prompt's text
      size_t is = why.find("` is ");
      if (is != std::string::npos) why = why.substr(0, is) + "` is <prompt, hidden>";
    }
    out += fmt::format("  {:>5}  {:<42} {}\n", r.priority, r.id, core::redact_secrets(why));
    ++shown;
  }
  if (shown == 0) out += "  (none with this status)\n";
  if (winner >= 0) {
    const auto& r = rs->at(winner);
    out += fmt::format("\ncause  {} ({}), by rule {}\n  {}\n", r.cause, r.category, r.id, r.title);
    for (const auto& f : r.fixes) out += fmt::format("  fix: {}\n", f);
  } else {
    out += "\ncause  unclassified.unknown: no rule matched; `kling-triage rules suggest " +
           o.explain_target + "` writes one to start from (see rules/README.md)\n";
  }
  print_out(out + audit_text);
  return exit_code::ok;
}

}  // namespace analyzer::cli
