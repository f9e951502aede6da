// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ingest/byte_source.hpp"
#include "analyzer/ingest/chunk.hpp"

namespace analyzer::ingest {

/// Picks an input's profile from its first bytes (`head`; readable up to
/// `capacity`): an index in the run's profile set, or -1 when none reads it
/// (then `why` says so, once, as the input's error).
using profile_chooser = std::function<int(std::string_view head, size_t capacity,
                                          input_format format, std::string& why)>;

struct reader_options {
  size_t chunk_bytes = size_t{4} << 20;
  size_t max_record_bytes = size_t{16} << 20;  // --max-record-bytes
  size_t max_depth = 1024;  // HAR nesting (normalizer.hpp: default_max_depth)
  input_format format = input_format::auto_detect;
  profile_chooser choose_profile;  // unset: detection over the bundled profiles
  bool strip_bom = true;   // false: a byte range that does not start the file
  bool head_only = false;  // stop once the input's profile is chosen (read_head)
};

/// What happened to one input, for the report.
struct input_report {
  std::string path;
  input_format format = input_format::jsonl;
  compression kind = compression::none;
  int64_t raw_bytes = 0;  // read from the file (compressed)
  int64_t bytes = 0;      // after decompression
  bool unreadable = false;  // could not be opened at all
  std::string encoding = "utf-8";  // or utf-16le / utf-16be (transcoded)
  std::string line_ends = "lf";    // or cr (each CR read as a line end)
  int profile = -1;         // the profile reading it (index in the run's set)
  uint64_t checksum = 0;    // XXH3-64 of the raw bytes read
  int64_t lines = 0;        // JSON Lines: lines read (a last one without newline too)
  std::optional<aligned_range> range;  // a byte range of the file was read
  std::vector<std::string> errors;
};

/// The malformed-record reason of a JSON Lines line over the limit; the
/// reader (lines longer than a chunk) and the worker (inside a chunk) both
/// report it.
std::string oversized_line_reason(size_t max_record_bytes);

/// Emits a finished chunk; may block (back-pressure).
using chunk_emitter = std::function<void(chunk&&)>;

/// Reads one input to the end, cutting it into chunks. Never throws;
/// problems (unreadable file, truncated stream, broken HAR) land in the
/// returned report's errors, and every record read before a problem is
/// emitted. `seq` is not set here.
input_report read_input(uint32_t source, const std::string& path,
                        const reader_options& options, buffer_pool& pool,
                        const chunk_emitter& emit);

/// Reads the start of `path` as read_input would, until the input's format,
/// compression and profile are known (for a byte range of it, which must
/// be read as the whole file is). Nothing is emitted.
input_report read_head(const std::string& path, const reader_options& options);

/// Same, over an already opened stream.
input_report read_stream(uint32_t source, const std::string& path,
                         opened_input in, const reader_options& options,
                         buffer_pool& pool, const chunk_emitter& emit);

}  // namespace analyzer::ingest
