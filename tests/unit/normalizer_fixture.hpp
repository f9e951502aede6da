// SPDX-License-Identifier: MIT
#pragma once
/// The normalizer fixture shared by normalizer_test and evidence_test: a
/// field plan declared up front, a normalizer, and field reads by the
/// names rules use.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "analyzer/event/event.hpp"
#include "analyzer/event/field.hpp"
#include "analyzer/ingest/normalizer.hpp"
#include "test_support.hpp"

namespace test_support {

// 2026-11-24T03:12:45Z
inline constexpr int64_t now_s = 1795489965;
inline constexpr int64_t now_ms = now_s * 1000;

/// A normalizer with a field plan: declare the extra fields first, then
/// run records and read fields by the names rules use.
struct norm_fixture {
  event::field_plan plan;
  std::unique_ptr<ingest::normalizer> norm;
  event::event ev;

  void declare(std::initializer_list<std::string_view> names) {
    BOOST_REQUIRE(!norm);
    for (auto n : names) BOOST_REQUIRE(event::resolve_field(n, plan));
  }

  const event::event& run(std::string_view text) {
    if (!norm) norm = std::make_unique<ingest::normalizer>(plan);
    norm->normalize_copy(text, ev);
    return ev;
  }

  /// A field's value as text: "(absent)", "true"/"false", a number, or
  /// the text itself.
  std::string field(std::string_view name) {
    size_t before = plan.items.size();
    auto ref = event::resolve_field(name, plan);
    BOOST_REQUIRE_MESSAGE(ref, "unknown field " << name);
    BOOST_REQUIRE_MESSAGE(plan.items.size() == before,
                          name << " was not declared before the run");
    return show(event::get_field(ev, *ref));
  }

  static std::string show(const event::field_value& v) {
    using k = event::field_value::kind;
    switch (v.type) {
      case k::absent: return "(absent)";
      case k::boolean: return v.boolean ? "true" : "false";
      case k::number: {
        if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) {
          return std::to_string(static_cast<int64_t>(v.number));
        }
        std::ostringstream os;
        os.precision(17);
        os << v.number;
        return os.str();
      }
      case k::text: return std::string(v.text);
      case k::list: {
        std::string out = "[";
        for (const auto& item : v.items) out += (out.size() > 1 ? ", " : "") + show(item);
        return out + "]";
      }
    }
    return "?";
  }
};

/// A 401 failure whose Authorization header is `auth` (JSON-escaped
/// already), logged at `ts`.
inline std::string with_auth(const std::string& auth,
                      const std::string& ts = "\"2026-11-24T03:12:45Z\"") {
  return R"({"ts": )" + ts +
         R"(, "request": {"method": "POST", "url": "https://api-singapore.klingai.com/v1/videos/text2video", "headers": {"Authorization": ")" +
         auth +
         R"(", "Content-Type": "application/json"}, "body": {"prompt": "a fox"}}, "response": {"status": 401, "body": {"code": 1004, "message": "Authorization has expired"}}})";
}

inline std::string jwt_with(int64_t exp_delta, int64_t nbf_delta) {
  return make_jwt(R"({"iss":"ak-test","exp":)" +
                  std::to_string(now_s + exp_delta) + R"(,"nbf":)" +
                  std::to_string(now_s + nbf_delta) + "}");
}

}  // namespace test_support
