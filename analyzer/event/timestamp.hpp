// SPDX-License-Identifier: MIT
#pragma once
/// Times are milliseconds since the Unix epoch, UTC, as int64.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace analyzer::event {

/// Parses RFC 3339 / ISO 8601 text (`2026-11-24T03:12:45.123Z`,
/// `2026-11-24 03:12:45+08:00`, fractional seconds of any length) or a
/// string of digits holding an epoch. Returns nullopt when it is neither.
std::optional<int64_t> parse_time_text(std::string_view s);

/// Interprets a number as an epoch: seconds, or milliseconds /
/// microseconds / nanoseconds when it is too large to be seconds.
std::optional<int64_t> epoch_to_ms(double v);

/// Parses text written with a strftime-like pattern: %Y %m %d %H %M %S,
/// %f (fraction digits, any count), %z (Z, +hh:mm, +hhmm), %b (Jan..Dec),
/// %e (day, space-padded), %% and literal characters; no zone means UTC.
std::optional<int64_t> parse_time_pattern(std::string_view s, std::string_view pattern);

/// Formats as RFC 3339 UTC with milliseconds: `2026-11-24T03:12:45.123Z`.
std::string format_time(int64_t ms);

/// Parses `--since/--until` values: RFC 3339, or a duration before `now_ms`
/// such as `30m`, `24h`, `7d`, `90s`.
std::optional<int64_t> parse_time_bound(std::string_view s, int64_t now_ms);

}  // namespace analyzer::event
