// SPDX-License-Identifier: MIT
// Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date in
// any of the three forms a recipient must accept (section 5.6.7).
#include <cmath>

#include "analyzer/audit/identity.hpp"
#include "analyzer/core/text.hpp"

namespace analyzer::audit {

namespace {

constexpr int64_t max_delay_s = int64_t{10} * 366 * 86400;  // ten years

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in(int64_t y, unsigned m) {
  static constexpr unsigned n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : n[m - 1];
}

class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  void spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool lit(char c) {
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  std::string_view word() {
    size_t b = i_;
    while (i_ < s_.size() && ((s_[i_] | 0x20) >= 'a' && (s_[i_] | 0x20) <= 'z')) ++i_;
    return s_.substr(b, i_ - b);
  }
  /// 1 to `max` digits; returns their count (0: none).
  int number(int max, int64_t& v) {
    v = 0;
    int n = 0;
    while (n < max && i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      v = v * 10 + (s_[i_++] - '0');
      ++n;
    }
    return n;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int month_of(std::string_view w) {
  static constexpr std::string_view names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() != 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (core::iequals(w, names[i])) return i + 1;
  }
  return 0;
}

bool is_day_name(std::string_view w) {
  static constexpr std::string_view names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static constexpr std::string_view longs[] = {"monday", "tuesday", "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  for (auto n : names) {
    if (core::iequals(w, n)) return true;
  }
  for (auto n : longs) {
    if (core::iequals(w, n)) return true;
  }
  return false;
}

bool clock(cursor& c, int64_t& h, int64_t& m, int64_t& s) {
  return c.number(2, h) == 2 && c.lit(':') && c.number(2, m) == 2 && c.lit(':') &&
         c.number(2, s) == 2 && h < 24 && m < 60 && s <= 60;
}

std::optional<int64_t> assemble(int64_t y, int64_t mon, int64_t d, int64_t h, int64_t mi,
                                int64_t s) {
  if (mon < 1 || mon > 12 || d < 1 || y < 1 || y > 9999) return std::nullopt;
  if (d > days_in(y, static_cast<unsigned>(mon))) return std::nullopt;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mon), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000;
}

/// `06 Nov 1994 08:49:37 GMT` and `06-Nov-94 08:49:37 GMT`.
std::optional<int64_t> day_first(cursor& c) {
  int64_t d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (c.number(2, d) == 0) return std::nullopt;
  bool dashed = c.lit('-');
  if (!dashed) c.spaces();
  int mon = month_of(c.word());
  if (mon == 0 || !(dashed ? c.lit('-') : (c.spaces(), true))) return std::nullopt;
  int digits = c.number(4, y);
  if (digits == 2) {
    y += y < 70 ? 2000 : 1900;  // RFC 850's two-digit years
  } else if (digits != 4) {
    return std::nullopt;
  }
  c.spaces();
  if (!clock(c, h, mi, s)) return std::nullopt;
  c.spaces();
  auto zone = c.word();
  if (!core::iequals(zone, "GMT") && !core::iequals(zone, "UTC")) return std::nullopt;
  c.spaces();
  if (!c.done()) return std::nullopt;
  return assemble(y, mon, d, h, mi, s);
}

/// asctime: `Nov  6 08:49:37 1994`.
std::optional<int64_t> month_first(cursor& c, int mon) {
  int64_t d = 0, y = 0, h = 0, mi = 0, s = 0;
  c.spaces();
  if (c.number(2, d) == 0) return std::nullopt;
  c.spaces();
  if (!clock(c, h, mi, s)) return std::nullopt;
  c.spaces();
  if (c.number(4, y) != 4) return std::nullopt;
  c.spaces();
  if (!c.done()) return std::nullopt;
  return assemble(y, mon, d, h, mi, s);
}

}  // namespace

std::optional<int64_t> parse_http_date(std::string_view value) {
  cursor c(core::trim(value));
  auto w = c.word();
  if (!w.empty()) {
    if (int mon = month_of(w); mon != 0 && !is_day_name(w)) return month_first(c, mon);
    if (!is_day_name(w)) return std::nullopt;
    c.lit(',');
    c.spaces();
    cursor probe = c;
    if (int mon = month_of(probe.word()); mon != 0) return month_first(probe, mon);
  }
  return day_first(c);
}

std::optional<retry_after> parse_retry_after(std::string_view value) {
  std::string_view v = core::trim(value);
  if (v.empty()) return std::nullopt;
  if (v.front() >= '0' && v.front() <= '9') {
    int64_t whole = 0;
    size_t i = 0;
    for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) {
      whole = whole * 10 + (v[i] - '0');
      if (whole > max_delay_s) return std::nullopt;
    }
    int64_t frac_ms = 0;
    if (i < v.size() && v[i] == '.') {
      ++i;
      int64_t scale = 100;
      size_t digits = 0;
      for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i, ++digits) {
        frac_ms += (v[i] - '0') * scale;
        scale /= 10;
      }
      if (digits == 0) return std::nullopt;
    }
    if (i != v.size()) return std::nullopt;
    return retry_after{false, whole * 1000 + frac_ms};
  }
  if (auto t = parse_http_date(v)) return retry_after{true, *t};
  return std::nullopt;
}

bool is_retry_after_header(std::string_view name) {
  return core::iequals(core::trim(name), "retry-after");
}

int64_t retry_deadline(const retry_after& ra, int64_t ts_ms, int64_t duration_ms) {
  return ra.is_date ? ra.ms : ts_ms + duration_ms + ra.ms;
}

}  // namespace analyzer::audit
