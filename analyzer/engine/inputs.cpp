// SPDX-License-Identifier: MIT
#include "analyzer/engine/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace analyzer::engine {

namespace {
bool log_like(const std::filesystem::path& p) {
  std::string name = p.filename().string();
  if (name.empty() || name.front() == '.') return false;
  for (const char* z : {".gz", ".zst", ".zstd"}) {
    std::string_view zs(z);
    if (name.size() > zs.size() && name.compare(name.size() - zs.size(), zs.size(), zs) == 0) {
      name.resize(name.size() - zs.size());
      break;
    }
  }
  for (const char* ext : {".jsonl", ".ndjson", ".json", ".log", ".har", ".txt"}) {
    std::string_view e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}
}  // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       std::vector<std::string>* repeated) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& path) {
    if (seen.insert(path).second) {
      out.push_back(path);
    } else if (repeated != nullptr) {
      repeated->push_back(path);
    }
  };
  for (const auto& a : args) {
    std::error_code ec;
    if (a != "-" && fs::is_directory(a, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && log_like(it->path())) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f);
    } else {
      add(a);
    }
  }
  return out;
}

}  // namespace analyzer::engine
