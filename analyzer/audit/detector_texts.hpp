// SPDX-License-Identifier: MIT
#pragma once
/// The words of the audit: each detector's title, description and one-line
/// fix, from a data file (rules/audit/detectors.yaml, embedded at build
/// time), with placeholders filled from a finding.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/audit/audit.hpp"
#include "analyzer/core/diagnostic.hpp"

namespace analyzer::audit {

struct detector_text {
  detector id = detector::retry_non_retryable;
  std::string title;
  std::string description;  // placeholders: thresholds only
  std::string fix;          // placeholders: a finding's values and thresholds
};

struct detector_texts {
  std::array<detector_text, detector_count> detectors;
  /// Causes the in-flight chart sets against the tasks in flight.
  std::vector<std::string> in_flight_against;
};

/// Parses a detector text file. Every problem (YAML syntax, unknown keys,
/// a detector missing or given twice, an unknown placeholder) is appended
/// to `problems` with file:line:col. Never throws.
detector_texts load_detector_texts(std::string_view name, std::string_view text,
                                   core::diagnostics& problems);

/// The embedded rules/audit/detectors.yaml, parsed once.
const detector_texts& builtin_detector_texts();
std::string_view builtin_detector_file();

/// `text` with every `{placeholder}` replaced from `v` and the thresholds
/// of `o`; a placeholder with no value in `v` reads `?`.
std::string fill(std::string_view text, const finding_values& v, const audit_options& o);

/// The names fill() knows.
bool known_placeholder(std::string_view name);

/// A duration for people: `350 ms`, `2.5 s`, `600 s` (under 20 min), `31 min`,
/// `3.5 h` (from 2 h). Rounded down.
std::string format_duration(int64_t ms);

}  // namespace analyzer::audit
