// SPDX-License-Identifier: MIT
// event/timestamp: RFC 3339 and epoch parsing, formatting, --since/--until.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>

#include "analyzer/event/timestamp.hpp"

namespace bdata = boost::unit_test::data;
using analyzer::event::epoch_to_ms;
using analyzer::event::format_time;
using analyzer::event::parse_time_bound;
using analyzer::event::parse_time_text;

namespace {

// 2026-11-24T03:12:45Z, the contract's example time.
constexpr int64_t example_s = 1795489965;
constexpr int64_t example_ms = example_s * 1000;

struct text_case {
  const char* text;
  int64_t ms;
};
std::ostream& operator<<(std::ostream& os, const text_case& c) {
  return os << '"' << c.text << '"';
}

const text_case valid_texts[] = {
    {"2026-11-24T03:12:45Z", example_ms},
    {"2026-11-24T03:12:45.123Z", example_ms + 123},
    {"2026-11-24T03:12:45.1Z", example_ms + 100},
    {"2026-11-24T03:12:45.12Z", example_ms + 120},
    {"2026-11-24T03:12:45.000Z", example_ms},
    {"2026-11-24T03:12:45.123456Z", example_ms + 123},     // micro: truncated
    {"2026-11-24T03:12:45.123999999Z", example_ms + 123},  // nano: truncated
    {"2026-11-24T03:12:45+00:00", example_ms},
    {"2026-11-24T03:12:45-00:00", example_ms},
    {"2026-11-24T11:12:45+08:00", example_ms},
    {"2026-11-24T11:12:45+0800", example_ms},
    {"2026-11-24T11:12:45+08", example_ms},
    {"2026-11-23T21:42:45-05:30", example_ms},
    {"2026-11-24T11:12:45.5+08:00", example_ms + 500},
    {"2026-11-24 03:12:45Z", example_ms},           // space separator
    {"2026-11-24 11:12:45.250+08:00", example_ms + 250},
    {"2026-11-24t03:12:45z", example_ms},           // RFC 3339 allows lower case
    {"2026-11-24T03:12:45", example_ms},            // no zone: UTC
    {"  2026-11-24T03:12:45Z  ", example_ms},       // surrounding blanks
    {"1970-01-01T00:00:00Z", 0},
    {"2024-02-29T12:00:00Z", 1709208000000},        // leap day
    {"1999-12-31T23:59:59Z", 946684799000},
    {"2038-01-19T03:14:08Z", 2147483648000},        // past 32-bit seconds
    // Epochs written as digit strings.
    {"1795489965", example_ms},                     // seconds
    {"1795489965123", example_ms + 123},            // milliseconds
    {"1795489965.5", example_ms + 500},             // fractional seconds
    {"1795489965123456", example_ms + 123},         // microseconds
};

const char* const invalid_texts[] = {
    "",
    "   ",
    "yesterday",
    "2026-11-24",              // a date without a time
    "2026-11-24T03:12Z",       // no seconds
    "2026-13-01T00:00:00Z",    // month 13
    "2026-02-30T00:00:00Z",    // no such day
    "2025-02-29T00:00:00Z",    // not a leap year
    "2026-11-24T24:00:00Z",    // hour 24
    "2026-11-24T03:60:00Z",    // minute 60
    "2026-11-24T03:12:45.Z",   // a dot without digits
    "2026-11-24T03:12:45+8",   // one-digit offset
    "2026-11-24T03:12:45Zjunk",
    "2026-11-24T03:12:45 UTC",
    "2026/11/24 03:12:45",
    "24/11/2026 03:12:45",
    "Tue, 24 Nov 2026 03:12:45 GMT",
    "-1795489965",
    "0x6b",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(timestamp_test)

BOOST_DATA_TEST_CASE(parses_rfc3339_and_epoch_text, bdata::make(valid_texts),
                     c) {
  std::optional<int64_t> got = parse_time_text(c.text);
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(*got == c.ms);
}

BOOST_DATA_TEST_CASE(rejects_invalid_text, bdata::make(invalid_texts), text) {
  std::optional<int64_t> got = parse_time_text(text);
  BOOST_TEST(!got.has_value(), "parsed \"" << text << "\" as " << got.value_or(0));
}

BOOST_AUTO_TEST_CASE(epoch_numbers_seconds_and_milliseconds) {
  BOOST_TEST(epoch_to_ms(1795489965.0).value_or(-1) == example_ms);
  BOOST_TEST(epoch_to_ms(1795489965.123).value_or(-1) == example_ms + 123);
  BOOST_TEST(epoch_to_ms(1795489965123.0).value_or(-1) == example_ms + 123);
  BOOST_TEST(epoch_to_ms(1795489965123456.0).value_or(-1) == example_ms + 123);
  BOOST_TEST(epoch_to_ms(1795489965123456789.0).value_or(-1) ==
             example_ms + 123);
  BOOST_TEST(epoch_to_ms(0.0).value_or(-1) == 0);
  BOOST_TEST(epoch_to_ms(1.5).value_or(-1) == 1500);
}

BOOST_AUTO_TEST_CASE(epoch_numbers_negative_or_not_finite_are_refused) {
  BOOST_TEST(!epoch_to_ms(-1.0).has_value());
  BOOST_TEST(!epoch_to_ms(std::numeric_limits<double>::infinity()).has_value());
  BOOST_TEST(!epoch_to_ms(std::numeric_limits<double>::quiet_NaN()).has_value());
}

BOOST_AUTO_TEST_CASE(format_time_writes_utc_with_milliseconds) {
  BOOST_TEST(format_time(example_ms + 123) == "2026-11-24T03:12:45.123Z");
  BOOST_TEST(format_time(example_ms) == "2026-11-24T03:12:45.000Z");
  BOOST_TEST(format_time(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(format_time(1709208000007) == "2024-02-29T12:00:00.007Z");
  BOOST_TEST(format_time(253402300799999) == "9999-12-31T23:59:59.999Z");
}

// Years outside 1970-9999 are not times: `"ts": 1e308` once became
// window.first = -6911-07-11T31:12:54Z (and undefined float-to-int).
BOOST_AUTO_TEST_CASE(times_outside_1970_to_9999_are_not_times) {
  BOOST_TEST(!epoch_to_ms(1e308).has_value());
  BOOST_TEST(!epoch_to_ms(1e21).has_value());  // as nanoseconds: year 33658
  BOOST_TEST(!epoch_to_ms(253402300800.0 * 1000 * 1000 * 1000).has_value());
  BOOST_TEST(epoch_to_ms(99999999999.0).value_or(-1) == 99999999999000);  // seconds, year 5138
  BOOST_TEST(!analyzer::event::parse_time_text("1969-12-31T23:59:59Z").has_value());
  BOOST_TEST(!analyzer::event::parse_time_text("1970-01-01T00:30:00+01:00").has_value());
  BOOST_TEST(!analyzer::event::parse_time_text("0001-01-01T00:00:00Z").has_value());
  BOOST_TEST(!analyzer::event::parse_time_text("9999-12-31T23:59:59-01:00").has_value());
  BOOST_TEST(!analyzer::event::parse_time_text("2026-11-24T03:12:45+99:00").has_value());
  BOOST_TEST(!analyzer::event::parse_time_text("999999999999999999999").has_value());
  BOOST_TEST(analyzer::event::parse_time_text("9999-12-31T23:59:59.999Z").value_or(-1) ==
             253402300799999);
  // Out-of-range values are never formatted as dates.
  BOOST_TEST(format_time(-1) == "<out of range: -1 ms>");
  BOOST_TEST(format_time(INT64_MAX) == "<out of range: 9223372036854775807 ms>");
}

const int64_t round_trip_values[] = {
    0, 1, 999, 1000, 59999, 86399999, 946684799000, 951782400000,
    1709208000000, example_ms, example_ms + 1, example_ms + 999,
    2147483648000, 4102444799999 /* 2099-12-31T23:59:59.999Z */};

BOOST_DATA_TEST_CASE(format_time_round_trips, bdata::make(round_trip_values),
                     ms) {
  std::string text = format_time(ms);
  std::optional<int64_t> back = parse_time_text(text);
  BOOST_TEST_REQUIRE(back.has_value(), text);
  BOOST_TEST(*back == ms, text);
}

struct bound_case {
  const char* text;
  int64_t ms;
};
std::ostream& operator<<(std::ostream& os, const bound_case& c) {
  return os << '"' << c.text << '"';
}

const bound_case bounds[] = {
    {"30m", example_ms - 30 * 60000},
    {"24h", example_ms - 24 * 3600000LL},
    {"7d", example_ms - 7 * 86400000LL},
    {"90s", example_ms - 90000},
    {"1.5h", example_ms - 5400000},
    {"0m", example_ms},
    {" 24h ", example_ms - 24 * 3600000LL},
    {"2026-11-24T00:00:00Z", 1795478400000},
    {"2026-11-24T08:00:00+08:00", 1795478400000},
    {"2026-11-24 03:12:45.500Z", example_ms + 500},
};

BOOST_DATA_TEST_CASE(parse_time_bound_relative_and_absolute,
                     bdata::make(bounds), c) {
  std::optional<int64_t> got = parse_time_bound(c.text, example_ms);
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(*got == c.ms);
}

// `--since 99999999999999999999d` overflowed and silently kept everything;
// `--since ""` was accepted as no bound.
BOOST_AUTO_TEST_CASE(parse_time_bound_says_why_it_refuses) {
  std::string why;
  BOOST_TEST(!parse_time_bound("99999999999999999999d", example_ms, &why).has_value());
  BOOST_TEST(why == "outside years 1970-9999");
  BOOST_TEST(!parse_time_bound("60000d", example_ms, &why).has_value());
  BOOST_TEST(why == "outside years 1970-9999");
  BOOST_TEST(!parse_time_bound("1969-07-20T20:17:00Z", example_ms, &why).has_value());
  BOOST_TEST(why == "outside years 1970-9999");
  BOOST_TEST(!parse_time_bound("", example_ms, &why).has_value());
  BOOST_TEST(why == "empty");
  BOOST_TEST(!parse_time_bound("1e400d", example_ms, &why).has_value());
  BOOST_TEST(!parse_time_bound("soon", example_ms, &why).has_value());
  BOOST_TEST(why == "invalid");
}

BOOST_AUTO_TEST_CASE(parse_time_bound_refuses_garbage) {
  for (const char* text : {"", "h", "24", "24x", "-5m", "soon", "m30",
                           "2026-11-24T03:12Z"}) {
    std::optional<int64_t> got = parse_time_bound(text, example_ms);
    BOOST_TEST(!got.has_value(), "accepted \"" << text << "\"");
  }
}

BOOST_AUTO_TEST_SUITE_END()
