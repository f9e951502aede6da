// SPDX-License-Identifier: MIT
#pragma once
/// A run's state as a partial and back (docs/partial-format.md). The
/// writer is canonical: equal states give equal bytes (maps in key order,
/// unordered ones sorted first). The reader checks every length, count,
/// index and invariant a merge relies on before it builds anything, and
/// names what is wrong.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/partial_file.hpp"
#include "analyzer/engine/run_state.hpp"
#include "analyzer/engine/wire.hpp"

namespace analyzer::engine {

/// Reads one capability's section (the audit's, later) for a state whose
/// run, inputs and counts are already read; null and `error` on a problem.
using section_decoder = std::function<std::unique_ptr<state_section>(
    std::string_view bytes, const run_state& state, std::string& error)>;

struct section_codec {
  std::string_view name;
  section_decoder decode;
};

/// The capability sections this build reads (sections.cpp: one line per
/// capability).
const std::vector<section_codec>& known_sections();

/// An aggregator as the `counts` section holds it (after the section's
/// version), with `input_count` per-input rows: for a section that carries
/// aggregators of its own (callback_section.hpp).
void put_aggregate(wire::writer& w, const aggregate::aggregator& a, size_t input_count);

/// Reads what put_aggregate wrote into `a` (made with the state's cause
/// count and bounds), checking every invariant; `r` fails on a problem.
/// Its per-input rows must number `input_count`, or at most that when not
/// `exact`.
void get_aggregate(wire::reader& r, aggregate::aggregator& a, size_t causes, size_t input_count,
                   bool exact);

/// The state as sections: `run`, `inputs`, `counts`, then each capability's.
std::vector<partial_section> encode_state(const run_state& state);

/// The state as one partial.
std::string encode_state(const run_state& state, partial_form form, bool compress);

/// A state from one partial's sections. `notes` receives a line per
/// optional section this build does not know (skipped).
std::optional<run_state> decode_state(const std::vector<partial_section>& sections,
                                      partial_error& error, std::vector<std::string>& notes);

/// Every partial in one file or stream: partials concatenated (either
/// form), or a JSON report carrying one (`--embed-partial`). On a problem,
/// `error` names it and `states` holds the partials before it.
struct partials_read {
  std::vector<run_state> states;
  std::optional<partial_error> error;
  std::vector<std::string> notes;
};
partials_read read_partials(std::string_view bytes);

}  // namespace analyzer::engine
