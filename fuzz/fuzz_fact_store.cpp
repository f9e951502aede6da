// SPDX-License-Identifier: MIT
// The audit's serialized fact store (a partial's facts) → fact_store::attach,
// which must check hostile bytes completely before it adds anything; an
// accepted store → serialize → attach again (the same bytes), and the audit
// (lifecycles, the six detectors) over it.
//
// The format ends in a checksum of every byte before it, which a mutation
// almost always breaks: inputs whose first byte is odd get a fresh checksum
// first, so the checks behind it are reached too; even ones are read as
// they are.
//
// KT_FUZZ_SEEDS=<dir> writes seed stores (built by the audit's own record
// side, fact_sink, from calls of every kind) into <dir> and exits; fuzz/run.py
// uses it to seed the corpus.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzer/audit/audit.hpp"
#include "analyzer/audit/fact_sink.hpp"
#include "fuzz_support.hpp"

using namespace analyzer;

namespace {

std::string resealed(std::string bytes) {
  if (bytes.size() < 8) return bytes;
  uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
  for (size_t i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>(sum >> (8 * i));
  return bytes;
}

/// `calls` calls of `clients` clients: creates (with callbacks and external
/// ids), polls through to a result, failures with causes and Retry-After,
/// callbacks, untimed calls; deterministic.
std::string seed_store(int clients, int calls, uint32_t salt) {
  audit::fact_store store;
  audit::fact_sink sink(store);
  static const char* const statuses[] = {"submitted", "processing", "succeed", "failed", ""};
  static const char* const causes[] = {"rate_limit.concurrency", "auth.token_expired",
                                       "params.invalid_duration", "server.internal_error"};
  uint64_t x = 0x9e3779b97f4a7c15ULL ^ salt;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (int i = 0; i < calls; ++i) {
    std::string auth = "Bearer key-" + std::to_string(next() % static_cast<uint64_t>(clients));
    std::string task = std::to_string(880000000000 + next() % 8);
    std::string rid = "6f1eb2bf-e612-5ec9-afe1-5c2f759e" + std::to_string(1000 + i);
    std::string body = R"({"prompt":"fox","callback_url":"https://hook.example/k)" +
                       std::to_string(next() % 3) + R"(","external_task_id":"ext-)" +
                       std::to_string(i % 5) + "\"}";
    std::string poll = "/v1/videos/text2video/" + task;
    std::vector<audit::named_task> answer{{task, statuses[next() % 5]}};
    std::vector<audit::named_task> request{{task, statuses[next() % 5]}};
    audit::call_input in;
    in.source_path = i % 7 == 0 ? "b.har" : "a.jsonl";
    (i % 7 == 0 ? in.entry : in.line) = i + 1;
    in.record_bytes = body;
    if (i % 11 != 10) in.ts_ms = 1795507200000 + int64_t{i} * 1500 + static_cast<int64_t>(next() % 900);
    in.duration_ms = 40.0 + static_cast<double>(i % 9);
    in.authorization = auth;
    in.request_id = rid;
    switch (next() % 4) {
      case 0:
        in.method = "POST", in.url = "https://api.klingai.com/v1/videos/text2video";
        in.endpoint = "/v1/videos/text2video";
        in.request_body = body;
        in.callback_url = "https://hook.example/k1";
        in.external_task_id = "ext-1";
        break;
      case 1:
        in.method = "GET", in.url = poll;
        in.endpoint = "/v1/videos/text2video/{id}";
        break;
      case 2:
        in.method = "POST", in.url = "https://hook.example/k1", in.endpoint = "/k1";
        in.request_body = body;
        in.request_tasks = request;
        break;
      default:
        in.method = "GET", in.url = "/v1/videos/text2video?pageNum=1";
        in.endpoint = "/v1/videos/text2video";
        break;
    }
    in.status = next() % 3 == 0 ? 429 : 200;
    in.answer_tasks = answer;
    if (in.status != 200) {
      in.failure = true;
      in.code = 1303;
      in.cause = causes[next() % 4];
      in.retryable = static_cast<audit::retry_advice>(next() % 4);
      in.retry_after = next() % 2 == 0 ? "2" : "Wed, 25 Nov 2026 17:37:40 GMT";
    }
    KT_FUZZ_CHECK(sink.add(in));
  }
  return store.serialize();
}

int write_seeds(const char* dir) {
  int n = 0;
  for (auto [clients, calls] : {std::pair{1, 0}, {1, 1}, {1, 12}, {3, 40}, {8, 90}, {2, 140}}) {
    std::string bytes = seed_store(clients, calls, static_cast<uint32_t>(n));
    audit::fact_store check;
    std::string error;
    KT_FUZZ_CHECK(check.attach(std::make_shared<const std::string>(bytes), error));
    std::ofstream(std::string(dir) + "/store-" + std::to_string(n++), std::ios::binary) << '\1' << bytes;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("KT_FUZZ_SEEDS")) std::exit(write_seeds(dir));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) bytes = resealed(std::move(bytes));
  audit::fact_store store;
  std::string error;
  if (!store.attach(std::make_shared<const std::string>(std::move(bytes)), error)) {
    KT_FUZZ_CHECK(!error.empty());
    KT_FUZZ_CHECK(store.size() == 0 && store.clients().empty());
    return 0;
  }
  // What the store writes it reads back, and writes the same again.
  std::string again = store.serialize();
  audit::fact_store copy;
  KT_FUZZ_CHECK(copy.attach(std::make_shared<const std::string>(again), error));
  KT_FUZZ_CHECK(copy.size() == store.size());
  KT_FUZZ_CHECK(copy.serialize() == again);
  // Two partials of the same facts merge to twice the facts.
  KT_FUZZ_CHECK(copy.attach(std::make_shared<const std::string>(again), error));
  KT_FUZZ_CHECK(copy.size() == 2 * store.size());
  audit::audit_options opt;
  opt.keep_marks = (data[0] & 2) != 0;
  opt.series_bucket_ms = (data[0] & 4) != 0 ? 60'000 : 0;
  audit::audit_result r = audit::run_audit(store, opt);
  KT_FUZZ_CHECK(r.calls >= 0 && r.untimed_calls >= 0 && r.callbacks >= r.callbacks_unmatched);
  for (const auto& d : r.detectors) {
    KT_FUZZ_CHECK(d.findings >= 0 && d.examples.size() <= opt.examples);
    for (const auto& e : d.examples) KT_FUZZ_CHECK(e.at.source < r.sources.size());
  }
  return 0;
}
