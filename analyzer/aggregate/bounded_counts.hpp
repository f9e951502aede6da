// SPDX-License-Identifier: MIT
#pragma once
/// Counts per value of one dimension (business codes, endpoints, models),
/// in bounded memory, exactly mergeable.
///
/// At most `limit` values are kept, with exact counts: the `limit` values
/// whose value_hash() is smallest. The rule depends only on the values, so
/// a value kept in the whole run is kept in every part (worker, chunk,
/// machine) that saw it — its hash is at least as small there — and its
/// count is the exact sum of the parts' counts. Every other record counts
/// in `other`, also exactly. How many distinct values `other` stands for is
/// estimated from the largest kept hash (k minimum values: with n kept
/// values and largest normalised hash h, the distinct count is about
/// (n - 1) / h; error about 1/sqrt(n), 3 % at 1,000). So the result is the
/// same whatever the thread count, however the input is split, in whatever
/// order the parts are merged.
///
/// When a dimension has more values than the limit (hostile input, or ids
/// that endpoint folding missed), the kept ones are therefore a sample
/// chosen by hash, not the most frequent ones: no bounded, mergeable rule
/// can find those exactly.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace analyzer::aggregate {

/// Values kept per dimension unless --max-distinct says otherwise.
inline constexpr size_t default_max_distinct = 1000;
/// Kept text values are cut to this many bytes (a 10 MB URL path must not
/// become a 10 MB key); the cut is deterministic, so merging stays exact.
inline constexpr size_t max_value_bytes = 256;

/// A hash that is the same on every machine and build (FNV-1a, then a
/// 64-bit finaliser to spread the bits): partial results merge across
/// machines, so std::hash will not do.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline uint64_t value_hash(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return mix64(h);
}
inline uint64_t value_hash(int64_t v) { return mix64(static_cast<uint64_t>(v) + 0x9e3779b97f4a7c15ull); }

/// Counts: an int64 or record_counts-like (with operator+=).
template <typename Counts>
void add_counts(Counts& into, const Counts& from) { into += from; }

/// Transparent hashing, so a std::string_view finds a std::string key.
struct text_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename Key, typename Counts>
struct bounded_map_type {
  using type = std::map<Key, Counts>;
};
template <typename Counts>
struct bounded_map_type<std::string, Counts> {
  using type = std::unordered_map<std::string, Counts, text_hash, std::equal_to<>>;
};

template <typename Key, typename Counts>
class bounded_counts {
 public:
  using map_type = typename bounded_map_type<Key, Counts>::type;

  bounded_counts() : bounded_counts(default_max_distinct) {}
  explicit bounded_counts(size_t limit) : limit_(std::max<size_t>(limit, 1)) {}

  /// Adds `delta` to `key`'s counts, or to other() when the key is not
  /// among the kept values. While nothing was left out, this is one map
  /// update (the hash is only computed once the limit was reached).
  template <typename K>
  void add(const K& key, const Counts& delta) {
    if (full_ && beyond_cut(value_hash(key), key)) {
      add_counts(other_, delta);
      return;
    }
    auto it = values_.find(key);
    if (it == values_.end()) it = values_.emplace(Key(key), Counts{}).first;
    add_counts(it->second, delta);
    if (values_.size() >= 2 * limit_) prune();
  }

  /// Adds `o` into this (any order of merges gives the same result).
  void merge(const bounded_counts& o) {
    for (const auto& [k, v] : o.values_) add_counts(values_[k], v);
    add_counts(other_, o.other_);
    if (o.full_ && (!full_ || std::pair(o.cut_hash_, o.cut_key_) < std::pair(cut_hash_, cut_key_))) {
      cut_hash_ = o.cut_hash_;
      cut_key_ = o.cut_key_;
    }
    full_ = full_ || o.full_;
    if (full_) {  // a part's cut holds for the whole: nothing beyond it is kept
      for (auto it = values_.begin(); it != values_.end();) {
        if (beyond_cut(value_hash(it->first), it->first)) {
          add_counts(other_, it->second);
          it = values_.erase(it);
        } else {
          ++it;
        }
      }
    }
    prune();
  }

  /// Cuts to exactly the kept values (call before reading a final result).
  void finish() { prune(); }

  /// Rebuilds a finished state (a partial's): the kept values, the other
  /// records, and whether any value was left out. False when that breaks
  /// what finish() guarantees: at most `limit` values, exactly `limit` when
  /// some were left out, and no other records when none was.
  bool restore(map_type values, const Counts& other, bool truncated) {
    if (values.size() > limit_ || (truncated && values.size() != limit_)) return false;
    if (!truncated && !(other == Counts{})) return false;
    full_ = truncated;
    cut_hash_ = 0;
    cut_key_ = Key{};
    if (full_) {  // the cut is the largest kept (hash, key), as prune() leaves it
      for (const auto& [k, v] : values) {
        uint64_t h = value_hash(k);
        if (h > cut_hash_ || (h == cut_hash_ && k > cut_key_)) {
          cut_hash_ = h;
          cut_key_ = k;
        }
      }
    }
    values_ = std::move(values);
    other_ = other;
    return true;
  }

  const map_type& values() const { return values_; }
  typename map_type::const_iterator begin() const { return values_.begin(); }
  typename map_type::const_iterator end() const { return values_.end(); }
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  const Counts& at(const Key& k) const { return values_.at(k); }

  /// The records whose value is not kept (zero when nothing was left out).
  const Counts& other() const { return other_; }
  /// Whether any value was left out.
  bool truncated() const { return full_; }
  /// About how many distinct values other() stands for (after finish()).
  int64_t other_distinct_estimate() const {
    if (!full_ || values_.empty()) return 0;
    uint64_t largest = 0;
    for (const auto& [k, v] : values_) largest = std::max(largest, value_hash(k));
    double fraction = static_cast<double>(largest) / 18446744073709551616.0;
    if (fraction <= 0) return 0;
    double distinct = static_cast<double>(values_.size() - 1) / fraction;
    auto rest = static_cast<int64_t>(distinct + 0.5) - static_cast<int64_t>(values_.size());
    return std::max<int64_t>(rest, 1);
  }
  size_t limit() const { return limit_; }

 private:
  template <typename K>
  bool beyond_cut(uint64_t h, const K& key) const {
    return h != cut_hash_ ? h > cut_hash_ : Key(key) > cut_key_;
  }

  /// Keeps the `limit_` values with the smallest (hash, key); the others'
  /// counts move to other_, and (hash, key) beyond the new cut is never
  /// admitted again.
  void prune() {
    if (values_.size() <= limit_) return;
    std::vector<std::pair<uint64_t, const Key*>> order;
    order.reserve(values_.size());
    for (const auto& [k, v] : values_) order.emplace_back(value_hash(k), &k);
    auto by_hash = [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : *a.second < *b.second;
    };
    auto nth = order.begin() + static_cast<std::ptrdiff_t>(limit_ - 1);
    std::nth_element(order.begin(), nth, order.end(), by_hash);
    cut_hash_ = nth->first;
    cut_key_ = *nth->second;
    full_ = true;
    std::vector<Key> drop;
    for (auto it = nth + 1; it != order.end(); ++it) drop.push_back(*it->second);
    for (const auto& k : drop) {
      auto it = values_.find(k);
      add_counts(other_, it->second);
      values_.erase(it);
    }
  }

  size_t limit_;
  map_type values_;
  Counts other_{};
  bool full_ = false;     // a value was left out: the cut below applies
  uint64_t cut_hash_ = 0;  // the largest kept (hash, key)
  Key cut_key_{};
};

}  // namespace analyzer::aggregate
