// SPDX-License-Identifier: MIT
// The capability sections this build reads: one line per capability that
// keeps state of its own (its sink's finish() adds a state_section to the
// run; its decoder reads that section back from a partial).
#include "analyzer/engine/partial_codec.hpp"

namespace analyzer::engine {

const std::vector<section_codec>& known_sections() {
  static const std::vector<section_codec> known = {
      // {"audit", audit_section::decode},   // issue 13's integration
  };
  return known;
}

}  // namespace analyzer::engine
