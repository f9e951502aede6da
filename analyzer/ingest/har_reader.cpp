// SPDX-License-Identifier: MIT
#include "analyzer/ingest/har_reader.hpp"

#include <algorithm>
#include <cctype>
#if defined(__AVX2__)
#  include <immintrin.h>
#endif
#include <cstring>
#include <fmt/format.h>

#include "analyzer/ingest/normalizer.hpp"

namespace analyzer::ingest {

namespace {

constexpr size_t window_bytes = size_t{1} << 18;

/// Bit i set: byte i of a block of up to 32 is a quote, a backslash, an
/// opening or a closing bracket.
struct block_masks {
  uint32_t quote = 0, backslash = 0, open = 0, close = 0;
};

block_masks masks_of(const char* p, size_t n) {
  block_masks m;
#if defined(__AVX2__)
  if (n >= 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    auto eq = [&](char c) {
      return static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(c))));
    };
    m.quote = eq('"');
    m.backslash = eq('\\');
    m.open = eq('{') | eq('[');
    m.close = eq('}') | eq(']');
    return m;
  }
#endif
  for (size_t i = 0; i < n && i < 32; ++i) {
    uint32_t bit = 1u << i;
    switch (p[i]) {
      case '"': m.quote |= bit; break;
      case '\\': m.backslash |= bit; break;
      case '{': case '[': m.open |= bit; break;
      case '}': case ']': m.close |= bit; break;
      default: break;
    }
  }
  return m;
}

/// The first '"' or '\\' in [p, end), or end. HAR strings are often large
/// base64 bodies, so this runs 32 bytes at a time where AVX2 is available.
const char* find_quote_or_backslash(const char* p, const char* end) {
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i slash = _mm256_set1_epi8('\\');
  for (; p + 32 <= end; p += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, slash));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(hit));
    if (mask != 0) return p + __builtin_ctz(mask);
  }
#endif
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

/// Thrown inside the scanner only, caught in read_har: a structural stop.
struct har_stop {
  std::string message;
};

class har_scanner {
 public:
  har_scanner(uint32_t source, byte_source& src, input_report& report,
              buffer initial, size_t fill, bool eof, int64_t skipped,
              const reader_options& options, buffer_pool& pool,
              const chunk_emitter& emit)
      : source_(source), src_(src), report_(report), window_(std::move(initial)),
        len_(fill), base_(skipped), eof_(eof), opt_(options), pool_(pool), emit_(emit) {}

  void run();

 private:
  // ---- input window
  int peek() {
    if (pos_ == len_ && !refill()) return -1;
    return static_cast<unsigned char>(window_.data[pos_]);
  }
  int get() {
    int c = peek();
    if (c >= 0) {
      ++pos_;
      if (capturing_) append(static_cast<char>(c));
    }
    return c;
  }
  bool refill() {
    if (eof_) return false;
    base_ += static_cast<int64_t>(len_);
    pos_ = 0;
    len_ = 0;
    size_t cap = std::min(window_.capacity, window_bytes);
    while (len_ == 0 && !eof_) {
      int64_t r = src_.read(window_.data.get(), cap);
      if (r < 0) {
        report_.errors.push_back(src_.error());
        eof_ = true;
      } else if (r == 0) {
        eof_ = true;
      } else {
        len_ = static_cast<size_t>(r);
        report_.bytes += r;
      }
    }
    return len_ > 0;
  }
  int64_t offset() const { return base_ + static_cast<int64_t>(pos_); }

  // ---- output chunk
  void append(char c) {
    if (oversized_ || too_deep_) return;
    reserve(1);
    if (!oversized_) out_.data[out_size_++] = c;
  }
  void append(const char* p, size_t n) {
    if (oversized_ || too_deep_) return;
    reserve(n);
    if (!oversized_) {
      std::memcpy(out_.data.get() + out_size_, p, n);
      out_size_ += n;
    }
  }
  void reserve(size_t n) {
    size_t pad = required_padding();
    size_t partial = out_size_ - entry_start_;  // the entry being copied
    if (partial + n > opt_.max_record_bytes) {
      oversized_ = true;
      return;
    }
    if (out_.data && out_size_ + n + pad <= out_.capacity) return;
    // Full: the finished entries leave as a chunk, and only the entry in
    // progress moves to the new buffer (growing a buffer would copy them all).
    size_t want = std::max(opt_.chunk_bytes, (partial + n) * 2) + pad;
    buffer next = pool_.acquire(want);
    if (partial > 0) {
      std::memcpy(next.data.get(), out_.data.get() + entry_start_, partial);
    }
    if (!records_.empty()) {
      out_size_ = entry_start_;
      flush();
    } else {
      pool_.release(std::move(out_));
    }
    out_ = std::move(next);
    out_size_ = partial;
    entry_start_ = 0;
  }
  void flush() {
    if (records_.empty()) return;
    chunk c;
    c.source = source_;
    c.buf = std::move(out_);
    c.size = out_size_;
    c.explicit_records = true;
    c.records = std::move(records_);
    records_.clear();
    out_ = buffer{};
    out_size_ = 0;
    emit_(std::move(c));
  }

  // ---- JSON scanning
  [[noreturn]] void fail(const std::string& what) {
    throw har_stop{fmt::format("{} at byte {}", what, offset())};
  }
  void skip_ws() {
    for (int c = peek(); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = peek()) {
      get();
    }
  }
  void expect(char want, const char* what) {
    skip_ws();
    int c = get();
    if (c != want) {
      if (c < 0) throw_truncated();
      --pos_;
      fail(fmt::format("invalid JSON: expected {}", what));
    }
  }
  [[noreturn]] void throw_truncated() {
    truncated_ = true;
    throw har_stop{fmt::format("input ends at byte {}", offset())};
  }
  // Reads a string (opening quote next); keeps up to 64 bytes in `out`.
  void read_string(std::string* out) {
    if (get() != '"') fail("invalid JSON: expected a string");
    for (;;) {
      if (pos_ == len_ && !refill()) throw_truncated();
      const char* start = window_.data.get() + pos_;
      const char* end = window_.data.get() + len_;
      const char* p = find_quote_or_backslash(start, end);
      size_t run = static_cast<size_t>(p - start);
      if (capturing_) append(start, run);
      if (out != nullptr && out->size() < 64) out->append(start, std::min(run, 64 - out->size()));
      pos_ += run;
      if (p == end) continue;
      int c = get();
      if (c == '"') return;
      if (get() < 0) throw_truncated();  // escaped byte
    }
  }
  void skip_literal() {
    int c = peek();
    size_t n = 0;
    while (c >= 0 && (std::isalnum(c) || c == '-' || c == '+' || c == '.')) {
      get();
      ++n;
      c = peek();
    }
    if (n == 0) {
      if (c < 0) throw_truncated();
      fail(fmt::format("invalid JSON: unexpected '{}'", static_cast<char>(c)));
    }
  }
  // Skips (or, when capturing, copies) one value of any type, checking its
  // syntax. Iterative: the open containers are a stack of closers, at most
  // max_depth deep, so a hostile nesting cannot overflow the call stack.
  void skip_value() {
    std::string& open = closers_;
    open.clear();
    for (;;) {
      skip_ws();
      int c = peek();
      if (c == '"') {
        read_string(nullptr);
      } else if (c == '{' || c == '[') {
        get();
        if (open.size() >= opt_.max_depth) {
          fail(too_deep_reason(opt_.max_depth));
        }
        char close = c == '{' ? '}' : ']';
        skip_ws();
        if (peek() == close) {
          get();
        } else {
          open.push_back(close);
          if (close == '}') member_key();
          continue;  // the first value of the container
        }
      } else {
        skip_literal();
      }
      // A value ended: close every container it ends, or go to the next.
      for (;;) {
        if (open.empty()) return;
        skip_ws();
        int d = get();
        char close = open.back();
        if (d == close) {
          open.pop_back();
          continue;
        }
        if (d < 0) throw_truncated();
        if (d != ',') {
          --pos_;
          fail(fmt::format("invalid JSON: expected ',' or '{}'", close));
        }
        if (close == '}') member_key();
        break;
      }
    }
  }
  void member_key() {
    skip_ws();
    read_string(nullptr);
    expect(':', "':'");
  }
  // Iterates an object's members, calling on_member(key) positioned at the
  // value; on_member must consume the value.
  template <typename F>
  void members(F&& on_member) {
    expect('{', "'{'");
    skip_ws();
    if (peek() == '}') {
      get();
      return;
    }
    for (;;) {
      skip_ws();
      std::string key;
      read_string(&key);
      expect(':', "':'");
      skip_ws();
      on_member(key);
      skip_ws();
      int d = get();
      if (d == '}') return;
      if (d == ',') continue;
      if (d < 0) throw_truncated();
      --pos_;
      fail("invalid JSON: expected ',' or '}'");
    }
  }
  // Copies one object or array. It tracks only nesting and strings from
  // per-32-byte bit masks of quotes, backslashes and brackets (entries are
  // dense with small strings: one vector compare per structural byte was
  // too slow), and appends whole runs; the worker's parser validates the
  // entry itself.
  // Past max_depth the entry is only counted through (too_deep_), no
  // longer copied: it becomes a malformed record.
  void copy_container() {
    int64_t depth = 0;
    bool in_string = false;
    bool escaped = false;  // the next byte is escaped (may cross a window)
    for (;;) {
      if (pos_ == len_ && !refill()) throw_truncated();
      const char* base = window_.data.get();
      const char* run = base + pos_;
      const char* end = base + len_;
      for (const char* p = run; p < end;) {
        auto avail = static_cast<size_t>(end - p);
        block_masks m = masks_of(p, avail);
        uint32_t all = m.quote | m.backslash | m.open | m.close;
        if (escaped) {
          all &= ~1u;
          escaped = false;
        }
        while (all != 0) {
          int i = __builtin_ctz(all);
          uint32_t bit = 1u << i;
          all &= all - 1;
          if (in_string) {
            if ((m.backslash & bit) != 0) {
              if (static_cast<size_t>(i) + 1 >= std::min<size_t>(avail, 32)) {
                escaped = true;
              } else {
                all &= ~(bit << 1);
              }
            } else if ((m.quote & bit) != 0) {
              in_string = false;
            }
          } else if ((m.quote & bit) != 0) {
            in_string = true;
          } else if ((m.open & bit) != 0) {
            if (++depth > static_cast<int64_t>(opt_.max_depth)) too_deep_ = true;
          } else if ((m.close & bit) != 0 && --depth == 0) {
            const char* after = p + i + 1;
            append(run, static_cast<size_t>(after - run));
            pos_ = static_cast<size_t>(after - base);
            return;
          }
        }
        p += std::min<size_t>(avail, 32);
      }
      append(run, static_cast<size_t>(end - run));
      pos_ = len_;
    }
  }
  void read_entries();
  void read_entry();

  uint32_t source_;
  byte_source& src_;
  input_report& report_;
  buffer window_;
  size_t pos_ = 0;
  size_t len_;
  int64_t base_;  // file offset of window_[0] (a stripped BOM counts)
  bool eof_;
  const reader_options& opt_;
  buffer_pool& pool_;
  const chunk_emitter& emit_;

  buffer out_;
  size_t out_size_ = 0;
  size_t entry_start_ = 0;
  std::vector<record_span> records_;
  std::string closers_;  // skip_value's stack of open containers
  bool capturing_ = false;
  bool oversized_ = false;
  bool too_deep_ = false;
  bool truncated_ = false;
  bool saw_log_ = false;
  bool saw_entries_ = false;
  bool in_entries_ = false;
  int64_t entry_index_ = 0;
};

void har_scanner::read_entry() {
  entry_start_ = out_size_;
  oversized_ = too_deep_ = false;
  capturing_ = true;
  try {
    int c = peek();
    if (c == '{' || c == '[') {
      copy_container();
    } else {
      skip_value();  // not an entry object: copied as is, malformed later
    }
  } catch (...) {
    capturing_ = false;
    if (out_size_ > entry_start_ || oversized_ || too_deep_) {  // it had begun
      records_.push_back({entry_start_, 0, entry_index_, false,
                          "entry cut off: the file ends inside it"});
    }
    throw;
  }
  capturing_ = false;
  record_span span{entry_start_, out_size_ - entry_start_, entry_index_, false, {}};
  if (oversized_ || too_deep_) {
    span.length = 0;
    span.error = too_deep_ ? too_deep_reason(opt_.max_depth)
                           : fmt::format("entry larger than the record limit ({} bytes; see "
                                         "--max-record-bytes)",
                                         opt_.max_record_bytes);
    out_size_ = entry_start_;
  }
  too_deep_ = false;
  records_.push_back(std::move(span));
  ++entry_index_;
  if (out_size_ >= opt_.chunk_bytes || records_.size() >= 4096) flush();
}

void har_scanner::read_entries() {
  saw_entries_ = true;
  skip_ws();
  if (peek() != '[') fail("not a HAR file: log.entries is not an array");
  get();
  in_entries_ = true;
  skip_ws();
  if (peek() == ']') {
    get();
    in_entries_ = false;
    return;
  }
  for (;;) {
    skip_ws();
    read_entry();
    skip_ws();
    int d = get();
    if (d == ']') break;
    if (d < 0) throw_truncated();
    if (d != ',') {
      --pos_;
      fail("invalid JSON in log.entries: expected ',' or ']'");
    }
  }
  in_entries_ = false;
}

void har_scanner::run() {
  try {
    skip_ws();
    if (peek() != '{') fail("not a HAR file: the document is not a JSON object");
    members([&](const std::string& key) {
      if (key != "log") return skip_value();
      saw_log_ = true;
      if (peek() != '{') fail("not a HAR file: \"log\" is not an object");
      members([&](const std::string& k) {
        if (k == "entries") return read_entries();
        skip_value();
      });
    });
    skip_ws();
    if (peek() >= 0) fail("invalid JSON: content after the document");
    if (!saw_log_) {
      report_.errors.push_back(
          "JSON but not a HAR file: the top-level object has no \"log\"");
    } else if (!saw_entries_) {
      report_.errors.push_back("not a HAR file: \"log\" has no \"entries\"");
    }
  } catch (const har_stop& stop) {
    if (truncated_) {
      report_.errors.push_back(fmt::format(
          "truncated HAR: {}{}; the {} complete entries before it were "
          "analyzed",
          stop.message,
          in_entries_ ? fmt::format(" inside log.entries[{}]", entry_index_)
                      : std::string(),
          entry_index_));
    } else {
      report_.errors.push_back(stop.message);
    }
  }
  flush();
  pool_.release(std::move(out_));
  pool_.release(std::move(window_));
}

}  // namespace

void read_har(uint32_t source, byte_source& src, input_report& report,
              buffer initial, size_t fill, bool eof, int64_t skipped,
              const reader_options& options, buffer_pool& pool,
              const chunk_emitter& emit) {
  har_scanner scanner(source, src, report, std::move(initial), fill, eof,
                      skipped, options, pool, emit);
  scanner.run();
}

}  // namespace analyzer::ingest
