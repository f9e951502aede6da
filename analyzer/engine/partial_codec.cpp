// SPDX-License-Identifier: MIT
// The sections `run`, `inputs` and `counts` (docs/partial-format.md).
#include "analyzer/engine/partial_codec.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <type_traits>

#include "analyzer/core/msg_template.hpp"
#include "analyzer/core/redact.hpp"
#include "analyzer/core/text.hpp"
#include "analyzer/engine/wire.hpp"

namespace analyzer::engine {

namespace {

using wire::reader;
using wire::writer;

constexpr uint64_t section_version = 1;
// Limits on what a reader accepts (a partial is hostile input).
constexpr uint64_t max_count = uint64_t{1} << 50;  // any one count
constexpr int64_t max_abs_time = int64_t{1} << 55;  // ms either side of the epoch
constexpr size_t max_id = 1024;
constexpr size_t max_text = size_t{1} << 16;
constexpr size_t max_path = size_t{1} << 16;
constexpr uint64_t max_items = uint64_t{1} << 28;
constexpr size_t max_options = 64;

// ---- writing --------------------------------------------------------------

void put_opt(writer& w, const std::optional<int64_t>& v) { w.opt(v.has_value(), v.value_or(0)); }

void put_key(writer& w, const aggregate::record_key& k) {
  w.svarint(k.ts == aggregate::no_time ? 0 : k.ts);
  w.u8(k.ts == aggregate::no_time ? 0 : 1);
  w.fixed64(k.hash);
  w.varint(k.source);
  w.svarint(k.line);
  w.svarint(k.entry);
}

void put_example(writer& w, const aggregate::example& ex) {
  put_key(w, ex.key);
  w.str(ex.request_id);
  put_opt(w, ex.ts_ms);
  w.varint(static_cast<uint64_t>(std::max(0, ex.status)));
  put_opt(w, ex.code);
  w.str(ex.endpoint);
  w.str(ex.message);
}

template <typename Map>
void put_int_counts(writer& w, const Map& m) {
  w.varint(m.size());
  for (const auto& [k, v] : m) {
    w.svarint(static_cast<int64_t>(k));
    w.varint(static_cast<uint64_t>(v));
  }
}

void put_counts(writer& w, int64_t v) { w.varint(static_cast<uint64_t>(v)); }
void put_counts(writer& w, const aggregate::record_counts& c) {
  w.varint(static_cast<uint64_t>(c.records));
  w.varint(static_cast<uint64_t>(c.failures));
}

/// A bounded dimension (finished): whether values were left out, the kept
/// values in key order, the others' counts.
template <typename Key, typename Counts>
void put_bounded(writer& w, const aggregate::bounded_counts<Key, Counts>& b) {
  w.u8(b.truncated() ? 1 : 0);
  std::vector<const std::pair<const Key, Counts>*> sorted;
  for (const auto& kv : b) sorted.push_back(&kv);
  std::sort(sorted.begin(), sorted.end(), [](auto* x, auto* y) { return x->first < y->first; });
  w.varint(sorted.size());
  for (const auto* kv : sorted) {
    if constexpr (std::is_same_v<Key, std::string>) {
      w.str(kv->first);
    } else {
      w.svarint(static_cast<int64_t>(kv->first));
    }
    put_counts(w, kv->second);
  }
  put_counts(w, b.other());
}

std::string encode_run(const run_state& s) {
  writer w;
  w.varint(section_version);
  w.str(s.meta.tool_version);
  w.str(s.meta.rules_digest);
  w.varint(static_cast<uint64_t>(s.meta.rule_count));
  w.str(s.meta.profiles_digest);
  w.varint(s.meta.options.size());
  for (const auto& [k, v] : s.meta.options) {
    w.str(k);
    w.str(v);
  }
  put_opt(w, s.meta.since_ms);
  put_opt(w, s.meta.until_ms);
  w.varint(s.causes.size());
  for (const auto& c : s.causes) {
    w.str(c.id);
    w.str(c.category);
    w.str(c.title);
    w.str(c.retryable);
    w.varint(c.fixes.size());
    for (const auto& f : c.fixes) w.str(f);
    w.str(c.docs);
  }
  return w.take();
}

std::string encode_inputs(const run_state& s) {
  writer w;
  w.varint(section_version);
  w.varint(s.inputs.size());
  for (const auto& e : s.inputs) {
    w.str(e.path);
    w.u8(e.range ? 1 : 0);
    if (e.range) {
      w.varint(static_cast<uint64_t>(e.range->start));
      w.varint(static_cast<uint64_t>(e.range->end));
    }
    w.fixed64(e.checksum);
    w.varint(static_cast<uint64_t>(e.lines));
    w.str(e.format);
    w.str(e.compression);
    w.str(e.profile);
    w.str(e.encoding);
    w.str(e.line_ends);
    w.varint(static_cast<uint64_t>(e.raw_bytes));
    w.varint(static_cast<uint64_t>(e.bytes));
    w.u8(e.unreadable ? 1 : 0);
    w.varint(e.errors.size());
    for (const auto& err : e.errors) w.str(core::redact(err));  // as every output is
  }
  return w.take();
}

void put_input_stats(writer& w, const aggregate::input_stats& st) {
  for (int64_t v : {st.records, st.ok, st.failures, st.malformed, st.skipped, st.response_bodies}) {
    w.varint(static_cast<uint64_t>(v));
  }
}

}  // namespace

void put_aggregate(writer& w, const aggregate::aggregator& a, size_t input_count) {
  for (int64_t v : {a.records, a.ok, a.failures, a.malformed, a.filtered, a.skipped,
                    a.without_time}) {
    w.varint(static_cast<uint64_t>(v));
  }
  w.varint(input_count);
  for (size_t i = 0; i < input_count; ++i) {
    put_input_stats(w, i < a.inputs.size() ? a.inputs[i] : aggregate::input_stats{});
  }
  size_t statuses = static_cast<size_t>(
      std::count_if(a.statuses.begin(), a.statuses.end(), [](int64_t n) { return n > 0; }));
  w.varint(statuses);
  for (size_t i = 0; i < a.statuses.size(); ++i) {
    if (a.statuses[i] == 0) continue;
    w.varint(i);
    w.varint(static_cast<uint64_t>(a.statuses[i]));
  }
  put_bounded(w, a.codes);
  put_opt(w, a.first_ts);
  put_opt(w, a.last_ts);
  size_t used = static_cast<size_t>(std::count_if(
      a.causes.begin(), a.causes.end(), [](const auto& c) { return c.count > 0; }));
  w.varint(used);
  for (size_t i = 0; i < a.causes.size(); ++i) {
    const aggregate::cause_stats& c = a.causes[i];
    if (c.count == 0) continue;
    w.varint(i);
    w.varint(static_cast<uint64_t>(c.count));
    put_int_counts(w, c.statuses);
    put_bounded(w, c.codes);
    put_bounded(w, c.endpoints);
    w.varint(c.examples.size());
    for (const auto& ex : c.examples) put_example(w, ex);
    put_opt(w, c.first_seen);
    put_opt(w, c.last_seen);
  }
  w.varint(a.malformed_examples.size());
  for (const auto& m : a.malformed_examples) {
    put_key(w, m.key);
    w.str(m.error);
  }
  put_bounded(w, a.endpoints);
  put_bounded(w, a.models);
  const aggregate::minute_map& buckets = a.minutes.buckets();
  std::vector<int64_t> minutes;
  for (const auto& [m, b] : buckets) minutes.push_back(m);
  std::sort(minutes.begin(), minutes.end());
  w.varint(static_cast<uint64_t>(a.minutes.resolution_minutes()));
  w.varint(minutes.size());
  for (int64_t m : minutes) {
    const aggregate::minute_bucket& b = buckets.at(m);
    w.varint(static_cast<uint64_t>(m));
    w.varint(static_cast<uint64_t>(b.records));
    w.varint(static_cast<uint64_t>(b.failures));
    put_int_counts(w, b.causes);
  }
  w.u8(a.unexplained.capped() ? 1 : 0);
  w.varint(a.unexplained.entries().size());
  for (const auto& [k, t] : a.unexplained.entries()) {
    w.str(k.second);
    w.varint(static_cast<uint64_t>(t.count));
    put_int_counts(w, t.statuses);
    put_bounded(w, t.codes);
    w.u8(t.earliest ? 1 : 0);
    if (t.earliest) put_example(w, *t.earliest);
  }
}

namespace {

std::string encode_counts(const run_state& s) {
  writer w;
  w.varint(section_version);
  put_aggregate(w, s.agg, s.inputs.size());
  return w.take();
}

// ---- reading --------------------------------------------------------------

/// A decoding step's context: the reader and what a value must be within.
struct decoder {
  reader& r;
  size_t causes = 0;  // cause table size
  size_t inputs = 0;  // manifest size

  int64_t count() { return static_cast<int64_t>(r.bounded(max_count, "a count")); }
  int64_t time() {
    int64_t v = r.svarint();
    if (v > max_abs_time || v < -max_abs_time) r.fail(wire::fault::bad_value, "a time out of range");
    return v;
  }
  std::optional<int64_t> opt_time() {
    if (!r.flag()) return std::nullopt;
    return time();
  }
  std::optional<int64_t> opt_code() {
    int64_t v = 0;
    if (!r.opt(v)) return std::nullopt;
    return v;
  }
  std::string text(size_t max) { return std::string(r.str(max)); }

  aggregate::record_key key() {
    aggregate::record_key k;
    int64_t ts = time();
    bool timed = r.flag();
    k.ts = timed ? ts : aggregate::no_time;
    k.hash = r.fixed64();
    k.source = static_cast<uint32_t>(r.bounded(inputs == 0 ? 0 : inputs - 1, "an input index"));
    if (inputs == 0) r.fail(wire::fault::bad_value, "a record of a partial without inputs");
    k.line = r.svarint();
    k.entry = r.svarint();
    if (k.line < -1 || k.entry < -1 || k.line > max_abs_time || k.entry > max_abs_time) {
      r.fail(wire::fault::bad_value, "a record position out of range");
    }
    return k;
  }
  aggregate::example example() {
    aggregate::example ex;
    ex.key = key();
    ex.line = ex.key.line;
    ex.entry = ex.key.entry;
    ex.request_id = text(max_text);
    ex.ts_ms = opt_time();
    ex.status = static_cast<int>(r.bounded(999, "a status"));
    ex.code = opt_code();
    ex.endpoint = text(max_text);
    ex.message = text(max_text);
    return ex;
  }
  template <typename K>
  std::map<K, int64_t> int_counts(int64_t lo, int64_t hi) {
    std::map<K, int64_t> m;
    size_t n = r.count(max_items, 2, "counts");
    for (size_t i = 0; i < n && r.ok(); ++i) {
      int64_t k = r.svarint();
      int64_t v = count();
      if (k < lo || k > hi) r.fail(wire::fault::bad_value, "a key out of range");
      if (!m.emplace(static_cast<K>(k), v).second) r.fail(wire::fault::bad_value, "a key twice");
    }
    return m;
  }
  void counts_into(int64_t& v) { v = count(); }
  void counts_into(aggregate::record_counts& c) {
    c.records = count();
    c.failures = count();
    if (c.failures > c.records) r.fail(wire::fault::bad_value, "more failures than records");
  }
  /// A bounded dimension (put_bounded) into `into`, whose limit is the
  /// partial's --max-distinct: keys in ascending order, each once.
  template <typename Key, typename Counts>
  void bounded(aggregate::bounded_counts<Key, Counts>& into) {
    bool truncated = r.flag();
    size_t n = r.count(into.limit(), std::is_same_v<Counts, int64_t> ? 2 : 3, "kept values");
    typename aggregate::bounded_counts<Key, Counts>::map_type m;
    std::optional<Key> previous;
    for (size_t i = 0; i < n && r.ok(); ++i) {
      Key k{};
      if constexpr (std::is_same_v<Key, std::string>) {
        k = text(aggregate::max_value_bytes);
      } else {
        k = static_cast<Key>(r.svarint());
      }
      if (previous && !(*previous < k)) r.fail(wire::fault::bad_value, "kept values out of order");
      previous = k;
      counts_into(m[k]);
    }
    Counts other{};
    counts_into(other);
    if (r.ok() && !into.restore(std::move(m), other, truncated)) {
      r.fail(wire::fault::bad_value, "a bounded dimension that breaks its limit");
    }
  }
  template <typename T>
  void sorted_by_key(const std::vector<T>& list, size_t limit) {
    if (list.size() > limit) r.fail(wire::fault::bad_value, "too many examples");
    for (size_t i = 1; i < list.size(); ++i) {
      if (!(list[i - 1].key < list[i].key)) r.fail(wire::fault::bad_value, "examples out of order");
    }
  }
};

void check_version(reader& r) {
  if (r.varint() > section_version) {
    r.fail(wire::fault::bad_value, "a section of a newer version");
  }
}

void decode_run(reader& r, run_state& s) {
  check_version(r);
  run_meta& m = s.meta;
  m.tool_version = std::string(r.str(max_id));
  m.rules_digest = std::string(r.str(max_id));
  m.rule_count = static_cast<int64_t>(r.bounded(max_items, "the rule count"));
  m.profiles_digest = std::string(r.str(max_id));
  size_t n = r.count(max_options, 2, "options");
  for (size_t i = 0; i < n && r.ok(); ++i) {
    std::string k(r.str(max_id));
    std::string v(r.str(max_text));
    m.options.emplace_back(std::move(k), std::move(v));
  }
  decoder d{r};
  m.since_ms = d.opt_time();
  m.until_ms = d.opt_time();
  size_t causes = r.count(max_items, 6, "causes");
  if (r.ok() && causes == 0) r.fail(wire::fault::bad_value, "no cause table");
  for (size_t i = 0; i < causes && r.ok(); ++i) {
    cause_info c;
    c.id = std::string(r.str(max_id));
    c.category = std::string(r.str(max_id));
    c.title = std::string(r.str(max_text));
    c.retryable = std::string(r.str(max_id));
    size_t fixes = r.count(max_items, 1, "fixes");
    for (size_t f = 0; f < fixes && r.ok(); ++f) c.fixes.emplace_back(r.str(max_text));
    c.docs = std::string(r.str(max_text));
    s.causes.push_back(std::move(c));
  }
}

void decode_inputs(reader& r, run_state& s) {
  check_version(r);
  size_t n = r.count(max_items, 20, "inputs");
  for (size_t i = 0; i < n && r.ok(); ++i) {
    input_entry e;
    e.path = std::string(r.str(max_path));
    if (r.flag()) {
      auto start = static_cast<int64_t>(r.bounded(max_count, "a byte offset"));
      auto end = static_cast<int64_t>(r.bounded(max_count, "a byte offset"));
      if (end < start) r.fail(wire::fault::bad_value, "a byte range that ends before it starts");
      e.range = byte_range{start, end};
    }
    e.checksum = r.fixed64();
    e.lines = static_cast<int64_t>(r.bounded(max_count, "a line count"));
    e.format = std::string(r.str(max_id));
    e.compression = std::string(r.str(max_id));
    e.profile = std::string(r.str(max_id));
    e.encoding = std::string(r.str(max_id));
    e.line_ends = std::string(r.str(max_id));
    e.raw_bytes = static_cast<int64_t>(r.bounded(max_count, "a size"));
    e.bytes = static_cast<int64_t>(r.bounded(max_count, "a size"));
    e.unreadable = r.flag();
    size_t errors = r.count(max_items, 1, "errors");
    for (size_t k = 0; k < errors && r.ok(); ++k) e.errors.emplace_back(r.str(max_text));
    if (!s.inputs.empty() && !manifest_less(s.inputs.back(), e)) {
      r.fail(wire::fault::bad_value, "inputs out of order (or one twice)");
    }
    s.inputs.push_back(std::move(e));
  }
}

void decode_causes(decoder& d, aggregate::aggregator& a) {
  reader& r = d.r;
  size_t used = r.count(d.causes, 4, "cause counts");
  int64_t previous = -1;
  for (size_t i = 0; i < used && r.ok(); ++i) {
    auto index = static_cast<int64_t>(r.bounded(d.causes - 1, "a cause index"));
    if (index <= previous) r.fail(wire::fault::bad_value, "causes out of order");
    previous = index;
    aggregate::cause_stats c(a.codes.limit());
    c.count = d.count();
    c.statuses = d.int_counts<int>(0, 999);
    d.bounded(c.codes);
    d.bounded(c.endpoints);
    size_t examples = r.count(aggregate::max_examples, 10, "examples");
    for (size_t k = 0; k < examples && r.ok(); ++k) c.examples.push_back(d.example());
    d.sorted_by_key(c.examples, aggregate::max_examples);
    c.first_seen = d.opt_time();
    c.last_seen = d.opt_time();
    if (c.count == 0) r.fail(wire::fault::bad_value, "a cause with no failures");
    if (r.ok()) a.causes[static_cast<size_t>(index)] = std::move(c);
  }
}

void decode_minutes(decoder& d, aggregate::aggregator& a) {
  reader& r = d.r;
  auto resolution = static_cast<int64_t>(r.bounded(max_count, "a timeline resolution"));
  size_t n = r.count(max_items, 4, "minutes");
  aggregate::minute_map buckets;
  int64_t previous = -1;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    auto minute = static_cast<int64_t>(r.bounded(max_count, "a minute"));
    if (minute <= previous) r.fail(wire::fault::bad_value, "minutes out of order");
    previous = minute;
    aggregate::minute_bucket b;
    b.records = d.count();
    b.failures = d.count();
    b.causes = d.int_counts<int>(0, static_cast<int64_t>(d.causes) - 1);
    if (b.failures > b.records) r.fail(wire::fault::bad_value, "more failures than records");
    buckets.emplace(minute, std::move(b));
  }
  if (r.ok() && !a.minutes.restore(resolution, std::move(buckets))) {
    r.fail(wire::fault::bad_value, "an invalid timeline (resolution, alignment or budget)");
  }
}

void decode_unexplained(decoder& d, aggregate::aggregator& a) {
  reader& r = d.r;
  bool capped = r.flag();
  size_t n = r.count(aggregate::template_table::limit, 4, "templates");
  std::map<aggregate::template_table::key, aggregate::template_stats> entries;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    std::string text = d.text(max_text);
    aggregate::template_stats t;
    t.count = d.count();
    t.statuses = d.int_counts<int>(0, 999);
    t.codes = aggregate::code_counts(a.codes.limit());
    d.bounded(t.codes);
    if (r.flag()) t.earliest = d.example();
    uint64_t hash = core::template_hash(text);
    if (!entries.emplace(aggregate::template_table::key{hash, std::move(text)}, std::move(t)).second) {
      r.fail(wire::fault::bad_value, "a template twice");
    }
  }
  if (r.ok() && !a.unexplained.restore(std::move(entries), capped)) {
    r.fail(wire::fault::bad_value, "an invalid template table");
  }
}

}  // namespace

void get_aggregate(reader& r, aggregate::aggregator& a, size_t causes, size_t input_count,
                   bool exact) {
  decoder d{r, causes, input_count};
  a.records = d.count();
  a.ok = d.count();
  a.failures = d.count();
  a.malformed = d.count();
  a.filtered = d.count();
  a.skipped = d.count();
  a.without_time = d.count();
  if (r.ok() && a.records != a.ok + a.failures + a.malformed) {
    r.fail(wire::fault::bad_value, "records are not ok + failures + malformed");
  }
  size_t inputs = r.count(max_items, 6, "input counts");
  if (r.ok() && (exact ? inputs != input_count : inputs > input_count)) {
    r.fail(wire::fault::bad_value, "input counts of another manifest");
  }
  a.inputs.resize(r.ok() ? inputs : 0);
  for (auto& in : a.inputs) {
    in.records = d.count();
    in.ok = d.count();
    in.failures = d.count();
    in.malformed = d.count();
    in.skipped = d.count();
    in.response_bodies = d.count();
  }
  size_t statuses = r.count(a.statuses.size(), 2, "statuses");
  for (size_t i = 0; i < statuses && r.ok(); ++i) {
    size_t status = r.bounded(a.statuses.size() - 1, "a status");
    a.statuses[status] = d.count();
  }
  d.bounded(a.codes);
  a.first_ts = d.opt_time();
  a.last_ts = d.opt_time();
  decode_causes(d, a);
  size_t malformed = r.count(aggregate::max_malformed_examples, 10, "malformed examples");
  for (size_t i = 0; i < malformed && r.ok(); ++i) {
    aggregate::malformed_example m;
    m.key = d.key();
    m.line = m.key.line;
    m.entry = m.key.entry;
    m.error = d.text(max_text);
    a.malformed_examples.push_back(std::move(m));
  }
  d.sorted_by_key(a.malformed_examples, aggregate::max_malformed_examples);
  d.bounded(a.endpoints);
  d.bounded(a.models);
  decode_minutes(d, a);
  decode_unexplained(d, a);
}

namespace {

void decode_counts(reader& r, run_state& s) {
  check_version(r);
  get_aggregate(r, s.agg, s.causes.size(), s.inputs.size(), true);
}

/// The bounds its counts were kept with (options `max-distinct`,
/// `max-timeline-cells`; the defaults when absent), within what
/// `analyze` accepts. A problem's text, or empty.
std::string limits_of(const run_meta& m, aggregate::limits& bounds) {
  for (const auto& [flag, value] : m.options) {
    size_t* into = flag == "max-distinct"         ? &bounds.max_distinct
                   : flag == "max-timeline-cells" ? &bounds.max_timeline_cells
                                                  : nullptr;
    if (into == nullptr) continue;
    auto v = core::parse_int(value);
    int64_t lo = flag == "max-distinct" ? 10 : 1000;
    int64_t hi = flag == "max-distinct" ? 10000000 : 100000000;
    if (!v || *v < lo || *v > hi) return fmt::format("has --{} {}, out of range", flag, value);
    *into = static_cast<size_t>(*v);
  }
  return {};
}

partial_error invalid(std::string_view section, const reader& r) {
  return {r.problem() == wire::fault::truncated ? partial_errc::truncated : partial_errc::invalid,
          fmt::format("its `{}` section {}", section,
                      r.ok() ? std::string("has bytes after its end") : r.why())};
}

const partial_section* find(const std::vector<partial_section>& sections, std::string_view name) {
  for (const auto& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::vector<partial_section> encode_state(const run_state& state) {
  std::vector<partial_section> out;
  out.push_back({"run", true, encode_run(state)});
  out.push_back({"inputs", true, encode_inputs(state)});
  out.push_back({"counts", true, encode_counts(state)});
  for (const auto& s : state.sections) {
    out.push_back({std::string(s->name()), s->required(), s->encode()});
  }
  return out;
}

std::string encode_state(const run_state& state, partial_form form, bool compress) {
  return encode_partial(encode_state(state), form, compress);
}

std::optional<run_state> decode_state(const std::vector<partial_section>& sections,
                                      partial_error& error, std::vector<std::string>& notes) {
  const partial_section* run = find(sections, "run");
  const partial_section* inputs = find(sections, "inputs");
  const partial_section* counts = find(sections, "counts");
  if (run == nullptr || inputs == nullptr || counts == nullptr) {
    error = {partial_errc::invalid, "it lacks one of the sections run, inputs and counts"};
    return std::nullopt;
  }
  run_state head({});
  reader rr(run->bytes);
  decode_run(rr, head);
  if (!rr.ok() || !rr.at_end()) {
    error = invalid("run", rr);
    return std::nullopt;
  }
  aggregate::limits bounds;
  if (auto why = limits_of(head.meta, bounds); !why.empty()) {
    error = {partial_errc::invalid, fmt::format("its `run` section {}", why)};
    return std::nullopt;
  }
  run_state s(std::move(head.causes), bounds);
  s.meta = std::move(head.meta);
  for (auto [section, decode] :
       {std::pair{inputs, &decode_inputs}, std::pair{counts, &decode_counts}}) {
    reader r(section->bytes);
    decode(r, s);
    if (!r.ok() || !r.at_end()) {
      error = invalid(section->name, r);
      return std::nullopt;
    }
  }
  for (const auto& sec : sections) {
    if (&sec == run || &sec == inputs || &sec == counts) continue;
    const auto& known = known_sections();
    auto it = std::find_if(known.begin(), known.end(),
                           [&](const section_codec& c) { return c.name == sec.name; });
    if (it == known.end()) {
      if (sec.required) {
        error = {partial_errc::newer_version,
                 fmt::format("it holds a `{}` section this kling-triage does not know (made by a "
                             "newer version?)", sec.name)};
        return std::nullopt;
      }
      notes.push_back(fmt::format("skipped its `{}` section (unknown to this kling-triage)", sec.name));
      continue;
    }
    std::string why;
    auto state = it->decode(sec.bytes, s, why);
    if (!state) {
      error = {partial_errc::invalid, fmt::format("its `{}` section {}", sec.name, why)};
      return std::nullopt;
    }
    s.sections.push_back(std::move(state));
  }
  return s;
}

partials_read read_partials(std::string_view bytes) {
  partials_read out;
  std::string embedded;
  size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == '{') {
    std::string why;
    auto text = embedded_partial(bytes, why);
    if (!text) {
      out.error = partial_error{
          partial_errc::not_a_partial,
          why.empty() ? "a JSON report without its partial (write it with --embed-partial)"
                      : "it starts with `{` but is no JSON document (a log? `kling-triage "
                        "analyze --partial FILE` writes the partial of a log)"};
      return out;
    }
    embedded = std::move(*text);
    bytes = embedded;
  }
  partial_stream stream(bytes);
  std::vector<partial_section> sections;
  while (stream.next(sections)) {
    partial_error error;
    auto state = decode_state(sections, error, out.notes);
    if (!state) {
      error.message = fmt::format("partial {} in it: {}", stream.count(), error.message);
      out.error = std::move(error);
      return out;
    }
    out.states.push_back(std::move(*state));
  }
  if (stream.error()) out.error = stream.error();
  if (!out.error && out.states.empty()) {
    out.error = partial_error{partial_errc::not_a_partial, "it is empty"};
  }
  return out;
}

}  // namespace analyzer::engine
