// SPDX-License-Identifier: MIT
// The record pass: one ondemand walk over the record's keys in document
// order (any key order, any of the contract's shapes), reading only what
// every record needs. Failure-only work (auth evidence, rule extras) runs
// afterwards, in evidence.cpp.
#include <cstring>

#include "analyzer/core/text.hpp"
#include "analyzer/event/endpoint.hpp"
#include "analyzer/event/timestamp.hpp"
#include "analyzer/ingest/normalizer_impl.hpp"

namespace analyzer::ingest {

using event::field_area;

size_t required_padding() { return simdjson::SIMDJSON_PADDING; }

normalizer::impl::impl(const event::field_plan& p) : plan(p) {}

void normalizer::impl::reset() {
  authorization = {};
  has_authorization = false;
  request_header_count = 0;
  header_values.assign(plan.items.size(), std::string_view{});
  req_body = {};
  resp_body = {};
  headers_raw[0] = headers_raw[1] = {};
  env = {};
  ts_text = {};
  ts_number.reset();
  time_number.reset();
  har_entry = saw_request = saw_response = saw_error = false;
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
    if (!v.get_double().get(d)) return static_cast<int64_t>(d);
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
error_code read_time(od::value v, std::string_view& text,
                     std::optional<double>& number) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) return v.get_string().get(text);
  if (t == od::json_type::number) {
    double d = 0;
    if (auto e = v.get_double().get(d)) return e;
    number = d;
  }
  return simdjson::SUCCESS;
}

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

// The fields of one task object of a task query.
error_code scan_task(od::value v, task_fields& t) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
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
}  // namespace

bool is_failed_status(std::string_view status) {
  status = core::trim(status);
  return core::iequals(status, "failed") || core::iequals(status, "error");
}

error_code normalizer::impl::parse_record(od::object top, event::event& ev) {
  return for_each_member(top, [&](std::string_view key, od::value v) {
    if (key == "ts" || key == "timestamp" || key == "@timestamp" ||
        key == "startedDateTime") {
      har_entry = har_entry || key == "startedDateTime";
      return read_time(v, ts_text, ts_number);
    }
    if (key == "time") {
      std::string_view text;
      error_code e = read_time(v, text, time_number);
      if (!text.empty()) ts_text = text;
      return e;
    }
    if (key == "request") {
      saw_request = true;
      return parse_request(v, ev);
    }
    if (key == "response") {
      saw_response = true;
      return parse_response(v, ev);
    }
    if (key == "error" || key == "_error" || key == "_failureText") {
      saw_error = true;
      return read_error(v, ev.error);
    }
    if (key == "duration_ms" || key == "latency_ms" || key == "elapsed_ms" ||
        key == "duration") {
      double d = 0;
      if (!v.get_double().get(d)) ev.duration_ms = d;
    }
    return simdjson::SUCCESS;
  });
}

error_code normalizer::impl::parse_request(od::value v, event::event& ev) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    if (key == "method") {
      method_buf = core::to_upper(scalar_text(fv));
      ev.method = method_buf;
    } else if (key == "url" ||
               ((key == "path" || key == "uri") && ev.url.empty())) {
      ev.url = scalar_text(fv);
    } else if (key == "headers") {
      headers_raw[0] = raw_container(fv);
    } else if (key == "body" || key == "json") {
      return parse_body(fv, req_body, false, ev);
    } else if (key == "postData") {
      return parse_post_data(fv);
    }
    return simdjson::SUCCESS;
  });
}

error_code normalizer::impl::parse_response(od::value v, event::event& ev) {
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    if (key == "status" || key == "status_code" || key == "statusCode") {
      auto s = scalar_int(fv);
      if (s && *s > 0 && *s < 1000) ev.status = static_cast<int>(*s);
    } else if (key == "headers") {
      headers_raw[1] = raw_container(fv);
    } else if (key == "body") {
      return parse_body(fv, resp_body, true, ev);
    } else if (key == "content") {
      return parse_har_content(fv);
    } else if (key == "_error" || key == "_failureText" || key == "error") {
      return read_error(fv, ev.error);
    }
    return simdjson::SUCCESS;
  });
}

void normalizer::impl::load_headers() {
  static constexpr field_area areas[2] = {field_area::request_header,
                                          field_area::response_header};
  for (int side = 0; side < 2; ++side) {
    std::string_view raw = headers_raw[side];
    if (raw.empty()) continue;
    od::document hdoc;
    od::value v;
    auto cap = static_cast<size_t>(record_capacity_end - raw.data());
    if (header_parsers[side].iterate(raw.data(), raw.size(), cap).get(hdoc)) continue;
    if (hdoc.get_value().get(v)) continue;
    (void)parse_headers(v, areas[side]);  // a broken header list: keep what was read
  }
}

void normalizer::impl::on_header(std::string_view name, std::string_view value,
                                 field_area area) {
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

error_code normalizer::impl::parse_har_content(od::value v) {
  resp_body.limit = record.data() + record.size();
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    std::string_view s;
    if (key == "text" && !fv.get_string().get(s)) {
      resp_body.type = body_ref::kind::text;
      resp_body.text = s;
    } else if (key == "encoding") {
      resp_body.base64 = scalar_text(fv) == "base64";
    }
    return simdjson::SUCCESS;
  });
}

error_code normalizer::impl::parse_post_data(od::value v) {
  req_body.limit = record.data() + record.size();
  return for_each_member(v, [&](std::string_view key, od::value fv) {
    std::string_view s;
    if (key == "text" && !fv.get_string().get(s) && !s.empty()) {
      req_body.type = body_ref::kind::text;  // `content: omit` leaves ""
      req_body.text = s;
    } else if (key == "params" && req_body.type == body_ref::kind::none) {
      std::string_view raw = raw_container(fv);
      if (raw.size() > 2 && raw.front() == '[') {  // a non-empty list
        req_body.type = body_ref::kind::form;
        req_body.begin = raw.data();
        req_body.end = raw.data() + raw.size();
      }
    }
    return simdjson::SUCCESS;
  });
}

error_code normalizer::impl::scan_request_body(od::object obj,
                                               event::event& ev) {
  return for_each_member(obj, [&](std::string_view key, od::value fv) {
    if (key == "model_name" || (key == "model" && ev.model.empty())) {
      ev.model = scalar_text(fv);
    }
    return simdjson::SUCCESS;
  });
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
    bool first = true;
    for (auto item : tasks) {
      od::value iv;
      if (auto e = item.get(iv)) return e;
      task_fields t;
      if (auto e = scan_task(iv, t)) return e;
      bool failed = is_failed_status(t.status);
      if (first || failed) keep(t);
      first = false;
      if (failed) break;
    }
    return simdjson::SUCCESS;
  }
  task_fields t;
  error_code e = scan_task(v, t);
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

normalizer::normalizer(const event::field_plan& plan)
    : impl_(std::make_unique<impl>(plan)) {}
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
  std::vector<event::field_value> extras = std::move(ev.extras);
  ev = event::event{};
  ev.source = source;
  ev.line = line;
  ev.entry = entry;
  extras.clear();
  ev.extras = std::move(extras);
}
}  // namespace

void normalizer::normalize(std::string_view text, size_t capacity,
                           event::event& ev) {
  impl& m = *impl_;
  clear_event(ev);
  m.reset();
  m.record = text;
  m.record_capacity_end = text.data() + capacity;
  od::document doc;
  m.doc = &doc;
  error_code e = m.parser.iterate(text.data(), text.size(), capacity).get(doc);
  od::object top;
  char first = text.empty() ? ' ' : text.front();
  if (first != '{' && e != simdjson::UTF8_ERROR) {
    std::string_view t = core::trim(text);
    bool scalar = t == "true" || t == "false" || t == "null" ||
                  core::parse_number(t).has_value();
    return set_malformed(ev, first == '[' ? "a JSON array, not an object"
                             : first == '"' ? "a JSON string, not an object"
                             : scalar       ? "a JSON scalar, not an object"
                                            : "not JSON: a line of plain text");
  }
  if (!e) e = doc.get_object().get(top);
  if (!e) e = m.parse_record(top, ev);
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
    return normalize(m.utf8_buf, m.utf8_buf.capacity(), ev);
  }
  if (e) return set_malformed(ev, simdjson::error_message(e));
  if (!m.saw_request && !m.saw_response && !m.saw_error) {
    return set_malformed(ev, "not a logged call: no request, response or error");
  }
  m.finish(ev);
}

void normalizer::normalize_copy(std::string_view text, event::event& ev) {
  impl_->copy_buf.assign(text);
  impl_->copy_buf.reserve(text.size() + required_padding());
  std::string_view view(impl_->copy_buf.data(), text.size());
  normalize(view, impl_->copy_buf.capacity(), ev);
}

void normalizer::impl::finish(event::event& ev) {
  // Time: `time` is the call's duration in a HAR entry, a timestamp else.
  if (har_entry && time_number) {
    if (*time_number >= 0) ev.duration_ms = *time_number;
  } else if (!ts_number && time_number) {
    ts_number = time_number;
  }
  if (!ts_text.empty()) ev.ts_ms = event::parse_time_text(ts_text);
  if (!ev.ts_ms && ts_number) ev.ts_ms = event::epoch_to_ms(*ts_number);

  auto parts = event::split_url(ev.url);
  ev.host = parts.host;
  event::fold_ids(parts.path, endpoint_buf);
  ev.endpoint = endpoint_buf;

  analyze_text_bodies(ev);
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
  if (ev.result != event::outcome::failure) return;
  load_headers();
  ev.request_headers_logged = request_header_count > 0;
  compute_message(ev);
  compute_auth(ev);
  ev.request_body_json_valid = body_json_valid();
  compute_extras(ev);
}

}  // namespace analyzer::ingest
