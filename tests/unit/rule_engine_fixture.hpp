// SPDX-License-Identifier: MIT
#pragma once
/// A compiled rule set with its own normalizer, for rule tests: load rules
/// from YAML text (or take a loaded set), run records, ask what holds.

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "analyzer/rules/rule_loader.hpp"
#include "analyzer/rules/ruleset.hpp"

namespace test_support {

using namespace analyzer;

inline std::string dump(const core::diagnostics& list) {
  std::string out;
  for (const auto& d : list) out += core::render(d);
  return out;
}

/// A compiled rule set with its own normalizer.
class rule_engine {
 public:
  /// `rules_text`: the items of a `rules:` list; `prefix`: top-level keys
  /// before it (`sets:`).
  explicit rule_engine(const std::string& rules_text, const std::string& prefix = {}) {
    rules::rule_library lib;
    rules::load_rule_file({"test.yaml", prefix + "rules:\n" + rules_text, false}, lib);
    BOOST_REQUIRE_MESSAGE(lib.problems.empty(), dump(lib.problems));
    core::diagnostics problems;
    rs_ = rules::ruleset::compile(std::move(lib), problems);
    BOOST_REQUIRE_MESSAGE(problems.empty(), dump(problems));
    norm_ = std::make_unique<ingest::normalizer>(rs_->plan());
  }
  explicit rule_engine(std::unique_ptr<rules::ruleset> rs) : rs_(std::move(rs)) {
    BOOST_REQUIRE(rs_);
    norm_ = std::make_unique<ingest::normalizer>(rs_->plan());
  }

  const event::event& load(const std::string& record) {
    norm_->normalize_copy(record, ev_);
    BOOST_REQUIRE_MESSAGE(ev_.result == event::outcome::failure,
                          "not a failure: " << record);
    return ev_;
  }

  /// Does rule `id`'s `when` hold for the record?
  bool holds(const std::string& id, const std::string& record) {
    load(record);
    return rs_->holds(index_of(id), ev_, scratch_);
  }

  /// The winning rule's cause, or "(unclassified)".
  std::string cause(const std::string& record) {
    load(record);
    int i = rs_->classify(ev_, scratch_);
    return i < 0 ? "(unclassified)" : rs_->at(i).cause;
  }

  /// The winning rule's id, or "(unclassified)".
  std::string classify(const std::string& record) {
    load(record);
    int i = rs_->classify(ev_, scratch_);
    return i < 0 ? "(unclassified)" : rs_->at(i).id;
  }

  int index_of(const std::string& id) const {
    for (int i = 0; i < rs_->size(); ++i) {
      if (rs_->at(i).id == id) return i;
    }
    BOOST_FAIL("no rule " << id);
    return -1;
  }

  const rules::ruleset& rules() const { return *rs_; }
  rules::match_scratch& scratch() { return scratch_; }
  const event::event& ev() const { return ev_; }
  ingest::normalizer& norm() { return *norm_; }
  event::event& mutable_ev() { return ev_; }

 private:
  std::unique_ptr<rules::ruleset> rs_;
  std::unique_ptr<ingest::normalizer> norm_;
  rules::match_scratch scratch_;
  event::event ev_;
};

}  // namespace test_support
