// SPDX-License-Identifier: MIT
#include "analyzer/audit/detector_texts.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fmt/format.h>

namespace analyzer::audit {

std::string_view embedded_detectors_yaml();  // generated at build time

namespace {

constexpr std::string_view placeholders[] = {
    "waited", "told", "gap", "calls", "interval", "idle", "cause",
    "poll_min", "grace", "retry_window", "duplicate_window"};

class loader {
 public:
  loader(std::string_view name, std::string_view text, core::diagnostics& problems)
      : name_(name), lines_(split(text)), problems_(problems) {}

  void problem(const YAML::Mark& m, std::string message, std::string help = {}) {
    core::diagnostic d;
    d.message = std::move(message);
    d.where.file = std::string(name_);
    if (m.line >= 0) {
      d.where.line = m.line + 1;
      d.where.column = m.column + 1;
      if (static_cast<size_t>(m.line) < lines_.size()) d.snippet = lines_[static_cast<size_t>(m.line)];
    }
    d.help = std::move(help);
    problems_.push_back(std::move(d));
  }

  /// Every `{name}` in a text must be a known placeholder.
  void check_placeholders(const YAML::Node& n, const std::string& text) {
    size_t i = 0;
    while ((i = text.find('{', i)) != std::string::npos) {
      size_t j = text.find('}', i);
      if (j == std::string::npos) {
        problem(n.Mark(), "a `{` without its `}`");
        return;
      }
      std::string_view name(text.data() + i + 1, j - i - 1);
      if (!known_placeholder(name)) {
        problem(n.Mark(), fmt::format("unknown placeholder `{{{}}}`", name),
                "the placeholders are listed at the top of rules/audit/detectors.yaml");
      }
      i = j + 1;
    }
  }

  std::string text(const YAML::Node& map, const char* key, bool placeholders_ok) {
    YAML::Node v = map[key];
    if (!v || !v.IsScalar() || v.Scalar().empty()) {
      problem(v ? v.Mark() : map.Mark(), fmt::format("`{}` must be a non-empty text", key));
      return {};
    }
    if (placeholders_ok) check_placeholders(v, v.Scalar());
    return v.Scalar();
  }

  void detector_entry(const YAML::Node& n, detector_texts& out, std::array<bool, detector_count>& seen) {
    if (!n.IsMap()) {
      problem(n.Mark(), "each detector must be a map");
      return;
    }
    for (const auto& kv : n) {
      auto key = kv.first.Scalar();
      if (key != "id" && key != "title" && key != "description" && key != "fix") {
        problem(kv.first.Mark(), fmt::format("unknown key `{}` in a detector", key),
                "the keys are id, title, description and fix");
      }
    }
    auto id_node = n["id"];
    auto id = id_node && id_node.IsScalar() ? detector_named(id_node.Scalar()) : std::nullopt;
    if (!id) {
      problem(id_node ? id_node.Mark() : n.Mark(), "`id` must name one of the contract's six detectors",
              "retry_non_retryable, retry_after_ignored, no_backoff, poll_too_fast, orphaned_task, "
              "duplicate_submission");
      return;
    }
    auto i = static_cast<size_t>(*id);
    if (seen[i]) problem(id_node.Mark(), fmt::format("detector `{}` is given twice", name_of(*id)));
    seen[i] = true;
    detector_text& t = out.detectors[i];
    t.id = *id;
    t.title = text(n, "title", false);
    t.description = text(n, "description", true);
    t.fix = text(n, "fix", true);
  }

  detector_texts load(std::string_view text) {
    detector_texts out;
    for (size_t i = 0; i < detector_count; ++i) out.detectors[i].id = static_cast<detector>(i);
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      problem(e.mark, "invalid YAML: " + e.msg);
      return out;
    }
    if (!root.IsMap() || !root["detectors"] || !root["detectors"].IsSequence()) {
      problem(root.Mark(), "a detector file must be a map with a `detectors:` list");
      return out;
    }
    for (const auto& kv : root) {
      auto key = kv.first.Scalar();
      if (key != "detectors" && key != "in_flight_against") {
        problem(kv.first.Mark(), fmt::format("unknown key `{}`", key));
      }
    }
    std::array<bool, detector_count> seen{};
    for (const auto& n : root["detectors"]) detector_entry(n, out, seen);
    for (size_t i = 0; i < detector_count; ++i) {
      if (!seen[i]) {
        problem(root["detectors"].Mark(),
                fmt::format("detector `{}` is missing", name_of(static_cast<detector>(i))));
      }
    }
    if (auto list = root["in_flight_against"]) {
      if (!list.IsSequence()) {
        problem(list.Mark(), "`in_flight_against` must be a list of cause ids");
      } else {
        for (const auto& c : list) {
          if (c.IsScalar() && !c.Scalar().empty()) out.in_flight_against.push_back(c.Scalar());
          else problem(c.Mark(), "each entry must be a cause id");
        }
      }
    }
    return out;
  }

 private:
  static std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> lines;
    size_t i = 0;
    while (i <= text.size()) {
      size_t j = text.find('\n', i);
      if (j == std::string_view::npos) j = text.size();
      lines.emplace_back(text.substr(i, j - i));
      i = j + 1;
    }
    return lines;
  }

  std::string_view name_;
  std::vector<std::string> lines_;
  core::diagnostics& problems_;
};

std::string value_of(std::string_view name, const finding_values& v, const audit_options& o) {
  auto duration = [](int64_t ms) { return ms < 0 ? std::string("?") : format_duration(ms); };
  if (name == "waited") return duration(v.waited_ms);
  if (name == "told") return duration(v.told_ms);
  if (name == "gap") return duration(v.gap_ms);
  if (name == "interval") return duration(v.interval_ms);
  if (name == "idle") return duration(v.idle_ms);
  if (name == "calls") return v.calls < 0 ? "?" : std::to_string(v.calls);
  if (name == "cause") return v.cause.empty() ? "?" : v.cause;
  if (name == "poll_min") return format_duration(o.poll_min_ms);
  if (name == "grace") return format_duration(o.grace_ms);
  if (name == "retry_window") return format_duration(o.retry_window_ms);
  if (name == "duplicate_window") return format_duration(o.duplicate_window_ms);
  return "?";
}

}  // namespace

bool known_placeholder(std::string_view name) {
  for (auto p : placeholders) {
    if (p == name) return true;
  }
  return false;
}

detector_texts load_detector_texts(std::string_view name, std::string_view text,
                                   core::diagnostics& problems) {
  return loader(name, text, problems).load(text);
}

std::string_view builtin_detector_file() { return embedded_detectors_yaml(); }

const detector_texts& builtin_detector_texts() {
  static const detector_texts texts = [] {
    core::diagnostics ignored;  // the unit tests keep the bundled file clean
    return load_detector_texts("builtin:audit/detectors.yaml", embedded_detectors_yaml(), ignored);
  }();
  return texts;
}

std::string fill(std::string_view text, const finding_values& v, const audit_options& o) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    out += value_of(text.substr(open + 1, close - open - 1), v, o);
    i = close + 1;
  }
  return out;
}

std::string format_duration(int64_t ms) {
  auto trimmed = [](double x) {
    std::string s = fmt::format("{:.1f}", x);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
  };
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 10'000) return trimmed(std::floor(static_cast<double>(ms) / 100) / 10) + " s";
  if (ms < 1'200'000) return fmt::format("{} s", ms / 1000);
  if (ms < 7'200'000) return fmt::format("{} min", ms / 60'000);
  return trimmed(std::floor(static_cast<double>(ms) / 360'000) / 10) + " h";
}

}  // namespace analyzer::audit
