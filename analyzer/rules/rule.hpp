// SPDX-License-Identifier: MIT
#pragma once
/// rules: rule files → compiled rule set → the cause of each failure. The
/// only module that sees yaml-cpp and RE2. It knows nothing of file formats
/// of logs; it reads events through event::get_field.

#include <array>
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
  // one_of written `{in: name}` (or the inner matcher of `{not_in: name}`):
  // the named set, filled in by resolve_library().
  std::string set_name;
  core::source_location set_where;
};

/// A node of a rule's `when`. A field condition tests one field; all/any/
/// negate combine; any_item holds when some element of an array field
/// satisfies its child (an `all` over item-relative fields).
struct condition {
  enum class kind : uint8_t { field, all, any, negate, any_item };
  kind type = kind::all;
  event::field_ref field;  // field; any_item: the array
  std::string field_text;  // as written, for explanations
  matcher match;
  std::vector<condition> children;
  core::source_location where;
  std::string path;         // where it sits in `when`: "any[1].all[2]"
  bool item_field = false;  // a field of the current any_item element
  uint16_t count_slot = 0;  // any_item: an item field's slot (its length
                            // is the number of elements)
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

/// The keys that describe a cause rather than a rule. The first rule of a
/// cause (in load order) defines them; the cause's other rules may omit
/// each one, or must repeat it unchanged (resolve_library checks this).
enum class meta_key : uint8_t { category, title, description, retryable, fixes, docs };
inline constexpr size_t meta_key_count = 6;
std::string_view name_of(meta_key k);

struct rule {
  std::string id;     // the rule's own id (unique)
  std::string cause;  // the cause it produces; `id` when not written
  // Cause metadata: as written, then completed from the cause's first rule.
  std::string category;
  std::string title;
  std::string description;
  retry_advice retryable = retry_advice::unknown;
  std::vector<std::string> fixes;
  std::string docs;
  int cause_index = -1;  // dense index of `cause` (resolve_library)
  int priority = 0;
  condition when;  // kind::all at the top
  std::vector<sample> match_samples;
  std::vector<sample> no_match_samples;
  core::source_location where;
  bool builtin = false;
  // Which cause metadata keys the file wrote, and where.
  std::array<std::optional<core::source_location>, meta_key_count> given{};
};

/// One cause: its id, metadata, and the first rule that produces it.
struct cause_def {
  std::string id;
  int first_rule = -1;  // its metadata is this rule's
};

/// A named value set (`sets:` in a rule file), used as `{in: name}`.
struct value_set {
  std::vector<literal> values;
  core::source_location where;
};

/// The fallback cause of failures no rule explains.
inline constexpr std::string_view unclassified_id = "unclassified.unknown";
inline constexpr std::string_view unclassified_category = "unclassified";

}  // namespace analyzer::rules
