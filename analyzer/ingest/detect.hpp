// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "analyzer/ingest/chunk.hpp"

namespace analyzer::ingest {

/// Decides between JSON Lines and HAR from the first (decompressed) bytes,
/// BOM already removed, and the file name: a document whose first line is
/// a lone `{` (pretty-printed JSON) or whose first key is "log" is HAR;
/// anything else is JSON Lines (a HAR entry per line is JSON Lines too).
input_format sniff_format(std::string_view head, const std::string& path);

}  // namespace analyzer::ingest
