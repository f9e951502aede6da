// SPDX-License-Identifier: MIT
#pragma once
/// One record of an input by its place (`FILE:LINE`, `FILE#ENTRY`), and the
/// records around it: what `explain` and `rules suggest` read.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/cli/options.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::cli {

/// A record's place: a 1-based line (JSON Lines) or a 0-based HAR entry.
struct target {
  std::string path;
  int64_t line = -1;
  int64_t entry = -1;
  int64_t position() const { return line >= 0 ? line : entry; }
};

/// Parses `INPUT:LINE` or `INPUT#ENTRY`; false when it is neither.
bool parse_target(const std::string& spec, target& t);

/// What explain and rules suggest start with: the target of
/// `o.explain_target` and the rules; null after printing why not.
std::unique_ptr<rules::ruleset> target_and_rules(const options& o, target& t);

/// Streams the records of `path` (any format, compression) to `visit`
/// with their position, and their text, or the reader's reason prefixed
/// with '\x01' for a record it rejected, in input order (blank lines
/// too); `visit` returns false to stop. `error` gets the first read error.
void for_each_record(const std::string& path, const options& o,
                     const std::function<bool(int64_t position, std::string_view text)>& visit,
                     std::string& error);

/// The record's text (or '\x01' + the reader's reason), found by streaming.
std::optional<std::string> find_record(const target& t, const options& o, std::string& error);

}  // namespace analyzer::cli
