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
#include "analyzer/ingest/reader.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace analyzer::cli {

/// A record's place: a 1-based line (JSON Lines) or a 0-based HAR entry;
/// `index`: a record of a line holding many (an OTLP export), 0-based.
struct target {
  std::string path;
  int64_t line = -1;
  int64_t entry = -1;
  int64_t index = -1;
  int64_t position() const { return line >= 0 ? line : entry; }
};

/// Parses `INPUT:LINE`, `INPUT:LINE/INDEX` or `INPUT#ENTRY`; false when it is none.
bool parse_target(const std::string& spec, target& t);

/// What explain and rules suggest start with: the target of
/// `o.explain_target` and the rules; null after printing why not.
std::unique_ptr<rules::ruleset> target_and_rules(const options& o, target& t);

/// Streams the records of `path` (any format, compression) to `visit`
/// with their position, and their text, or the reader's reason prefixed
/// with '\x01' for a record it rejected, in input order (blank lines
/// too); `visit` returns false to stop. `error` gets the first read error.
/// `chooser` picks the input's profile (default: detection over the bundled
/// set); `profile` gets its index.
void for_each_record(const std::string& path, const options& o,
                     const std::function<bool(int64_t position, std::string_view text)>& visit,
                     std::string& error, const ingest::profile_chooser& chooser = {},
                     int* profile = nullptr);

/// The record's text (or '\x01' + the reader's reason), found by streaming.
std::optional<std::string> find_record(const target& t, const options& o, std::string& error,
                                       const ingest::profile_chooser& chooser = {},
                                       int* profile = nullptr);

}  // namespace analyzer::cli
