// Copied from /work/shared/bench/simdjson_floor.cpp (the team's shared streaming floor), unchanged
// below this note. bench/run.sh builds it itself:
//   g++ -O3 -std=c++17 -mavx2 -mbmi -mbmi2 -mpclmul -mlzcnt -mpopcnt simdjson_floor.cpp -lsimdjson
// (the same instruction set as the analyzer's ingest). It reads the whole file into one
// padded_string, then iterate_many() streams the documents out of it: one thread.
// The floor for any analyzer of JSON Lines: simdjson's own streaming parse of every line,
// reading the two fields every classifier must read (response status and business code).
// Prints records, failures (status >= 400) and bytes. Build: see bench/README.md.
#include <simdjson.h>
#include <cstdio>
#include <cstdint>
using namespace simdjson;

int main(int argc, char** argv) {
  if (argc != 2) { std::fprintf(stderr, "usage: %s FILE.jsonl\n", argv[0]); return 2; }
  padded_string json;
  if (padded_string::load(argv[1]).get(json)) { std::fprintf(stderr, "cannot read\n"); return 2; }
  ondemand::parser parser;
  ondemand::document_stream stream;
  if (parser.iterate_many(json, 1 << 24).get(stream)) { std::fprintf(stderr, "iterate_many failed\n"); return 2; }
  uint64_t records = 0, failures = 0, errors = 0, codes = 0;
  for (auto doc : stream) {
    ++records;
    ondemand::object obj;
    if (doc.get_object().get(obj)) { ++errors; continue; }
    ondemand::object resp;
    if (obj.find_field_unordered("response").get_object().get(resp)) continue;
    int64_t status = 0;
    if (resp.find_field_unordered("status").get_int64().get(status) == SUCCESS && status >= 400) ++failures;
    ondemand::object body;
    if (resp.find_field_unordered("body").get_object().get(body) == SUCCESS) {
      int64_t code = 0;
      if (body.find_field_unordered("code").get_int64().get(code) == SUCCESS && code != 0) ++codes;
    }
  }
  std::printf("records=%llu failures=%llu codes=%llu errors=%llu bytes=%zu\n",
              (unsigned long long)records, (unsigned long long)failures, (unsigned long long)codes,
              (unsigned long long)errors, json.size());
  return 0;
}
