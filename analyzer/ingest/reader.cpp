// SPDX-License-Identifier: MIT
#include "analyzer/ingest/reader.hpp"

#include <algorithm>
#if defined(__AVX2__)
#  include <immintrin.h>
#endif
#include <cstring>
#include <fmt/format.h>

#include "analyzer/ingest/profile_detect.hpp"
#include "analyzer/profile/profile_loader.hpp"

#include "analyzer/ingest/detect.hpp"
#include "analyzer/ingest/har_reader.hpp"
#include "analyzer/ingest/normalizer.hpp"

namespace analyzer::ingest {

std::string_view name_of(input_format f) {
  switch (f) {
    case input_format::auto_detect: return "auto";
    case input_format::jsonl: return "jsonl";
    case input_format::har: return "har";
    case input_format::json: return "json";
  }
  return "auto";
}

buffer buffer_pool::acquire(size_t min_capacity) {
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < free_.size(); ++i) {
      if (free_[i].capacity >= min_capacity) {
        buffer b = std::move(free_[i]);
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
        return b;
      }
    }
  }
  return buffer{std::unique_ptr<char[]>(new char[min_capacity]), min_capacity};
}

void buffer_pool::release(buffer b) {
  // A buffer grown for one long line is freed, not kept: the pool would
  // otherwise hold the largest lines of the run until its end.
  if (!b.data || b.capacity > kept_capacity) return;
  std::lock_guard lock(mutex_);
  if (free_.size() < 64) free_.push_back(std::move(b));
}

namespace {

/// Number of '\n' in [p, p + n). std::count compiles to a slow widening
/// loop here; a compare + movemask + popcount per 32 bytes is several times
/// cheaper.
int64_t count_newlines(const char* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
#if defined(__AVX2__)
  const __m256i nl = _mm256_set1_epi8('\n');
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl)));
    count += __builtin_popcount(mask);
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n' ? 1 : 0;
  return count;
}

/// Reads until `n` bytes arrived or the stream ended or failed. Counts
/// the newlines of each piece right after reading it, while it is still in
/// cache (a second pass over a whole chunk would come from memory).
struct filler {
  byte_source* src;
  input_report* report;
  bool eof = false;
  bool stop = false;        // head_only: the profile is chosen
  int64_t newlines = 0;     // since the last chunk was cut
  int64_t all_newlines = 0;
  char last = '\n';         // the last byte read
  bool cr_lines = false;    // classic Mac line ends: each CR is read as LF

  static constexpr size_t piece = size_t{1} << 17;

  size_t fill(char* p, size_t n) {
    size_t got = 0;
    while (got < n && !eof) {
      int64_t r = src->read(p + got, std::min(n - got, piece));
      if (r < 0) {
        report->errors.push_back(src->error());
        eof = true;
      } else if (r == 0) {
        eof = true;
      } else {
        if (cr_lines) std::replace(p + got, p + got + r, '\r', '\n');
        int64_t k = count_newlines(p + got, static_cast<size_t>(r));
        newlines += k;
        all_newlines += k;
        got += static_cast<size_t>(r);
        last = p[got - 1];
        report->bytes += r;
      }
    }
    return got;
  }
};

chunk make_chunk(uint32_t source, buffer&& buf, size_t size, int64_t line) {
  chunk c;
  c.source = source;
  c.buf = std::move(buf);
  c.size = size;
  c.first_line = line;
  return c;
}

chunk malformed_chunk(uint32_t source, int64_t number, std::string why) {
  chunk c;
  c.source = source;
  c.explicit_records = true;
  c.records.push_back(record_span{0, 0, number, true, std::move(why)});
  return c;
}

/// Discards the rest of an over-long line. Returns the bytes after its
/// newline, moved to the front of `buf` (0 at end of stream).
size_t skip_line(filler& in, buffer& buf, size_t usable) {
  for (;;) {
    size_t got = in.fill(buf.data.get(), usable);
    if (got == 0) return 0;
    auto* nl = static_cast<char*>(std::memchr(buf.data.get(), '\n', got));
    if (nl != nullptr) {
      size_t rest = got - static_cast<size_t>(nl + 1 - buf.data.get());
      std::memmove(buf.data.get(), nl + 1, rest);
      return rest;
    }
    if (in.eof) return 0;
  }
}

// A whole JSON document as one record (line 1), up to the record limit.
void read_document(uint32_t source, filler& in, buffer buf, size_t fill,
                   const reader_options& opt, buffer_pool& pool, const chunk_emitter& emit) {
  const size_t pad = required_padding();
  auto too_long = [&] {
    pool.release(std::move(buf));
    emit(malformed_chunk(source, 1, fmt::format("a JSON document longer than the record limit "
                                                "({} bytes; see --max-record-bytes)",
                                                opt.max_record_bytes)));
  };
  for (;;) {
    size_t usable = buf.capacity - pad;
    fill += in.fill(buf.data.get() + fill, usable - fill);
    if (fill > opt.max_record_bytes) return too_long();  // also when it ended just past it
    if (in.eof) break;
    buffer grown = pool.acquire(usable * 2 + pad);
    std::memcpy(grown.data.get(), buf.data.get(), fill);
    pool.release(std::move(buf));
    buf = std::move(grown);
  }
  chunk c = make_chunk(source, std::move(buf), fill, 1);
  c.explicit_records = true;
  c.records.push_back({0, fill, 1, true, {}});
  emit(std::move(c));
}

void read_jsonl(uint32_t source, filler& in, buffer buf, size_t fill,
                const reader_options& opt, buffer_pool& pool,
                const chunk_emitter& emit) {
  const size_t pad = required_padding();
  // A record may be max_record_bytes long without its line end: the
  // buffer that must find its newline holds that and a CRLF.
  const size_t line_room = opt.max_record_bytes + 2;
  size_t usable = buf.capacity - pad;
  int64_t line = 1;
  for (;;) {
    fill += in.fill(buf.data.get() + fill, usable - fill);
    if (in.eof) {
      if (fill > 0) emit(make_chunk(source, std::move(buf), fill, line));
      else pool.release(std::move(buf));
      return;
    }
    char* base = buf.data.get();
    auto* last = static_cast<char*>(memrchr(base, '\n', fill));
    if (last != nullptr) {
      size_t cut = static_cast<size_t>(last - base) + 1;
      buffer next = pool.acquire(std::max(opt.chunk_bytes, fill - cut) + pad);
      std::memcpy(next.data.get(), base + cut, fill - cut);
      // Every newline read so far is in [0, cut): the rest has none.
      int64_t lines = in.newlines;
      in.newlines = 0;
      emit(make_chunk(source, std::move(buf), cut, line));
      if (in.stop) {
        pool.release(std::move(next));
        return;
      }
      line += lines;
      fill -= cut;
      buf = std::move(next);
      usable = buf.capacity - pad;
    } else if (usable >= line_room) {
      emit(malformed_chunk(source, line, oversized_line_reason(opt.max_record_bytes)));
      if (in.stop) return;
      ++line;
      fill = skip_line(in, buf, usable);
      in.newlines = count_newlines(buf.data.get(), fill);
    } else {
      size_t bigger = std::min(usable * 2, line_room);
      buffer grown = pool.acquire(bigger + pad);
      std::memcpy(grown.data.get(), base, fill);
      pool.release(std::move(buf));
      buf = std::move(grown);
      usable = bigger;
    }
  }
}

// Without a chooser (tests, tools): detection over the bundled profiles.
int default_profile(std::string_view head, size_t capacity, input_format format) {
  event::field_plan plan;
  normalizer norm(plan);
  return detect_profile(profile::bundled_set(), head, capacity, format, norm).profile;
}

}  // namespace

std::string oversized_line_reason(size_t max_record_bytes) {
  return fmt::format("line longer than the record limit ({} bytes; see --max-record-bytes)",
                     max_record_bytes);
}

input_report read_stream(uint32_t source, const std::string& path,
                         opened_input in, const reader_options& options,
                         buffer_pool& pool, const chunk_emitter& emit) {
  input_report report;
  report.path = path;
  report.kind = in.kind;
  if (!in.source) {
    report.unreadable = true;
    report.errors.push_back(in.error);
    return report;
  }
  filler f{in.source.get(), &report};
  const size_t pad = required_padding();
  buffer buf = pool.acquire(options.chunk_bytes + pad);
  const size_t head = std::min<size_t>(options.chunk_bytes, 1 << 16);
  size_t fill = f.fill(buf.data.get(), head);
  int64_t bom = 0;
  if (options.strip_bom && fill >= 2 &&
      (std::memcmp(buf.data.get(), "\xFF\xFE", 2) == 0 ||
       std::memcmp(buf.data.get(), "\xFE\xFF", 2) == 0)) {
    // UTF-16 (Windows tools write it): read it as UTF-8, from the start.
    bool big_endian = buf.data[0] == '\xFE';
    std::vector<char> seen(buf.data.get() + 2, buf.data.get() + fill);
    in.source = utf16_to_utf8(prefixed(std::move(seen), std::move(in.source)), big_endian);
    report.encoding = big_endian ? "utf-16be" : "utf-16le";
    f = filler{in.source.get(), &report};
    report.bytes = 0;
    fill = f.fill(buf.data.get(), head);
    bom = 2;
  } else if (options.strip_bom && fill >= 3 &&
             std::memcmp(buf.data.get(), "\xEF\xBB\xBF", 3) == 0) {
    std::memmove(buf.data.get(), buf.data.get() + 3, fill - 3);
    fill -= 3;
    bom = 3;
  }
  report.format = options.format != input_format::auto_detect
                      ? options.format
                      : sniff_format({buf.data.get(), fill}, path);
  if (report.format == input_format::jsonl && fill > 0 &&
      std::memchr(buf.data.get(), '\n', fill) == nullptr &&
      std::memchr(buf.data.get(), '\r', fill) != nullptr) {
    // CR-only line ends (classic Mac OS, some exporters): a raw CR cannot
    // be inside a JSON string, so every CR ends a record.
    f.cr_lines = true;
    std::replace(buf.data.get(), buf.data.get() + fill, '\r', '\n');
    f.newlines = count_newlines(buf.data.get(), fill);
    f.all_newlines += f.newlines;  // the first read counted none
    f.last = buf.data[fill - 1];
    report.line_ends = "cr";
  }
  // The input's profile is chosen on the first chunk that holds whole
  // lines (chunks before it, reader-made malformed records such as
  // over-long lines, wait for the choice); every chunk carries it.
  std::vector<chunk> held;
  bool decided = false;
  auto decide = [&](const chunk* c) {
    std::string why;
    std::string_view head = c != nullptr ? std::string_view(c->buf.data.get(), c->size) : "";
    size_t capacity = c != nullptr ? c->buf.capacity : 0;
    std::string empty(required_padding(), '\0');
    if (c == nullptr) head = std::string_view(empty.data(), 0), capacity = empty.size();
    report.profile = options.choose_profile
                         ? options.choose_profile(head, capacity, report.format, why)
                         : default_profile(head, capacity, report.format);
    if (report.profile < 0 && !why.empty()) report.errors.push_back(std::move(why));
    decided = true;
    if (options.head_only) {
      f.stop = true;
      for (auto& h : held) pool.release(std::move(h.buf));
      held.clear();
      return;
    }
    for (auto& h : held) {
      h.profile = report.profile;
      emit(std::move(h));
    }
    held.clear();
  };
  chunk_emitter tagged = [&](chunk&& c) {
    if (!decided) {
      bool whole_lines = !c.explicit_records && c.size > 0;
      if (report.format != input_format::jsonl || whole_lines || held.size() >= 64) {
        decide(&c);
      } else {
        held.push_back(std::move(c));
        return;
      }
    }
    if (f.stop) {
      pool.release(std::move(c.buf));
      return;
    }
    c.profile = report.profile;
    emit(std::move(c));
  };
  if (options.head_only && report.format != input_format::jsonl) {
    decide(nullptr);  // only JSON Lines are read in byte ranges
  } else if (report.format == input_format::har) {
    read_har(source, *in.source, report, std::move(buf), fill, f.eof, bom,
             options, pool, tagged);
  } else if (report.format == input_format::json) {
    read_document(source, f, std::move(buf), fill, options, pool, tagged);
  } else {
    read_jsonl(source, f, std::move(buf), fill, options, pool, tagged);
  }
  if (!decided) decide(nullptr);
  report.raw_bytes = in.source->raw_bytes();
  report.checksum = in.source->checksum();
  report.lines = f.all_newlines + (report.bytes > 0 && f.last != '\n' ? 1 : 0);
  return report;
}

input_report read_head(const std::string& path, const reader_options& options) {
  reader_options head = options;
  head.head_only = true;
  buffer_pool pool;
  return read_stream(0, path, open_input(path), head, pool, [](chunk&&) {});
}

input_report read_input(uint32_t source, const std::string& path,
                        const reader_options& options, buffer_pool& pool,
                        const chunk_emitter& emit) {
  return read_stream(source, path, open_input(path), options, pool, emit);
}

}  // namespace analyzer::ingest
