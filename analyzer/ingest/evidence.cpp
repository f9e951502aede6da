// SPDX-License-Identifier: MIT
// What the record pass leaves for later: bodies logged as text, and the
// evidence computed for failures only (message, auth and JWT claims, body
// validity, the rules' extra fields).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/ingest/base64.hpp"
#include "analyzer/ingest/normalizer_impl.hpp"

namespace analyzer::ingest {

namespace dom = simdjson::dom;

const char* find_value_end(const char* begin, const char* limit) {
  int depth = 0;
  for (const char* p = begin; p < limit; ++p) {
    char c = *p;
    if (c == '"') {
      for (++p; p < limit && *p != '"'; ++p) {
        if (*p == '\\') ++p;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return p + 1;
    }
  }
  return limit;
}

void plain_text(std::string_view in, std::string& out, size_t max) {
  out.clear();
  bool in_tag = false;
  bool space = false;
  for (char c : in) {
    if (out.size() >= max) break;
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        space = true;
      }
      continue;
    }
    if (core::is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
}

namespace {
// Decodes only the first bytes of a base64 body: enough to tell a JSON
// envelope from an image without decoding megabytes.
bool base64_starts_like_json(std::string_view b64) {
  std::string head;
  if (!base64_decode(b64.substr(0, 64), head)) return true;  // let the full decode decide
  std::string_view h = core::trim(head);
  return h.empty() || h.front() == '{' || h.front() == '[';
}

bool looks_like_json(std::string_view s) {
  s = core::trim(s);
  return !s.empty() && (s.front() == '{' || s.front() == '[');
}

// Copies text into `buf` with simdjson's padding after it.
std::string_view padded_copy(std::string_view text, std::string& buf) {
  buf.assign(text);
  buf.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  return {buf.data(), text.size()};
}
}  // namespace

std::string_view normalizer::impl::body_text(const body_ref& body,
                                             std::string& decoded) {
  if (body.type != body_ref::kind::text) return {};
  if (!body.base64) return body.text;
  if (!base64_decode(body.text, decoded)) return body.text;
  return decoded;
}

void normalizer::impl::analyze_text_bodies(event::event& ev) {
  // A request body logged as text holding JSON: find the model in it.
  if (req_body.type == body_ref::kind::text && (ev.model.empty() || capturing) &&
      looks_like_json(req_body.text)) {
    std::string_view copy = padded_copy(req_body.text, req_text_buf);
    od::document text_doc;
    od::object obj;
    if (!req_body_parser.iterate(copy.data(), copy.size(), req_text_buf.capacity())
             .get(text_doc) &&
        !text_doc.get_object().get(obj)) {
      (void)scan_request_body(obj, ev);
    }
  }
  if (resp_body.type != body_ref::kind::text) return;
  if (resp_body.base64 && ev.status > 0 && ev.status < 400 &&
      !base64_starts_like_json(resp_body.text)) {
    return;  // an image or video answered with success: nothing to read
  }
  std::string_view text = body_text(resp_body, decoded_resp);
  if (looks_like_json(text)) {
    std::string_view copy = padded_copy(text, resp_text_buf);
    od::document text_doc;
    od::object obj;
    envelope saved = env;
    if (!body_parser.iterate(copy.data(), copy.size(), resp_text_buf.capacity())
             .get(text_doc) &&
        !text_doc.get_object().get(obj) && !scan_envelope(obj)) {
      env.parsed = true;
      return;
    }
    env = saved;  // not JSON after all: keep it as text
  }
  plain_text(text, message_buf, 300);
}

void normalizer::impl::compute_message(event::event& ev) {
  bool envelope_failed =
      (env.code && *env.code != 0) || (ev.status >= 400);
  std::string_view pick, from;
  auto take = [&](std::string_view text, std::string_view source) {
    if (!pick.empty() || text.empty()) return;
    pick = text;
    from = source;
  };
  if (envelope_failed && env.message != "SUCCEED") take(env.message, "message");
  take(env.error_message, "error");
  take(env.detail, "detail");
  take(env.msg, "msg");
  if (ev.failure == event::failure_kind::task) take(env.task_message, "task");
  if (!env.parsed) take(message_buf, "text");
  if (env.message != "SUCCEED") take(env.message, "message");
  take(ev.error, "transport");
  ev.message = pick;
  ev.message_from = from;
}

namespace {
std::optional<int64_t> claim(dom::object& claims, std::string_view name) {
  dom::element el;
  if (claims[name].get(el)) return std::nullopt;
  double d = 0;
  // NumericDate is seconds: beyond ±1e15 it is no date, and converting
  // 1e300 would be undefined.
  if (!el.get_double().get(d)) {
    if (std::fabs(d) < 1e15) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  std::string_view s;
  if (!el.get_string().get(s)) {
    auto v = core::parse_int(s);
    if (v && *v > -1000000000000000 && *v < 1000000000000000) return v;
  }
  return std::nullopt;
}

int64_t floor_div(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
}  // namespace

namespace {
/// A value a logger wrote instead of the secret: `REDACTED`, `[Filtered]`,
/// `<redacted>`, `***`, `xxx` (alone or after the scheme word).
bool is_redaction_marker(std::string_view v) {
  v = core::trim(v);
  while (v.size() >= 2 && std::string_view("[<({\"'").find(v.front()) != std::string_view::npos &&
         std::string_view("]>)}\"'").find(v.back()) != std::string_view::npos) {
    v = core::trim(v.substr(1, v.size() - 2));
  }
  if (v.empty()) return false;
  static constexpr std::string_view words[] = {
      "redacted", "filtered", "hidden", "masked", "removed", "sanitized", "scrubbed", "omitted",
      "secret", "sensitive", "private", "censored"};
  for (std::string_view w : words) {
    if (core::iequals(v, w)) return true;
  }
  auto all_of = [&](std::string_view chars) {
    return v.find_first_not_of(chars) == std::string_view::npos;
  };
  return (v.size() >= 3 && all_of("*")) || (v.size() >= 3 && all_of("xX")) ||
         v.find("***") != std::string_view::npos;
}
}  // namespace

void normalizer::impl::compute_auth(event::event& ev) {
  event::auth_evidence& a = ev.auth;
  if (!has_authorization) return;
  a.present = true;
  std::string_view value = core::trim(authorization);
  {
    size_t sp = value.find_first_of(" \t");
    a.redacted = is_redaction_marker(value) ||
                 (sp != std::string_view::npos && is_redaction_marker(value.substr(sp)));
  }
  size_t gap = value.find_first_of(" \t");
  std::string_view token = value;
  if (gap == std::string_view::npos) {
    // A lone scheme word ("Bearer") is a scheme with an empty token, not a
    // token that happens to read "Bearer".
    for (std::string_view word : {"bearer", "basic", "token"}) {
      if (core::iequals(value, word)) {
        a.scheme = word;
        a.token = event::token_kind::none;
        return;
      }
    }
    a.scheme = "none";
  } else {
    std::string_view word = value.substr(0, gap);
    token = core::trim(value.substr(gap));
    scheme_buf = core::to_lower(word);
    a.scheme = scheme_buf;
    bool one_space = value[gap] == ' ' && gap + 1 < value.size() &&
                     !core::is_space(value[gap + 1]);
    a.well_formed = core::iequals(word, "bearer") && one_space &&
                    token.find_first_of(" \t") == std::string_view::npos;
  }
  if (token.empty()) {
    a.token = event::token_kind::none;
    return;
  }
  a.token = event::token_kind::opaque;
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
    return;
  }
  std::string_view payload = token.substr(d1 + 1, d2 - d1 - 1);
  if (!is_base64url(token.substr(0, d1)) || !is_base64url(payload) ||
      !base64_decode(payload, jwt_buf)) {
    return;
  }
  dom::element root;
  dom::object claims;
  size_t claims_len = jwt_buf.size();
  jwt_buf.reserve(claims_len + simdjson::SIMDJSON_PADDING);  // parse in place
  if (small_dom.parse(jwt_buf.data(), claims_len, false).get(root) ||
      root.get_object().get(claims)) {
    return;
  }
  a.token = event::token_kind::jwt;
  if (!ev.ts_ms) return;
  int64_t now_s = floor_div(*ev.ts_ms, 1000);
  if (auto exp = claim(claims, "exp")) a.exp_in_s = *exp - now_s;
  if (auto nbf = claim(claims, "nbf")) a.nbf_in_s = *nbf - now_s;
}

error_code normalizer::impl::body_json_valid(std::optional<bool>& out) {
  switch (req_body.type) {
    case body_ref::kind::none: return simdjson::SUCCESS;
    case body_ref::kind::json: out = true; return simdjson::SUCCESS;
    case body_ref::kind::form: out = false; return simdjson::SUCCESS;
    case body_ref::kind::text: break;
  }
  std::string_view text = core::trim(req_body.text);
  if (text.empty()) return simdjson::SUCCESS;
  dom::element el;
  error_code e = small_dom.parse(text.data(), text.size(), true).get(el);
  if (e == simdjson::DEPTH_ERROR) return e;  // JSON, but deeper than the limit
  out = !e;
  return simdjson::SUCCESS;
}

namespace {
// Looks up a dotted path (`data.task_status_msg`, `image_list.0.image`).
bool lookup(dom::element el, std::string_view path, dom::element& out) {
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view seg = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    dom::object obj;
    dom::array arr;
    if (!el.get_object().get(obj)) {
      if (obj.at_key(seg).get(el)) return false;
    } else if (!el.get_array().get(arr)) {
      auto idx = core::parse_int(seg);
      if (!idx || *idx < 0 || arr.at(static_cast<size_t>(*idx)).get(el)) {
        return false;
      }
    } else {
      return false;
    }
  }
  out = el;
  return true;
}

// Form parameters (HAR postData.params): [{name, value}, ...].
bool lookup_form(dom::element el, std::string_view name, dom::element& out) {
  dom::array arr;
  if (el.get_array().get(arr)) return false;
  for (dom::element item : arr) {
    std::string_view n;
    if (!item["name"].get_string().get(n) && n == name) {
      return !item["value"].get(out);
    }
  }
  return false;
}
}  // namespace

std::string_view normalizer::impl::raw_body(const body_ref& body) {
  if (body.type != body_ref::kind::json && body.type != body_ref::kind::form) return {};
  const char* end = body.end != nullptr ? body.end : find_value_end(body.begin, body.limit);
  return {body.begin, static_cast<size_t>(end - body.begin)};
}

namespace {
event::field_value scalar_value(od::value v, std::deque<std::string>& pool) {
  od::json_type t;
  if (v.type().get(t)) return {};
  std::string_view s;
  double d = 0;
  bool b = false;
  switch (t) {
    case od::json_type::string:
      return v.get_string().get(s) ? event::field_value{} : event::field_value::of(s);
    case od::json_type::number:
      return v.get_double().get(d) ? event::field_value{} : event::field_value::of(d);
    case od::json_type::boolean:
      return v.get_bool().get(b) ? event::field_value{} : event::field_value::of(b);
    case od::json_type::null: return {};
    default: break;
  }
  std::string_view raw = raw_container(v);
  if (raw.empty()) return {};
  pool.emplace_back(raw);
  return event::field_value::of(std::string_view(pool.back()));
}
}  // namespace

namespace {
/// `contents[].type` → ("contents", "type"); empty for other paths.
std::pair<std::string_view, std::string_view> split_item_path(std::string_view path) {
  size_t m = path.find(event::item_marker);
  if (m == std::string_view::npos) return {};
  return {path.substr(0, m), path.substr(m + event::item_marker.size())};
}

/// Can the one-pass walk read this body path? Top-level keys, and fields
/// of the elements of a top-level array (`contents[].type`).
bool one_pass_path(std::string_view path) {
  auto [array, item] = split_item_path(path);
  if (array.empty()) return path.find('.') == std::string_view::npos;
  return array.find('.') == std::string_view::npos && item.find('.') == std::string_view::npos;
}

/// A copy of `v` that outlives the parser that read it.
event::field_value kept(event::field_value v, std::deque<std::string>& pool) {
  if (v.type != event::field_value::kind::text) return v;
  pool.emplace_back(v.text);
  return event::field_value::of(std::string_view(pool.back()));
}
}  // namespace

// The elements of one top-level array (raw JSON text) for the item fields
// `<key>[].<name>`: one value per element, absent where it lacks the name.
void normalizer::impl::item_extras(std::string_view array, size_t capacity,
                                   event::field_area area, std::string_view key,
                                   event::event& ev) {
  std::vector<size_t> slots;
  for (size_t i = 0; i < plan.items.size(); ++i) {
    auto [a, item] = split_item_path(plan.items[i].path);
    if (plan.items[i].area == area && !a.empty() && a == key) slots.push_back(i);
  }
  if (slots.empty()) return;
  std::vector<std::vector<event::field_value>> lists(slots.size());
  od::document adoc;
  od::array arr;
  if (!array.empty() && !item_parser.iterate(array.data(), array.size(), capacity).get(adoc) &&
      !adoc.get_array().get(arr)) {
    for (auto element : arr) {
      od::value ev_item;
      if (element.get(ev_item)) break;
      for (auto& l : lists) l.emplace_back();
      (void)for_each_member(ev_item, [&](std::string_view name, od::value v) {
        for (size_t k = 0; k < slots.size(); ++k) {
          if (split_item_path(plan.items[slots[k]].path).second == name) {
            lists[k].back() = kept(scalar_value(v, value_pool), value_pool);
          }
        }
        return simdjson::SUCCESS;
      });
    }
  }
  for (size_t k = 0; k < slots.size(); ++k) {
    list_pool.push_back(std::move(lists[k]));
    ev.extras[slots[k]] = event::field_value::of(std::span<const event::field_value>(list_pool.back()));
  }
}

// The usual case: rules ask for top-level keys of a JSON body (prompt,
// duration, model_name...) and fields of a top-level array's elements
// (contents[].type). One On Demand walk over the body, in place, reads
// them all; nested paths, text and form bodies go through the DOM.
bool normalizer::impl::extras_in_one_pass(int side, event::event& ev) {
  const body_ref& body = side == 0 ? req_body : resp_body;
  auto area = side == 0 ? event::field_area::request_body : event::field_area::response_body;
  if (body.type != body_ref::kind::json) return false;
  for (const auto& item : plan.items) {
    if (item.area == area && !one_pass_path(item.path)) return false;
  }
  std::string_view raw = raw_body(body);
  od::document bdoc;
  od::object obj;
  auto cap = static_cast<size_t>(record_capacity_end - raw.data());
  if (extra_parsers[side].iterate(raw.data(), raw.size(), cap).get(bdoc) ||
      bdoc.get_object().get(obj)) {
    return true;  // not an object: no top-level keys to find
  }
  (void)for_each_member(obj, [&](std::string_view key, od::value v) {
    bool items = false;
    for (const auto& item : plan.items) {
      items = items || (item.area == area && split_item_path(item.path).first == key);
    }
    event::field_value value = scalar_value(v, value_pool);
    for (size_t i = 0; i < plan.items.size(); ++i) {
      if (plan.items[i].area == area && plan.items[i].path == key) {
        ev.extras[i] = value;
        break;
      }
    }
    if (items) {
      // An array's raw text, copied with the padding simdjson needs.
      std::string_view text = value.type == event::field_value::kind::text ? value.text : "";
      if (!text.empty() && text.front() == '[') {
        std::string& copy = value_pool.emplace_back(text);
        copy.reserve(text.size() + simdjson::SIMDJSON_PADDING);
        item_extras({copy.data(), text.size()}, copy.capacity(), area, key, ev);
      } else {
        item_extras({}, 0, area, key, ev);  // not an array: empty lists
      }
    }
    return simdjson::SUCCESS;
  });
  return true;
}

error_code normalizer::impl::extras_from_dom(int side, event::event& ev) {
  const body_ref& body = side == 0 ? req_body : resp_body;
  auto area = side == 0 ? event::field_area::request_body : event::field_area::response_body;
  std::string_view text = body.type == body_ref::kind::text
                              ? body_text(body, side == 0 ? decoded_req : decoded_resp)
                              : raw_body(body);
  dom::parser& dom_parser = side == 0 ? req_dom : resp_dom;
  dom::element root;
  if (text.empty()) return simdjson::SUCCESS;
  if (error_code e = dom_parser.parse(text.data(), text.size(), true).get(root)) {
    return e == simdjson::DEPTH_ERROR ? e : simdjson::SUCCESS;  // not JSON: no fields
  }
  auto value_of = [&](dom::element found) -> event::field_value {
    std::string_view s;
    double d = 0;
    bool b = false;
    if (!found.get_string().get(s)) return event::field_value::of(s);
    if (!found.get_double().get(d)) return event::field_value::of(d);
    if (!found.get_bool().get(b)) return event::field_value::of(b);
    if (found.is_null()) return {};
    value_pool.push_back(simdjson::minify(found));
    return event::field_value::of(std::string_view(value_pool.back()));
  };
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const auto& item = plan.items[i];
    if (item.area != area) continue;
    auto [array_path, item_path] = split_item_path(item.path);
    if (!array_path.empty()) {  // one value per element of the array
      dom::element arr_el;
      dom::array arr;
      if (body.type == body_ref::kind::form || !lookup(root, array_path, arr_el) ||
          arr_el.get_array().get(arr)) {
        continue;
      }
      std::vector<event::field_value> list;
      for (dom::element el : arr) {
        dom::element found;
        list.push_back(lookup(el, item_path, found) ? value_of(found) : event::field_value{});
      }
      list_pool.push_back(std::move(list));
      ev.extras[i] = event::field_value::of(std::span<const event::field_value>(list_pool.back()));
      continue;
    }
    dom::element found;
    bool hit = body.type == body_ref::kind::form ? lookup_form(root, item.path, found)
                                                 : lookup(root, item.path, found);
    if (hit) ev.extras[i] = value_of(found);
  }
  return simdjson::SUCCESS;
}

error_code normalizer::impl::compute_extras(event::event& ev) {
  ev.extras.assign(plan.items.size(), event::field_value{});
  bool wants[2] = {false, false};
  for (size_t i = 0; i < plan.items.size(); ++i) {
    const auto& item = plan.items[i];
    if (item.area == event::field_area::request_body) wants[0] = true;
    if (item.area == event::field_area::response_body) wants[1] = true;
    bool header = item.area == event::field_area::request_header ||
                  item.area == event::field_area::response_header;
    if (header && header_values[i].data() != nullptr) {
      ev.extras[i] = event::field_value::of(header_values[i]);
    }
  }
  for (int side = 0; side < 2; ++side) {
    if (wants[side] && !extras_in_one_pass(side, ev)) {
      if (auto e = extras_from_dom(side, ev)) return e;
    }
  }
  return simdjson::SUCCESS;
}

namespace {
/// Parser memory kept between records; a larger record's allocation is
/// given back before the next one (a few huge records must not pin
/// several times their size in each of a worker's parsers).
constexpr size_t keep_parser_bytes = big_record_bytes;

template <typename Parser>
void shrink(Parser& p, size_t max_depth) {
  if (p.capacity() <= keep_parser_bytes) return;
  p = Parser{};
  if (p.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, max_depth)) return;  // retried on parse
}

void shrink(std::string& s) {
  if (s.capacity() > keep_parser_bytes) std::string().swap(s);
}
}  // namespace

void normalizer::release_memory() { impl_->shrink_parsers(); }

void normalizer::impl::shrink_parsers() {
  for (od::parser* p : {&parser, &body_parser, &req_body_parser, &header_parsers[0],
                        &header_parsers[1], &extra_parsers[0], &extra_parsers[1]}) {
    shrink(*p, max_depth);
  }
  for (dom::parser* p : {&req_dom, &resp_dom, &small_dom}) shrink(*p, max_depth);
  for (std::string* b : {&resp_text_buf, &req_text_buf, &decoded_resp, &decoded_req, &jwt_buf}) {
    shrink(*b);
  }
}

namespace {
/// Every leaf of `root` as (dotted path, value), depth first in document
/// order, with an explicit stack: the DOM's depth limit bounds it.
void flatten(dom::element root, const std::string& name,
             std::vector<std::pair<std::string, std::string>>& out) {
  std::vector<std::pair<dom::element, std::string>> todo{{root, name}};
  while (!todo.empty()) {
    auto [el, prefix] = std::move(todo.back());
    todo.pop_back();
    dom::object obj;
    dom::array arr;
    size_t first = todo.size();
    if (!el.get_object().get(obj)) {
      for (auto [k, v] : obj) todo.emplace_back(v, prefix + "." + std::string(k));
    } else if (!el.get_array().get(arr)) {
      size_t i = 0;
      for (dom::element v : arr) todo.emplace_back(v, fmt::format("{}.{}", prefix, i++));
    } else {
      std::string_view s;
      std::string text = !el.get_string().get(s) ? std::string(s) : simdjson::minify(el);
      out.emplace_back(std::move(prefix), core::clip(text, 200));  // redacted before the cut
      continue;
    }
    std::reverse(todo.begin() + static_cast<std::ptrdiff_t>(first), todo.end());
  }
}
}  // namespace

std::vector<std::pair<std::string, std::string>> normalizer::flatten_last() {
  impl& m = *impl_;
  std::vector<std::pair<std::string, std::string>> out;
  const body_ref* bodies[2] = {&m.req_body, &m.resp_body};
  const char* names[2] = {"request.body", "response.body"};
  for (int side = 0; side < 2; ++side) {
    const body_ref& body = *bodies[side];
    std::string_view text;
    if (body.type == body_ref::kind::json || body.type == body_ref::kind::form) {
      text = m.raw_body(body);
    } else if (body.type == body_ref::kind::text) {
      text = m.body_text(body, side == 0 ? m.decoded_req : m.decoded_resp);
    }
    if (text.empty()) continue;
    dom::parser p;
    if (p.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, m.max_depth)) continue;
    dom::element root;
    if (error_code e = p.parse(text.data(), text.size(), true).get(root)) {
      if (e == simdjson::DEPTH_ERROR) {
        out.emplace_back(names[side], m.depth_reason);
        continue;
      }
      out.emplace_back(names[side], core::clip(text, 200) + "  (not JSON)");
      continue;
    }
    flatten(root, names[side], out);
  }
  return out;
}

}  // namespace analyzer::ingest
