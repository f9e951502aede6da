// SPDX-License-Identifier: MIT
// What the diff's writers share: names, numbers as text, the headline.
#include <cmath>
#include <fmt/format.h>

#include "analyzer/report/diff.hpp"
#include "analyzer/report/report_text.hpp"

namespace analyzer::report {

namespace {
constexpr std::string_view state_names[] = {"new", "regressed", "improved", "gone", "unchanged"};
constexpr std::string_view dimension_names[] = {"causes", "categories", "endpoints",
                                                "models", "statuses",   "codes"};
}  // namespace

std::string_view name_of(diff_state s) { return state_names[static_cast<size_t>(s)]; }

std::optional<diff_state> diff_state_named(std::string_view text) {
  for (size_t i = 0; i < std::size(state_names); ++i) {
    if (state_names[i] == text) return static_cast<diff_state>(i);
  }
  return std::nullopt;
}

std::string_view name_of(diff_dimension d) { return dimension_names[static_cast<size_t>(d)]; }

size_t diff_result::count(diff_dimension d, diff_state s) const {
  size_t n = 0;
  for (const auto& r : rows(d)) n += r.state == s ? 1 : 0;
  return n;
}

std::string ratio_text(const std::optional<double>& ratio, int64_t base_count) {
  if (!ratio) return base_count == 0 ? "×∞" : "-";
  if (*ratio == 0) return "×0";
  if (*ratio >= 10) return fmt::format("×{:.0f}", *ratio);
  return fmt::format("×{:.2f}", *ratio);
}

std::string rate_text(double rate) {
  double pct = rate * 100;
  if (pct == 0) return "0%";
  if (pct >= 10) return fmt::format("{:.1f}%", pct);
  if (pct >= 0.1) return fmt::format("{:.2f}%", pct);
  return fmt::format("{:.3f}%", pct);
}

/// "category auth", "endpoint POST /v1/…", "status 429", "no response".
std::string diff_key_label(diff_dimension dim, const std::string& id) {
  switch (dim) {
    case diff_dimension::categories: return "category " + id;
    case diff_dimension::endpoints: return "endpoint " + log_text(id);
    case diff_dimension::models: return "model " + log_text(id);
    case diff_dimension::statuses: return id == "0" ? std::string("no response") : "status " + id;
    case diff_dimension::codes: return "code " + id;
    case diff_dimension::causes: break;
  }
  return id;
}

std::string diff_headline(const diff_result& d) {
  using D = diff_dimension;
  std::string out;
  auto part = [&](size_t n, std::string_view what) {
    if (n == 0) return;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, what);
  };
  size_t news = d.count(D::causes, diff_state::new_);
  part(news, news == 1 ? "new cause" : "new causes");
  part(d.count(D::causes, diff_state::regressed), "regressed");
  part(d.count(D::causes, diff_state::improved), "improved");
  part(d.count(D::causes, diff_state::gone), "gone");
  if (out.empty()) out = "no cause changed beyond noise";
  out += fmt::format("; failure rate {} → {} ({})", rate_text(d.base.failure_rate()),
                     rate_text(d.current.failure_rate()),
                     ratio_text(d.failure_rate_ratio, d.base.failures));
  return out;
}

}  // namespace analyzer::report
