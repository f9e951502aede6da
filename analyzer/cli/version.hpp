// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace analyzer::cli {

/// A data pack embedded in the binary, and its digest.
struct embedded_pack {
  std::string_view name;  // "rules"
  std::string digest;     // sha256:<hex>
};

/// Every embedded pack: the bundled rules (the digest a report's
/// `rules.digest` shows for a run without --rules) and the bundled input
/// profiles (profile::digest of the set a run without --profiles reads with,
/// as its report and partials show it).
std::vector<embedded_pack> embedded_packs();

/// The git revision the binary was built from (`git describe` at build
/// time), or "unknown" when it was not built from a git checkout.
std::string_view build_revision();

/// `kling-triage --version`: the version on the first line, then the
/// revision and each embedded pack's digest.
std::string version_text(std::string_view version);

}  // namespace analyzer::cli
