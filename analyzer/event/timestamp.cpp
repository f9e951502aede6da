// SPDX-License-Identifier: MIT
#include "analyzer/event/timestamp.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"

namespace analyzer::event {

namespace {
using namespace std::chrono;

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<int64_t> days_from_date(int y, int m, int d) {
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                     day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

// Parses the zone suffix at s[pos...]: Z, +hh:mm, +hhmm, +hh, or nothing
// (taken as UTC). Returns the offset in minutes.
std::optional<int> parse_zone(std::string_view s, size_t pos) {
  if (pos == s.size()) return 0;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return 0;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos] == '-' ? -1 : 1;
  int hh = 0;
  int mm = 0;
  if (!digits(s, pos + 1, 2, hh)) return std::nullopt;
  size_t rest = pos + 3;
  if (rest < s.size() && s[rest] == ':') ++rest;
  if (rest < s.size() && !digits(s, rest, 2, mm)) return std::nullopt;
  if (rest < s.size() && rest + 2 != s.size()) return std::nullopt;
  if (hh > 23 || mm > 59) return std::nullopt;
  return sign * (hh * 60 + mm);
}
}  // namespace

std::optional<int64_t> epoch_to_ms(double v) {
  if (!std::isfinite(v) || v < 0) return std::nullopt;
  double ms = v < 1e11 ? v * 1000.0 : v < 1e14 ? v : v < 1e17 ? v / 1e3 : v / 1e6;
  // Checked in double before any conversion: 1e308 must not reach llround.
  if (!(ms < static_cast<double>(max_time_ms) + 0.5)) return std::nullopt;
  return static_cast<int64_t>(std::llround(ms));
}

namespace {
enum class parsed { ok, invalid, out_of_range };

parsed parse_time_checked(std::string_view s, int64_t& out) {
  s = core::trim(s);
  if (s.empty()) return parsed::invalid;
  if (s.size() < 19 || s[4] != '-') {  // not a date: perhaps epoch digits
    for (char c : s) {
      if ((c < '0' || c > '9') && c != '.') return parsed::invalid;
    }
    auto n = core::parse_number(s);
    if (!n) return parsed::invalid;
    auto ms = epoch_to_ms(*n);
    if (!ms) return parsed::out_of_range;
    out = *ms;
    return parsed::ok;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' ||
      !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se)) {
    return parsed::invalid;
  }
  if (h > 23 || mi > 59 || se > 60) return parsed::invalid;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int64_t scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return parsed::invalid;
  }
  auto zone = parse_zone(s, pos);
  auto days = days_from_date(y, mo, d);
  if (!zone || !days) return parsed::invalid;
  int64_t secs = *days * 86400 + h * 3600 + mi * 60 + se - *zone * 60;
  int64_t ms = secs * 1000 + frac_ms;
  if (!is_time(ms)) return parsed::out_of_range;  // year 0001, 1969-12-31
  out = ms;
  return parsed::ok;
}
}  // namespace

std::optional<int64_t> parse_time_text(std::string_view s) {
  int64_t ms = 0;
  if (parse_time_checked(s, ms) != parsed::ok) return std::nullopt;
  return ms;
}

std::optional<int64_t> parse_time_pattern(std::string_view s, std::string_view pattern) {
  static constexpr std::string_view months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  s = core::trim(s);
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, zone = 0;
  int64_t frac_ms = 0;
  size_t pos = 0;
  auto number = [&](size_t max, int& out) {
    if (pos < s.size() && s[pos] == ' ') ++pos;  // %e and space-padded fields
    size_t start = pos;
    int v = 0;
    while (pos < s.size() && pos - start < max && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos++] - '0');
    }
    out = v;
    return pos > start;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%' || i + 1 == pattern.size()) {
      if (pos >= s.size() || s[pos] != c) return std::nullopt;
      ++pos;
      continue;
    }
    char spec = pattern[++i];
    bool ok = true;
    switch (spec) {
      case 'Y': ok = number(4, y); break;
      case 'm': ok = number(2, mo); break;
      case 'd': case 'e': ok = number(2, d); break;
      case 'H': ok = number(2, h); break;
      case 'M': ok = number(2, mi); break;
      case 'S': ok = number(2, se); break;
      case 'f': {
        int64_t scale = 100;
        size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          frac_ms += (s[pos++] - '0') * scale;
          scale /= 10;
        }
        ok = pos > start;
        break;
      }
      case 'b': {
        ok = false;
        for (int m = 0; m < 12 && pos + 3 <= s.size(); ++m) {
          if (core::iequals(s.substr(pos, 3), months[m])) {
            mo = m + 1;
            pos += 3;
            ok = true;
            break;
          }
        }
        break;
      }
      case 'z': {
        size_t end = pos;
        while (end < s.size() && s[end] != ' ' && s[end] != ']') ++end;
        auto z = parse_zone(s.substr(0, end), pos);
        ok = z.has_value();
        if (ok) zone = *z;
        pos = end;
        break;
      }
      case '%': ok = pos < s.size() && s[pos++] == '%'; break;
      default: return std::nullopt;
    }
    if (!ok) return std::nullopt;
  }
  if (pos != s.size() || h > 23 || mi > 59 || se > 60) return std::nullopt;
  auto days = days_from_date(y, mo, d);
  if (!days) return std::nullopt;
  int64_t secs = *days * 86400 + h * 3600 + mi * 60 + se - zone * 60;
  int64_t ms = secs * 1000 + frac_ms;
  if (!is_time(ms)) return std::nullopt;  // years 1970-9999 only, as for every time
  return ms;
}

std::string format_time(int64_t ms) {
  if (!is_time(ms)) return fmt::format("<out of range: {} ms>", ms);
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t milli = ms - secs * 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                     static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), rem / 3600,
                     (rem / 60) % 60, rem % 60, milli);
}

std::optional<int64_t> parse_time_bound(std::string_view s, int64_t now_ms,
                                        std::string* why) {
  auto refuse = [&](const char* reason) -> std::optional<int64_t> {
    if (why != nullptr) *why = reason;
    return std::nullopt;
  };
  s = core::trim(s);
  if (s.empty()) return refuse("empty");
  static constexpr const char* out_of_range = "outside years 1970-9999";
  if (s.size() >= 2) {
    char unit = s.back();
    auto n = core::parse_number(s.substr(0, s.size() - 1));
    int64_t scale = unit == 's' ? 1000 : unit == 'm' ? 60000
                    : unit == 'h' ? 3600000 : unit == 'd' ? 86400000 : 0;
    if (n && scale != 0 && *n >= 0) {
      // In double first: 99999999999999999999d must not overflow int64.
      double at = static_cast<double>(now_ms) - *n * static_cast<double>(scale);
      if (!(at >= static_cast<double>(min_time_ms)) || at > static_cast<double>(max_time_ms)) {
        return refuse(out_of_range);
      }
      return static_cast<int64_t>(at);
    }
  }
  if (s.find_first_not_of("0123456789.") == std::string_view::npos) {
    return refuse("ambiguous");  // a bare number: seconds? an epoch? refuse it
  }
  int64_t ms = 0;
  switch (parse_time_checked(s, ms)) {
    case parsed::ok: return ms;
    case parsed::out_of_range: return refuse(out_of_range);
    case parsed::invalid: break;
  }
  return refuse("invalid");
}

}  // namespace analyzer::event
