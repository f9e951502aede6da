// SPDX-License-Identifier: MIT
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

std::string source_of(const summary& s, uint32_t source) {
  return source < s.sources.size() ? s.sources[source].path : "?";
}

int64_t shown_line(const summary& s, uint32_t source, int64_t line) {
  if (line < 0 || source >= s.sources.size()) return line;
  return line + s.sources[source].first_line - 1;
}

}  // namespace analyzer::report
