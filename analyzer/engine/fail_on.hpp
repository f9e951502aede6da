// SPDX-License-Identifier: MIT
#pragma once
/// `--fail-on COND`: the nightly gate. Conditions are parsed and validated
/// before any work (a bad one is a usage error), then evaluated against the
/// finished summary. Nothing here prints: callers get error and warning
/// texts to show.
///
/// Grammar (contract.md): `failure-rate<op><rate>`, `category:<id><op><n>`,
/// `cause:<id><op><n>`, `unclassified<op><n>`, `malformed<op><n>`, and the
/// audit's `audit:<detector><op><n>` (its findings) and `orphaned<op><n>`
/// (orphaned tasks), with
/// `<op>` one of `>`, `>=`, `<`, `<=`, `==`. A rate is a percentage
/// (`5%`, 0–100) or a fraction (`0.05`, 0–1); a count is a whole number.
/// Spaces around the operator are allowed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/run_state.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::engine {

enum class gate_metric { failure_rate, category, cause, unclassified, malformed, audit, orphaned };

/// How each kind of condition starts, for shell completion: an id follows
/// the ones ending in `:`, an operator and a number follows the others.
inline constexpr std::string_view fail_on_starts[] = {
    "failure-rate>", "category:", "cause:", "unclassified>", "malformed>",
    "audit:retry_non_retryable>", "audit:retry_after_ignored>", "audit:no_backoff>",
    "audit:poll_too_fast>", "audit:orphaned_task>", "audit:duplicate_submission>", "orphaned>"};
enum class gate_op { gt, ge, lt, le, eq };

struct fail_on_condition {
  std::string text;  // as written, for the report
  gate_metric metric = gate_metric::failure_rate;
  std::string id;    // category or cause id; empty otherwise
  gate_op op = gate_op::gt;
  double threshold = 0;  // a fraction for failure-rate, else a count
};

/// Parses one condition. Returns nullopt and sets `error` (naming what is
/// wrong, without the condition itself) when it is invalid.
std::optional<fail_on_condition> parse_fail_on(std::string_view text, std::string& error);

/// A condition split at its first operator character: the subject before
/// it (trimmed) and the rest from the operator on. False, with `error`, for
/// an empty condition or one with no operator (also the diff's conditions).
bool split_condition(std::string_view condition, std::string_view& subject,
                     std::string_view& rest, std::string& error);
/// Reads the operator at the start of `rest` and removes it (also for the
/// diff's conditions, engine/diff_gate.hpp: the same operators, the same
/// errors).
bool parse_operator(std::string_view& rest, gate_op& op, std::string& error);
/// Digits with at most one inner `.`: how a threshold is written.
bool plain_number(std::string_view s);

/// Whether `value <op> threshold` holds (== with a tolerance for rates).
bool compare(gate_op op, double value, double threshold);

/// The measured left-hand side: failures / records (0 without records), or
/// a count. An id no rule has counts 0.
double measure(const fail_on_condition& c, const report::summary& s);

/// One result per condition, in the given order.
std::vector<report::gate_result> evaluate_gate(const std::vector<fail_on_condition>& conditions,
                                               const report::summary& s);

/// Whether a condition needs the audit (audit:<detector>, orphaned).
bool needs_audit(const std::vector<fail_on_condition>& conditions);

/// True when any condition was met.
bool gate_failed(const std::vector<report::gate_result>& results);

/// A warning text for each condition whose id is neither a cause nor a
/// category of `causes` (the run's cause table: every loaded rule's cause,
/// and unclassified): likely a typo, it will count 0.
std::vector<std::string> unknown_id_warnings(const std::vector<fail_on_condition>& conditions,
                                             const std::vector<cause_info>& causes);

}  // namespace analyzer::engine
