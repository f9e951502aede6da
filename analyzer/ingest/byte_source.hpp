// SPDX-License-Identifier: MIT
#pragma once
/// ingest: bytes → records → normalized events. Opens files and stdin,
/// decompresses gzip and zstd in-process, splits JSON Lines and HAR into
/// records, and turns each record into an event::event. It never prints,
/// never classifies, and never exits: problems become per-input errors or
/// malformed records.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace analyzer::ingest {

enum class compression { none, gzip, zstd };
std::string_view name_of(compression c);

/// A stream of (decompressed) bytes. read() returns the number of bytes
/// written to `buf` (0 at the end of the stream) or -1 on error, in which
/// case error() says why, naming the byte offset for truncated streams.
class byte_source {
 public:
  virtual ~byte_source() = default;
  virtual int64_t read(char* buf, size_t n) = 0;
  const std::string& error() const { return error_; }
  /// Bytes consumed from the underlying file so far (compressed size).
  virtual int64_t raw_bytes() const = 0;
  /// XXH3-64 of those bytes (the input's content checksum, computed while
  /// reading).
  virtual uint64_t checksum() const = 0;

 protected:
  std::string error_;
};

struct opened_input {
  std::unique_ptr<byte_source> source;  // null when the open failed
  compression kind = compression::none;
  std::string error;  // why the open failed
};

/// A part of a file: the lines that start in [start, end).
struct byte_range {
  int64_t start = 0;
  int64_t end = 0;
};

/// Where a byte range's lines lie: [start, end), from the first line start
/// at or after the requested start to the end of the line holding the
/// requested end - 1 (so ranges that meet cover every line exactly once).
struct aligned_range {
  int64_t start = 0;
  int64_t end = 0;
  int64_t file_size = 0;
};

/// Opens `path` ("-" for standard input), sniffs gzip / zstd magic bytes
/// and wraps the stream in the matching decompressor.
opened_input open_input(const std::string& path);

/// Opens the lines of `path` that start in `range` (an uncompressed file;
/// not decompressed, whatever it holds). `aligned` receives where they lie.
opened_input open_range(const std::string& path, byte_range range, aligned_range& aligned);

/// Wraps an in-memory buffer (tests, rule samples). The buffer must
/// outlive the source.
std::unique_ptr<byte_source> memory_source(std::string_view bytes);

/// Sniffs compression from the first bytes of `raw` and wraps it.
opened_input wrap_decompressor(std::unique_ptr<byte_source> raw);

/// Replays `prefix`, then continues with `rest`.
std::unique_ptr<byte_source> prefixed(std::vector<char> prefix, std::unique_ptr<byte_source> rest);

/// Decodes UTF-16 (after its BOM) to UTF-8; invalid units become U+FFFD.
std::unique_ptr<byte_source> utf16_to_utf8(std::unique_ptr<byte_source> in, bool big_endian);

}  // namespace analyzer::ingest
