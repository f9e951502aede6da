// SPDX-License-Identifier: MIT
#pragma once
/// Internal: serialization's access to a store (serialize.cpp,
/// deserialize.cpp).

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/audit/fact_store.hpp"

namespace analyzer::audit {

struct store_access {
  /// Where a written run's parts are, and its tables' order: entry i of a
  /// table written is the store's entry `clients[i]` (etc.).
  struct layout {
    size_t facts_offset = 0;
    uint64_t facts = 0;
    std::vector<uint32_t> clients, sources, endpoints, causes;
  };

  /// Writes `s` (only its in-memory facts when `memory_only`) in blocks of
  /// at most `block_facts`.
  static layout write(const fact_store& s, bool memory_only, uint32_t block_facts,
                      const std::function<void(std::string_view)>& out);

  /// Adds the serialized `bytes` to `s` as a run, after checking them all.
  static bool read(fact_store& s, std::shared_ptr<const void> owner, std::string_view bytes,
                   std::string& error);
};

}  // namespace analyzer::audit
