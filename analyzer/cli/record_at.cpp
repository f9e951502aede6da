// SPDX-License-Identifier: MIT
#include "analyzer/cli/record_at.hpp"

#include <cstring>
#include <fmt/format.h>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/messages.hpp"

#include "analyzer/core/text.hpp"
#include "analyzer/ingest/reader.hpp"

namespace analyzer::cli {

bool parse_target(const std::string& spec, target& t) {
  size_t hash = spec.rfind('#');
  size_t colon = spec.rfind(':');
  size_t cut = hash != std::string::npos ? hash : colon;
  if (cut == std::string::npos || cut == 0) return false;
  std::string number = spec.substr(cut + 1);
  if (size_t slash = number.find('/'); slash != std::string::npos && hash == std::string::npos) {
    auto i = core::parse_int(number.substr(slash + 1));
    if (!i || *i < 0) return false;
    t.index = *i;
    number.resize(slash);
  }
  auto n = core::parse_int(number);
  if (!n || *n < 0) return false;
  t.path = spec.substr(0, cut);
  (hash != std::string::npos ? t.entry : t.line) = *n;
  return t.line != 0;
}

std::unique_ptr<rules::ruleset> target_and_rules(const options& o, target& t) {
  if (!parse_target(o.explain_target, t)) {
    print_usage_error(fmt::format("`{}` is not INPUT:LINE (1-based), INPUT:LINE/INDEX or INPUT#ENTRY (0-based)",
                                  o.explain_target));
    return nullptr;
  }
  core::diagnostics problems;
  auto rs = load_ruleset(o.rule_paths, o.no_builtin_rules, problems, {}, rule_limits(o), false);
  print_diagnostics(problems);
  return rs;
}

namespace {
struct stop_reading {};
}  // namespace

void for_each_record(const std::string& path, const options& o,
                     const std::function<bool(int64_t position, std::string_view text)>& visit,
                     std::string& error, const ingest::profile_chooser& chooser,
                     int* profile) {
  ingest::buffer_pool pool;
  ingest::reader_options ro;
  ro.max_depth = o.max_depth;
  ro.choose_profile = chooser;
  ro.format = o.input_format == "har"     ? ingest::input_format::har
              : o.input_format == "jsonl" ? ingest::input_format::jsonl
              : o.input_format == "json"  ? ingest::input_format::json
                                          : ingest::input_format::auto_detect;
  auto emit = [&](ingest::chunk&& c) {
    if (profile != nullptr) *profile = c.profile;
    const char* data = c.buf.data.get();
    if (c.explicit_records) {
      for (const auto& r : c.records) {
        std::string text = r.error.empty() ? std::string(data + r.offset, r.length) : "\x01" + r.error;
        if (!visit(r.number, text)) throw stop_reading{};
      }
    } else {
      const char* p = data;
      const char* end = data + c.size;
      for (int64_t line = c.first_line; p < end; ++line) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* stop = nl != nullptr ? nl : end;
        std::string_view text(p, static_cast<size_t>(stop - p));
        if (!visit(line, text)) throw stop_reading{};
        p = stop + 1;
      }
    }
    pool.release(std::move(c.buf));
  };
  try {
    auto rep = ingest::read_input(0, path, ro, pool, emit);
    if (!rep.errors.empty()) error = rep.errors.front();
  } catch (const stop_reading&) {
  }
}

std::optional<std::string> find_record(const target& t, const options& o, std::string& error,
                                       const ingest::profile_chooser& chooser, int* profile) {
  std::optional<std::string> text;
  for_each_record(
      t.path, o,
      [&](int64_t position, std::string_view record) {
        if (position < t.position()) return true;
        if (position == t.position()) text = std::string(record);
        return false;  // records come in order: past it, stop
      },
      error, chooser, profile);
  return text;
}

}  // namespace analyzer::cli
