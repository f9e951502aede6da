// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace analyzer::event {

struct url_parts {
  std::string_view host;
  std::string_view path;  // without query or fragment; "/" when empty
};

/// Splits an absolute or relative URL into host and path.
url_parts split_url(std::string_view url);

/// Writes `path` with id-like segments replaced by `{id}` into `out`:
/// numbers of 4+ digits, UUIDs, and tokens of 16+ characters that mix
/// letters and digits (Kling task ids). `/v1/videos/text2video/8f3a...`
/// becomes `/v1/videos/text2video/{id}`.
void fold_ids(std::string_view path, std::string& out);

}  // namespace analyzer::event
