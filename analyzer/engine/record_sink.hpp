// SPDX-License-Identifier: MIT
#pragma once
/// engine: the record stage, the run's state, partials and merge.
///
/// The record stage (record_stage.hpp) frames each chunk into records,
/// normalizes them, keeps those in the --since/--until window and
/// classifies failures; what it decided leaves it as a typed fact, handed
/// to every sink of the worker, in input order within the chunk. Sinks are
/// the capabilities of a run: the aggregate (counts for the report), the
/// --events writer, later the audit. Each worker owns one instance of each
/// sink; after the last chunk, each sink hands its state to the run
/// (finish), on the calling thread, worker by worker. Nothing in the engine
/// prints or exits.

#include <string>

#include "analyzer/aggregate/aggregator.hpp"
#include "analyzer/event/event.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/profile/profile.hpp"

namespace analyzer::engine {

class run_state;

/// What became of a record.
enum class fact_kind : uint8_t {
  ok,              // a successful call
  failure,         // a failed call, classified (rule, cause)
  malformed,       // not a record of its input's profile
  skipped,         // a line its profile says is not a call
  outside_window,  // a call outside --since/--until (counted, nothing else)
};

/// One record, as the record stage decided it. `ev` and `bytes` are valid
/// until add() returns; a sink copies what it keeps. `ev.source` is the
/// input's index in the run's manifest.
struct record_fact {
  fact_kind kind = fact_kind::ok;
  const event::event& ev;
  const aggregate::record_bytes& bytes;  // the record as read; XXH3 on demand
  int rule = -1;   // failure: the winning rule (-1: none, unclassified)
  int cause = -1;  // failure: its cause index (-1: unclassified)
  const profile::compiled_profile* profile = nullptr;  // the input's; null: none reads it
  /// ok and failure, when the stage captures calls (the audit): what the
  /// audit reads beyond the event. Null otherwise.
  const ingest::call_capture* call = nullptr;
};

class record_sink {
 public:
  virtual ~record_sink() = default;
  /// One record. `ordered` is this chunk's output, written in input order
  /// after the chunk (the --events lines).
  virtual void add(const record_fact& fact, std::string& ordered) = 0;
  /// After the last chunk: adds the sink's state to the run (the aggregate
  /// its counts; a capability its partial section).
  virtual void finish(run_state& /*state*/) {}
};

}  // namespace analyzer::engine
