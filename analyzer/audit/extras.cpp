// SPDX-License-Identifier: MIT
#include "analyzer/audit/extras.hpp"

#include <cstring>

namespace analyzer::audit {

namespace {

enum : uint8_t {
  has_rid_text = 0x01,
  has_rid_uuid = 0x02,
  has_deadline = 0x04,
  has_url = 0x08,
  has_callback = 0x10,
  has_tasks = 0x20,
  has_aliases = 0x40,
};

constexpr size_t task_bytes = 9;  // u64 name + u8 state

struct hex_table {
  int8_t v[256];
  constexpr hex_table() : v() {
    for (auto& x : v) x = -1;
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<int8_t>(i);
    for (int i = 0; i < 6; ++i) v['a' + i] = static_cast<int8_t>(10 + i);
  }
};
constexpr hex_table lower_hex;

/// A canonical lower-case UUID (8-4-4-4-12) packed into 16 bytes.
bool pack_uuid(std::string_view s, unsigned char out[16]) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  static constexpr uint8_t starts[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  int bad = 0;
  for (size_t k = 0; k < 16; ++k) {
    int hi = lower_hex.v[static_cast<unsigned char>(s[starts[k]])];
    int lo = lower_hex.v[static_cast<unsigned char>(s[starts[k] + 1])];
    bad |= hi | lo;
    out[k] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return bad >= 0;
}

std::string unpack_uuid(std::string_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    auto v = static_cast<unsigned char>(b[i]);
    s += digits[v >> 4];
    s += digits[v & 15];
  }
  return s;
}

bool get_varint(const char*& p, const char* end, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    auto b = static_cast<unsigned char>(*p++);
    v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

void put_u64(std::string& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out.append(b, 8);
}

void put_u32(std::string& out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out.append(b, 4);
}

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

uint64_t get_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

uint32_t get_u32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

bool fact_extras::empty() const {
  return request_id.empty() && retry_deadline_ms == no_time && url_hash == 0 &&
         callback_url_hash == 0 && more_tasks.empty() && aliases.empty();
}

namespace {

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

char* write_u64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) *p++ = static_cast<char>(v >> (8 * i));
  return p;
}

char* write_varint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

}  // namespace

bool encode_extras(const fact_extras& x, std::string& arena) {
  if (x.empty()) return false;
  unsigned char uuid[16];
  bool is_uuid = pack_uuid(x.request_id, uuid);
  uint8_t mask = 0;
  size_t size = 1;
  if (is_uuid) {
    mask |= has_rid_uuid;
    size += 16;
  } else if (!x.request_id.empty()) {
    mask |= has_rid_text;
    size += varint_size(x.request_id.size()) + x.request_id.size();
  }
  if (x.retry_deadline_ms != no_time) mask |= has_deadline, size += 8;
  if (x.url_hash != 0) mask |= has_url, size += 8;
  if (x.callback_url_hash != 0) mask |= has_callback, size += 8;
  if (!x.more_tasks.empty()) {
    mask |= has_tasks;
    size += varint_size(x.more_tasks.size()) + x.more_tasks.size() * task_bytes;
  }
  if (!x.aliases.empty()) {
    mask |= has_aliases;
    size += varint_size(x.aliases.size()) + x.aliases.size() * 8;
  }
  size_t at = arena.size();
  arena.resize(at + size);
  char* p = arena.data() + at;
  *p++ = static_cast<char>(mask);
  if (is_uuid) {
    std::memcpy(p, uuid, 16);
    p += 16;
  } else if (!x.request_id.empty()) {
    p = write_varint(p, x.request_id.size());
    std::memcpy(p, x.request_id.data(), x.request_id.size());
    p += x.request_id.size();
  }
  if (mask & has_deadline) p = write_u64(p, static_cast<uint64_t>(x.retry_deadline_ms));
  if (mask & has_url) p = write_u64(p, x.url_hash);
  if (mask & has_callback) p = write_u64(p, x.callback_url_hash);
  if (mask & has_tasks) {
    p = write_varint(p, x.more_tasks.size());
    for (const auto& t : x.more_tasks) {
      p = write_u64(p, t.name);
      *p++ = static_cast<char>(t.state);
    }
  }
  if (mask & has_aliases) {
    p = write_varint(p, x.aliases.size());
    for (uint64_t a : x.aliases) p = write_u64(p, a);
  }
  return true;
}

bool extras_view::parse(std::string_view bytes) {
  *this = extras_view{};
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  if (p == end) return false;
  auto mask = static_cast<uint8_t>(*p++);
  if ((mask & 0x80) != 0 || (mask & has_rid_text && mask & has_rid_uuid) ||
      mask == 0) {
    return false;
  }
  auto need = [&](size_t n) { return static_cast<size_t>(end - p) >= n; };
  if (mask & has_rid_uuid) {
    if (!need(16)) return false;
    rid_ = {p, 16};
    rid_uuid_ = true;
    p += 16;
  } else if (mask & has_rid_text) {
    uint64_t n = 0;
    if (!get_varint(p, end, n) || n == 0 || !need(n)) return false;
    rid_ = {p, static_cast<size_t>(n)};
    p += n;
  }
  if (mask & has_deadline) {
    if (!need(8)) return false;
    deadline_ = static_cast<int64_t>(get_u64(p));
    if (deadline_ < min_deadline_ms || deadline_ > max_deadline_ms) return false;
    p += 8;
  }
  for (auto [bit, dst] : {std::pair{has_url, &url_}, std::pair{has_callback, &callback_}}) {
    if ((mask & bit) == 0) continue;
    if (!need(8)) return false;
    *dst = get_u64(p);
    if (*dst == 0) return false;
    p += 8;
  }
  if (mask & has_tasks) {
    uint64_t n = 0;
    if (!get_varint(p, end, n) || n == 0 || n > bytes.size() / task_bytes ||
        !need(n * task_bytes)) {
      return false;
    }
    tasks_ = p;
    task_count_ = static_cast<size_t>(n);
    for (size_t i = 0; i < task_count_; ++i) {
      if (static_cast<uint8_t>(p[i * task_bytes + 8]) > 5) return false;
    }
    p += n * task_bytes;
  }
  if (mask & has_aliases) {
    uint64_t n = 0;
    if (!get_varint(p, end, n) || n == 0 || n > bytes.size() / 8 || !need(n * 8)) {
      return false;
    }
    aliases_ = p;
    alias_count_ = static_cast<size_t>(n);
    p += n * 8;
  }
  size_ = static_cast<size_t>(p - bytes.data());
  return true;
}

std::string extras_view::request_id() const {
  return rid_uuid_ ? unpack_uuid(rid_) : std::string(rid_);
}

task_ref extras_view::task(size_t i) const {
  const char* p = tasks_ + i * task_bytes;
  return {get_u64(p), static_cast<task_state>(static_cast<uint8_t>(p[8]))};
}

uint64_t extras_view::alias(size_t i) const { return get_u64(aliases_ + i * 8); }

}  // namespace analyzer::audit
