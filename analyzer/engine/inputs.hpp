// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace analyzer::engine {

/// Expands the INPUT arguments: files as given, folders recursively in
/// sorted path order (only log-like names: .jsonl .ndjson .json .log .har
/// .txt, optionally + .gz/.zst/.zstd), "-" for stdin. Paths that do not
/// exist are kept, so the reader reports them. A path met twice (a file
/// given and inside a given folder) is read once; `repeated` (when given)
/// receives each such path.
std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       std::vector<std::string>* repeated = nullptr);

}  // namespace analyzer::engine
