// SPDX-License-Identifier: MIT
#pragma once
/// Times are milliseconds since the Unix epoch, UTC, as int64. Only years
/// 1970 to 9999 are times: anything outside is "no time" (a record keeps
/// its other fields), so every time the engine holds can be formatted and
/// subtracted without overflow.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace analyzer::event {

/// The first and last millisecond that are times (1970-01-01T00:00:00.000Z
/// and 9999-12-31T23:59:59.999Z).
inline constexpr int64_t min_time_ms = 0;
inline constexpr int64_t max_time_ms = 253402300799999;
constexpr bool is_time(int64_t ms) { return ms >= min_time_ms && ms <= max_time_ms; }

/// Parses RFC 3339 / ISO 8601 text (`2026-11-24T03:12:45.123Z`,
/// `2026-11-24 03:12:45+08:00`, fractional seconds of any length) or a
/// string of digits holding an epoch. Returns nullopt when it is neither,
/// or when it is outside years 1970-9999.
std::optional<int64_t> parse_time_text(std::string_view s);

/// Interprets a number as an epoch: seconds, or milliseconds /
/// microseconds / nanoseconds when it is too large to be seconds. Nullopt
/// for negative, non-finite or out-of-range values.
std::optional<int64_t> epoch_to_ms(double v);

/// Parses text written with a strftime-like pattern: %Y %m %d %H %M %S,
/// %f (fraction digits, any count), %z (Z, +hh:mm, +hhmm), %b (Jan..Dec),
/// %e (day, space-padded), %% and literal characters; no zone means UTC.
std::optional<int64_t> parse_time_pattern(std::string_view s, std::string_view pattern);

/// Formats as RFC 3339 UTC with milliseconds: `2026-11-24T03:12:45.123Z`.
/// `ms` must satisfy is_time(); anything else is written as
/// `<out of range: N ms>`.
std::string format_time(int64_t ms);

/// Parses `--since/--until` values: RFC 3339, or a duration before `now_ms`
/// such as `30m`, `24h`, `7d`, `90s`. Nullopt for anything else, an empty
/// text, or a time outside years 1970-9999; `why` (when given) then says
/// which.
std::optional<int64_t> parse_time_bound(std::string_view s, int64_t now_ms,
                                        std::string* why = nullptr);

}  // namespace analyzer::event
