// SPDX-License-Identifier: MIT
#include "analyzer/loader/yaml_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "analyzer/core/text.hpp"
#include <sstream>

#include "analyzer/core/suggest.hpp"

namespace analyzer::loader {

namespace {
/// Counts a document's YAML nodes with every alias expanded, from the
/// parser's events (without building the document), and stops at the
/// first node past the limit: the YAML itself never expands aliases, but
/// everything that walks the loaded nodes does.
class expansion_counter final : public YAML::EventHandler {
 public:
  struct over_limit {
    YAML::Mark mark;
  };
  explicit expansion_counter(size_t limit) : limit_(limit) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { leaf(m, a, 1); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override {
    leaf(m, 0, a < sizes_.size() ? sizes_[a] : 1);
  }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                const std::string&) override {
    leaf(m, a, 1);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                       YAML::EmitterStyle::value) override {
    open(m, a);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                  YAML::EmitterStyle::value) override {
    open(m, a);
  }
  void OnMapEnd() override { close(); }

 private:
  void add(const YAML::Mark& m, size_t n) {
    total_ += n;
    if (total_ > limit_) throw over_limit{m};
  }
  void leaf(const YAML::Mark& m, YAML::anchor_t a, size_t n) {
    add(m, n);
    remember(a, n);
    if (!open_.empty()) open_.back().second += n;
  }
  void open(const YAML::Mark& m, YAML::anchor_t a) {
    add(m, 1);
    open_.emplace_back(a, 1);
  }
  void close() {
    auto [a, n] = open_.back();
    open_.pop_back();
    remember(a, n);
    if (!open_.empty()) open_.back().second += n;
  }
  void remember(YAML::anchor_t a, size_t n) {
    if (a == 0) return;
    if (sizes_.size() <= a) sizes_.resize(a + 1, 1);
    sizes_[a] = n;
  }

  size_t limit_;
  size_t total_ = 0;
  std::vector<std::pair<YAML::anchor_t, size_t>> open_;  // anchor, size so far
  std::vector<size_t> sizes_;                             // by anchor id
};
}  // namespace

yaml_file::yaml_file(std::string name, const std::string& text, core::diagnostics& sink,
                     std::string_view what)
    : name_(std::move(name)), what_(what), sink_(sink) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines_.push_back(line);
}

bool yaml_file::within(const std::string& text, const yaml_limits& limits, origin from) {
  if (text.size() > limits.max_file_bytes) {
    problem(YAML::Mark(), fmt::format("{} file is larger than {} bytes", what_, limits.max_file_bytes),
            what_ == "rule" ? "split it, or raise the limit with --max-rule-bytes" : "split it");
    return false;
  }
  if (from == origin::embedded) return true;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    expansion_counter counter(limits.max_nodes);
    parser.HandleNextDocument(counter);
  } catch (const expansion_counter::over_limit& over) {
    problem(over.mark,
            fmt::format("the YAML expands to more than {} nodes (aliases are counted "
                        "each time they are used)",
                        limits.max_nodes),
            std::string("anchors and aliases nested like this (\"billion laughs\") would exhaust "
                        "memory; write the values out") +
                (what_ == "rule" ? ", or raise the limit with --max-rule-nodes" : ""));
    return false;
  } catch (const YAML::Exception&) {
    // Syntax errors are reported by the load itself, with their mark.
  }
  return true;
}

std::optional<YAML::Node> yaml_file::parse(const std::string& text, const yaml_limits& limits,
                                           origin from) {
  if (!within(text, limits, from)) return std::nullopt;
  try {
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    problem(e.mark, fmt::format("invalid YAML: nested deeper than {} levels", e.depth()),
            fmt::format("a {} file this deep is not one", what_));
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

namespace {
/// Reads at most `limit` + 1 bytes of `path`; "" or the system's reason in
/// `error`.
std::string read_bounded(const std::string& path, size_t limit, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return {};
  }
  std::string text;
  char buf[65536];
  while (text.size() <= limit) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, limit + 1 - text.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      break;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}
}  // namespace

std::vector<text_file> read_yaml_path(const std::string& path, std::string_view what,
                                      core::diagnostics& problems, const yaml_limits& limits) {
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
    std::string error;
    std::string text = read_bounded(f.string(), limits.max_file_bytes, error);
    if (!error.empty()) {
      problems.push_back({core::severity::error, fmt::format("cannot read {} file: {}", what, error),
                          {f.string(), 0, 0, -1}, {}, {}});
      continue;
    }
    out.push_back({f.string(), std::move(text)});  // parse() checks the size
  }
  return out;
}

std::string without_blocks(std::string_view text, std::string_view key) {
  std::string alone = std::string(key) + ":";
  std::string commented = alone + " #";
  std::string out;
  out.reserve(text.size());
  constexpr size_t none = std::string_view::npos;
  size_t blanking = none;  // the indent of the key whose block is blanked
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(at, end - at);
    std::string_view body = core::trim(line);
    size_t indent = line.find_first_not_of(' ');
    if (indent == none) indent = line.size();
    if (blanking != none && !body.empty() && indent <= blanking) blanking = none;
    if (blanking == none && (body == alone || body.starts_with(commented))) blanking = indent;
    if (blanking == none) out += line;  // else an empty line: lines stay where they were
    if (nl != std::string_view::npos) out += '\n';
    at = end + 1;
  }
  return out;
}

}  // namespace analyzer::loader
