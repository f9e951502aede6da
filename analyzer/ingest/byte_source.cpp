// SPDX-License-Identifier: MIT
#include "analyzer/ingest/byte_source.hpp"
#include "analyzer/ingest/gzip_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace analyzer::ingest {

std::string_view name_of(compression c) {
  switch (c) {
    case compression::none: return "none";
    case compression::gzip: return "gzip";
    case compression::zstd: return "zstd";
  }
  return "none";
}

namespace {

/// XXH3-64 over every byte handed to update() (a raw source's content).
class content_hash {
 public:
  content_hash() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~content_hash() { XXH3_freeState(state_); }
  content_hash(const content_hash&) = delete;
  content_hash& operator=(const content_hash&) = delete;
  void update(const char* p, size_t n) { XXH3_64bits_update(state_, p, n); }
  uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  XXH3_state_t* state_;
};

/// A raw file descriptor (a file or stdin; never seeks).
class fd_source final : public byte_source {
 public:
  explicit fd_source(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~fd_source() override {
    if (owned_) ::close(fd_);
  }
  fd_source(const fd_source&) = delete;
  fd_source& operator=(const fd_source&) = delete;

  int64_t read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) {
        consumed_ += r;
        hash_.update(buf, static_cast<size_t>(r));
        return r;
      }
      if (errno == EINTR) continue;
      error_ = fmt::format("read failed at byte {}: {}", consumed_,
                           std::strerror(errno));
      return -1;
    }
  }
  int64_t raw_bytes() const override { return consumed_; }
  uint64_t checksum() const override { return hash_.digest(); }

 private:
  int fd_;
  bool owned_;
  int64_t consumed_ = 0;
  content_hash hash_;
};

/// The bytes [start, end) of a file descriptor, by pread.
class range_source final : public byte_source {
 public:
  range_source(int fd, int64_t start, int64_t end) : fd_(fd), pos_(start), end_(end) {}
  ~range_source() override { ::close(fd_); }
  range_source(const range_source&) = delete;
  range_source& operator=(const range_source&) = delete;

  int64_t read(char* buf, size_t n) override {
    size_t want = std::min(n, static_cast<size_t>(end_ - pos_));
    for (;;) {
      if (want == 0) return 0;
      ssize_t r = ::pread(fd_, buf, want, pos_);
      if (r >= 0) {
        pos_ += r;
        consumed_ += r;
        hash_.update(buf, static_cast<size_t>(r));
        return r;
      }
      if (errno == EINTR) continue;
      error_ = fmt::format("read failed at byte {}: {}", pos_, std::strerror(errno));
      return -1;
    }
  }
  int64_t raw_bytes() const override { return consumed_; }
  uint64_t checksum() const override { return hash_.digest(); }

 private:
  int fd_;
  int64_t pos_, end_;
  int64_t consumed_ = 0;
  content_hash hash_;
};

class memory_byte_source final : public byte_source {
 public:
  explicit memory_byte_source(std::string_view b) : bytes_(b) {}
  int64_t read(char* buf, size_t n) override {
    size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, k);
    hash_.update(buf, k);
    pos_ += k;
    return static_cast<int64_t>(k);
  }
  int64_t raw_bytes() const override { return static_cast<int64_t>(pos_); }
  uint64_t checksum() const override { return hash_.digest(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  content_hash hash_;
};

constexpr size_t in_block = 1 << 18;

/// An input block, left uninitialised (it is always read into first).
struct raw_block {
  explicit raw_block(size_t n) : bytes(new char[n]), len(n) {}
  char* data() { return bytes.get(); }
  size_t size() const { return len; }
  std::unique_ptr<char[]> bytes;
  size_t len;
};

/// zstd (multi-frame) decoder over another source.
class zstd_source final : public byte_source {
 public:
  explicit zstd_source(std::unique_ptr<byte_source> in)
      : in_(std::move(in)), buf_(ZSTD_DStreamInSize()), z_(ZSTD_createDStream()) {}
  ~zstd_source() override { ZSTD_freeDStream(z_); }
  zstd_source(const zstd_source&) = delete;
  zstd_source& operator=(const zstd_source&) = delete;

  int64_t read(char* out, size_t n) override {
    if (failed_) return -1;
    ZSTD_outBuffer ob{out, n, 0};
    while (ob.pos < ob.size && !done_) {
      if (ib_.pos == ib_.size) {
        int64_t r = in_->read(buf_.data(), buf_.size());
        if (r < 0) {
          error_ = in_->error();
          failed_ = done_ = true;
          break;
        }
        ib_ = {buf_.data(), static_cast<size_t>(r), 0};
        if (r == 0) {
          done_ = true;
          if (frame_open_) {
            failed_ = true;
            error_ = fmt::format(
                "truncated zstd stream: compressed data ends at byte {} in "
                "the middle of a frame; records before the cut were kept",
                in_->raw_bytes());
          }
          break;
        }
      }
      size_t rc = ZSTD_decompressStream(z_, &ob, &ib_);
      if (ZSTD_isError(rc)) {
        done_ = failed_ = true;
        error_ = fmt::format("corrupt zstd data at compressed byte {}: {}",
                             in_->raw_bytes() - static_cast<int64_t>(ib_.size - ib_.pos),
                             ZSTD_getErrorName(rc));
        break;
      }
      frame_open_ = rc != 0;
    }
    // After a failure, what was decoded before it comes first; the error
    // is returned (as -1) by the next call.
    if (failed_ && ob.pos == 0) return -1;
    return static_cast<int64_t>(ob.pos);
  }
  int64_t raw_bytes() const override { return in_->raw_bytes(); }
  uint64_t checksum() const override { return in_->checksum(); }

 private:
  std::unique_ptr<byte_source> in_;
  raw_block buf_;
  ZSTD_DStream* z_;
  ZSTD_inBuffer ib_{nullptr, 0, 0};
  bool done_ = false;
  bool failed_ = false;
  bool frame_open_ = false;
};

/// Reads up to n bytes from a source, looping over short reads.
std::vector<char> read_prefix(byte_source& s, size_t n, bool& failed) {
  std::vector<char> out(n);
  size_t got = 0;
  while (got < n) {
    int64_t r = s.read(out.data() + got, n - got);
    if (r < 0) {
      failed = true;
      break;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return out;
}

/// A source that replays a prefix, then continues with the rest.
class prefixed_source final : public byte_source {
 public:
  prefixed_source(std::vector<char> prefix, std::unique_ptr<byte_source> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  int64_t read(char* buf, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return static_cast<int64_t>(k);
    }
    int64_t r = rest_->read(buf, n);
    if (r < 0) error_ = rest_->error();
    return r;
  }
  int64_t raw_bytes() const override { return rest_->raw_bytes(); }
  uint64_t checksum() const override { return rest_->checksum(); }

 private:
  std::vector<char> prefix_;
  size_t pos_ = 0;
  std::unique_ptr<byte_source> rest_;
};

/// UTF-16 (LE or BE, the BOM already consumed) → UTF-8. Unpaired
/// surrogates and an odd last byte become U+FFFD, as invalid UTF-8 does.
class utf16_source final : public byte_source {
 public:
  utf16_source(std::unique_ptr<byte_source> in, bool big_endian)
      : in_(std::move(in)), big_endian_(big_endian), raw_(in_block) {}

  int64_t read(char* out, size_t n) override {
    size_t produced = 0;
    while (produced + 4 <= n || (produced == 0 && n > 0)) {
      if (!pending_.empty()) {  // a sequence that did not fit last time
        size_t k = std::min(n - produced, pending_.size());
        std::memcpy(out + produced, pending_.data(), k);
        pending_.erase(0, k);
        produced += k;
        continue;
      }
      if (pos_ + 1 >= len_ && !refill()) break;
      if (pos_ + 1 >= len_) {  // an odd last byte
        pos_ = len_;
        put(0xFFFD, out, n, produced);
        continue;
      }
      uint32_t unit = next_unit();
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (pos_ + 1 >= len_) refill();
        if (pos_ + 1 < len_) {
          uint32_t low = peek_unit();
          if (low >= 0xDC00 && low <= 0xDFFF) {
            pos_ += 2;
            put(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out, n, produced);
            continue;
          }
        }
        unit = 0xFFFD;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        unit = 0xFFFD;
      }
      put(unit, out, n, produced);
    }
    if (produced == 0 && failed_) return -1;
    return static_cast<int64_t>(produced);
  }
  int64_t raw_bytes() const override { return in_->raw_bytes(); }
  uint64_t checksum() const override { return in_->checksum(); }

 private:
  uint32_t peek_unit() const {
    auto b0 = static_cast<unsigned char>(raw_[pos_]);
    auto b1 = static_cast<unsigned char>(raw_[pos_ + 1]);
    return big_endian_ ? (b0 << 8u) | b1 : (b1 << 8u) | b0;
  }
  uint32_t next_unit() {
    uint32_t u = peek_unit();
    pos_ += 2;
    return u;
  }
  // Keeps the unread bytes (0 or 1) and appends more; false at the end.
  bool refill() {
    if (eof_) return false;
    size_t keep = len_ - pos_;
    std::memmove(raw_.data(), raw_.data() + pos_, keep);
    pos_ = 0;
    len_ = keep;
    int64_t r = in_->read(raw_.data() + keep, raw_.size() - keep);
    if (r < 0) {
      error_ = in_->error();
      failed_ = eof_ = true;
      return keep > 0;
    }
    if (r == 0) eof_ = true;
    len_ += static_cast<size_t>(r);
    return len_ > pos_;
  }
  void put(uint32_t cp, char* out, size_t n, size_t& produced) {
    char seq[4];
    size_t k = 0;
    if (cp < 0x80) {
      seq[k++] = static_cast<char>(cp);
    } else if (cp < 0x800) {
      seq[k++] = static_cast<char>(0xC0 | (cp >> 6));
      seq[k++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      seq[k++] = static_cast<char>(0xE0 | (cp >> 12));
      seq[k++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      seq[k++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      seq[k++] = static_cast<char>(0xF0 | (cp >> 18));
      seq[k++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      seq[k++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      seq[k++] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    size_t fits = std::min(k, n - produced);
    std::memcpy(out + produced, seq, fits);
    produced += fits;
    pending_.append(seq + fits, k - fits);
  }

  std::unique_ptr<byte_source> in_;
  bool big_endian_;
  std::vector<char> raw_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false, failed_ = false;
  std::string pending_;
};

}  // namespace

std::unique_ptr<byte_source> prefixed(std::vector<char> prefix, std::unique_ptr<byte_source> rest) {
  return std::make_unique<prefixed_source>(std::move(prefix), std::move(rest));
}

std::unique_ptr<byte_source> utf16_to_utf8(std::unique_ptr<byte_source> in, bool big_endian) {
  return std::make_unique<utf16_source>(std::move(in), big_endian);
}

opened_input wrap_decompressor(std::unique_ptr<byte_source> raw) {
  opened_input out;
  bool failed = false;
  std::vector<char> magic = read_prefix(*raw, 4, failed);
  if (failed) {
    out.error = raw->error();
    return out;
  }
  auto byte = [&](size_t i) {
    return i < magic.size() ? static_cast<unsigned char>(magic[i]) : 0u;
  };
  if (byte(0) == 0x1f && byte(1) == 0x8b) out.kind = compression::gzip;
  if (byte(0) == 0x28 && byte(1) == 0xb5 && byte(2) == 0x2f && byte(3) == 0xfd) {
    out.kind = compression::zstd;
  }
  // A zstd file may start with a skippable frame (magic 0x184D2A5?, e.g.
  // seekable-format or pzstd files); the decoder skips it.
  if ((byte(0) & 0xf0) == 0x50 && byte(1) == 0x2a && byte(2) == 0x4d && byte(3) == 0x18) {
    out.kind = compression::zstd;
  }
  auto replay = std::make_unique<prefixed_source>(std::move(magic), std::move(raw));
  switch (out.kind) {
    case compression::gzip:
      out.source = gzip_decoder(std::move(replay));
      break;
    case compression::zstd:
      out.source = std::make_unique<zstd_source>(std::move(replay));
      break;
    case compression::none: out.source = std::move(replay); break;
  }
  return out;
}

opened_input open_input(const std::string& path) {
  if (path == "-") {
    return wrap_decompressor(std::make_unique<fd_source>(0, false));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    opened_input out;
    out.error = std::strerror(errno);
    return out;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return wrap_decompressor(std::make_unique<fd_source>(fd, true));
}

namespace {
/// One past the first newline at or after `from` (the file's size when
/// there is none).
int64_t after_newline(int fd, int64_t from, int64_t size) {
  char buf[1 << 16];
  for (int64_t pos = from; pos < size;) {
    ssize_t r = ::pread(fd, buf, static_cast<size_t>(std::min<int64_t>(sizeof buf, size - pos)), pos);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return size;
    if (const void* nl = std::memchr(buf, '\n', static_cast<size_t>(r))) {
      return pos + (static_cast<const char*>(nl) - buf) + 1;
    }
    pos += r;
  }
  return size;
}
}  // namespace

opened_input open_range(const std::string& path, byte_range range, aligned_range& aligned) {
  opened_input out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    out.error = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return out;
  }
  int64_t size = st.st_size;
  int64_t start = std::clamp<int64_t>(range.start, 0, size);
  int64_t end = std::clamp<int64_t>(range.end, start, size);
  // A line belongs to the range its first byte is in: skip the one that
  // started before `start`, finish the one that holds `end - 1`.
  aligned.start = start == 0 ? 0 : after_newline(fd, start - 1, size);
  aligned.end = end == start ? aligned.start : end >= size ? size : after_newline(fd, end - 1, size);
  aligned.end = std::max(aligned.end, aligned.start);
  aligned.file_size = size;
  ::posix_fadvise(fd, aligned.start, aligned.end - aligned.start, POSIX_FADV_SEQUENTIAL);
  out.source = std::make_unique<range_source>(fd, aligned.start, aligned.end);
  return out;
}

std::unique_ptr<byte_source> memory_source(std::string_view bytes) {
  return std::make_unique<memory_byte_source>(bytes);
}

}  // namespace analyzer::ingest
