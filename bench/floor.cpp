// bench_floor: "the floor" for kling-triage's ingest speed.
//
// Loads the whole input into one simdjson::padded_string, parses every JSON Lines record with
// simdjson On-Demand (one iterate() per line, straight out of the big buffer: no copy), reads
// response.status (or response.status_code) and response.body.code, and prints the tally as
// JSON. No decompression, no normalisation, no rules, one thread: whatever kling-triage does
// beyond this is what its extra time buys.
//
//   bench_floor [--dom] [--stream] FILE
//
// --dom     parse each line with the DOM API instead (validates every value; On-Demand skips
//           the values it does not read, so `{"a":tru}` passes it).
// --stream  do not load the whole file: read it in 8 MiB chunks into one reused buffer (what a
//           streaming reader can do; on some VMs the first touch of freshly loaded memory costs
//           more than the parse itself).
// A HAR document ({"log": {...}}) is recognised and its log.entries tallied (always loaded whole).
//
// Output (stdout, keys sorted, the same as bench/tally.py and bench/tally.jq):
//   {"blank":0,"codes":{"0":0,"1102":0},"malformed":0,"records":0,"statuses":{"200":0,"none":0}}
// `records` counts non-blank lines (malformed ones included); a line that is not a JSON object,
// or has trailing content, is malformed. Timing goes to stderr.

#include <simdjson.h>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#define FLOOR_STR2(x) #x
#define FLOOR_STR(x) FLOOR_STR2(x)

using namespace simdjson;

namespace {

constexpr int64_t kNone = INT64_MIN;

struct Tally {
  uint64_t records = 0, malformed = 0, blank = 0;
  std::array<uint64_t, 1002> status_small{};  // index status + 1, for -1..1000
  std::unordered_map<int64_t, uint64_t> status_other;
  uint64_t status_none = 0;
  std::unordered_map<int64_t, uint64_t> codes;

  void add_status(int64_t s) {
    if (s == kNone) {
      ++status_none;
    } else if (s >= -1 && s <= 1000) {
      ++status_small[static_cast<size_t>(s + 1)];
    } else {
      ++status_other[s];
    }
  }

  std::string json() const {
    std::map<std::string, uint64_t> st, cd;
    for (size_t i = 0; i < status_small.size(); ++i)
      if (status_small[i]) st[std::to_string(static_cast<int64_t>(i) - 1)] += status_small[i];
    for (auto& [k, v] : status_other) st[std::to_string(k)] += v;
    if (status_none) st["none"] += status_none;
    for (auto& [k, v] : codes) cd[std::to_string(k)] += v;
    auto obj = [](const std::map<std::string, uint64_t>& m) {
      std::string s = "{";
      for (auto& [k, v] : m) {
        if (s.size() > 1) s += ',';
        s += fmt::format("\"{}\":{}", k, v);
      }
      return s + "}";
    };
    return fmt::format(R"({{"blank":{},"codes":{},"malformed":{},"records":{},"statuses":{}}})", blank,
                       obj(cd), malformed, records, obj(st));
  }
};

// ---- On-Demand ---------------------------------------------------------------------------------

// Reads status / status_code / body.code from a response object. Returns false on a parse error.
template <typename Obj>
bool read_response(Obj& resp, int64_t& status, int64_t& code, bool& has_code) {
  int64_t s1 = kNone, s2 = kNone;
  for (auto field : resp) {
    ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    if (key.is_equal("status")) {
      int64_t v;
      if (!field.value().get_int64().get(v)) s1 = v;
    } else if (key.is_equal("status_code")) {
      int64_t v;
      if (!field.value().get_int64().get(v)) s2 = v;
    } else if (key.is_equal("body")) {
      ondemand::value bv;
      if (field.value().get(bv)) return false;
      ondemand::json_type ty;
      if (bv.type().get(ty)) return false;
      if (ty == ondemand::json_type::object) {
        ondemand::object body;
        if (bv.get_object().get(body)) return false;
        for (auto bf : body) {
          ondemand::raw_json_string bk;
          if (bf.key().get(bk)) return false;
          if (bk.is_equal("code")) {
            int64_t v;
            if (!bf.value().get_int64().get(v)) {
              code = v;
              has_code = true;
            }
          }
        }
      }
    }
  }
  status = s1 != kNone ? s1 : s2;
  return true;
}

// Reads one record object (a JSON Lines record or a HAR entry). Returns false on a parse error.
bool read_record(ondemand::object obj, int64_t& status, int64_t& code, bool& has_code) {
  for (auto field : obj) {
    ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    if (key.is_equal("response")) {
      ondemand::value v;
      if (field.value().get(v)) return false;
      ondemand::json_type ty;
      if (v.type().get(ty)) return false;
      if (ty == ondemand::json_type::object) {
        ondemand::object resp;
        if (v.get_object().get(resp)) return false;
        if (!read_response(resp, status, code, has_code)) return false;
      }
    }
  }
  return true;
}

void commit(Tally& t, int64_t status, int64_t code, bool has_code) {
  t.add_status(status);
  if (has_code) ++t.codes[code];
}

bool tally_object(ondemand::object obj, Tally& t) {
  int64_t status = kNone, code = 0;
  bool has_code = false;
  if (!read_record(obj, status, code, has_code)) return false;
  commit(t, status, code, has_code);
  return true;
}

// One JSON Lines record, parsed in place; `capacity` bytes from p are readable (padding).
bool tally_line_ondemand(ondemand::parser& parser, const char* p, size_t len, size_t capacity,
                         Tally& t) {
  ondemand::document doc;
  if (parser.iterate(p, len, capacity).get(doc)) return false;
  ondemand::object obj;
  if (doc.get_object().get(obj)) return false;
  int64_t status = kNone, code = 0;
  bool has_code = false;
  if (!read_record(obj, status, code, has_code)) return false;
  // Trailing content after the object: anything left to read is an error.
  if (doc.current_location().error() != OUT_OF_BOUNDS) return false;
  commit(t, status, code, has_code);  // only now: a late parse error leaves no trace
  return true;
}

// ---- DOM (full validation) ----------------------------------------------------------------------

void tally_dom_record(dom::object obj, Tally& t) {
  int64_t status = kNone;
  dom::object resp;
  if (!obj["response"].get_object().get(resp)) {
    int64_t v;
    if (!resp["status"].get_int64().get(v)) status = v;
    else if (!resp["status_code"].get_int64().get(v)) status = v;
    dom::object body;
    if (!resp["body"].get_object().get(body) && !body["code"].get_int64().get(v)) ++t.codes[v];
  }
  t.add_status(status);
}

// ---- driver -------------------------------------------------------------------------------------

bool is_blank(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return false;
  return true;
}

bool looks_like_har(const char* p, size_t n) {
  size_t i = 0;
  auto ws = [&] { while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) ++i; };
  ws();
  if (i >= n || p[i] != '{') return false;
  ++i;
  ws();
  return n - i >= 5 && std::memcmp(p + i, "\"log\"", 5) == 0;
}

// Tallies the lines of [base, base+size); `size + SIMDJSON_PADDING` bytes are readable.
// If `keep_tail` is set, stops before an unterminated last line and returns its offset.
size_t tally_lines(ondemand::parser& op, dom::parser& dp, bool use_dom, const char* base, size_t size,
                   bool keep_tail, Tally& t) {
  size_t pos = 0;
  const size_t capacity_end = size + SIMDJSON_PADDING;
  while (pos < size) {
    const char* p = base + pos;
    const void* nl = std::memchr(p, '\n', size - pos);
    if (!nl && keep_tail) return pos;
    size_t len = nl ? static_cast<const char*>(nl) - p : size - pos;
    size_t cap = capacity_end - pos;
    pos += len + 1;
    if (is_blank(p, len)) {
      ++t.blank;
      continue;
    }
    ++t.records;
    if (use_dom) {
      dom::element el;
      dom::object obj;
      if (dp.parse(p, len, false).get(el) || el.get_object().get(obj)) {
        ++t.malformed;
        continue;
      }
      tally_dom_record(obj, t);
    } else if (!tally_line_ondemand(op, p, len, cap, t)) {
      ++t.malformed;
    }
  }
  return size;
}

// --stream: read() into one reused buffer, carrying the partial last line over.
bool stream_file(const char* path, bool use_dom, Tally& t, uint64_t& bytes) {
  int fd = ::open(path, O_RDONLY);
  if (fd < 0) return false;
  ondemand::parser op;
  dom::parser dp;
  std::vector<char> buf((8u << 20) + SIMDJSON_PADDING);
  size_t have = 0;
  bool first = true;
  for (;;) {
    size_t room = buf.size() - SIMDJSON_PADDING - have;
    if (room == 0) {  // one line longer than the buffer: grow
      buf.resize(buf.size() * 2);
      room = buf.size() - SIMDJSON_PADDING - have;
    }
    ssize_t n = ::read(fd, buf.data() + have, room);
    if (n < 0) {
      ::close(fd);
      return false;
    }
    bytes += static_cast<uint64_t>(n);
    have += static_cast<size_t>(n);
    size_t start = 0;
    if (first && have >= 3) {
      if (std::memcmp(buf.data(), "\xEF\xBB\xBF", 3) == 0) start = 3;
      first = false;
    }
    std::memset(buf.data() + have, 0, SIMDJSON_PADDING);
    bool eof = n == 0;
    size_t used = start + tally_lines(op, dp, use_dom, buf.data() + start, have - start, !eof, t);
    if (eof) break;
    std::memmove(buf.data(), buf.data() + used, have - used);
    have -= used;
  }
  ::close(fd);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bool use_dom = false, stream = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--dom") {
      use_dom = true;
    } else if (a == "--stream") {
      stream = true;
    } else if (a == "-h" || a == "--help") {
      fmt::print("usage: bench_floor [--dom] [--stream] FILE\n");
      return 0;
    } else {
      path = argv[i];
    }
  }
  if (!path) {
    fmt::print(stderr, "usage: bench_floor [--dom] [--stream] FILE\n");
    return 2;
  }
  fmt::print(stderr, "bench_floor: simdjson {}.{}.{}, On-Demand kernel {} (compile time), DOM/stage-1 kernel {}\n",
             SIMDJSON_VERSION_MAJOR, SIMDJSON_VERSION_MINOR, SIMDJSON_VERSION_REVISION,
             FLOOR_STR(SIMDJSON_BUILTIN_IMPLEMENTATION), get_active_implementation()->name());
  Tally t;
  auto t0 = std::chrono::steady_clock::now();
  double load_s = 0;
  uint64_t size = 0;
  if (stream) {
    // HAR needs the whole document: peek at the start first.
    char head[64] = {};
    if (FILE* f = std::fopen(path, "rb")) {
      size_t n = std::fread(head, 1, sizeof head, f);
      std::fclose(f);
      size_t off = (n >= 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
      if (looks_like_har(head + off, n - off)) stream = false;
    }
  }
  if (stream) {
    if (!stream_file(path, use_dom, t, size)) {
      fmt::print(stderr, "bench_floor: cannot read {}\n", path);
      return 2;
    }
  } else {
    padded_string buf;
    if (auto err = padded_string::load(path).get(buf)) {
      fmt::print(stderr, "bench_floor: cannot read {}: {}\n", path, error_message(err));
      return 2;
    }
    load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const char* base = buf.data();
    size = buf.size();
    size_t pos = 0;
    if (size >= 3 && std::memcmp(base, "\xEF\xBB\xBF", 3) == 0) pos = 3;  // UTF-8 BOM
    if (looks_like_har(base + pos, size - pos)) {
      ondemand::parser parser;
      ondemand::document doc;
      ondemand::array entries;
      auto err = parser.iterate(base + pos, size - pos, size + SIMDJSON_PADDING - pos).get(doc);
      if (!err) err = doc["log"]["entries"].get_array().get(entries);
      if (err) {
        fmt::print(stderr, "bench_floor: invalid HAR document: {}\n", error_message(err));
        return 2;
      }
      for (auto e : entries) {
        ondemand::object obj;
        ++t.records;
        if (e.get_object().get(obj) || !tally_object(obj, t)) {
          ++t.malformed;
          break;  // a broken HAR document cannot be resynchronised
        }
      }
    } else {
      ondemand::parser op;
      dom::parser dp;
      tally_lines(op, dp, use_dom, base + pos, size - pos, false, t);
    }
  }
  double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("{}\n", t.json());
  double mb = static_cast<double>(size) / 1e6;
  fmt::print(stderr, "bench_floor: {:.1f} MB in {:.3f} s = {:.0f} MB/s{}\n", mb, total_s, mb / std::max(total_s, 1e-9),
             stream ? " (streamed)" : fmt::format(" (load {:.3f} s, parse {:.3f} s = {:.0f} MB/s)", load_s,
                                                   total_s - load_s, mb / std::max(total_s - load_s, 1e-9)));
  return 0;
}
