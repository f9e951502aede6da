// SPDX-License-Identifier: MIT
#pragma once
/// profile: how one logger's records are recognised and where each canonical
/// field lives in them (contract, "Input profiles"). A profile file is YAML
/// (profile_loader); it compiles into the structures below, which the record
/// pass (ingest/normalizer) walks: a trie of the JSON pointers the profile
/// names, so one simdjson On Demand walk over a record captures exactly the
/// values the profile maps, whatever the key order.
///
/// Nothing here includes yaml-cpp or RE2: regexes are compiled inside the
/// profile module and used through the functions at the end.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/diagnostic.hpp"

namespace analyzer::profile {

/// The canonical fields a profile can map (contract, "Input records").
enum class target : uint8_t {
  ts, duration_ms, method, url, request_headers, request_body,
  status, response_headers, response_body, response_body_encoding,
  error, request_header, response_header
};

/// How a time value is written.
enum class time_format : uint8_t {
  any,  // RFC 3339 text, or an epoch number whose unit is guessed from its size
  rfc3339, epoch_s, epoch_ms, epoch_us, epoch_ns, pattern
};

/// A captured value: a scalar's text (strings unescaped) or, for an object
/// or array, its raw JSON text. Views live until the next record.
struct captured {
  enum class kind : uint8_t { absent, string, number, boolean, null, container };
  kind type = kind::absent;
  std::string_view text;
  bool present() const { return type != kind::absent; }
};

/// One piece of a `join`: a slot's text, or constant text.
struct join_part {
  int slot = -1;
  std::string text;
};

/// One alternative of a field's first-of list.
struct source {
  enum class kind : uint8_t { pointer, join, constant, body };
  kind type = kind::pointer;
  int slot = -1;                 // pointer: the captured value
  std::vector<join_part> parts;  // join: every pointer must be present
  std::string constant;
  int when = -1;                 // condition index that must hold, or -1
  bool form = false;             // body: [{name, value}] form parameters
  bool json_string = false;      // headers: a string holding JSON is parsed
  time_format time = time_format::any;  // ts
  std::string pattern;           // time_format::pattern (strftime-like)
  double scale = 1;              // duration_ms: multiplier to milliseconds
  int extract = -1;              // regex whose first group is the value (a traceback's last line)
};

struct field_map {
  target field = target::ts;
  bool simple = true;  // every source is a pointer (or a body): chosen from the captured slots
  std::string name;    // as written: `request.headers.authorization`
  std::string header;  // request_header / response_header: lower-case name
  std::vector<source> sources;
};

/// detect / skip / `when` conditions over captured values.
struct condition {
  enum class kind : uint8_t { all, any, negate, exists, equals, regex };
  kind type = kind::all;
  int slot = -1;
  std::vector<std::string> values;  // equals: any of
  int regex = -1;                   // index into the profile's condition regexes
  std::vector<condition> children;
};

/// One step of the pointer trie.
struct trie_node {
  std::vector<std::pair<std::string, uint32_t>> children;  // key → node index
  int32_t slot = -1;     // captures the value (presence, text or raw JSON)
  int8_t body = -1;      // 0 request, 1 response: read in place by the record pass
  uint8_t body_rank = 0; // position in the body field's first-of list
  bool body_form = false;
  int32_t each = -1;     // `*`: the node every array element continues at
  // The usual leaf: its value feeds one field and nothing else (no condition,
  // no join names it), so the walk applies it at once, or skips it unread
  // when a better source of that field was already read.
  int16_t direct_field = -1;
  uint8_t direct_rank = 0;
  bool record = false;   // envelope trie: this node's value is one record
  // An array of {key, value} objects read as an object keyed by `key`
  // (OpenTelemetry attributes); AnyValue wrappers ({stringValue: ...}) are
  // unwrapped.
  bool keyed = false;
  std::string key_name, value_name;

  int child(std::string_view key) const {
    // Few children, short keys: compare length and first byte before the bytes.
    for (const auto& [k, n] : children) {
      if (k.size() != key.size()) continue;
      size_t i = 0;
      while (i < key.size() && k[i] == key[i]) ++i;
      if (i == key.size()) return static_cast<int>(n);
    }
    return -1;
  }
};

/// A sample of a profile file: a record and what it must read as.
struct sample {
  std::string text;  // the record (JSON) or the text line
  std::vector<std::pair<std::string, std::string>> expect;  // field → value text
  bool skipped = false;  // `expect: skip`: the record must be skipped
  core::source_location where;
};

struct compiled_regex;  // RE2, inside the profile module

struct compiled_profile {
  std::string id, title, description;
  core::source_location where;
  std::string file;  // the file it came from (`builtin:profiles/pino.yaml`)
  bool builtin = false;
  enum class shape : uint8_t { json, text, har };
  shape kind = shape::json;

  std::vector<trie_node> nodes;  // nodes[0]: the record's root
  int slot_count = 0;
  std::vector<std::string> slot_names;  // the pointer (or capture) per slot
  std::vector<field_map> fields;
  bool has_complex_fields = false;  // a field with a join or a constant
  std::vector<int> field_of;  // target → index in fields, or -1
  // slot → the (field index, rank in its first-of list) it feeds: the record
  // pass looks only at the slots a record filled.
  std::vector<std::vector<std::pair<uint16_t, uint8_t>>> slot_uses;
  std::vector<condition> conditions;  // `when` conditions of sources
  condition detect;
  std::optional<condition> skip;
  int specificity = 0;

  // Envelope: one line holds many records (`records:` pointer).
  std::vector<trie_node> envelope;  // empty: one record per line
  // Text lines: the line pattern, its named groups (→ slots), skip patterns.
  std::shared_ptr<compiled_regex> line;
  std::vector<int> group_slot;  // capture group number → slot (-1 unused)
  std::vector<std::shared_ptr<compiled_regex>> skip_lines;
  std::vector<std::shared_ptr<compiled_regex>> regexes;  // condition regexes

  std::vector<sample> samples;

  const field_map* field(target t) const {
    int i = field_of[static_cast<size_t>(t)];
    return i < 0 ? nullptr : &fields[static_cast<size_t>(i)];
  }
  bool has_envelope() const { return !envelope.empty(); }
};

/// The profiles in force: bundled, then user files (same id replaces).
struct profile_set {
  std::vector<std::shared_ptr<const compiled_profile>> profiles;
  std::string digest_text;  // all sources (append_digest_text), for the digest

  const compiled_profile* find(std::string_view id) const;
  int index_of(std::string_view id) const;
};

/// The set's digest, `sha256:<hex>` of its digest_text: the profiles digest
/// of a run's report and partials, and, for the bundled set, of --version.
std::string digest(const profile_set& set);

/// The condition in words, for malformed reasons: `request, response or error`.
std::string describe(const compiled_profile& p, const condition& c);

/// Whether `c` holds for the captured values.
bool holds(const compiled_profile& p, const condition& c, const captured* slots);

/// Text lines: matches the line pattern, filling slots from named groups.
bool match_line(const compiled_profile& p, std::string_view line, captured* slots);

/// Text lines: whether a `skip` pattern matches the line.
bool skip_line(const compiled_profile& p, std::string_view line);

/// The first group of the source's `extract` pattern in `text` (empty when
/// it does not match).
std::string_view extract(const compiled_profile& p, const source& s, std::string_view text);

/// The name of a target as profiles write it (`response.status`).
std::string_view name_of(target t);

/// Every profile field name, for "did you mean" and the docs.
const std::vector<std::pair<std::string_view, target>>& target_names();

}  // namespace analyzer::profile
