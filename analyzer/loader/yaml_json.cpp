// SPDX-License-Identifier: MIT
#include "analyzer/loader/yaml_json.hpp"

#include <yaml-cpp/yaml.h>

#include "analyzer/core/text.hpp"


namespace analyzer::loader {

namespace {
// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

void write(const YAML::Node& n, std::string& out) {
  if (n.IsMap()) {
    out += '{';
    bool first = true;
    for (auto kv : n) {
      if (!first) out += ',';
      first = false;
      core::json_quote(kv.first.Scalar(), out);
      out += ':';
      write(kv.second, out);
    }
    out += '}';
  } else if (n.IsSequence()) {
    out += '[';
    for (size_t i = 0; i < n.size(); ++i) {
      if (i > 0) out += ',';
      write(n[i], out);
    }
    out += ']';
  } else if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    bool plain = n.Tag() == "?";
    if (plain && (s == "true" || s == "false" || s == "null" || s == "~")) {
      out += s == "~" ? "null" : s;
    } else if (plain && is_json_number(s)) {
      out += s;
    } else {
      core::json_quote(s, out);
    }
  } else {
    out += "null";
  }
}
}  // namespace

std::string yaml_to_json(const YAML::Node& node) {
  std::string out;
  write(node, out);
  return out;
}

}  // namespace analyzer::loader
