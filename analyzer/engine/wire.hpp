// SPDX-License-Identifier: MIT
#pragma once
/// The primitives of the partial format (docs/partial-format.md): unsigned
/// LEB128 varints, zigzag varints for signed values, length-prefixed
/// strings, fixed little-endian u64. The reader is a parser of hostile
/// input: every read is bounds-checked, every length and count has a limit
/// and is checked against the bytes left before anything is allocated, and
/// the first problem sticks (later reads return zeros), so decoders check
/// `ok()` once per section instead of after every field.

#include <cstdint>
#include <string>
#include <string_view>

namespace analyzer::engine::wire {

class writer {
 public:
  void u8(uint8_t v) { out_ += static_cast<char>(v); }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void svarint(int64_t v) {
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void str(std::string_view s) {
    varint(s.size());
    out_ += s;
  }
  /// An optional signed value: a flag, then the value when present.
  void opt(bool present, int64_t v) {
    u8(present ? 1 : 0);
    if (present) svarint(v);
  }
  std::string& bytes() { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Why a read stopped.
enum class fault { none, truncated, bad_value };

class reader {
 public:
  explicit reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  bool ok() const { return fault_ == fault::none; }
  fault problem() const { return fault_; }
  /// What the first problem was ("a count of 9000000 exceeds ...").
  const std::string& why() const { return why_; }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  bool at_end() const { return p_ == end_; }

  uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) return 0;
      auto b = static_cast<uint8_t>(*p_++);
      if (shift == 63 && b > 1) return fail(fault::bad_value, "a varint longer than 64 bits");
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail(fault::bad_value, "a varint longer than 64 bits");
  }
  int64_t svarint() {
    uint64_t z = varint();
    return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  }
  uint64_t fixed64() {
    if (!need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
    p_ += 8;
    return v;
  }
  /// A value in [0, max].
  uint64_t bounded(uint64_t max, std::string_view what) {
    uint64_t v = varint();
    if (v > max) return fail(fault::bad_value, std::string(what) + " out of range");
    return v;
  }
  /// A count of items of at least `min_item_bytes` bytes each, at most
  /// `max`: checked against the bytes left, so a forged count cannot make
  /// a decoder allocate more than the input could hold.
  size_t count(uint64_t max, size_t min_item_bytes, std::string_view what) {
    uint64_t n = varint();
    if (n > max) return static_cast<size_t>(fail(fault::bad_value, std::string(what) + ": too many"));
    if (min_item_bytes > 0 && n > left() / min_item_bytes) {
      return static_cast<size_t>(fail(fault::truncated, std::string(what) + ": fewer bytes than items"));
    }
    return static_cast<size_t>(n);
  }
  /// A string of at most `max` bytes (a view into the input).
  std::string_view str(size_t max) {
    uint64_t n = varint();
    if (n > max) {
      fail(fault::bad_value, "a string longer than its limit");
      return {};
    }
    if (!need(static_cast<size_t>(n))) return {};
    std::string_view s(p_, static_cast<size_t>(n));
    p_ += n;
    return s;
  }
  /// Raw bytes (a view into the input).
  std::string_view bytes(size_t n) {
    if (!need(n)) return {};
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  /// An optional signed value (writer::opt).
  bool opt(int64_t& v) {
    if (!flag()) return false;
    v = svarint();
    return true;
  }
  bool flag() {
    uint8_t b = u8();
    if (b > 1) fail(fault::bad_value, "a flag that is neither 0 nor 1");
    return b == 1;
  }
  /// Marks the input as invalid (a decoder's own check failed).
  uint64_t fail(fault f, std::string why) {
    if (fault_ == fault::none) {
      fault_ = f;
      why_ = std::move(why);
    }
    p_ = end_;
    return 0;
  }

 private:
  bool need(size_t n) {
    if (fault_ != fault::none) return false;
    if (left() >= n) return true;
    fail(fault::truncated, "it ends inside a value");
    return false;
  }

  const char* p_;
  const char* end_;
  fault fault_ = fault::none;
  std::string why_;
};

}  // namespace analyzer::engine::wire
