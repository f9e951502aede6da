// SPDX-License-Identifier: MIT
#include "analyzer/ingest/profile_detect.hpp"

#include <cstring>
#include <fmt/format.h>
#include <simdjson.h>

#include "analyzer/core/text.hpp"

namespace analyzer::ingest {

namespace {
bool readable(const profile::compiled_profile& p) {
  return p.kind != profile::compiled_profile::shape::har;
}

std::string keys_of(std::string_view line) {
  std::string_view t = core::trim(line);
  if (t.empty() || t.front() != '{') return {};
  simdjson::dom::parser dom;
  simdjson::dom::element el;
  simdjson::dom::object obj;
  if (dom.parse(t.data(), t.size(), true).get(el) || el.get_object().get(obj)) return {};
  std::string out;
  size_t n = 0;
  for (auto [k, v] : obj) {
    if (n++ == 12) return out + ", ...";
    out += (out.empty() ? "" : ", ") + core::shorten(k, 40);
  }
  return out;
}
}  // namespace

std::string no_profile_reason() {
  return "no input profile reads this input; run `kling-triage profiles detect` on it, "
         "or add a profile (--profiles)";
}

int best_profile(const profile::profile_set& set, std::string_view record, size_t capacity,
                 normalizer& norm, int* tie, std::vector<int>* holds) {
  int best = -1;
  if (tie != nullptr) *tie = -1;
  for (size_t i = 0; i < set.profiles.size(); ++i) {
    const auto& p = *set.profiles[i];
    if (!readable(p) || !norm.detects(record, capacity, p)) continue;
    if (holds != nullptr) ++(*holds)[i];
    if (best < 0 || p.specificity > set.profiles[static_cast<size_t>(best)]->specificity) {
      best = static_cast<int>(i);
      if (tie != nullptr) *tie = -1;
    } else if (p.specificity == set.profiles[static_cast<size_t>(best)]->specificity &&
               tie != nullptr && *tie < 0) {
      *tie = static_cast<int>(i);
    }
  }
  return best;
}

detection detect_profile(const profile::profile_set& set, std::string_view head,
                         size_t capacity, input_format format, normalizer& norm) {
  detection d;
  d.votes.assign(set.profiles.size(), 0);
  d.matches.assign(set.profiles.size(), 0);
  if (format == input_format::har) {
    for (size_t i = set.profiles.size(); i-- > 0;) {
      if (set.profiles[i]->kind == profile::compiled_profile::shape::har) {
        d.profile = static_cast<int>(i);
        return d;
      }
    }
    return d;
  }
  const char* end_of_buffer = head.data() + capacity;
  if (format == input_format::json) {  // one document: one sample
    std::string_view doc = core::trim(head);
    d.sampled = doc.empty() ? 0 : 1;
    if (d.sampled == 0) return d;
    int best = best_profile(set, doc, static_cast<size_t>(end_of_buffer - doc.data()), norm,
                            nullptr, &d.matches);
    if (best >= 0) ++d.votes[static_cast<size_t>(best)];
    d.profile = best;
    return d;
  }
  size_t pos = 0;
  while (pos < head.size() && d.sampled < detect_sample_records) {
    const void* nl = std::memchr(head.data() + pos, '\n', head.size() - pos);
    size_t stop = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - head.data())
                                : head.size();
    std::string_view line = core::trim(head.substr(pos, stop - pos));
    pos = stop + 1;
    if (line.empty()) continue;
    if (nl == nullptr && d.sampled > 0) break;  // a cut last line: not a sample
    if (d.sampled == 0) d.first_keys = keys_of(line);
    ++d.sampled;
    int best = best_profile(set, line, static_cast<size_t>(end_of_buffer - line.data()), norm,
                            nullptr, &d.matches);
    if (best >= 0) ++d.votes[static_cast<size_t>(best)];
  }
  for (size_t i = 0; i < d.votes.size(); ++i) {
    if (d.votes[i] == 0) continue;
    if (d.profile < 0) {
      d.profile = static_cast<int>(i);
      continue;
    }
    const auto& cur = *set.profiles[static_cast<size_t>(d.profile)];
    int cur_votes = d.votes[static_cast<size_t>(d.profile)];
    if (d.votes[i] > cur_votes ||
        (d.votes[i] == cur_votes && set.profiles[i]->specificity > cur.specificity)) {
      d.profile = static_cast<int>(i);
    }
  }
  // A profile that reads fewer than half of the sampled records is not this
  // input's: better "no profile reads it" than most records misread.
  if (d.profile >= 0 && d.votes[static_cast<size_t>(d.profile)] * 2 < d.sampled) {
    d.best_minority = d.profile;
    d.profile = -1;
  }
  return d;
}

void check_detection(const profile::profile_set& set, core::diagnostics& problems) {
  event::field_plan plan;
  normalizer norm(plan);
  for (size_t i = 0; i < set.profiles.size(); ++i) {
    const auto& p = *set.profiles[i];
    if (!readable(p)) continue;
    for (const auto& s : p.samples) {
      std::string buf = s.text;
      buf.reserve(buf.size() + required_padding());
      int tie = -1;
      int best = best_profile(set, buf, buf.capacity(), norm, &tie);
      if (best == static_cast<int>(i) && tie < 0) continue;
      std::string why;
      if (best < 0) {
        why = fmt::format("profile `{}`: this sample is not detected by its own `detect`", p.id);
      } else if (best != static_cast<int>(i)) {
        const auto& other = *set.profiles[static_cast<size_t>(best)];
        why = fmt::format("profile `{}`: this sample is detected as `{}` ({}), which is {}",
                          p.id, other.id, other.file,
                          other.specificity > p.specificity ? "more specific" : "as specific");
      } else {
        const auto& other = *set.profiles[static_cast<size_t>(tie)];
        why = fmt::format("profile `{}`: this sample is also detected by `{}` ({}), as specific",
                          p.id, other.id, other.file);
      }
      problems.push_back({core::severity::error, why, s.where, {},
                          "make one `detect` more specific (another key that only this "
                          "logger writes) so that every record has one reader"});
    }
  }
}

}  // namespace analyzer::ingest
