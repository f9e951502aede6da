// SPDX-License-Identifier: MIT
#include "analyzer/event/field.hpp"

#include "analyzer/core/text.hpp"

namespace analyzer::event {

const std::vector<std::pair<std::string_view, builtin_field>>&
builtin_fields() {
  static const std::vector<std::pair<std::string_view, builtin_field>> table{
      {"status", builtin_field::status},
      {"code", builtin_field::code},
      {"failure", builtin_field::failure},
      {"method", builtin_field::method},
      {"url", builtin_field::url},
      {"host", builtin_field::host},
      {"endpoint", builtin_field::endpoint},
      {"model", builtin_field::model},
      {"request.body_json_valid", builtin_field::request_body_json_valid},
      {"request.headers_logged", builtin_field::request_headers_logged},
      {"message", builtin_field::message},
      {"message.from", builtin_field::message_from},
      {"task.status", builtin_field::task_status},
      {"task.id", builtin_field::task_id},
      {"request_id", builtin_field::request_id},
      {"auth.present", builtin_field::auth_present},
      {"auth.redacted", builtin_field::auth_redacted},
      {"auth.scheme", builtin_field::auth_scheme},
      {"auth.well_formed", builtin_field::auth_well_formed},
      {"auth.token_kind", builtin_field::auth_token_kind},
      {"jwt.expired", builtin_field::jwt_expired},
      {"jwt.not_yet_valid", builtin_field::jwt_not_yet_valid},
      {"jwt.exp_in_s", builtin_field::jwt_exp_in_s},
      {"jwt.nbf_in_s", builtin_field::jwt_nbf_in_s},
      {"error", builtin_field::error},
      {"duration_ms", builtin_field::duration_ms},
  };
  return table;
}

uint16_t field_plan::slot_for(field_area area, std::string_view path) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].area == area && items[i].path == path) {
      return static_cast<uint16_t>(i);
    }
  }
  items.push_back({area, std::string(path)});
  return static_cast<uint16_t>(items.size() - 1);
}

std::optional<field_ref> resolve_field(std::string_view name,
                                       field_plan& plan) {
  for (const auto& [n, id] : builtin_fields()) {
    if (n == name) return field_ref{field_area::builtin, id, 0};
  }
  static constexpr std::pair<std::string_view, field_area> prefixes[] = {
      {"request.headers.", field_area::request_header},
      {"response.headers.", field_area::response_header},
      {"request.body.", field_area::request_body},
      {"response.body.", field_area::response_body},
  };
  for (const auto& [prefix, area] : prefixes) {
    if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) {
      continue;
    }
    std::string path(name.substr(prefix.size()));
    if (area == field_area::request_header ||
        area == field_area::response_header) {
      path = core::to_lower(path);
    }
    if (path.front() == '.' || path.back() == '.' ||
        path.find("..") != std::string::npos) {
      return std::nullopt;
    }
    return field_ref{area, builtin_field::status, plan.slot_for(area, path)};
  }
  return std::nullopt;
}

uint16_t item_slot(const field_ref& array, std::string_view path, field_plan& plan) {
  std::string full = plan.items[array.slot].path;
  full += item_marker;
  full += path;
  return plan.slot_for(array.area, full);
}

std::string field_name(const field_ref& ref, const field_plan& plan) {
  if (ref.area == field_area::builtin) {
    for (const auto& [n, id] : builtin_fields()) {
      if (id == ref.id) return std::string(n);
    }
    return "?";
  }
  static constexpr std::string_view prefix[] = {
      "", "request.headers.", "response.headers.", "request.body.",
      "response.body."};
  return std::string(prefix[static_cast<int>(ref.area)]) +
         plan.items[ref.slot].path;
}

}  // namespace analyzer::event
