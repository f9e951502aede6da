// SPDX-License-Identifier: MIT
#pragma once
/// The partial file as a container of named sections (docs/partial-format.md):
/// a header line naming the schema, one checksummed (optionally
/// zstd-compressed) body of sections, in a binary form or a text-safe one
/// (one partial per line, base64). Partials concatenate: a stream may hold
/// any number of them, in either form. What the sections hold is
/// partial_codec's business; this layer only frames, checks and names the
/// problems of what it reads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace analyzer::engine {

inline constexpr std::string_view partial_schema = "kling-triage/partial@1";
inline constexpr uint32_t partial_version = 1;

/// One capability's state in a partial: `counts`, `inputs`, later `audit`.
/// A reader that meets a `required` section it does not know refuses the
/// partial; an optional one it skips.
struct partial_section {
  std::string name;
  bool required = true;
  std::string bytes;
};

enum class partial_form { binary, text };

/// Limits of what a reader accepts (hostile input must not make it
/// allocate or loop without bound).
inline constexpr uint64_t max_partial_body = uint64_t{1} << 32;  // 4 GiB decompressed
inline constexpr size_t max_sections = 64;
inline constexpr size_t max_section_name = 64;

/// Encodes sections as one partial. `compress`: zstd the body (level 3).
std::string encode_partial(const std::vector<partial_section>& sections, partial_form form,
                           bool compress);

/// Why a partial could not be read. The message names the problem and its
/// byte offset in the stream, never the file (the caller adds that).
enum class partial_errc {
  not_a_partial,  // no partial header where one should be
  newer_version,  // kling-triage/partial@N with N > partial_version
  truncated,      // the bytes end inside the partial
  corrupted,      // checksum mismatch, bad compression, bad framing
  invalid,        // framing fine, but a section's content is not valid
};
std::string_view name_of(partial_errc e);

struct partial_error {
  partial_errc code = partial_errc::invalid;
  std::string message;
};

/// Reads consecutive partials out of one byte stream (a file, stdin, or a
/// JSON report's embedded text form). Blank space between partials is
/// skipped. The bytes must outlive the reader.
class partial_stream {
 public:
  explicit partial_stream(std::string_view bytes) : in_(bytes) {}

  /// The next partial's sections; false at the end of the stream or on a
  /// problem (then error() says which; the rest of the stream is not read).
  bool next(std::vector<partial_section>& out);
  const std::optional<partial_error>& error() const { return error_; }
  /// How many partials next() returned so far.
  size_t count() const { return count_; }

 private:
  bool fail(partial_errc code, std::string message);
  bool read_body(std::string_view framed, size_t at, std::vector<partial_section>& out);

  std::string_view in_;
  size_t pos_ = 0;
  size_t count_ = 0;
  std::optional<partial_error> error_;
};

/// The text form of a partial embedded in a JSON report (`"partial"` at
/// the top level), or nullopt when `json` has none; `error` is set when the
/// document is not valid JSON.
std::optional<std::string> embedded_partial(std::string_view json, std::string& error);

}  // namespace analyzer::engine
