// SPDX-License-Identifier: MIT
#include "analyzer/event/event.hpp"

namespace analyzer::event {

std::string_view name_of(failure_kind k) {
  switch (k) {
    case failure_kind::none: return "none";
    case failure_kind::transport: return "transport";
    case failure_kind::http: return "http";
    case failure_kind::code: return "code";
    case failure_kind::task: return "task";
  }
  return "none";
}

std::string_view name_of(token_kind k) {
  switch (k) {
    case token_kind::absent: return "absent";
    case token_kind::none: return "none";
    case token_kind::jwt: return "jwt";
    case token_kind::opaque: return "opaque";
  }
  return "absent";
}

namespace {
field_value text_or_absent(std::string_view s) {
  return s.empty() ? field_value{} : field_value::of(s);
}

template <typename T>
field_value number_or_absent(const std::optional<T>& v) {
  return v ? field_value::of(static_cast<double>(*v)) : field_value{};
}

field_value auth_field(const event& ev, builtin_field id) {
  const auth_evidence& a = ev.auth;
  switch (id) {
    case builtin_field::auth_present: return field_value::of(a.present);
    case builtin_field::auth_redacted:
      return a.present ? field_value::of(a.redacted) : field_value{};
    case builtin_field::auth_scheme:
      return a.present ? field_value::of(a.scheme) : field_value{};
    case builtin_field::auth_well_formed:
      return a.present ? field_value::of(a.well_formed) : field_value{};
    case builtin_field::auth_token_kind:
      return a.present ? field_value::of(name_of(a.token)) : field_value{};
    case builtin_field::jwt_expired:
      return a.exp_in_s ? field_value::of(*a.exp_in_s <= 0) : field_value{};
    case builtin_field::jwt_not_yet_valid:
      return a.nbf_in_s ? field_value::of(*a.nbf_in_s > 0) : field_value{};
    case builtin_field::jwt_exp_in_s: return number_or_absent(a.exp_in_s);
    case builtin_field::jwt_nbf_in_s: return number_or_absent(a.nbf_in_s);
    default: return {};
  }
}
}  // namespace

field_value get_field(const event& ev, const field_ref& ref) {
  if (ref.area != field_area::builtin) {
    return ref.slot < ev.extras.size() ? ev.extras[ref.slot] : field_value{};
  }
  switch (ref.id) {
    case builtin_field::status:
      return ev.status > 0 ? field_value::of(static_cast<double>(ev.status))
                           : field_value{};
    case builtin_field::code: return number_or_absent(ev.code);
    case builtin_field::failure:
      return ev.failure == failure_kind::none
                 ? field_value{}
                 : field_value::of(name_of(ev.failure));
    case builtin_field::method: return text_or_absent(ev.method);
    case builtin_field::url: return text_or_absent(ev.url);
    case builtin_field::host: return text_or_absent(ev.host);
    case builtin_field::endpoint: return text_or_absent(ev.endpoint);
    case builtin_field::model: return text_or_absent(ev.model);
    case builtin_field::request_body_json_valid:
      return ev.request_body_json_valid
                 ? field_value::of(*ev.request_body_json_valid)
                 : field_value{};
    case builtin_field::message: return text_or_absent(ev.message);
    case builtin_field::message_from:
      return ev.message.empty() ? field_value{} : text_or_absent(ev.message_from);
    case builtin_field::request_headers_logged:
      return ev.failure == failure_kind::none ? field_value{}
                                              : field_value::of(ev.request_headers_logged);
    case builtin_field::task_status: return text_or_absent(ev.task_status);
    case builtin_field::task_id: return text_or_absent(ev.task_id);
    case builtin_field::request_id: return text_or_absent(ev.request_id);
    case builtin_field::error: return text_or_absent(ev.error);
    case builtin_field::duration_ms: return number_or_absent(ev.duration_ms);
    default: return auth_field(ev, ref.id);
  }
}

}  // namespace analyzer::event
