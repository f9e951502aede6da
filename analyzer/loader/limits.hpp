// SPDX-License-Identifier: MIT
#pragma once
/// Bounds on one YAML file (a rule file, a profile), so a hostile file
/// cannot exhaust memory: its size as read, and its nodes counted with
/// every alias expanded (a "billion laughs" file is tiny but expands
/// exponentially, and everything that walks the loaded document expands
/// it). No yaml-cpp here: public headers may include this one.

#include <cstddef>

namespace analyzer::loader {

struct yaml_limits {
  size_t max_file_bytes = size_t{1} << 20;  // rule files: --max-rule-bytes
  size_t max_nodes = 100000;                // rule files: --max-rule-nodes
};

}  // namespace analyzer::loader
