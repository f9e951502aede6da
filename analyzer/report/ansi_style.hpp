// SPDX-License-Identifier: MIT
#pragma once
/// report/ansi_style: the colours of the terminal formats (the text report
/// and the text diff). Off, every function returns its text unchanged.

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace analyzer::report {

struct ansi_style {
  bool on = false;
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string wrap(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
};

}  // namespace analyzer::report
