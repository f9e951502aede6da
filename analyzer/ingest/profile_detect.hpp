// SPDX-License-Identifier: MIT
#pragma once
/// Which profile reads an input: its first records are sampled, each votes
/// for the most specific profile whose `detect` holds for it, and the
/// profile with the most votes reads the whole input (ties: the more
/// specific, then the first loaded); a profile that reads fewer than half
/// of the sampled records reads nothing. `--profile ID` skips all this.

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ingest/chunk.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::ingest {

/// Records sampled from the start of an input.
inline constexpr int detect_sample_records = 16;

struct detection {
  int profile = -1;  // index in the set; -1: no profile reads the input
  int sampled = 0;   // records looked at
  std::vector<int> votes;    // per profile: sampled records it is the best reader of
  std::vector<int> matches;  // per profile: sampled records its detect holds for
  std::string first_keys;    // the first record's top-level keys (for the message)
  int best_minority = -1;    // the best reader when it read under half the samples
};

/// Detects the profile of an input from its first bytes (`head`, with
/// readable padding up to `capacity`); HAR documents get the set's `har`
/// profile.
detection detect_profile(const profile::profile_set& set, std::string_view head,
                         size_t capacity, input_format format, normalizer& norm);

/// The best reader of one record: the most specific profile whose detect
/// holds (-1: none); `tie` is set to a second profile as specific as it.
int best_profile(const profile::profile_set& set, std::string_view record, size_t capacity,
                 normalizer& norm, int* tie = nullptr, std::vector<int>* holds = nullptr);

/// The load-time check: every profile's samples must be read by that
/// profile alone (no other profile as or more specific detects them).
void check_detection(const profile::profile_set& set, core::diagnostics& problems);

/// The malformed reason for the records of an input no profile reads.
std::string no_profile_reason();

}  // namespace analyzer::ingest
