// SPDX-License-Identifier: MIT
// The partial container; the layout is in docs/partial-format.md.
#include "analyzer/engine/partial_file.hpp"

#include <zstd.h>

#include <algorithm>
#include <fmt/format.h>
#include <simdjson.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/engine/wire.hpp"
#include "analyzer/ingest/base64.hpp"

namespace analyzer::engine {

namespace {

constexpr std::string_view prefix = "kling-triage/partial@";
constexpr std::string_view text_marker = " base64:";
constexpr uint8_t flag_zstd = 1;
constexpr uint8_t section_required = 1;

std::string encode_body(const std::vector<partial_section>& sections) {
  wire::writer w;
  w.varint(sections.size());
  for (const auto& s : sections) {
    w.str(s.name);
    w.u8(s.required ? section_required : 0);
    w.str(s.bytes);
  }
  return w.take();
}

/// Flags, stored length, stored bytes and their checksum: the part of a
/// partial after its header line, identical in both forms.
std::string frame(std::string body, bool compress) {
  uint8_t flags = 0;
  if (compress) {
    std::string z(ZSTD_compressBound(body.size()), '\0');
    size_t n = ZSTD_compress(z.data(), z.size(), body.data(), body.size(), 3);
    if (ZSTD_isError(n) == 0) {
      z.resize(n);
      body = std::move(z);
      flags |= flag_zstd;
    }
  }
  wire::writer w;
  w.u8(flags);
  w.str(body);
  std::string& out = w.bytes();
  uint64_t sum = XXH3_64bits(out.data(), out.size());
  w.fixed64(sum);
  return w.take();
}

/// `bytes` as a short, printable quote for an error message.
std::string quote_start(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 16)) {
    auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }
  return out;
}

bool valid_section_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

}  // namespace

std::string_view name_of(partial_errc e) {
  switch (e) {
    case partial_errc::not_a_partial: return "not a partial";
    case partial_errc::newer_version: return "newer version";
    case partial_errc::truncated: return "truncated";
    case partial_errc::corrupted: return "corrupted";
    case partial_errc::invalid: return "invalid";
  }
  return "invalid";
}

std::string encode_partial(const std::vector<partial_section>& sections, partial_form form,
                           bool compress) {
  std::string framed = frame(encode_body(sections), compress);
  std::string out(partial_schema);
  if (form == partial_form::binary) {
    out += '\n';
    out += framed;
    return out;
  }
  out += text_marker;
  ingest::base64_encode(framed, out);
  out += '\n';
  return out;
}

bool partial_stream::fail(partial_errc code, std::string message) {
  error_ = partial_error{code, std::move(message)};
  pos_ = in_.size();
  return false;
}

bool partial_stream::next(std::vector<partial_section>& out) {
  out.clear();
  if (error_) return false;
  while (pos_ < in_.size() && (in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == ' ' ||
                               in_[pos_] == '\t')) {
    ++pos_;
  }
  if (pos_ >= in_.size()) return false;
  size_t at = pos_;
  std::string_view rest = in_.substr(pos_);
  if (rest.substr(0, prefix.size()) != prefix) {
    if (prefix.substr(0, rest.size()) == rest) {
      return fail(partial_errc::truncated, fmt::format("it ends inside the header at byte {}", at));
    }
    return fail(partial_errc::not_a_partial,
                fmt::format("no `{}` header at byte {} (it starts with `{}`)", partial_schema, at,
                            quote_start(rest)));
  }
  size_t p = prefix.size();
  uint64_t version = 0;
  size_t digits = 0;
  while (p < rest.size() && rest[p] >= '0' && rest[p] <= '9' && digits < 9) {
    version = version * 10 + static_cast<uint64_t>(rest[p] - '0');
    ++p;
    ++digits;
  }
  if (digits == 0) {
    return fail(partial_errc::not_a_partial, fmt::format("a malformed header at byte {}", at));
  }
  if (version > partial_version) {
    return fail(partial_errc::newer_version,
                fmt::format("it is kling-triage/partial@{}, a newer format than this "
                            "kling-triage reads ({}): use a newer kling-triage",
                            version, partial_schema));
  }
  if (version != partial_version) {
    return fail(partial_errc::not_a_partial,
                fmt::format("unknown format kling-triage/partial@{} at byte {}", version, at));
  }
  if (p >= rest.size()) {
    return fail(partial_errc::truncated, fmt::format("it ends after the header at byte {}", at));
  }
  if (rest[p] == '\n') {  // binary: flags, stored length, bytes, checksum
    ++p;
    wire::reader r(rest.substr(p));
    r.u8();
    uint64_t stored = r.varint();
    size_t head = rest.size() - p - r.left();
    if (!r.ok() || stored > r.left() || r.left() - stored < 8) {
      return fail(partial_errc::truncated,
                  fmt::format("the partial at byte {} is cut short ({} bytes left)", at,
                              rest.size() - p));
    }
    size_t framed = head + static_cast<size_t>(stored) + 8;
    pos_ += p + framed;
    return read_body(rest.substr(p, framed), at, out);
  }
  if (rest.substr(p, text_marker.size()) != text_marker) {
    return fail(partial_errc::not_a_partial,
                fmt::format("a malformed header at byte {} (expected a newline or `{}`)", at,
                            text_marker));
  }
  p += text_marker.size();
  size_t eol = rest.find('\n', p);
  std::string_view b64 = rest.substr(p, eol == std::string_view::npos ? rest.npos : eol - p);
  pos_ += eol == std::string_view::npos ? rest.size() : eol + 1;
  std::string framed;
  if (!ingest::base64_decode(b64, framed)) {
    return fail(partial_errc::corrupted,
                fmt::format("the text partial at byte {} holds a byte that is not base64", at));
  }
  return read_body(framed, at, out);
}

bool partial_stream::read_body(std::string_view framed, size_t at,
                               std::vector<partial_section>& out) {
  if (framed.size() < 9) {
    return fail(partial_errc::truncated, fmt::format("the partial at byte {} is cut short", at));
  }
  std::string_view covered = framed.substr(0, framed.size() - 8);
  wire::reader sum_reader(framed.substr(framed.size() - 8));
  if (XXH3_64bits(covered.data(), covered.size()) != sum_reader.fixed64()) {
    return fail(partial_errc::corrupted,
                fmt::format("the partial at byte {} fails its checksum (changed or cut "
                            "short after it was written)", at));
  }
  wire::reader r(covered);
  uint8_t flags = r.u8();
  std::string_view stored = r.str(covered.size());
  if (!r.ok() || !r.at_end() || (flags & ~flag_zstd) != 0) {
    return fail(partial_errc::corrupted, fmt::format("the partial at byte {} is badly framed", at));
  }
  std::string inflated;
  std::string_view body = stored;
  if ((flags & flag_zstd) != 0) {
    unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    uint64_t limit = std::min<uint64_t>(max_partial_body,
                                        std::max<uint64_t>(uint64_t{1} << 20, 512 * stored.size()));
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > limit) {
      return fail(partial_errc::corrupted,
                  fmt::format("the partial at byte {} holds no valid zstd frame", at));
    }
    inflated.resize(static_cast<size_t>(size));
    size_t n = ZSTD_decompress(inflated.data(), inflated.size(), stored.data(), stored.size());
    if (ZSTD_isError(n) != 0 || n != size) {
      return fail(partial_errc::corrupted,
                  fmt::format("the partial at byte {} does not decompress: {}", at,
                              ZSTD_isError(n) != 0 ? ZSTD_getErrorName(n) : "short"));
    }
    body = inflated;
  }
  wire::reader b(body);
  size_t n = b.count(max_sections, 3, "sections");
  for (size_t i = 0; i < n && b.ok(); ++i) {
    partial_section s;
    s.name = std::string(b.str(max_section_name));
    uint8_t sflags = b.u8();
    s.required = (sflags & section_required) != 0;
    s.bytes = std::string(b.str(b.left()));
    if (!b.ok()) break;
    if (!valid_section_name(s.name) || (sflags & ~section_required) != 0) {
      b.fail(wire::fault::bad_value, "a section with an invalid name or flags");
      break;
    }
    for (const auto& seen : out) {
      if (seen.name == s.name) b.fail(wire::fault::bad_value, "section `" + s.name + "` twice");
    }
    out.push_back(std::move(s));
  }
  if (!b.ok() || !b.at_end()) {
    out.clear();
    return fail(partial_errc::corrupted,
                fmt::format("the partial at byte {} has a bad section table: {}", at,
                            b.ok() ? "bytes after the last section" : b.why()));
  }
  ++count_;
  return true;
}

std::optional<std::string> embedded_partial(std::string_view json, std::string& error) {
  simdjson::padded_string padded(json);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(padded).get(doc); e) {
    error = fmt::format("not valid JSON: {}", simdjson::error_message(e));
    return std::nullopt;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) {
    error = "a JSON document that is not an object";
    return std::nullopt;
  }
  std::string_view text;
  if (obj["partial"].get_string().get(text)) return std::nullopt;
  return std::string(text);
}

}  // namespace analyzer::engine
