// SPDX-License-Identifier: MIT
#pragma once
/// The byte layout shared by serialize.cpp and stream.cpp (internal).

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/audit/extras.hpp"
#include "analyzer/audit/fact.hpp"

namespace analyzer::audit::wire {

inline constexpr std::string_view magic = "KTAUDIT\n";
inline constexpr uint32_t version = 1;
inline constexpr size_t fact_bytes = 64;
inline constexpr uint32_t max_block_facts = 65536;
inline constexpr uint32_t max_text = 65536;  // one table string

inline void put_fact(std::string& out, const call_fact& f) {
  put_u64(out, static_cast<uint64_t>(f.ts_ms));
  put_u64(out, f.content_hash);
  put_u64(out, f.fingerprint);
  put_u64(out, f.task);
  put_u64(out, f.where);
  put_u32(out, static_cast<uint32_t>(f.duration_ms));
  put_u32(out, f.client);
  put_u32(out, f.endpoint);
  put_u32(out, f.extra);
  out += static_cast<char>(f.cause & 0xff);
  out += static_cast<char>(f.cause >> 8);
  out += static_cast<char>(f.flags);
  out += static_cast<char>(f.state);
}

inline call_fact get_fact(const char* p) {
  call_fact f;
  f.ts_ms = static_cast<int64_t>(get_u64(p));
  f.content_hash = get_u64(p + 8);
  f.fingerprint = get_u64(p + 16);
  f.task = get_u64(p + 24);
  f.where = get_u64(p + 32);
  f.duration_ms = static_cast<int32_t>(get_u32(p + 40));
  f.client = get_u32(p + 44);
  f.endpoint = get_u32(p + 48);
  f.extra = get_u32(p + 52);
  f.cause = static_cast<uint16_t>(static_cast<unsigned char>(p[56]) |
                                  static_cast<unsigned char>(p[57]) << 8);
  f.flags = static_cast<uint8_t>(p[58]);
  f.state = static_cast<task_state>(static_cast<uint8_t>(p[59]));
  return f;  // bytes 60..63 are zero (reserved)
}

inline void put_fact_padded(std::string& out, const call_fact& f) {
  put_fact(out, f);
  out.append(4, '\0');
}

}  // namespace analyzer::audit::wire
