// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace YAML {
class Node;
}

namespace analyzer::loader {

/// Writes a YAML node as JSON: plain scalars that read as numbers, true,
/// false or null become JSON literals; quoted scalars stay strings.
std::string yaml_to_json(const YAML::Node& node);

}  // namespace analyzer::loader
