// SPDX-License-Identifier: MIT
// The record pass: one ondemand walk over the record's keys in document
// order (any key order, any of the contract's shapes), reading only what
// every record needs. Failure-only work (auth evidence, rule extras) runs
// afterwards, in evidence.cpp.
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>

#include "analyzer/core/text.hpp"
#include "analyzer/event/endpoint.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/normalizer_impl.hpp"
#include "analyzer/profile/profile_loader.hpp"

namespace analyzer::ingest {

using event::field_area;

size_t required_padding() { return simdjson::SIMDJSON_PADDING; }

std::string too_deep_reason(size_t max_depth) {
  return fmt::format("nested deeper than {} levels (see --max-depth)", max_depth);
}

normalizer::impl::impl(const event::field_plan& p, size_t depth_limit)
    : plan(p), max_depth(depth_limit), depth_reason(too_deep_reason(depth_limit)) {
  // The DOM parsers keep this depth when they grow for a larger document.
  for (simdjson::dom::parser* d : {&req_dom, &resp_dom, &small_dom}) {
    if (d->allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, max_depth)) continue;  // retried on parse
  }
}

void normalizer::impl::reset() {
  authorization = {};
  has_authorization = false;
  request_header_count = 0;
  header_values.assign(plan.items.size(), std::string_view{});
  req_body = {};
  resp_body = {};
  headers_raw[0] = headers_raw[1] = {};
  env = {};
  headers_loaded = false;
  if (capturing) {
    call.retry_after = {};
    call.request_body = {};
    call.external_task_id = call.callback_url = call.answer_external_task_id = {};
    call.request_tasks.clear();
    call.answer_tasks.clear();
  }
  if (slots.size() != static_cast<size_t>(prof->slot_count)) {
    slots.assign(static_cast<size_t>(prof->slot_count), profile::captured{});
    touched.clear();
  }
  for (uint16_t t : touched) slots[t] = profile::captured{};
  touched.clear();
  deferred.clear();
  offered = 0;
  field_rank.assign(prof->fields.size(), 255);
  applied_rank.assign(prof->fields.size(), 255);
  body_rank[0] = body_rank[1] = 255;
  headers_copied[0] = headers_copied[1] = false;
  named_headers.clear();
  message_buf.clear();
  value_pool.clear();
  list_pool.clear();
}

error_code key_of(simdjson::simdjson_result<od::field>& f, std::string_view& out) {
  // Keys without escapes are read in place: no copy, no unescaping.
  od::raw_json_string raw;
  if (auto e = f.key().get(raw)) return e;
  const char* s = raw.raw();
  size_t n = 0;
  while (s[n] != '"' && s[n] != '\\') ++n;
  if (s[n] == '"') {
    out = {s, n};
    return simdjson::SUCCESS;
  }
  return f.unescaped_key().get(out);
}

std::string_view raw_container(od::value v) {
  std::string_view raw;
  od::object obj;
  od::array arr;
  if (v.get_object().get(obj) == simdjson::SUCCESS) {
    if (obj.raw_json().get(raw)) return {};
  } else if (v.get_array().get(arr) == simdjson::SUCCESS) {
    if (arr.raw_json().get(raw)) return {};
  }
  return raw;
}

std::string_view scalar_text(od::value v) {
  od::json_type t;
  if (v.type().get(t)) return {};
  std::string_view s;
  if (t == od::json_type::string) {
    if (v.get_string().get(s)) return {};
    return s;
  }
  if (t == od::json_type::number || t == od::json_type::boolean) {
    return core::trim(v.raw_json_token());
  }
  return {};
}

std::optional<int64_t> scalar_int(od::value v) {
  od::json_type t;
  if (v.type().get(t)) return std::nullopt;
  if (t == od::json_type::number) {
    int64_t i = 0;
    if (!v.get_int64().get(i)) return i;
    double d = 0;
    // 1e30 is a number but no integer: converting it would be undefined.
    if (!v.get_double().get(d) && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (t == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return std::nullopt;
    return core::parse_int(core::trim(s));
  }
  return std::nullopt;
}

namespace {
// A transport error: a string, or an object with `message`.
error_code read_error(od::value v, std::string_view& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) return v.get_string().get(out);
  if (t != od::json_type::object) return simdjson::SUCCESS;
  return for_each_member(v, [&](std::string_view key, od::value inner) {
    if (key == "message" || key == "msg" || key == "code") {
      std::string_view s = scalar_text(inner);
      if (!s.empty() && (out.empty() || key == "message")) out = s;
    }
    return simdjson::SUCCESS;
  });
}

// A wrapper's `detail` (FastAPI and friends): a text, {msg|message, type},
// or a list of those (validation errors): the first message.
error_code read_detail(od::value v, std::string_view& out, int depth = 0) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) return v.get_string().get(out);
  if (t == od::json_type::array && depth == 0) {
    od::array items;
    if (auto e = v.get_array().get(items)) return e;
    for (auto item : items) {
      od::value first;
      if (auto e = item.get(first)) return e;
      return read_detail(first, out, depth + 1);
    }
    return simdjson::SUCCESS;
  }
  if (t != od::json_type::object) return simdjson::SUCCESS;
  return for_each_member(v, [&](std::string_view key, od::value inner) {
    if ((key == "msg" || key == "message") && out.empty()) out = scalar_text(inner);
    return simdjson::SUCCESS;
  });
}

// `task_info.external_task_id` of a create's answer.
error_code scan_task_info(od::value v, std::string_view& external) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    if (key == "external_task_id") external = scalar_text(fv);
    return simdjson::SUCCESS;
  });
}

// The fields of one task object of a task query (and, for the audit, its
// task_info's external_task_id).
error_code scan_task(od::value v, task_fields& t, std::string_view* external = nullptr) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    if (external != nullptr && key == "task_info") return scan_task_info(fv, *external);
    if (key == "task_id" || (key == "id" && t.id.empty())) {
      t.id = scalar_text(fv);
    } else if (key == "task_status" || (key == "status" && t.status.empty())) {
      t.status = scalar_text(fv);
    } else if (key == "task_status_msg" || (key == "message" && t.message.empty())) {
      t.message = scalar_text(fv);
    }
    return simdjson::SUCCESS;
  });
}
using profile::captured;
using profile::trie_node;

// OpenTelemetry's AnyValue: {"stringValue": ...}, {"intValue": ...}, ...
bool any_value_key(std::string_view key) {
  return key.size() > 5 && key.substr(key.size() - 5) == "Value";
}
}  // namespace

bool is_failed_status(std::string_view status) {
  status = core::trim(status);
  return core::iequals(status, "failed") || core::iequals(status, "error");
}

// The record pass: one walk over the record, guided by the profile's trie.
// Keys the profile does not name are skipped by On Demand without parsing.
error_code normalizer::impl::walk(od::value v, const std::vector<trie_node>& nodes,
                                  uint32_t at, event::event& ev) {
  const trie_node& n = nodes[at];
  if (n.direct_field >= 0) {  // the usual leaf: applied now
    auto fi = static_cast<size_t>(n.direct_field);
    if (n.direct_rank >= field_rank[fi]) return simdjson::SUCCESS;  // skipped unread
    captured c;
    capture(v, c);
    if (c.type == captured::kind::null || (c.type == captured::kind::string && c.text.empty())) {
      return simdjson::SUCCESS;
    }
    field_rank[fi] = applied_rank[fi] = n.direct_rank;
    const profile::field_map& f = prof->fields[fi];
    apply_value(f, f.sources[n.direct_rank], c.text, c.type, ev);
    return simdjson::SUCCESS;
  }
  if (n.record) {  // envelope: one record of the line
    std::string_view raw = raw_container(v);
    if (!raw.empty() && record_spans != nullptr) record_spans->push_back(raw);
    return simdjson::SUCCESS;
  }
  if (n.body >= 0) {
    if (n.slot >= 0) slot(n.slot).type = captured::kind::container;
    return read_body(v, n, ev);
  }
  if (!n.children.empty() || n.each >= 0) {
    od::json_type t;
    if (auto e = v.type().get(t)) return e;
    if (t == od::json_type::object && !n.children.empty() && !n.keyed) {
      if (n.slot < 0 || prof->slot_uses[static_cast<size_t>(n.slot)].empty()) {
        // Only its presence matters (detect: `request`, `response`).
        if (n.slot >= 0) slot(n.slot).type = captured::kind::container;
        return walk_members(v, nodes, at, ev);
      }
      // Read whole (headers) and looked into (their Host): the raw text is
      // bounded by where the walk ends, as for bodies.
      const char* begin = v.raw_json_token().data();
      if (auto e = walk_members(v, nodes, at, ev)) return e;
      const char* next = nullptr;
      const char* end = record.data() + record.size();
      if (doc->current_location().get(next) == simdjson::SUCCESS) {
        while (next > begin && core::is_space(next[-1])) --next;
        end = next;
      } else {
        end = find_value_end(begin, end);
      }
      slot(n.slot) = {captured::kind::container, {begin, static_cast<size_t>(end - begin)}};
      offer(n.slot);
      return simdjson::SUCCESS;
    }
    if (t == od::json_type::array && n.keyed) {
      if (n.slot >= 0) slot(n.slot).type = captured::kind::container;
      return walk_keyed(v, nodes, at, ev);
    }
    if (t == od::json_type::array && n.each >= 0) {
      if (n.slot >= 0) slot(n.slot).type = captured::kind::container;
      od::array arr;
      if (auto e = v.get_array().get(arr)) return e;
      for (auto item : arr) {
        od::value iv;
        if (auto e = item.get(iv)) return e;
        if (auto e = walk(iv, nodes, static_cast<uint32_t>(n.each), ev)) return e;
      }
      return simdjson::SUCCESS;
    }
  }
  if (n.slot >= 0) {
    capture(v, slot(n.slot));
    offer(n.slot);
  }
  return simdjson::SUCCESS;
}

// Ranks the fields a just-filled slot feeds; a source with `when` waits for
// the end of the walk (its condition may name keys not read yet).
void normalizer::impl::offer(int index) {
  const profile::captured& v = slots[static_cast<size_t>(index)];
  if (v.type == profile::captured::kind::null ||
      (v.type == profile::captured::kind::string && v.text.empty())) {
    return;
  }
  for (const auto& [fi, rank] : prof->slot_uses[static_cast<size_t>(index)]) {
    if (rank >= field_rank[fi]) continue;
    if (prof->fields[fi].sources[rank].when >= 0) {
      deferred.push_back(static_cast<uint16_t>(index));
      continue;
    }
    field_rank[fi] = rank;
    ++offered;
  }
}

// The profile's detect; an `any` of `exists` (the canonical shape) is checked
// without the general evaluator.
bool normalizer::impl::detect_holds() const {
  const profile::condition* top = &prof->detect;
  while (top->type == profile::condition::kind::all && top->children.size() == 1) {
    top = &top->children.front();  // `{any: [...]}` is an all of one any
  }
  const profile::condition& d = *top;
  bool any_exists = d.type == profile::condition::kind::any && !d.children.empty();
  for (const auto& c : d.children) any_exists = any_exists && c.type == profile::condition::kind::exists;
  if (!any_exists || prof->kind == profile::compiled_profile::shape::text) {
    return profile::holds(*prof, prof->detect, slots.data());
  }
  for (const auto& c : d.children) {
    auto t = slots[static_cast<size_t>(c.slot)].type;
    if (t != profile::captured::kind::absent && t != profile::captured::kind::null) return true;
  }
  return false;
}

profile::captured& normalizer::impl::slot(int index) {
  profile::captured& c = slots[static_cast<size_t>(index)];
  if (!c.present()) touched.push_back(static_cast<uint16_t>(index));
  return c;
}

error_code normalizer::impl::walk_members(od::value v, const std::vector<trie_node>& nodes,
                                          uint32_t at, event::event& ev) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    int c = nodes[at].child(key);
    if (c < 0) return simdjson::SUCCESS;
    const trie_node& n = nodes[static_cast<size_t>(c)];
    if (n.direct_field < 0) return walk(fv, nodes, static_cast<uint32_t>(c), ev);
    // The usual leaf, applied now; skipped unread when its field already
    // has a better source.
    auto fi = static_cast<size_t>(n.direct_field);
    if (n.direct_rank >= field_rank[fi]) return simdjson::SUCCESS;
    captured cv;
    capture(fv, cv);
    if (cv.type == captured::kind::null || (cv.type == captured::kind::string && cv.text.empty())) {
      return simdjson::SUCCESS;
    }
    field_rank[fi] = applied_rank[fi] = n.direct_rank;
    const profile::field_map& f = prof->fields[fi];
    apply_value(f, f.sources[n.direct_rank], cv.text, cv.type, ev);
    return simdjson::SUCCESS;
  });
}

// A list of {key, value} objects read as an object keyed by `key`. The key
// must come before the value in each entry (as OTLP/JSON writes them).
error_code normalizer::impl::walk_keyed(od::value v, const std::vector<trie_node>& nodes,
                                        uint32_t at, event::event& ev) {
  const trie_node& n = nodes[at];
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto item : arr) {
    od::value entry;
    if (auto e = item.get(entry)) return e;
    int child = -1;
    error_code e = for_each_member(entry, [&](std::string_view key, od::value fv) {
      if (key == n.key_name) {
        child = n.child(scalar_text(fv));
      } else if (key == n.value_name && child >= 0) {
        od::object wrapper;
        if (fv.get_object().get(wrapper) == simdjson::SUCCESS) {
          return for_each_member(wrapper, [&](std::string_view k, od::value inner) {
            if (!any_value_key(k)) return simdjson::SUCCESS;
            return walk(inner, nodes, static_cast<uint32_t>(child), ev);
          });
        }
        return walk(fv, nodes, static_cast<uint32_t>(child), ev);
      }
      return simdjson::SUCCESS;
    });
    if (e) return e;
  }
  return simdjson::SUCCESS;
}

// A body: the first of the field's alternatives that the record has wins
// (lower rank); a response body is scanned for Kling's envelope in place.
error_code normalizer::impl::read_body(od::value v, const trie_node& n, event::event& ev) {
  int side = n.body;
  if (n.body_rank >= body_rank[side]) return simdjson::SUCCESS;
  body_ref& body = side == 0 ? req_body : resp_body;
  if (n.body_form) {
    std::string_view raw = raw_container(v);
    if (raw.size() > 2 && raw.front() == '[') {  // a non-empty list
      body = body_ref{.text = {}, .base64 = body.base64};
      body.limit = record.data() + record.size();
      body.type = body_ref::kind::form;
      body.begin = raw.data();
      body.end = raw.data() + raw.size();
      body_rank[side] = n.body_rank;
    }
    return simdjson::SUCCESS;
  }
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::null) return simdjson::SUCCESS;
  if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    if (s.empty()) return simdjson::SUCCESS;  // `content: omit`, "": no body
    body = body_ref{.text = {}, .base64 = body.base64};
    body.limit = record.data() + record.size();
    body.type = body_ref::kind::text;
    body.text = s;
    body_rank[side] = n.body_rank;
    if (side == 1) env = {};
    forget_body(side);
    return simdjson::SUCCESS;
  }
  if (body_rank[side] != 255) {
    body = body_ref{.text = {}, .base64 = body.base64};
    if (side == 1) env = {};
    forget_body(side);
  }
  body_rank[side] = n.body_rank;
  return parse_body(v, body, side == 1, ev);
}

void normalizer::impl::capture(od::value v, captured& out) {
  od::json_type t;
  if (v.type().get(t)) return;
  switch (t) {
    case od::json_type::string:
      if (v.get_string().get(out.text)) return;
      out.type = captured::kind::string;
      return;
    case od::json_type::number:
      out.type = captured::kind::number;
      out.text = core::trim(v.raw_json_token());
      return;
    case od::json_type::boolean:
      out.type = captured::kind::boolean;
      out.text = core::trim(v.raw_json_token());
      return;
    case od::json_type::null:
      out.type = captured::kind::null;
      out.text = {};
      return;
    default:
      out.type = captured::kind::container;
      out.text = raw_container(v);
      return;
  }
}

void normalizer::impl::load_headers() {
  static constexpr field_area areas[2] = {field_area::request_header,
                                          field_area::response_header};
  for (int side = 0; side < 2; ++side) {
    std::string_view raw = headers_raw[side];
    if (raw.empty()) continue;
    size_t cap = 0;
    if (headers_copied[side]) {  // a string holding JSON: copy it with padding
      std::string& buf = header_copy[side];
      buf.assign(raw);
      buf.reserve(raw.size() + simdjson::SIMDJSON_PADDING);
      raw = {buf.data(), raw.size()};
      cap = buf.capacity();
    } else {
      cap = static_cast<size_t>(record_capacity_end - raw.data());
    }
    od::document hdoc;
    od::value v;
    if (header_parsers[side].iterate(raw.data(), raw.size(), cap).get(hdoc)) continue;
    if (hdoc.get_value().get(v)) continue;
    (void)parse_headers(v, areas[side]);  // a broken header list: keep what was read
  }
  // Headers a profile maps one by one (nginx's $http_authorization).
  for (const auto& [f, value] : named_headers) {
    on_header(f->header, value, f->field == profile::target::request_header
                                    ? field_area::request_header
                                    : field_area::response_header);
  }
}

void normalizer::impl::forget_body(int side) {
  if (!capturing) return;
  if (side == 0) {
    call.external_task_id = call.callback_url = {};
    call.request_tasks.clear();
  } else {
    call.answer_tasks.clear();
    call.answer_external_task_id = {};
  }
}

void normalizer::impl::on_header(std::string_view name, std::string_view value,
                                 field_area area) {
  if (capturing && area == field_area::response_header && core::iequals(name, "retry-after")) {
    call.retry_after = value;
  }
  if (area == field_area::request_header && !name.empty()) ++request_header_count;
  if (area == field_area::request_header &&
      core::iequals(name, "authorization")) {
    authorization = value;
    has_authorization = true;
    return;  // never offered to rules as text
  }
  for (size_t i = 0; i < plan.items.size(); ++i) {
    if (plan.items[i].area == area && core::iequals(plan.items[i].path, name)) {
      header_values[i] = value;
    }
  }
}

error_code normalizer::impl::parse_headers(od::value v, field_area area) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::object) {  // {"Name": "value"} or {"Name": ["v"]}
    return for_each_member(v, [&](std::string_view name, od::value hv) {
      od::array values;
      if (hv.get_array().get(values) == simdjson::SUCCESS) {
        for (auto item : values) {  // the first value
          od::value iv;
          if (auto e = item.get(iv)) return e;
          on_header(name, scalar_text(iv), area);
          break;
        }
        return simdjson::SUCCESS;
      }
      on_header(name, scalar_text(hv), area);
      return simdjson::SUCCESS;
    });
  }
  if (t != od::json_type::array) return simdjson::SUCCESS;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto item : arr) {  // [{"name": ..., "value": ...}]
    od::value h;
    if (auto e = item.get(h)) return e;
    std::string_view name, value;
    error_code e = for_each_member(h, [&](std::string_view key, od::value fv) {
      if (key == "name") name = scalar_text(fv);
      if (key == "value") value = scalar_text(fv);
      return simdjson::SUCCESS;
    });
    if (e) return e;
    on_header(name, value, area);
  }
  return simdjson::SUCCESS;
}

error_code normalizer::impl::parse_body(od::value v, body_ref& body,
                                        bool is_response, event::event& ev) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  body.limit = record.data() + record.size();
  if (t == od::json_type::string) {
    body.type = body_ref::kind::text;
    return v.get_string().get(body.text);
  }
  if (t != od::json_type::object && t != od::json_type::array) {
    return simdjson::SUCCESS;  // null, numbers: no body
  }
  body.type = body_ref::kind::json;
  if (t != od::json_type::object) {
    std::string_view raw = raw_container(v);
    body.begin = raw.data();
    body.end = raw.data() + raw.size();
    return simdjson::SUCCESS;
  }
  body.begin = v.raw_json_token().data();
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  error_code e = is_response ? scan_envelope(obj) : scan_request_body(obj, ev);
  env.parsed = env.parsed || is_response;
  // The walk ended just past the body's '}': the next token bounds it.
  const char* next = nullptr;
  if (!e && doc->current_location().get(next) == simdjson::SUCCESS) {
    while (next > body.begin && core::is_space(next[-1])) --next;
    body.end = next;
  }
  return e;
}

error_code normalizer::impl::scan_request_body(od::object obj,
                                               event::event& ev) {
  if (capturing) return scan_request_for_call(obj, ev);
  return for_each_member(obj, [&](std::string_view key, od::value fv) {
    if (key == "model_name" || (key == "model" && ev.model.empty())) {
      ev.model = scalar_text(fv);
    }
    return simdjson::SUCCESS;
  });
}

// The same walk, also reading what the audit needs: the create's
// external_task_id and callback_url, the task a callback names (legacy
// task_id / task_status, 2026 id / status, at the top or under `data`) and
// the ids of POST /tasks.
error_code normalizer::impl::scan_request_for_call(od::object obj, event::event& ev) {
  task_fields top, legacy;
  error_code e = for_each_member(obj, [&](std::string_view key, od::value fv) {
    if (key == "model_name" || (key == "model" && ev.model.empty())) {
      ev.model = scalar_text(fv);
    } else if (key == "external_task_id") {
      call.external_task_id = scalar_text(fv);
    } else if (key == "callback_url") {
      call.callback_url = scalar_text(fv);
    } else if (key == "task_id") {
      legacy.id = scalar_text(fv);
    } else if (key == "task_status") {
      legacy.status = scalar_text(fv);
    } else if (key == "id") {
      top.id = scalar_text(fv);
    } else if (key == "status") {
      top.status = scalar_text(fv);
    } else if (key == "data") {
      task_fields t;
      od::json_type type;
      if (!fv.type().get(type) && type == od::json_type::object) {
        if (auto err = scan_task(fv, t)) return err;
        if (!t.id.empty()) call.request_tasks.push_back({t.id, t.status});
      }
    } else if (key == "task_ids") {
      od::array ids;
      if (fv.get_array().get(ids) == simdjson::SUCCESS) {
        for (auto item : ids) {
          od::value iv;
          if (auto err = item.get(iv)) return err;
          std::string_view id = scalar_text(iv);
          if (!id.empty()) call.request_tasks.push_back({id, {}});
        }
      }
    }
    return simdjson::SUCCESS;
  });
  const task_fields& named = !legacy.id.empty() ? legacy : top;
  if (!named.id.empty()) {
    call.request_tasks.insert(call.request_tasks.begin(), task_view{named.id, named.status});
  }
  return e;
}

error_code normalizer::impl::scan_envelope(od::object obj) {
  return for_each_member(obj, [&](std::string_view key, od::value v) {
    if (key == "code") {
      env.code = scalar_int(v);
    } else if (key == "message") {
      env.message = scalar_text(v);
    } else if (key == "msg") {
      env.msg = scalar_text(v);
    } else if (key == "request_id" || key == "requestId") {
      env.request_id = scalar_text(v);
    } else if (key == "error") {
      return read_error(v, env.error_message);
    } else if (key == "detail") {
      return read_detail(v, env.detail);
    } else if (key == "error_description") {
      env.detail = scalar_text(v);
    } else if (key == "status") {
      od::json_type t;
      if (!v.type().get(t) && t == od::json_type::string) env.job_status = scalar_text(v);
    } else if (key == "data") {
      return scan_data(v);
    }
    return simdjson::SUCCESS;
  });
}

error_code normalizer::impl::scan_data(od::value v) {
  auto keep = [&](const task_fields& t) {
    env.task_id = t.id;
    env.task_status = t.status;
    env.task_message = t.message;
  };
  od::array tasks;
  if (v.get_array().get(tasks) == simdjson::SUCCESS) {
    // 2026 task queries: a list; the first failed task, else the first.
    // The audit observes every element.
    bool first = true, kept_failed = false;
    for (auto item : tasks) {
      od::value iv;
      if (auto e = item.get(iv)) return e;
      task_fields t;
      if (auto e = scan_task(iv, t)) return e;
      if (capturing && !t.id.empty()) call.answer_tasks.push_back({t.id, t.status});
      bool failed = is_failed_status(t.status);
      if (first || (failed && !kept_failed)) keep(t);
      first = false;
      if (failed) {
        kept_failed = true;
        if (!capturing) break;
      }
    }
    return simdjson::SUCCESS;
  }
  task_fields t;
  error_code e = scan_task(v, t, capturing ? &call.answer_external_task_id : nullptr);
  if (capturing && !t.id.empty()) call.answer_tasks.push_back({t.id, t.status});
  keep(t);
  return e;
}

// The task's status: the queried task's, or a wrapper job's top-level
// `status` (resellers, aggregators) when that one failed or there is no task.
void normalizer::impl::finish_task(event::event& ev) {
  std::string_view status = env.task_status;
  if (env.task_status.empty() || (is_failed_status(env.job_status) &&
                                  !is_failed_status(env.task_status))) {
    status = env.job_status.empty() ? env.task_status : env.job_status;
  }
  task_status_buf = core::to_lower(core::trim(status));
  ev.task_status = task_status_buf;
}

normalizer::normalizer(const event::field_plan& plan, size_t max_depth)
    : impl_(std::make_unique<impl>(plan, max_depth)) {}
normalizer::~normalizer() = default;

namespace {
void set_malformed(event::event& ev, std::string_view why) {
  ev.result = event::outcome::malformed;
  ev.malformed_reason = why;
}

void clear_event(event::event& ev) {
  uint32_t source = ev.source;
  int64_t line = ev.line;
  int64_t entry = ev.entry;
  uint16_t profile = ev.profile;
  std::vector<event::field_value> extras = std::move(ev.extras);
  ev = event::event{};
  ev.source = source;
  ev.line = line;
  ev.entry = entry;
  ev.profile = profile;
  extras.clear();
  ev.extras = std::move(extras);
}

// Why a line that should be a JSON object is not one.
std::string_view not_an_object(std::string_view text, simdjson::dom::parser& dom) {
  std::string_view t = core::trim(text);
  char first = t.empty() ? ' ' : t.front();
  bool scalar = t == "true" || t == "false" || t == "null" ||
                core::parse_number(t).has_value();
  if (scalar) return "a JSON scalar, not an object";
  if (first == '[' || first == '"') {
    // Only a line that is JSON is "a JSON array": `[Axios][Request] ...` is text.
    simdjson::dom::element el;
    if (!dom.parse(t.data(), t.size(), true).get(el)) {
      return first == '[' ? "a JSON array, not an object" : "a JSON string, not an object";
    }
  }
  return "not JSON: a line of plain text";
}

const profile::compiled_profile& canonical_profile() {
  static const profile::compiled_profile* p = [] {
    const auto* found = profile::bundled_set().find("canonical");
    if (found == nullptr) throw std::runtime_error("the bundled `canonical` profile is missing");
    return found;
  }();
  return *p;
}
}  // namespace

std::string_view normalizer::impl::top_level_keys(std::string_view text) {
  // Only for the malformed reason: a fresh parse of a rejected record.
  reason_buf.clear();
  simdjson::dom::element el;
  simdjson::dom::object obj;
  if (small_dom.parse(text.data(), text.size(), true).get(el) || el.get_object().get(obj)) {
    return {};
  }
  size_t n = 0;
  for (auto [k, v] : obj) {
    if (n++ == 12) {
      reason_buf += ", ...";
      break;
    }
    if (!reason_buf.empty()) reason_buf += ", ";
    reason_buf += core::shorten(k, 40);
  }
  return reason_buf;
}

void normalizer::normalize(std::string_view text, size_t capacity, event::event& ev) {
  normalize(text, capacity, ev, canonical_profile());
}

void normalizer::normalize(std::string_view text, size_t capacity, event::event& ev,
                           const profile::compiled_profile& profile) {
  impl& m = *impl_;
  clear_event(ev);  // the previous record's views die here: its memory may go
  m.shrink_parsers();
  m.prof = &profile;
  m.reset();
  m.record = text;
  m.record_capacity_end = text.data() + capacity;
  if (profile.kind == profile::compiled_profile::shape::text) {
    if (profile::skip_line(profile, text)) {
      ev.result = event::outcome::skipped;
      return;
    }
    bool matched = profile::match_line(profile, text, m.slots.data());
    for (size_t i = 0; i < m.slots.size(); ++i) {  // groups fill slots directly
      if (!m.slots[i].present()) continue;
      m.touched.push_back(static_cast<uint16_t>(i));
      m.offer(static_cast<int>(i));
    }
    if (!matched) {
      m.reason_buf = fmt::format("the line does not match the pattern of profile `{}`; "
                                 "see `kling-triage profiles detect`", profile.id);
      return set_malformed(ev, m.reason_buf);
    }
  } else {
    od::document doc;
    m.doc = &doc;
    error_code e = m.parser.iterate(text.data(), text.size(), capacity).get(doc);
    char first = text.empty() ? ' ' : text.front();
    if (first != '{' && e != simdjson::UTF8_ERROR) {
      return set_malformed(ev, not_an_object(text, m.small_dom));
    }
    od::value top;
    if (!e) e = doc.get_value().get(top);
    if (!e) e = m.walk_members(top, profile.nodes, 0, ev);
    if (!e) {
      // Anything left after the object ({"a":1} xxx) makes the line malformed.
      const char* rest = nullptr;
      if (doc.current_location().get(rest) == simdjson::SUCCESS) {
        e = simdjson::TRAILING_CONTENT;
      }
    }
    if (e == simdjson::UTF8_ERROR && m.utf8_buf.data() != text.data()) {
      // Repair invalid UTF-8 (U+FFFD) and read the record again.
      m.utf8_buf = core::repair_utf8(text);
      std::string_view repaired = m.utf8_buf;
      m.utf8_buf.reserve(repaired.size() + required_padding());
      return normalize(m.utf8_buf, m.utf8_buf.capacity(), ev, profile);
    }
    if (e) return set_malformed(ev, simdjson::error_message(e));
  }
  if (!profile.has_envelope() && !m.detect_holds()) {
    std::string_view keys = m.top_level_keys(text);
    m.reason_buf = fmt::format(
        "not a logged call for profile `{}`: it has {}{}, the profile needs {}; "
        "see `kling-triage profiles detect`",
        profile.id, keys.empty() ? "no keys" : "keys ", keys,
        profile::describe(profile, profile.detect));
    return set_malformed(ev, m.reason_buf);
  }
  if (profile.skip && profile::holds(profile, *profile.skip, m.slots.data())) {
    ev.result = event::outcome::skipped;
    return;
  }
  m.apply_fields(ev);
  if (error_code e = m.finish(ev)) {
    return set_malformed(ev, e == simdjson::DEPTH_ERROR ? std::string_view(m.depth_reason)
                                                        : std::string_view(simdjson::error_message(e)));
  }
}

void normalizer::capture_calls(bool on) { impl_->capturing = on; }

namespace {

enum class scan_result { found, absent, unsure };

/// A JSON string's content at raw[i] == '"' (no escapes): its end in `end`.
bool plain_string(std::string_view raw, size_t i, std::string_view& out, size_t& end) {
  const char* begin = raw.data() + i + 1;
  size_t left = raw.size() - i - 1;
  const auto* close = static_cast<const char*>(std::memchr(begin, '"', left));
  if (close == nullptr) return false;
  size_t len = static_cast<size_t>(close - begin);
  if (std::memchr(begin, '\\', len) != nullptr) return false;
  out = {begin, len};
  end = i + 2 + len;
  return true;
}

/// Whether `raw` holds `name` (lower case, with a '-' at `dash`) in any
/// letter case: found through the dash, by memchr.
bool holds_dashed(std::string_view raw, std::string_view name, size_t dash) {
  size_t from = dash;
  while (from < raw.size()) {
    const auto* p = static_cast<const char*>(std::memchr(raw.data() + from, '-', raw.size() - from));
    if (p == nullptr) return false;
    size_t at = static_cast<size_t>(p - raw.data());
    if (at >= dash && at - dash + name.size() <= raw.size() &&
        core::iequals(raw.substr(at - dash, name.size()), name)) {
      return true;
    }
    from = at + 1;
  }
  return false;
}

/// The value of one header in the raw JSON the log kept the headers as
/// (`{"Name": "value"}` or `[{"name": ..., "value": ...}]`), without
/// parsing it: successful calls need only two headers of the audit. The
/// first one given wins. `unsure` (parse it then) for escapes, a list of
/// values, or text that ends early.
scan_result scan_header(std::string_view raw, std::string_view name, std::string_view& value) {
  size_t dash = name.find('-');
  if (dash != std::string_view::npos && !holds_dashed(raw, name, dash)) return scan_result::absent;
  const size_t n = raw.size();
  bool named = false, have_value = false;
  std::string_view item_value;
  size_t i = 0;
  while (i < n) {
    // By hand: find_first_of with a set of characters is a memchr per byte.
    while (i < n && raw[i] != '"' && raw[i] != '}') ++i;
    if (i == n) break;
    if (raw[i] == '}') {
      named = have_value = false;
      ++i;
      continue;
    }
    std::string_view key;
    size_t at = 0;
    if (!plain_string(raw, i, key, at)) return scan_result::unsure;
    while (at < n && core::is_space(raw[at])) ++at;
    if (at >= n || raw[at] != ':') {
      i = at;
      continue;
    }
    ++at;
    while (at < n && core::is_space(raw[at])) ++at;
    if (at >= n) return scan_result::unsure;
    std::string_view v;
    if (raw[at] == '"') {
      if (!plain_string(raw, at, v, at)) return scan_result::unsure;
    } else if (raw[at] == '[' || raw[at] == '{') {
      if (core::iequals(key, name) || key == "value") return scan_result::unsure;
      i = at + 1;  // a container under another key: read on inside it
      continue;
    } else {
      size_t e = at;
      while (e < n && raw[e] != ',' && raw[e] != '}' && raw[e] != ']') ++e;
      v = core::trim(raw.substr(at, e - at));
      at = e;
    }
    if (core::iequals(key, name)) {
      value = v;
      return scan_result::found;
    }
    if (key == "name" && core::iequals(v, name)) {
      named = true;
      if (have_value) {
        value = item_value;
        return scan_result::found;
      }
    } else if (key == "value") {
      item_value = v;
      have_value = true;
      if (named) {
        value = v;
        return scan_result::found;
      }
    }
    i = at;
  }
  return scan_result::absent;
}

}  // namespace

// The audit reads two headers of every call: Authorization (to hash) and
// Retry-After. A failure's headers were parsed already; a success's are
// scanned in place, or parsed when the scan is unsure.
void normalizer::impl::load_call_headers() {
  if (headers_loaded) return;
  headers_loaded = true;
  std::string_view auth, retry;
  scan_result a = headers_raw[0].empty() ? scan_result::absent
                                         : scan_header(headers_raw[0], "authorization", auth);
  scan_result r = headers_raw[1].empty() ? scan_result::absent
                                         : scan_header(headers_raw[1], "retry-after", retry);
  if (a == scan_result::unsure || r == scan_result::unsure) return load_headers();
  if (a == scan_result::found) {
    authorization = auth;
    has_authorization = true;
  }
  call.retry_after = retry;
  for (const auto& [f, v] : named_headers) {
    if (f->field == profile::target::request_header && core::iequals(f->header, "authorization")) {
      authorization = v;
      has_authorization = true;
    } else if (f->field == profile::target::response_header &&
               core::iequals(f->header, "retry-after")) {
      call.retry_after = v;
    }
  }
}

const call_capture& normalizer::last_call() {
  impl& m = *impl_;
  m.load_call_headers();
  m.call.authorization = m.has_authorization ? m.authorization : std::string_view();
  switch (m.req_body.type) {
    case body_ref::kind::json:
    case body_ref::kind::form: m.call.request_body = m.raw_body(m.req_body); break;
    case body_ref::kind::text: m.call.request_body = m.req_body.text; break;
    case body_ref::kind::none: m.call.request_body = {}; break;
  }
  return m.call;
}

void normalizer::normalize_copy(std::string_view text, event::event& ev) {
  normalize_copy(text, ev, canonical_profile());
}

void normalizer::normalize_copy(std::string_view text, event::event& ev,
                                const profile::compiled_profile& profile) {
  impl_->copy_buf.assign(text);
  impl_->copy_buf.reserve(text.size() + required_padding());
  std::string_view view(impl_->copy_buf.data(), text.size());
  normalize(view, impl_->copy_buf.capacity(), ev, profile);
}

bool normalizer::split_records(std::string_view text, size_t capacity,
                               const profile::compiled_profile& profile,
                               std::vector<std::string_view>& records, std::string& why) {
  impl& m = *impl_;
  records.clear();
  m.prof = &profile;
  m.reset();
  m.record = text;
  m.record_capacity_end = text.data() + capacity;
  od::document doc;
  m.doc = &doc;
  char first = text.empty() ? ' ' : text.front();
  if (first != '{' && first != '[') {
    why = not_an_object(text, m.small_dom);
    return false;
  }
  event::event scratch;
  m.record_spans = &records;
  od::value top;
  error_code e = m.parser.iterate(text.data(), text.size(), capacity).get(doc);
  if (!e) e = doc.get_value().get(top);
  if (!e) e = m.walk(top, profile.envelope, 0, scratch);
  m.record_spans = nullptr;
  if (e) {
    why = simdjson::error_message(e);
    records.clear();
    return false;
  }
  if (!profile::holds(profile, profile.detect, m.slots.data())) {
    std::string_view keys = m.top_level_keys(text);
    why = fmt::format(
        "not a logged call for profile `{}`: it has {}{}, the profile needs {}; "
        "see `kling-triage profiles detect`",
        profile.id, keys.empty() ? "no keys" : "keys ", keys,
        profile::describe(profile, profile.detect));
    records.clear();
    return false;
  }
  return true;
}

bool normalizer::detects(std::string_view text, size_t capacity,
                         const profile::compiled_profile& profile) {
  impl& m = *impl_;
  if (profile.has_envelope()) {
    std::vector<std::string_view> records;
    std::string why;
    return split_records(text, capacity, profile, records, why);
  }
  event::event ev;
  normalize(text, capacity, ev, profile);
  (void)m;
  return ev.result != event::outcome::malformed || false;
}

// The profile's fields, each from the first alternative the record has
// (and whose `when` holds); bodies were read during the walk.
const profile::source* normalizer::impl::pick(const profile::field_map& f) {
  for (const auto& src : f.sources) {
    bool there = false;
    switch (src.type) {
      case profile::source::kind::body: continue;
      case profile::source::kind::constant: there = true; break;
      case profile::source::kind::pointer: {
        const auto& v = slots[static_cast<size_t>(src.slot)];
        there = v.present() && v.type != profile::captured::kind::null &&
                !(v.type == profile::captured::kind::string && v.text.empty());
        break;
      }
      case profile::source::kind::join:
        there = true;
        for (const auto& part : src.parts) {
          if (part.slot >= 0 && !slots[static_cast<size_t>(part.slot)].present()) there = false;
        }
        break;
    }
    if (!there) continue;
    if (src.when >= 0 &&
        !profile::holds(*prof, prof->conditions[static_cast<size_t>(src.when)], slots.data())) {
      continue;
    }
    return &src;
  }
  return nullptr;
}

std::string_view normalizer::impl::value_of(const profile::source& src, int buffer) {
  switch (src.type) {
    case profile::source::kind::constant: return src.constant;
    case profile::source::kind::pointer: return slots[static_cast<size_t>(src.slot)].text;
    case profile::source::kind::join: {
      // One buffer per field, reused record after record (no allocation).
      std::string& out = join_bufs[static_cast<size_t>(buffer) % join_bufs.size()];
      out.clear();
      for (const auto& part : src.parts) {
        out += part.slot >= 0 ? slots[static_cast<size_t>(part.slot)].text
                              : std::string_view(part.text);
      }
      return out;
    }
    case profile::source::kind::body: break;
  }
  return {};
}

namespace {
std::optional<int64_t> parse_time(const profile::source& src, std::string_view text,
                                  bool number) {
  using profile::time_format;
  auto scaled = [&](double per_ms) -> std::optional<int64_t> {
    auto n = core::parse_number(core::trim(text));
    if (!n) return std::nullopt;
    double ms = *n / per_ms;  // checked before the conversion: 1e300 is no time
    if (!(ms >= 0 && ms <= static_cast<double>(event::max_time_ms))) return std::nullopt;
    return static_cast<int64_t>(std::llround(ms));
  };
  switch (src.time) {
    case time_format::any:
      if (number) {
        auto n = core::parse_number(text);
        return n ? event::epoch_to_ms(*n) : std::nullopt;
      }
      return event::parse_time_text(text);
    case time_format::rfc3339: return event::parse_time_text(text);
    case time_format::epoch_s: return scaled(1e-3);
    case time_format::epoch_ms: return scaled(1);
    case time_format::epoch_us: return scaled(1e3);
    case time_format::epoch_ns: {
      // Nanoseconds do not fit a double exactly: drop the last six digits.
      std::string_view t = core::trim(text);
      if (t.size() > 6 && t.find('.') == std::string_view::npos) {
        return core::parse_int(t.substr(0, t.size() - 6));
      }
      return scaled(1e6);
    }
    case time_format::pattern: return event::parse_time_pattern(text, src.pattern);
  }
  return std::nullopt;
}

/// Only years 1970-9999 are times, whatever the format said.
std::optional<int64_t> read_time(const profile::source& src, std::string_view text, bool number) {
  auto t = parse_time(src, text, number);
  if (t && !event::is_time(*t)) return std::nullopt;
  return t;
}
}  // namespace

void normalizer::impl::apply_fields(event::event& ev) {
  if (offered == 0 && deferred.empty() && !prof->has_complex_fields) return;  // all applied in the walk
  // Fields whose sources are all pointers were ranked as the walk filled
  // their slots (offer); the sources with `when` are judged now.
  for (uint16_t t : deferred) {
    for (const auto& [fi, rank] : prof->slot_uses[t]) {
      const profile::source& src = prof->fields[fi].sources[rank];
      if (rank >= field_rank[fi] || src.when < 0) continue;
      if (profile::holds(*prof, prof->conditions[static_cast<size_t>(src.when)], slots.data())) {
        field_rank[fi] = rank;
      }
    }
  }
  for (size_t i = 0; i < prof->fields.size(); ++i) {
    const auto& f = prof->fields[i];
    if (f.simple && field_rank[i] == applied_rank[i]) continue;  // none, or applied in the walk
    const profile::source* src =
        !f.simple ? pick(f) : field_rank[i] == 255 ? nullptr : &f.sources[field_rank[i]];
    if (src != nullptr) apply_field(f, *src, ev);
  }
}

void normalizer::impl::apply_field(const profile::field_map& f, const profile::source& src,
                                   event::event& ev) {
  auto type = src.type == profile::source::kind::pointer ? slots[static_cast<size_t>(src.slot)].type
                                                         : profile::captured::kind::string;
  apply_value(f, src, value_of(src, static_cast<int>(f.field)), type, ev);
}

void normalizer::impl::apply_value(const profile::field_map& f, const profile::source& src,
                                   std::string_view text, profile::captured::kind type,
                                   event::event& ev) {
  using profile::target;
  if (src.extract >= 0) text = profile::extract(*prof, src, text);
  bool number = type == profile::captured::kind::number;
  bool container = type == profile::captured::kind::container;
  switch (f.field) {
    case target::ts: ev.ts_ms = read_time(src, text, number); break;
    case target::duration_ms: {
      // The usual: a whole number of milliseconds.
      if (number && !text.empty() && text.size() < 10 &&
          text.find_first_not_of("0123456789") == std::string_view::npos) {
        int64_t d = 0;
        for (char ch : text) d = d * 10 + (ch - '0');
        ev.duration_ms = static_cast<double>(d) * src.scale;
        break;
      }
      if (auto d = core::parse_number(core::trim(text)); d && *d >= 0) {
        ev.duration_ms = *d * src.scale;
      }
      break;
    }
    case target::method:
      method_buf = core::to_upper(text);
      ev.method = method_buf;
      break;
    case target::url: ev.url = text; break;
    case target::request_headers:
    case target::response_headers: {
      int side = f.field == target::request_headers ? 0 : 1;
      if (container) {
        headers_raw[side] = text;
      } else if (!text.empty() && (src.json_string || prof->kind == profile::compiled_profile::shape::text)) {
        headers_raw[side] = text;
        headers_copied[side] = true;
      }
      break;
    }
    case target::request_body:
    case target::response_body: {  // text lines: a captured group
      body_ref& body = f.field == target::request_body ? req_body : resp_body;
      body = {};
      body.limit = record.data() + record.size();
      body.type = body_ref::kind::text;
      body.text = text;
      break;
    }
    case target::status: {
      if (number && text.size() == 3 && text[0] >= '1' && text[0] <= '9') {  // the usual: 200
        int st = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
        if (text[1] >= '0' && text[1] <= '9' && text[2] >= '0' && text[2] <= '9') {
          ev.status = st;
          break;
        }
      }
      auto st = core::parse_int(core::trim(text));
      if (st && *st > 0 && *st < 1000) ev.status = static_cast<int>(*st);
      break;
    }
    case target::response_body_encoding: resp_body.base64 = text == "base64"; break;
    case target::error: ev.error = text; break;
    case target::request_header:
    case target::response_header: {
      for (auto& [field, value] : named_headers) {
        if (field == &f) {  // a better source of the same header
          value = text;
          return;
        }
      }
      named_headers.emplace_back(&f, text);
      break;
    }
  }
}

error_code normalizer::impl::finish(event::event& ev) {
  auto parts = event::split_url(ev.url);
  ev.host = parts.host;
  event::fold_ids(parts.path, endpoint_buf);
  ev.endpoint = endpoint_buf;

  analyze_text_bodies(ev);
  ev.response_body = resp_body.type != body_ref::kind::none;
  ev.code = env.code;
  ev.request_id = env.request_id;
  ev.task_id = env.task_id;
  finish_task(ev);

  using event::failure_kind;
  if (ev.status <= 0) {
    ev.failure = failure_kind::transport;
  } else if (ev.status >= 400) {
    ev.failure = failure_kind::http;
  } else if (ev.code && *ev.code != 0) {
    ev.failure = failure_kind::code;
  } else if (is_failed_status(ev.task_status)) {
    ev.failure = failure_kind::task;
  }
  ev.result = ev.failure == failure_kind::none ? event::outcome::ok
                                               : event::outcome::failure;
  if (ev.result != event::outcome::failure) return simdjson::SUCCESS;
  load_headers();
  headers_loaded = true;
  ev.request_headers_logged = request_header_count > 0;
  compute_message(ev);
  compute_auth(ev);
  if (auto e = body_json_valid(ev.request_body_json_valid)) return e;
  return compute_extras(ev);
}

}  // namespace analyzer::ingest
