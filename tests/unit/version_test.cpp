// SPDX-License-Identifier: MIT
// cli/version: --version names the version, the build's git revision and
// the embedded rule pack's digest, which must be the digest a report shows
// for a run with the bundled rules only (so a report can be matched to the
// binary that wrote it), and the embedded profiles' digest, which must be
// profile::digest of the set a run without --profiles reads with.
#include <boost/test/unit_test.hpp>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/version.hpp"
#include "analyzer/profile/profile_loader.hpp"
#include "analyzer/rules/rule_loader.hpp"

using namespace analyzer;

BOOST_AUTO_TEST_SUITE(version_test)

BOOST_AUTO_TEST_CASE(bundled_digest_is_the_report_digest) {
  core::diagnostics problems;
  auto rs = cli::load_ruleset({}, false, problems);
  BOOST_TEST_REQUIRE(rs != nullptr);
  auto packs = cli::embedded_packs();
  BOOST_TEST_REQUIRE(packs.size() >= 1u);
  BOOST_TEST(packs[0].name == "rules");
  BOOST_TEST(packs[0].digest == rs->digest());
}

BOOST_AUTO_TEST_CASE(bundled_profiles_digest_is_the_runs_digest) {
  core::diagnostics problems;
  auto set = cli::load_profiles({}, problems, true);
  BOOST_TEST_REQUIRE(set != nullptr);
  auto packs = cli::embedded_packs();
  BOOST_TEST_REQUIRE(packs.size() >= 2u);
  BOOST_TEST(packs[1].name == "profiles");
  BOOST_TEST(packs[1].digest == profile::digest(*set));
  BOOST_TEST(packs[1].digest.size() == 7u + 64u);
  // Every embedded file counts: the bundled set's text is theirs, in order.
  std::string text;
  for (const auto& src : profile::builtin_profile_sources()) profile::append_digest_text(src, text);
  BOOST_TEST(set->digest_text == text);
  BOOST_TEST(packs[1].digest != packs[0].digest);
}

BOOST_AUTO_TEST_CASE(profiles_digest_covers_names_texts_and_order) {
  profile::profile_source a{"a.yaml", "profiles: []\n", false};
  profile::profile_source b{"b.yaml", "profiles: []\n", false};
  auto digest_of = [](std::initializer_list<profile::profile_source> sources) {
    profile::profile_set set;
    for (const auto& s : sources) profile::append_digest_text(s, set.digest_text);
    return profile::digest(set);
  };
  BOOST_TEST(digest_of({a, b}).rfind("sha256:", 0) == 0u);
  BOOST_TEST(digest_of({a, b}) == digest_of({a, b}));
  BOOST_TEST(digest_of({a, b}) != digest_of({b, a}));
  BOOST_TEST(digest_of({a, b}) != digest_of({{"c.yaml", a.text, false}, b}));
  BOOST_TEST(digest_of({a, b}) != digest_of({a, {"b.yaml", "profiles: [ ]\n", false}}));
}

BOOST_AUTO_TEST_CASE(digest_covers_names_texts_and_order) {
  std::vector<rules::rule_source> a{{"a.yaml", "rules: []\n", false}, {"b.yaml", "rules: []\n", false}};
  std::vector<rules::rule_source> swapped{a[1], a[0]};
  std::vector<rules::rule_source> renamed{{"c.yaml", "rules: []\n", false}, a[1]};
  BOOST_TEST(rules::sources_digest(a).rfind("sha256:", 0) == 0u);
  BOOST_TEST(rules::sources_digest(a).size() == 7u + 64u);
  BOOST_TEST(rules::sources_digest(a) != rules::sources_digest(swapped));
  BOOST_TEST(rules::sources_digest(a) != rules::sources_digest(renamed));
}

BOOST_AUTO_TEST_CASE(text_has_version_revision_and_packs) {
  std::string text = cli::version_text("9.8.7");
  BOOST_TEST(text.rfind("kling-triage 9.8.7\n", 0) == 0u);
  BOOST_TEST(text.find("\nrevision: ") != std::string::npos);
  BOOST_TEST(!cli::build_revision().empty());
  BOOST_TEST(text.find("\nbundled rules: sha256:") != std::string::npos);
  BOOST_TEST(text.find("\nbundled profiles: sha256:") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
