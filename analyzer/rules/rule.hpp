// SPDX-License-Identifier: MIT
#pragma once
/// rules: rule files → compiled rule set → the cause of each failure. The
/// only module that sees yaml-cpp and RE2. It knows nothing of file formats
/// of logs; it reads events through event::get_field.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/diagnostic.hpp"
#include "analyzer/event/field.hpp"

namespace analyzer::rules {

/// A literal written in a rule: always its text; its number when the text
/// is numeric; its truth value for plain true/false.
struct literal {
  std::string text;
  std::optional<double> number;
  std::optional<bool> boolean;
};

struct matcher {
  enum class kind : uint8_t { equals, one_of, regex, range, exists, negate };
  kind type = kind::equals;
  std::vector<literal> values;     // equals (one), one_of
  std::vector<double> numbers;     // one_of: the numeric values, sorted
  int regex = -1;                  // index into the rule set's regex table
  std::optional<double> lo, hi;    // range; nullopt: open side
  bool exists = true;              // exists
  std::vector<matcher> inner;      // negate: exactly one
};

struct condition {
  enum class kind : uint8_t { field, all, any, negate };
  kind type = kind::all;
  event::field_ref field;
  std::string field_text;  // as written, for explanations
  matcher match;
  std::vector<condition> children;
  core::source_location where;
};

/// A regular expression as written, before compilation into sets.
struct regex_spec {
  std::string pattern;
  bool case_sensitive = false;
  core::source_location where;
};

struct sample {
  std::string json;  // the record, as JSON text
  core::source_location where;
};

enum class retry_advice : uint8_t { yes, no, after_fix, unknown };
std::string_view name_of(retry_advice r);

struct rule {
  std::string id;
  std::string category;
  std::string title;
  int priority = 0;
  retry_advice retryable = retry_advice::unknown;
  std::vector<std::string> fixes;
  std::string docs;
  condition when;  // kind::all at the top
  std::vector<sample> match_samples;
  std::vector<sample> no_match_samples;
  core::source_location where;
  bool builtin = false;
};

/// The fallback cause of failures no rule explains.
inline constexpr std::string_view unclassified_id = "unclassified.unknown";
inline constexpr std::string_view unclassified_category = "unclassified";

}  // namespace analyzer::rules
