// SPDX-License-Identifier: MIT
#pragma once
/// An open-addressing hash map from 64-bit keys (already hashes, or small
/// indices) to values, for the audit's per-client state: one allocation per
/// growth instead of one per entry, linear probing, tombstones on erase.
/// Internal to the audit; iteration order is not meaningful.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace analyzer::audit {

template <typename V>
class flat_map {
 public:
  /// The value for `key`, or nullptr.
  V* find(uint64_t key) {
    size_t i = index_of(key);
    return i == npos ? nullptr : &slots_[i].second;
  }

  /// The value for `key`, inserted (value-initialized) when absent;
  /// `fresh` says which.
  V& get(uint64_t key, bool& fresh) {
    if ((size_ + dead_ + 1) * 10 > slots_.size() * 7) grow();
    size_t tomb = SIZE_MAX;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (state_[i] == full) {
        if (slots_[i].first == key) return fresh = false, slots_[i].second;
        continue;
      }
      if (state_[i] == deleted) {
        if (tomb == SIZE_MAX) tomb = i;
        continue;
      }
      if (tomb != SIZE_MAX) {
        i = tomb;
        --dead_;
      }
      state_[i] = full;
      slots_[i] = {key, V{}};
      ++size_;
      fresh = true;
      return slots_[i].second;
    }
  }
  V& operator[](uint64_t key) {
    bool fresh = false;
    return get(key, fresh);
  }

  void erase(uint64_t key) {
    size_t i = index_of(key);
    if (i == npos) return;
    state_[i] = deleted;
    slots_[i].second = V{};
    --size_;
    ++dead_;
  }

  /// Erases every entry for which `pred(key, value)` holds.
  template <typename Pred>
  void erase_if(Pred pred) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (state_[i] == full && pred(slots_[i].first, slots_[i].second)) {
        state_[i] = deleted;
        slots_[i].second = V{};
        --size_;
        ++dead_;
      }
    }
  }

  template <typename Fn>
  void for_each(Fn fn) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (state_[i] == full) fn(slots_[i].first, slots_[i].second);
    }
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Room for `n` keys without growing (the slots are rehashed once).
  void reserve(size_t n) {
    size_t cap = 16;
    while ((n + 1) * 10 > cap * 7) cap *= 2;
    if (cap > slots_.size()) rehash(cap);
  }
  void clear() {
    slots_.clear();
    state_.clear();
    size_ = dead_ = 0;
    mask_ = 0;
  }

 private:
  enum : uint8_t { vacant = 0, full = 1, deleted = 2 };

  static constexpr size_t npos = SIZE_MAX;

  size_t index_of(uint64_t key) const {
    if (slots_.empty()) return npos;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (state_[i] == vacant) return npos;
      if (state_[i] == full && slots_[i].first == key) return i;
    }
  }

  size_t home(uint64_t key) const {
    // Keys may be small indices: mix them before taking the top bits.
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> shift_) & mask_;
  }

  void grow() {
    rehash(slots_.empty() ? 16 : (size_ * 10 > slots_.size() * 3 ? slots_.size() * 2 : slots_.size()));
  }

  void rehash(size_t cap) {
    std::vector<std::pair<uint64_t, V>> old_slots(cap);
    std::vector<uint8_t> old_state(cap, vacant);
    old_slots.swap(slots_);
    old_state.swap(state_);
    mask_ = cap - 1;
    shift_ = 64;
    for (size_t c = cap; c > 1; c >>= 1) --shift_;
    size_ = dead_ = 0;
    for (size_t i = 0; i < old_slots.size(); ++i) {
      if (old_state[i] != full) continue;
      bool fresh = false;
      get(old_slots[i].first, fresh) = std::move(old_slots[i].second);
    }
  }

  std::vector<std::pair<uint64_t, V>> slots_;
  std::vector<uint8_t> state_;
  size_t size_ = 0, dead_ = 0, mask_ = 0;
  int shift_ = 64;
};

}  // namespace analyzer::audit
