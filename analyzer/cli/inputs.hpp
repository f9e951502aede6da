// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace analyzer::cli {

/// Expands the INPUT arguments: files as given, folders recursively in
/// sorted path order (only log-like names: .jsonl .ndjson .json .log .har
/// .txt, optionally + .gz/.zst/.zstd), "-" for stdin. Paths that do not
/// exist are kept, so the reader reports them.
std::vector<std::string> expand_inputs(const std::vector<std::string>& args);

}  // namespace analyzer::cli
