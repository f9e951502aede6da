// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "analyzer/cli/options.hpp"
#include "analyzer/ingest/reader.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::cli {

/// The run's profiles (bundled + --profiles), with --profile resolved into
/// `forced` (its index, or -1); null after printing every problem.
/// `samples`: the bundled profiles with their samples (profiles test).
std::unique_ptr<profile::profile_set> load_profiles_for(const options& o, int& forced,
                                                        bool samples = false);

/// Picks each input's profile: `forced`, or detection on its first records.
ingest::profile_chooser make_chooser(const profile::profile_set& set, int forced);

}  // namespace analyzer::cli
