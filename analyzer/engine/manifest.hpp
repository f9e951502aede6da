// SPDX-License-Identifier: MIT
#pragma once
/// The inputs of a run (or of merged runs): which bytes were read, and how.
///
/// An input's identity is its path as given, the byte range it covers (a
/// shard cut by `analyze --byte-range`, or the whole file) and the XXH3-64
/// checksum of the bytes read from it, computed while reading. Entries are
/// kept sorted by (path, range start, range end, checksum): that order is
/// the tie-break of the global record order (identical records in two
/// inputs), so it must not depend on the order inputs were given in or
/// partials merged in.
///
/// Record positions are (entry, line, entry index) with the line counted
/// from the start of the entry's range: a shard cannot know how many lines
/// precede it. When the report is rendered, the ranges of one file that
/// join up from its first byte give every shard its true first line.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analyzer::engine {

struct byte_range {
  int64_t start = 0;  // the first byte of the first line it owns
  int64_t end = 0;    // one past the last byte of its last line
  auto operator<=>(const byte_range&) const = default;
};

struct input_entry {
  std::string path;  // as given; standard input is "<stdin>"
  std::optional<byte_range> range;
  uint64_t checksum = 0;  // XXH3-64 of the bytes read (as stored: compressed)
  int64_t lines = 0;      // JSON Lines: lines read (a last line without newline too)
  std::string format;       // jsonl | har | json
  std::string compression;  // none | gzip | zstd
  std::string profile;      // the input profile that read it; empty: none did
  std::string encoding = "utf-8";
  std::string line_ends = "lf";
  int64_t raw_bytes = 0;  // read from the file (compressed)
  int64_t bytes = 0;      // after decompression
  bool unreadable = false;
  std::vector<std::string> errors;

  /// Same input: path, range and checksum.
  bool same_input(const input_entry& o) const {
    return path == o.path && range == o.range && checksum == o.checksum;
  }
};

/// The manifest order (see the file comment).
bool manifest_less(const input_entry& a, const input_entry& b);

/// How the inputs of a partial relate to those already merged.
enum class overlap { none, all, some };

/// Whether `incoming`'s inputs are new (none), all already in `merged`
/// (all: the same partial, or one already merged into another), or some
/// (the partials cannot be merged without counting inputs twice). A
/// partial with no inputs is `none`.
overlap compare_inputs(const std::vector<input_entry>& merged,
                       const std::vector<input_entry>& incoming);

/// Byte ranges of one file that overlap without being the same input, or
/// a file read both whole and in ranges: a text naming them, or empty.
std::string conflicting_ranges(const std::vector<input_entry>& entries);

/// Merges two sorted manifests; `map_a[i]` / `map_b[i]` receive the merged
/// index of each side's entry i.
std::vector<input_entry> merge_manifests(const std::vector<input_entry>& a,
                                         const std::vector<input_entry>& b,
                                         std::vector<uint32_t>& map_a,
                                         std::vector<uint32_t>& map_b);

/// Where an entry's records are shown in a report: the file's path, and
/// the true number of its first line. Ranges of one file that chain from
/// byte 0 get their true lines; a chain that starts after a gap (its
/// shards before are not in this merge) is shown as `path@START`, its
/// lines counted from START.
struct entry_display {
  std::string source;
  int64_t first_line = 1;
  size_t row = 0;  // its row in display_plan::rows
};

struct display_plan {
  std::vector<entry_display> entries;     // by manifest index
  std::vector<std::vector<size_t>> rows;  // per report row: its entries, in manifest order
  std::vector<std::string> gaps;          // "path: bytes 0-1048576 are in no partial ..."
};

/// Groups the manifest into report rows: one per whole input, one per file
/// read in ranges (its shards added up).
display_plan plan_display(const std::vector<input_entry>& entries);

}  // namespace analyzer::engine
