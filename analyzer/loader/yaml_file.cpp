// SPDX-License-Identifier: MIT
#include "analyzer/loader/yaml_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "analyzer/core/suggest.hpp"

namespace analyzer::loader {

yaml_file::yaml_file(std::string name, const std::string& text, core::diagnostics& sink)
    : name_(std::move(name)), sink_(sink) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines_.push_back(line);
}

std::optional<YAML::Node> yaml_file::parse(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    problem(e.mark, "invalid YAML: " + e.msg, "check indentation and quoting");
  } catch (const YAML::Exception& e) {
    problem(e.mark, "invalid YAML: " + e.msg);
  }
  return std::nullopt;
}

core::source_location yaml_file::at(const YAML::Mark& m) const {
  return {name_, m.line + 1, m.column + 1, -1};
}

std::string yaml_file::snippet(const YAML::Mark& m) const {
  if (m.line < 0 || static_cast<size_t>(m.line) >= lines_.size()) return {};
  return lines_[static_cast<size_t>(m.line)];
}

void yaml_file::problem(const YAML::Mark& m, std::string message, std::string help) {
  sink_.push_back({core::severity::error, std::move(message), at(m), snippet(m),
                   std::move(help)});
}

bool yaml_file::check_keys(const YAML::Node& map,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view what) {
  bool ok = true;
  std::vector<std::string_view> options(allowed);
  for (auto kv : map) {
    std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    problem(kv.first.Mark(), fmt::format("unknown key `{}` in {}", key, what),
            core::did_you_mean(key, options) + "allowed keys: " + core::join_words(options));
    ok = false;
  }
  return ok;
}

std::vector<text_file> read_yaml_path(const std::string& path, std::string_view what,
                                      core::diagnostics& problems) {
  namespace fs = std::filesystem;
  std::vector<text_file> out;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      auto ext = it->path().extension();
      if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
  } else {
    files.emplace_back(path);
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      problems.push_back({core::severity::error, fmt::format("cannot read {} file", what),
                          {f.string(), 0, 0, -1}, {}, {}});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back({f.string(), text.str()});
  }
  return out;
}

}  // namespace analyzer::loader
