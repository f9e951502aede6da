// SPDX-License-Identifier: MIT
#include "analyzer/ingest/detect.hpp"

#include "analyzer/core/text.hpp"

namespace analyzer::ingest {

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         core::iequals(s.substr(s.size() - suffix.size()), suffix);
}
}  // namespace

input_format sniff_format(std::string_view head, const std::string& path) {
  std::string_view s = core::trim(head);
  // A pretty-printed JSON array (its first line a lone `[`): one document.
  if (!s.empty() && s.front() == '[' && core::trim(s.substr(0, s.find('\n'))) == "[") {
    return input_format::json;
  }
  if (s.empty() || s.front() != '{') {
    return ends_with(path, ".har") ? input_format::har : input_format::jsonl;
  }
  size_t nl = s.find('\n');
  if (core::trim(s.substr(0, nl)) == "{") return input_format::har;
  std::string_view after = core::trim(s.substr(1));
  if (after.substr(0, 5) == "\"log\"") return input_format::har;
  for (auto ext : {".har", ".har.gz", ".har.zst", ".har.zstd"}) {
    if (ends_with(path, ext) && nl == std::string_view::npos) {
      return input_format::har;  // one-line HAR with another first key
    }
  }
  return input_format::jsonl;
}

}  // namespace analyzer::ingest
