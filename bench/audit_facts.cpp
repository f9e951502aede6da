// SPDX-License-Identifier: MIT
// bench_audit: the audit's fact storage and second stage on synthetic calls
// of the bench file's shape (default 1.5 M calls: creates with ~300-byte
// bodies and UUID request ids, polls every 3 s, ~11.5 % failures, some 429s
// with Retry-After, JWTs re-minted every 25 min, 8 clients), built in
// process (no JSON parsing), so what is measured is the audit alone.
//
//   bench_audit [--calls N] [--clients N] [--budget MiB] [--spill-dir DIR] [-j N]
//               [--in-memory-only | --spilled-only]
//
// Prints, per phase: wall time, facts held in memory, peak RSS; then the
// same with a small budget (spilled sorted runs) and checks that both audits
// agree. Times are of one run on a shared machine: compare the phases with
// each other, not with other runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "analyzer/audit/audit.hpp"
#include "analyzer/audit/fact_sink.hpp"
#include "analyzer/audit/stream.hpp"

using namespace analyzer::audit;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  int64_t calls = 1'500'000;
  int clients = 8;
  size_t small_budget_mib = 32;
  size_t threads = 1;
  std::string spill_dir;
};

int64_t rss_kib(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field, 0) == 0) return std::stoll(line.substr(std::strlen(field)));
  }
  return -1;
}

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

std::string b64url(std::string_view in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = acc << 8 | c;
    bits += 8;
    while (bits >= 6) out += a[(acc >> (bits -= 6)) & 63];
  }
  if (bits > 0) out += a[(acc << (6 - bits)) & 63];
  return out;
}

/// Synthetic traffic, one call at a time (views valid until the next).
class traffic {
 public:
  explicit traffic(const options& o) : o_(o), rng_(1) {
    prompt_.assign(300, 'x');
  }

  const call_input& next(int64_t i) {
    in_ = call_input{};
    answers_.clear();
    int64_t ts = start_ + i * 57;  // ~1.5 M calls over a day
    int client = static_cast<int>(rng_() % static_cast<unsigned>(o_.clients));
    auth_ = "Bearer " + jwt(client, ts);
    in_.source_path = "bench/data/logs-1g.jsonl";
    in_.line = i + 1;
    record_ = std::to_string(i) + auth_.substr(auth_.size() - 8);
    in_.record_bytes = record_;
    in_.ts_ms = ts;
    in_.duration_ms = 40 + static_cast<double>(rng_() % 400);
    in_.authorization = auth_;
    rid_ = uuid();
    in_.request_id = rid_;
    bool fail = rng_() % 1000 < 115;
    uint64_t roll = rng_() % 100;
    if (roll < 25 || pending_.empty()) {
      create(ts, fail);
    } else if (roll < 95) {
      poll(fail);
    } else {
      in_.method = "GET";
      url_ = "https://api-singapore.klingai.com/v1/videos/text2video?pageNum=1&pageSize=30";
      in_.url = url_;
      in_.endpoint = "/v1/videos/text2video";
      in_.status = 200;
      in_.code = 0;
    }
    return in_;
  }

 private:
  std::string jwt(int client, int64_t ts) {
    int64_t iat = ts / 1000 / 1500 * 1500;
    std::string claims = "{\"iss\":\"AK-BENCH-" + std::to_string(client) + "\",\"exp\":" +
                         std::to_string(iat + 1800) + ",\"nbf\":" + std::to_string(iat - 5) + "}";
    return b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64url(claims) + ".c2ln";
  }

  std::string uuid() {
    static const char* hex = "0123456789abcdef";
    std::string s(36, '-');
    for (size_t k = 0; k < 36; ++k) {
      if (k != 8 && k != 13 && k != 18 && k != 23) s[k] = hex[rng_() & 15];
    }
    return s;
  }

  void create(int64_t ts, bool fail) {
    in_.method = "POST";
    in_.url = "https://api-singapore.klingai.com/v1/videos/text2video";
    in_.endpoint = "/v1/videos/text2video";
    prompt_[rng_() % prompt_.size()] = static_cast<char>('a' + rng_() % 26);
    body_ = "{\"model_name\":\"kling-v1-6\",\"prompt\":\"" + prompt_ +
            "\",\"mode\":\"std\",\"aspect_ratio\":\"16:9\",\"duration\":\"5\"}";
    in_.request_body = body_;
    if (fail) {
      in_.status = 429;
      in_.code = 1302;
      in_.failure = true;
      in_.cause = "rate_limit.requests";
      in_.retryable = retry_advice::yes;
      in_.retry_after = "5";
      return;
    }
    task_ = std::to_string(860010000000000 + ++tasks_);
    answers_.push_back({task_, "submitted"});
    in_.answer_tasks = answers_;
    in_.status = 200;
    in_.code = 0;
    pending_.push_back({task_, ts});
    if (pending_.size() > 4096) pending_.erase(pending_.begin(), pending_.begin() + 1024);
  }

  void poll(bool fail) {
    auto& p = pending_[rng_() % pending_.size()];
    task_ = p.first;
    url_ = "https://api-singapore.klingai.com/v1/videos/text2video/" + task_;
    in_.method = "GET";
    in_.url = url_;
    in_.endpoint = "/v1/videos/text2video/{id}";
    in_.status = fail ? 500 : 200;
    in_.code = fail ? 5000 : 0;
    if (fail) {
      in_.failure = true;
      in_.cause = "server.internal";
      in_.retryable = retry_advice::yes;
      return;
    }
    answers_.push_back({task_, rng_() % 4 == 0 ? "succeed" : "processing"});
    in_.answer_tasks = answers_;
  }

  const options& o_;
  std::mt19937_64 rng_;
  int64_t start_ = 1795000000000;
  int64_t tasks_ = 0;
  call_input in_;
  std::vector<named_task> answers_;
  std::vector<std::pair<std::string, int64_t>> pending_;
  std::string auth_, record_, rid_, url_, body_, prompt_, task_;
};

struct run_figures {
  double generate_s = 0, build_s = 0, audit_s = 0, stream_s = 0;
  size_t memory = 0, runs = 0, facts = 0, serialized = 0;
  int64_t rss_after_build = 0, rss_after_audit = 0;
  std::string summary;
};

run_figures measure(const options& o, size_t budget) {
  run_figures r;
  {
    // The synthetic calls alone, to take out of the sink's time.
    traffic t(o);
    uint64_t sink_hole = 0;
    auto start = clock_type::now();
    for (int64_t i = 0; i < o.calls; ++i) sink_hole += t.next(i).url.size();
    r.generate_s = seconds_since(start);
    if (sink_hole == 42) std::puts("");
  }
  fact_store store({budget, o.spill_dir});
  {
    traffic t(o);
    fact_sink sink(store);
    auto start = clock_type::now();
    for (int64_t i = 0; i < o.calls; ++i) {
      if (!sink.add(t.next(i))) {
        std::fprintf(stderr, "bench_audit: %s\n", store.error().c_str());
        std::exit(2);
      }
    }
    r.build_s = seconds_since(start);
  }
  r.memory = store.memory_bytes();
  r.runs = store.spilled_runs();
  r.facts = store.size();
  r.rss_after_build = rss_kib("VmHWM:");
  if (std::getenv("BENCH_AUDIT_RSS") != nullptr) {
    std::printf("  now: RssAnon %lld KiB, RssFile %lld KiB\n", static_cast<long long>(rss_kib("RssAnon:")),
                static_cast<long long>(rss_kib("RssFile:")));
  }
  {
    // The total order alone: partitioning, sorting and merging the facts.
    auto start = clock_type::now();
    order ord(store);
    fact_stream stream(store, ord);
    stream_item it;
    uint64_t n = 0;
    while (stream.next(it)) n += it.fact.ts_ms & 1;
    r.stream_s = seconds_since(start);
    if (n == 42) std::puts("");
  }
  auto start = clock_type::now();
  audit_options ao;
  ao.threads = o.threads;
  audit_result a = run_audit(store, ao);
  r.audit_s = seconds_since(start);
  r.rss_after_audit = rss_kib("VmHWM:");
  size_t bytes = 0;
  store.serialize([&](std::string_view piece) { bytes += piece.size(); });
  r.serialized = bytes;
  const auto& t = a.tasks;
  r.summary = "created " + std::to_string(t.created) + " succeeded " + std::to_string(t.succeeded) +
              " pending " + std::to_string(t.pending) + " orphaned " + std::to_string(t.orphaned);
  for (const auto& d : a.detectors) {
    r.summary += " " + std::string(name_of(d.id)) + " " + std::to_string(d.findings);
  }
  return r;
}

void print(const char* label, const options& o, const run_figures& r) {
  double mib = 1024.0 * 1024.0;
  std::printf("%s\n", label);
  std::printf("  facts %zu, held in memory %.1f MiB (%.1f bytes/fact), spilled runs %zu\n",
              r.facts, static_cast<double>(r.memory) / mib,
              static_cast<double>(r.memory) / static_cast<double>(o.calls), r.runs);
  std::printf("  serialized %.1f MiB (%.1f bytes/fact)\n", static_cast<double>(r.serialized) / mib,
              static_cast<double>(r.serialized) / static_cast<double>(r.facts));
  double sink_s = r.build_s - r.generate_s;
  std::printf("  record stage (sink, synthetic calls' own %.2f s taken out): %.2f s, %.0f ns/call; peak RSS %.1f MiB\n",
              r.generate_s, sink_s, sink_s * 1e9 / static_cast<double>(o.calls),
              static_cast<double>(r.rss_after_build) / 1024.0);
  std::printf("  of which the total order (partition, sort, merge): %.2f s\n", r.stream_s);
  std::printf("  audit (second stage): %.2f s, %.0f ns/call; peak RSS %.1f MiB\n", r.audit_s,
              r.audit_s * 1e9 / static_cast<double>(o.calls),
              static_cast<double>(r.rss_after_audit) / 1024.0);
  std::printf("  %s\n", r.summary.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_audit: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--calls") o.calls = std::stoll(value());
    else if (a == "--clients") o.clients = std::stoi(value());
    else if (a == "--budget") o.small_budget_mib = std::stoul(value());
    else if (a == "--spill-dir") o.spill_dir = value();
    else if (a == "-j" || a == "--threads") o.threads = std::stoul(value());
    else if (a == "--in-memory-only" || a == "--spilled-only") continue;
    else {
      std::fprintf(stderr, "usage: bench_audit [--calls N] [--clients N] [--budget MiB] [--spill-dir DIR] [-j N] [--in-memory-only | --spilled-only]\n");
      return 2;
    }
  }
  bool memory_only = false, spilled_only = false;
  for (int i = 1; i < argc; ++i) {
    memory_only = memory_only || std::strcmp(argv[i], "--in-memory-only") == 0;
    spilled_only = spilled_only || std::strcmp(argv[i], "--spilled-only") == 0;
  }
  // Peak RSS is per process: run each variant alone for its own figure.
  run_figures a, b;
  if (!spilled_only) {
    a = measure(o, size_t{1} << 40);
    print("in memory (no budget)", o, a);
  }
  if (!memory_only) {
    b = measure(o, o.small_budget_mib << 20);
    print(("budget " + std::to_string(o.small_budget_mib) + " MiB (sorted runs on disk)").c_str(), o, b);
  }
  if (!memory_only && !spilled_only && a.summary != b.summary) {
    std::fprintf(stderr, "bench_audit: the two audits differ\n");
    return 1;
  }
  return 0;
}
