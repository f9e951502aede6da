// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/event/event.hpp"
#include "analyzer/rules/rule_loader.hpp"

namespace analyzer::rules {

/// A matcher as text for explanations: `= 401`, `in kling_codes`,
/// `not_in kling_codes`, `=~ 'risk control'`, `exists`.
std::string describe(const matcher& m, const std::vector<regex_spec>& regexes);

/// Per-thread scratch for matching (regex-set results cached per event).
class match_scratch {
 public:
  match_scratch();
  ~match_scratch();
  match_scratch(match_scratch&&) noexcept;
  match_scratch& operator=(match_scratch&&) noexcept;
  struct state;
  std::unique_ptr<state> s;
};

/// Why one rule did or did not match an event, for `explain`.
struct rule_trace {
  int rule = -1;
  bool matched = false;
  std::string failed_condition;  // the first condition that did not hold
  std::string failed_field;      // its field, when it tested one (as written)
  /// When it matched: each condition that held, with its place in `when`
  /// (`any[1].all[2]: message =~ 'expired'`); for `any:` the alternative
  /// that held, for `any_item` the element.
  std::vector<std::string> held;
};

/// The compiled rules. Regexes are compiled once, grouped per field into
/// RE2::Set. A failure is compared only with its candidates: the rules
/// whose `when` can hold given its status, business code and failure kind
/// (decided once per such key with three-valued logic, cached per thread),
/// in priority order; matching stops at the first that holds. Thread-safe for concurrent
/// classify() calls, each with its own scratch.
class ruleset {
 public:
  /// Compiles a loaded library. Problems (none expected after a clean
  /// load) are appended to `problems`.
  static std::unique_ptr<ruleset> compile(rule_library lib,
                                          core::diagnostics& problems);
  ~ruleset();

  /// The winning rule's index for a failure, or -1 (unclassified).
  int classify(const event::event& ev, match_scratch& scratch) const;

  /// Does rule `index`'s `when` hold for the event?
  bool holds(int index, const event::event& ev, match_scratch& scratch) const;

  /// Every rule, matched or not, in priority order, with the first
  /// condition that failed.
  std::vector<rule_trace> trace(const event::event& ev,
                                match_scratch& scratch) const;

  const rule& at(int index) const { return lib_.rules[static_cast<size_t>(index)]; }
  int size() const { return static_cast<int>(lib_.rules.size()); }

  /// Causes: a dense index over the distinct cause ids, in order of their
  /// first rule. Reports and events key on causes; several rules may
  /// produce one.
  int cause_count() const { return static_cast<int>(lib_.causes.size()); }
  const std::string& cause_id(int cause) const {
    return lib_.causes[static_cast<size_t>(cause)].id;
  }
  /// The rule that defines a cause's metadata (category, title, fixes...).
  const rule& cause_rule(int cause) const {
    return at(lib_.causes[static_cast<size_t>(cause)].first_rule);
  }
  /// The cause a rule produces; -1 for -1 (unclassified).
  int cause_of(int rule) const { return rule < 0 ? -1 : at(rule).cause_index; }
  /// The named value sets, after every layer.
  const std::map<std::string, value_set, std::less<>>& sets() const { return lib_.sets; }
  const event::field_plan& plan() const { return lib_.plan; }
  const std::vector<std::string>& sources() const { return lib_.sources; }
  /// `sha256:<hex>` over every rule file's name and text, in load order.
  const std::string& digest() const { return digest_; }
  /// Text of a regex, for explanations.
  const regex_spec& regex(int index) const { return lib_.regexes[static_cast<size_t>(index)]; }

  struct compiled;

 private:
  const std::vector<int>& candidates(const event::event& ev,
                                     match_scratch::state& s) const;
  ruleset() = default;
  rule_library lib_;
  std::string digest_;
  std::unique_ptr<compiled> c_;
};

}  // namespace analyzer::rules
