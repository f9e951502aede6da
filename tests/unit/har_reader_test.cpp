// SPDX-License-Identifier: MIT
// ingest/har_reader: streaming log.entries out of real HAR files, and the
// structural errors (not a HAR, invalid JSON, truncation) with offsets.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/event/endpoint.hpp"
#include "analyzer/ingest/reader.hpp"
#include "test_support.hpp"

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using namespace analyzer;
using test_support::options_with;
using event::failure_kind;
using event::outcome;
using ingest::input_format;
using test_support::contains;
using test_support::normalize_records;
using test_support::read_bytes;
using test_support::read_file;

namespace {

fs::path fixtures() { return fs::path(test_support::test_data_dir()) / "har-fixtures"; }


struct fixture_case {
  const char* file;
  size_t entries;
  std::vector<int64_t> transport;  // entries with status 0 / -1
};
std::ostream& operator<<(std::ostream& os, const fixture_case& c) {
  return os << c.file;
}

// Entry counts from har-fixtures/SOURCES.md.
const fixture_case good_fixtures[] = {
    {"charles-proxy-4.6.3.har", 1, {}},
    {"chrome-devtools-modern-status0-empty-content.har", 1, {0}},
    {"chrome-har-0.3.2-browsertime.har", 22, {}},
    {"fiddler-2.3-bom-pages-null.har", 22, {}},
    {"fiddler-4.6-bom-ie11.har", 11, {}},
    {"firebug-1.7-har11-multiple-pages.har", 9, {}},
    {"firefox-111-devtools.har", 14, {}},
    {"firefox-47-har11-status0.har", 3, {1, 2}},
    {"ie11-network-inspector-har11.har", 25, {}},
    {"insomnia-2022.1.1.har", 1, {}},
    {"mitmproxy-export-error-status0.har", 2, {0}},
    {"playwright-1.32-status-minus1-no-pages.har", 2, {0}},
    {"pollyjs-5.1.1.har", 1, {}},
    {"proxyman-5.6.1.har", 1, {}},
    {"safari-webkit-web-inspector.har", 19, {}},
    {"webpagetest-2.17-har11.har", 15, {}},
    {"zap-dev-build.har", 6, {}},
};

struct broken_case {
  const char* file;
  const char* error;  // a part of the error
  int64_t offset;
};
std::ostream& operator<<(std::ostream& os, const broken_case& c) {
  return os << c.file;
}

const broken_case broken_fixtures[] = {
    // `xxx` where ',' or '}' must follow the "creator" object.
    {"broken-harviewer-not-json.har", "invalid JSON", 110},
    // "log" holds an array.
    {"broken-mitmproxy-brokenfile.har", "not a HAR", 8},
};

/// Byte offsets where each element of log.entries starts, found by a
/// string-aware walk of the document (test-side, independent of the
/// reader).
std::vector<size_t> entry_starts(const std::string& doc) {
  std::vector<size_t> out;
  size_t p = doc.find("\"entries\"");
  BOOST_REQUIRE(p != std::string::npos);
  p = doc.find('[', p) + 1;
  int depth = 0;
  bool want_value = true;
  for (; p < doc.size(); ++p) {
    char c = doc[p];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (depth == 0 && want_value) {
      if (c == ']') break;
      out.push_back(p);
      want_value = false;
    }
    if (c == '"') {
      for (++p; doc[p] != '"'; ++p) {
        if (doc[p] == '\\') ++p;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // end of entries
      --depth;
    } else if (c == ',' && depth == 0) {
      want_value = true;
    }
  }
  return out;
}

/// A HAR document with `n` entries; entry i has status 200 + i and a body
/// of `body_bytes(i)` bytes. `starts` receives each entry's offset.
std::string make_har(int n, std::vector<size_t>& starts,
                     size_t body_bytes = 300) {
  std::string doc = R"({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "pages": [], "entries": [)";
  for (int i = 0; i < n; ++i) {
    if (i > 0) doc += ",\n  ";
    starts.push_back(doc.size());
    doc += R"({"startedDateTime": "2026-11-24T03:12:)" +
           std::string(i < 10 ? "0" : "") + std::to_string(i) +
           R"(Z", "time": 12.5, "request": {"method": "POST", "url": "https://api.klingai.com/v1/videos/text2video", "headers": [{"name": "Content-Type", "value": "application/json"}], "postData": {"mimeType": "application/json", "text": "{\"prompt\": \")" +
           std::string(body_bytes + static_cast<size_t>(i) * 37, 'p') +
           R"(\"}"}}, "response": {"status": 200, "headers": [], "content": {"size": 2, "mimeType": "application/json", "text": "{\"code\": 0, \"request_id\": \"e)" +
           std::to_string(i) + R"(\"}"}}, "timings": {"send": 1, "wait": 10, "receive": 1.5}})";
  }
  doc += "]}}\n";
  return doc;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(har_reader_test)

BOOST_AUTO_TEST_CASE(every_fixture_file_is_checked) {
  std::set<std::string> known;
  for (const auto& c : good_fixtures) known.insert(c.file);
  for (const auto& c : broken_fixtures) known.insert(c.file);
  size_t seen = 0;
  for (const auto& e : fs::directory_iterator(fixtures())) {
    if (e.path().extension() != ".har") continue;
    ++seen;
    BOOST_TEST(known.count(e.path().filename().string()) == 1u,
               "no expectation for " << e.path().filename());
  }
  BOOST_TEST(seen == known.size());
}

BOOST_DATA_TEST_CASE(fixture_entry_counts, bdata::make(good_fixtures), c) {
  for (size_t chunk_bytes : {size_t{512}, size_t{4096}, size_t{4} << 20}) {
    BOOST_TEST_CONTEXT("chunk_bytes " << chunk_bytes) {
      auto read = test_support::read_path((fixtures() / c.file).string(),
                                          options_with(chunk_bytes));
      BOOST_TEST(read.report.format == input_format::har);
      BOOST_TEST(read.report.errors.empty());
      for (const auto& e : read.report.errors) BOOST_TEST_MESSAGE(e);
      auto records = normalize_records(read.chunks);
      BOOST_TEST(records.size() == c.entries);
      for (size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        BOOST_TEST(r.number == static_cast<int64_t>(i));
        BOOST_TEST(r.result != outcome::malformed, "entry " << i << ": " << r.reason);
        bool transport = std::find(c.transport.begin(), c.transport.end(),
                                   static_cast<int64_t>(i)) != c.transport.end();
        BOOST_TEST((r.failure == failure_kind::transport) == transport,
                   "entry " << i << " status " << r.status);
        if (!transport) BOOST_TEST(r.status >= 100, "entry " << i);
      }
    }
  }
}

BOOST_DATA_TEST_CASE(broken_fixtures_report_an_error_with_offset,
                     bdata::make(broken_fixtures), c) {
  auto read = test_support::read_path((fixtures() / c.file).string(),
                                      options_with(4096));
  BOOST_TEST(read.report.format == input_format::har);
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, c.error), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(c.offset)), error);
  BOOST_TEST(normalize_records(read.chunks).empty());
}

BOOST_AUTO_TEST_CASE(mitmproxy_status_0_error_text_is_the_transport_error) {
  auto read = test_support::read_path(
      (fixtures() / "mitmproxy-export-error-status0.har").string(), options_with(4096));
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].failure == failure_kind::transport);
  BOOST_TEST(records[0].status == 0);
  BOOST_TEST(records[0].error.rfind("Multiple exceptions: [Errno 60] Connect call failed", 0) == 0u,
             records[0].error);
  BOOST_TEST(records[1].status == 405);
  BOOST_TEST(records[1].failure == failure_kind::http);
  BOOST_TEST(records[1].method == "POST");
}

BOOST_AUTO_TEST_CASE(compressed_har_fixtures) {
  std::string doc = read_file(fixtures() / "webpagetest-2.17-har11.har");
  for (const std::string& bytes : {test_support::gzip(doc), test_support::zstd(doc)}) {
    auto read = read_bytes(bytes, options_with(1024), "capture.har.gz");
    BOOST_TEST(read.report.format == input_format::har);
    BOOST_TEST(read.report.errors.empty());
    BOOST_TEST(normalize_records(read.chunks).size() == 15u);
  }
}

// The recorded Chromium HARs: 75 entries each, read in order, with the
// method, path and expected cause (bundled rules) of <sample>.expected.tsv.
BOOST_AUTO_TEST_CASE(recorded_samples_have_75_entries) {
  core::diagnostics problems;
  auto bundled = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(bundled != nullptr);
  fs::path dir = fs::path(test_support::source_dir()) / "samples" / "har";
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() != ".har") continue;
    ++files;
    BOOST_TEST_CONTEXT(f.path().filename()) {
      for (size_t chunk_bytes : {size_t{1024}, size_t{4} << 20}) {
        auto read = test_support::read_path(f.path().string(), options_with(chunk_bytes));
        BOOST_TEST(read.report.format == input_format::har);
        BOOST_TEST(read.report.errors.empty());
        auto w = test_support::run_worker(read.chunks, size_t{64} << 20, bundled.get());
        BOOST_TEST(w.events.size() == 75u);
        BOOST_TEST(w.agg.records == 75);
        BOOST_TEST(w.agg.malformed == 0);
        // <sample>.expected.tsv: entry, "METHOD /path", cause.
        fs::path tsv = f.path();
        tsv.replace_extension(".expected.tsv");
        std::istringstream in(read_file(tsv));
        size_t i = 0;
        for (std::string line; std::getline(in, line) && i < w.events.size(); ++i) {
          std::istringstream cols(line);
          std::string entry, call, cause;
          std::getline(cols, entry, '\t');
          std::getline(cols, call, '\t');
          std::getline(cols, cause, '\t');
          std::string folded;
          event::fold_ids(call, folded);
          const auto& e = w.events[i];
          BOOST_TEST(e.entry.value_or(-1) == std::stoll(entry));
          BOOST_TEST(!e.line.has_value());
          BOOST_TEST(e.method + " " + e.endpoint == folded, "entry " << entry);
          BOOST_TEST(e.cause == cause, "entry " << entry);
        }
        BOOST_TEST(i == 75u);
      }
    }
  }
  BOOST_TEST(files == 2u);
}

BOOST_AUTO_TEST_CASE(generated_har_spanning_many_chunks) {
  std::vector<size_t> starts;
  std::string doc = make_har(40, starts, 2000);
  auto read = read_bytes(doc, options_with(512), "capture.har");
  BOOST_TEST(read.report.errors.empty());
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == 40u);
  for (size_t i = 0; i < records.size(); ++i) {
    BOOST_TEST(records[i].number == static_cast<int64_t>(i));
    BOOST_TEST(records[i].result == outcome::ok);
    BOOST_TEST(records[i].status == 200);
    BOOST_TEST(records[i].endpoint == "/v1/videos/text2video");
  }
  BOOST_TEST(read.chunks.size() > 1u);
}

struct cut_case {
  int entry;        // the entry the cut falls in
  double fraction;  // where in it
};
std::ostream& operator<<(std::ostream& os, const cut_case& c) {
  return os << "entry " << c.entry << " at " << c.fraction;
}
const cut_case cuts[] = {{0, 0.5}, {7, 0.5}, {7, 0.02}, {7, 0.98}, {11, 0.5}};

BOOST_DATA_TEST_CASE(truncated_har_keeps_complete_entries, bdata::make(cuts), c) {
  std::vector<size_t> starts;
  std::string doc = make_har(12, starts, 1500);
  size_t begin = starts[static_cast<size_t>(c.entry)];
  size_t end = c.entry + 1 < 12 ? starts[static_cast<size_t>(c.entry) + 1]
                                : doc.rfind(']');
  size_t cut = begin + static_cast<size_t>(static_cast<double>(end - begin) * c.fraction);
  std::string cut_doc = doc.substr(0, cut);
  auto read = read_bytes(cut_doc, options_with(512), "capture.har");
  BOOST_TEST(read.report.format == input_format::har);
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, "truncated HAR"), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(cut)), error);
  BOOST_TEST(contains(error, "log.entries[" + std::to_string(c.entry) + "]"), error);
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == static_cast<size_t>(c.entry) + 1);
  for (int i = 0; i < c.entry; ++i) {
    BOOST_TEST(records[static_cast<size_t>(i)].result == outcome::ok, "entry " << i);
    BOOST_TEST(records[static_cast<size_t>(i)].number == i);
  }
  const auto& last = records.back();
  BOOST_TEST(last.number == c.entry);
  BOOST_TEST(last.result == outcome::malformed);
  BOOST_TEST(contains(last.reason, "cut off"), last.reason);
}

// A file cut right after the ',' that follows an entry holds no part of
// the next entry: the complete entries are records, and no malformed
// record is made up for an entry that is not in the file.
BOOST_AUTO_TEST_CASE(truncated_har_after_a_comma_adds_no_phantom_entry) {
  std::vector<size_t> starts;
  std::string doc = make_har(6, starts);
  size_t cut = doc.rfind(',', starts[4]) + 1;  // just after entry 3's ','
  BOOST_TEST_REQUIRE(cut > starts[3]);
  auto read = read_bytes(doc.substr(0, cut), options_with(512), "capture.har");
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, "truncated HAR"), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(cut)), error);
  BOOST_TEST(contains(error, "the 4 complete entries"), error);
  auto records = normalize_records(read.chunks);
  BOOST_TEST(records.size() == 4u);
  for (const auto& r : records) {
    BOOST_TEST(r.result == outcome::ok, "entry " << r.number << ": " << r.reason);
  }
}

BOOST_AUTO_TEST_CASE(truncated_real_fixture_in_the_middle_of_an_entry) {
  std::string doc = read_file(fixtures() / "firebug-1.7-har11-multiple-pages.har");
  std::vector<size_t> starts = entry_starts(doc);
  BOOST_TEST_REQUIRE(starts.size() == 9u);
  size_t cut = (starts[5] + starts[6]) / 2;
  auto read = read_bytes(doc.substr(0, cut), options_with(1024), "firebug.har");
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, "truncated HAR"), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(cut)), error);
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == 6u);
  for (size_t i = 0; i < 5; ++i) {
    BOOST_TEST(records[i].result != outcome::malformed, "entry " << i);
  }
  BOOST_TEST(records[5].number == 5);
  BOOST_TEST(records[5].result == outcome::malformed);
}

// The offset in the error is the position in the file, which counts the
// UTF-8 byte order mark at its start.
BOOST_AUTO_TEST_CASE(truncated_har_offset_counts_the_bom) {
  std::string doc = read_file(fixtures() / "fiddler-4.6-bom-ie11.har");
  BOOST_TEST_REQUIRE(doc.rfind("\xEF\xBB\xBF", 0) == 0u);
  std::vector<size_t> starts = entry_starts(doc);
  BOOST_TEST_REQUIRE(starts.size() == 11u);
  size_t cut = (starts[3] + starts[4]) / 2;
  auto read = read_bytes(doc.substr(0, cut), options_with(4096), "fiddler.har");
  BOOST_TEST_REQUIRE(read.report.errors.size() == 1u);
  const std::string& error = read.report.errors[0];
  BOOST_TEST(contains(error, "truncated HAR"), error);
  BOOST_TEST(contains(error, "byte " + std::to_string(cut)), error);
  BOOST_TEST(normalize_records(read.chunks).size() == 4u);
}

BOOST_AUTO_TEST_CASE(json_that_is_not_a_har) {
  for (const char* doc : {R"({"foo": 1})", "{\n  \"foo\": 1\n}\n",
                          R"({"foo": {"log": {"entries": []}}})"}) {
    auto read = read_bytes(doc, options_with(4096), "export.har");
    BOOST_TEST(read.report.format == input_format::har, doc);
    BOOST_TEST_REQUIRE(read.report.errors.size() == 1u, doc);
    BOOST_TEST(contains(read.report.errors[0], "not a HAR"), read.report.errors[0]);
    BOOST_TEST(read.chunks.empty(), doc);
  }
}

BOOST_AUTO_TEST_CASE(har_structure_errors) {
  struct structure_case {
    const char* doc;
    const char* error;
  };
  const structure_case cases[] = {
      {R"({"log": {"version": "1.2"}})", R"(no "entries")"},
      {R"({"log": {"entries": {}}})", "log.entries is not an array"},
      {R"({"log": []})", "not a HAR"},
      {R"([{"log": {}}])", "not a HAR"},
      {R"({"log": {"entries": []}} trailing)", "invalid JSON"},
  };
  for (const auto& c : cases) {
    auto read = read_bytes(c.doc, options_with(4096), "x.har");
    BOOST_TEST_REQUIRE(read.report.errors.size() == 1u, c.doc);
    BOOST_TEST(contains(read.report.errors[0], c.error), read.report.errors[0]);
  }
}

BOOST_AUTO_TEST_CASE(empty_entries_is_fine) {
  auto read = read_bytes(R"({"log": {"version": "1.2", "entries": []}})",
                         options_with(4096), "x.har");
  BOOST_TEST(read.report.errors.empty());
  BOOST_TEST(normalize_records(read.chunks).empty());
}

BOOST_AUTO_TEST_CASE(entry_that_is_not_an_object_is_malformed_alone) {
  std::vector<size_t> starts;
  std::string one = make_har(1, starts);
  std::string entry = one.substr(starts[0], one.rfind("]}}") - starts[0]);
  std::string doc = R"({"log": {"entries": [1, )" + entry + R"(, "text", [], )" +
                    entry + "]}}";
  auto read = read_bytes(doc, options_with(4096), "x.har");
  BOOST_TEST(read.report.errors.empty());
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == 5u);
  const outcome want[] = {outcome::malformed, outcome::ok, outcome::malformed,
                          outcome::malformed, outcome::ok};
  for (size_t i = 0; i < 5; ++i) {
    BOOST_TEST(records[i].number == static_cast<int64_t>(i));
    BOOST_TEST(records[i].result == want[i], "entry " << i);
    if (want[i] == outcome::malformed) {
      BOOST_TEST(!records[i].reason.empty(), "entry " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(entry_larger_than_max_record_bytes) {
  std::vector<size_t> starts;
  std::string doc = make_har(5, starts, 300);
  // Make entry 2 huge.
  size_t at = doc.find("pppp", starts[2]);
  doc.insert(at, std::string(20000, 'p'));
  auto read = read_bytes(doc, options_with(1024, 4096), "x.har");
  BOOST_TEST(read.report.errors.empty());
  auto records = normalize_records(read.chunks);
  BOOST_TEST_REQUIRE(records.size() == 5u);
  for (size_t i = 0; i < 5; ++i) {
    BOOST_TEST(records[i].number == static_cast<int64_t>(i));
    BOOST_TEST((records[i].result == outcome::malformed) == (i == 2), "entry " << i);
  }
  BOOST_TEST(contains(records[2].reason, "record limit"), records[2].reason);
  BOOST_TEST(contains(records[2].reason, "4096"), records[2].reason);
}

BOOST_AUTO_TEST_SUITE_END()
