// SPDX-License-Identifier: MIT
// The capability sections this build reads: one line per capability that
// keeps state of its own (its sink's finish() adds a state_section to the
// run; its decoder reads that section back from a partial).
#include "analyzer/engine/audit_section.hpp"
#include "analyzer/engine/callback_section.hpp"
#include "analyzer/engine/partial_codec.hpp"

namespace analyzer::engine {

const std::vector<section_codec>& known_sections() {
  static const std::vector<section_codec> known = {
      {audit_section::section_name, audit_section::decode},
      {callback_section::section_name, callback_section::decode},
  };
  return known;
}

}  // namespace analyzer::engine
