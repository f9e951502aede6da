// SPDX-License-Identifier: MIT
#include "analyzer/ingest/gzip_source.hpp"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace analyzer::ingest {

namespace {

constexpr size_t in_block = 1 << 18;
/// At a member's start at least this much of it is kept in the input
/// buffer, so that a member igzip rejects can be handed to zlib whole.
constexpr size_t member_lookahead = 1 << 16;

/// Why igzip stopped, in words.
const char* isal_reason(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid lookback distance";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    default: return "inflate failed";
  }
}

/// gzip (multi-member) decoder over another source: igzip, then zlib.
class gzip_source final : public byte_source {
 public:
  explicit gzip_source(std::unique_ptr<byte_source> in)
      : in_(std::move(in)), buf_(new unsigned char[in_block]),
        isal_(std::make_unique<inflate_state>()) {}
  ~gzip_source() override {
    if (zlib_ready_) inflateEnd(&z_);
  }
  gzip_source(const gzip_source&) = delete;
  gzip_source& operator=(const gzip_source&) = delete;

  int64_t read(char* out, size_t n) override {
    if (failed_) return -1;
    n = std::min<size_t>(n, 1u << 30);
    size_t produced = 0;
    while (produced < n && !done_) {
      if (avail_ == 0) {
        if (!refill()) break;
        if (avail_ == 0) {  // end of file
          if (!member_open_) {
            done_ = true;
          } else if (!use_zlib_ && flush_isal(out, n, produced)) {
            continue;  // igzip still held decoded bytes
          } else {
            truncated();
          }
          break;
        }
      }
      if (!member_open_) {
        start_member();
        if (failed_) break;
      }
      bool ok = use_zlib_ ? step_zlib(out, n, produced) : step_isal(out, n, produced);
      if (!ok) break;
    }
    if (failed_ && produced == 0) return -1;
    // After a failure what was decoded before it comes first; the error is
    // returned (as -1) by the next call.
    return static_cast<int64_t>(produced);
  }
  int64_t raw_bytes() const override { return in_->raw_bytes(); }
  uint64_t checksum() const override { return in_->checksum(); }

 private:
  // ---- input ----------------------------------------------------------
  // The unread input is buf_[pos_, pos_ + avail_); both decoders are
  // pointed at it for one step and report back what they consumed.
  bool refill() {
    pos_ = 0;
    member_in_buffer_ = false;  // the buffer is overwritten
    return top_up();
  }
  /// Appends input after the unread bytes (moved to the front); false
  /// (and failed) when the source fails.
  bool top_up() {
    if (eof_) return true;
    if (pos_ > 0) {
      std::memmove(buf_.get(), buf_.get() + pos_, avail_);
      pos_ = 0;
      member_in_buffer_ = false;
    }
    while (avail_ < in_block) {
      int64_t r = in_->read(reinterpret_cast<char*>(buf_.get()) + avail_, in_block - avail_);
      if (r < 0) {
        error_ = in_->error();
        failed_ = done_ = true;
        return false;
      }
      if (r == 0) {
        eof_ = true;
        break;
      }
      avail_ += static_cast<size_t>(r);
      if (avail_ >= member_lookahead) break;
    }
    return true;
  }
  void consume(size_t k) {
    pos_ += k;
    avail_ -= k;
  }
  int64_t offset() const { return in_->raw_bytes() - static_cast<int64_t>(avail_); }

  // ---- members --------------------------------------------------------
  void start_member() {
    // The member's first bytes at the front of the buffer, with enough
    // after them for igzip to accept or reject its header.
    if (!use_zlib_ && avail_ < member_lookahead && !top_up()) return;
    member_open_ = true;
    member_out_ = 0;
    member_start_ = pos_;
    member_in_buffer_ = true;
    if (use_zlib_) {
      inflateReset(&z_);
      return;
    }
    isal_inflate_init(isal_.get());
    isal_->crc_flag = ISAL_GZIP;
  }

  bool step_isal(char* out, size_t n, size_t& produced) {
    inflate_state& s = *isal_;
    s.next_in = buf_.get() + pos_;
    s.avail_in = static_cast<uint32_t>(avail_);
    s.next_out = reinterpret_cast<uint8_t*>(out + produced);
    s.avail_out = static_cast<uint32_t>(n - produced);
    int rc = isal_inflate(&s);
    size_t made = (n - produced) - s.avail_out;
    consume(avail_ - s.avail_in);
    produced += made;
    member_out_ += made;
    if (rc < 0) {
      if (member_out_ == 0 && member_in_buffer_) return switch_to_zlib();
      return fail(fmt::format("corrupt gzip data at compressed byte {}: {}", offset(),
                              isal_reason(rc)));
    }
    if (s.block_state == ISAL_BLOCK_FINISH) member_open_ = false;
    return true;
  }

  /// At end of input: what igzip decoded but did not hand out yet.
  bool flush_isal(char* out, size_t n, size_t& produced) {
    inflate_state& s = *isal_;
    s.next_in = buf_.get() + pos_;
    s.avail_in = 0;
    s.next_out = reinterpret_cast<uint8_t*>(out + produced);
    s.avail_out = static_cast<uint32_t>(n - produced);
    int rc = isal_inflate(&s);
    size_t made = (n - produced) - s.avail_out;
    produced += made;
    member_out_ += made;
    if (rc >= 0 && s.block_state == ISAL_BLOCK_FINISH) {
      member_open_ = false;
      return true;
    }
    return made > 0;
  }

  /// zlib decodes from the start of the member igzip rejected to the end.
  bool switch_to_zlib() {
    use_zlib_ = true;
    avail_ += pos_ - member_start_;
    pos_ = member_start_;
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) return fail("zlib could not be initialised");
    zlib_ready_ = true;
    return true;
  }

  bool step_zlib(char* out, size_t n, size_t& produced) {
    z_.next_in = buf_.get() + pos_;
    z_.avail_in = static_cast<uInt>(avail_);
    z_.next_out = reinterpret_cast<Bytef*>(out + produced);
    z_.avail_out = static_cast<uInt>(n - produced);
    int rc = inflate(&z_, Z_NO_FLUSH);
    produced += (n - produced) - z_.avail_out;
    consume(avail_ - z_.avail_in);
    if (rc == Z_STREAM_END) {
      member_open_ = false;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return fail(fmt::format("corrupt gzip data at compressed byte {}: {}", offset(),
                              z_.msg ? z_.msg : "inflate failed"));
    }
    return true;
  }

  void truncated() {
    fail(fmt::format(
        "truncated gzip stream: compressed data ends at byte {} in the "
        "middle of a member; records before the cut were kept",
        offset()));
  }
  bool fail(std::string why) {
    done_ = failed_ = true;
    error_ = std::move(why);
    return false;
  }

  std::unique_ptr<byte_source> in_;
  std::unique_ptr<unsigned char[]> buf_;
  size_t pos_ = 0, avail_ = 0;
  std::unique_ptr<inflate_state> isal_;
  z_stream z_{};
  bool zlib_ready_ = false;
  bool use_zlib_ = false;
  bool member_open_ = false;
  bool member_in_buffer_ = false;  // buf_[member_start_] is the member's first byte
  size_t member_start_ = 0;
  size_t member_out_ = 0;
  bool eof_ = false;
  bool done_ = false;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<byte_source> gzip_decoder(std::unique_ptr<byte_source> in) {
  return std::make_unique<gzip_source>(std::move(in));
}

}  // namespace analyzer::ingest
