// SPDX-License-Identifier: MIT
// cli/version: --version names the version, the build's git revision and
// the embedded rule pack's digest, which must be the digest a report shows
// for a run with the bundled rules only (so a report can be matched to the
// binary that wrote it).
#include <boost/test/unit_test.hpp>

#include "analyzer/cli/config.hpp"
#include "analyzer/cli/version.hpp"
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
}

BOOST_AUTO_TEST_SUITE_END()
