// SPDX-License-Identifier: MIT
#pragma once
/// Field names rules can test, and the values they hold. A rule names a
/// field (`status`, `request.body.prompt`); the rules module resolves the
/// name once into a field_ref, and ingest fills the per-record values that
/// the set of loaded rules asked for (the field_plan).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace analyzer::event {

/// A value read from a record. Text views live as long as the event.
/// `list` is the value of an item field (`contents[].type`): one value per
/// element of the array, absent where the element lacks the field.
struct field_value {
  enum class kind : uint8_t { absent, boolean, number, text, list };
  kind type = kind::absent;
  bool boolean = false;
  double number = 0;
  std::string_view text;
  std::span<const field_value> items;

  static field_value of(bool b) { return {kind::boolean, b, 0, {}, {}}; }
  static field_value of(double n) { return {kind::number, false, n, {}, {}}; }
  static field_value of(std::string_view t) { return {kind::text, false, 0, t, {}}; }
  static field_value of(std::span<const field_value> l) {
    return {kind::list, false, 0, {}, l};
  }
  bool present() const { return type != kind::absent; }
};

/// Fields computed by ingest for every record (see rules/README.md).
enum class builtin_field : uint8_t {
  status, code, failure, method, url, host, endpoint, request_body_json_valid,
  message, task_status, task_id, request_id, auth_present, auth_scheme,
  auth_well_formed, auth_token_kind, jwt_expired, jwt_not_yet_valid,
  jwt_exp_in_s, jwt_nbf_in_s, error, duration_ms, model,
  request_headers_logged, auth_redacted, message_from
};

/// Where a non-builtin field lives in the record.
enum class field_area : uint8_t {
  builtin, request_header, response_header, request_body, response_body
};

struct field_ref {
  field_area area = field_area::builtin;
  builtin_field id = builtin_field::status;
  uint16_t slot = 0;  // index into event::extras for non-builtin areas
};

/// The record fields the loaded rules need beyond the builtins. Ingest
/// extracts exactly these (only for failures), in slot order.
struct field_plan {
  struct item {
    field_area area;
    std::string path;  // header name (lower case) or dotted body path;
                       // an item field is `<array path>[].<item path>`
  };
  std::vector<item> items;

  /// Returns the slot for (area, path), adding it if new.
  uint16_t slot_for(field_area area, std::string_view path);
};

/// Resolves a field name as written in a rule. Unknown names return
/// nullopt; `plan` gains a slot for header and body paths.
std::optional<field_ref> resolve_field(std::string_view name, field_plan& plan);

/// The separator of an item field's path: `contents[].type`.
inline constexpr std::string_view item_marker = "[].";

/// The slot of an item field: `path` relative to the elements of the
/// array field `array` (a request or response body field).
uint16_t item_slot(const field_ref& array, std::string_view path, field_plan& plan);

/// Every builtin field name, for help texts and `explain`.
const std::vector<std::pair<std::string_view, builtin_field>>& builtin_fields();

/// The name a rule uses for `ref` (for messages and `explain`).
std::string field_name(const field_ref& ref, const field_plan& plan);

}  // namespace analyzer::event
