// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace analyzer::ingest {

/// Decodes standard or URL-safe base64, padded or not, ignoring
/// whitespace. Returns false (leaving `out` unspecified) on a bad byte.
bool base64_decode(std::string_view in, std::string& out);

/// Appends standard, padded base64 of `in` to `out`.
void base64_encode(std::string_view in, std::string& out);

/// True when every byte is in the base64url alphabet (JWT segments).
bool is_base64url(std::string_view s);

}  // namespace analyzer::ingest
