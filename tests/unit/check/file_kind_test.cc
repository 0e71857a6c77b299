#include "check/file_kind.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "unit/check/check_test_support.h"

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::StartsWith;

std::string KindOf(std::string_view text) {
  auto kind = SniffFileKind(text, "f.yaml");
  if (!kind.ok()) return "problems: " + FormatDiagnostics(kind.error());
  switch (kind.value()) {
    case FileKind::kFixture:
      return "fixture";
    case FileKind::kScenario:
      return "scenario";
    case FileKind::kNeither:
      return "neither";
  }
  return "?";
}

struct KindCase {
  const char* name;
  const char* text;
  const char* kind;
};

class SniffFileKindTest : public testing::TestWithParam<KindCase> {};

TEST_P(SniffFileKindTest, TellsTheKindByTopLevelKeys) {
  EXPECT_EQ(KindOf(GetParam().text), GetParam().kind) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SniffFileKindTest,
    testing::Values(KindCase{"Domains", "domains:\n  dzd_a:\n", "fixture"},
                    KindCase{"NullDomains", "domains:\n", "fixture"},
                    KindCase{"FlowDomains", "{domains: {dzd_a: {jobs: {}}}}", "fixture"},
                    KindCase{"DomainsAfterOtherKeys", "comment: x\ndomains: {}\n", "fixture"},
                    KindCase{"DomainsWinOverRules", "rules: []\ndomains: {}\n", "fixture"},
                    KindCase{"QuotedDomainsKey", "\"domains\": {}\n", "fixture"},
                    KindCase{"Rules", "name: x\nrules:\n  - respond: {fault: reset}\n", "scenario"},
                    KindCase{"RateLimit", "rateLimit: {perSecond: 5}\n", "scenario"},
                    KindCase{"RulesAfterABigNestedValue",
                             "description: {a: [1, {b: 2}]}\nrules: []\n", "scenario"},
                    KindCase{"OtherKeys", "name: x\ndescription: y\n", "neither"},
                    KindCase{"DomainsOnlyNested", "config:\n  domains: {}\n", "neither"},
                    KindCase{"DomainsAsAValue", "name: domains\nkind: rules\n", "neither"},
                    KindCase{"DomainsInAList", "- domains: {}\n", "neither"},
                    KindCase{"Scalar", "domains\n", "neither"}, KindCase{"Empty", "", "neither"},
                    KindCase{"CommentsOnly", "# domains:\n", "neither"},
                    KindCase{"ComplexKey", "? [domains]\n: 1\n", "neither"},
                    KindCase{"AliasAsKey", "a: &k rules\n*k : []\n", "neither"}),
    [](const testing::TestParamInfo<KindCase>& param) { return std::string(param.param.name); });

TEST(SniffFileKindProblemsTest, SyntaxErrorBeforeTheKindIsKnownIsReportedWhereItIs) {
  auto kind = SniffFileKind("name: x\nrules: [\n  {respond: \n", "f.yaml");
  ASSERT_FALSE(kind.ok());
  ASSERT_EQ(kind.error().size(), 1u);
  EXPECT_EQ(kind.error()[0].file, "f.yaml");
  EXPECT_GT(kind.error()[0].line, 1);
  EXPECT_THAT(kind.error()[0].message, StartsWith("YAML syntax error: "));
}

TEST(SniffFileKindProblemsTest, SyntaxErrorAfterTheDomainsKeyIsLeftToTheFixtureParser) {
  // The kind is known at `domains`; ParseFixture then reports the error with the rest.
  EXPECT_EQ(KindOf("domains:\n  dzd_a: [\n"), "fixture");
}

TEST(SniffFileKindProblemsTest, InvalidUtf8InAFileOfNeitherKindIsReportedAtTheBadByte) {
  auto kind = SniffFileKind("port: 8484\nhost: \xff\n", "f.yaml");
  ASSERT_FALSE(kind.ok());
  EXPECT_THAT(Texts(kind.error()), ElementsAre("f.yaml:2:7: invalid UTF-8 byte sequence"));
}

TEST(SniffFileKindProblemsTest, InvalidUtf8InAFixtureIsLeftToTheFixtureParser) {
  EXPECT_EQ(KindOf("domains:\n  \xff\n"), "fixture");
}

TEST(SniffFileKindProblemsTest, NestingDeeperThanTheLimitIsReportedNotFollowed) {
  std::string deep = "a: ";
  for (int i = 0; i < 100'000; ++i) deep += '[';
  auto kind = SniffFileKind(deep, "f.yaml");
  ASSERT_FALSE(kind.ok());
  ASSERT_EQ(kind.error().size(), 1u);
  EXPECT_EQ(kind.error()[0].message, "nesting deeper than 64 levels");
}

TEST(SniffFileKindProblemsTest, UnknownAliasIsReported) {
  auto kind = SniffFileKind("a: *nowhere\nrules: []\n", "f.yaml");
  ASSERT_FALSE(kind.ok());
  ASSERT_EQ(kind.error().size(), 1u);
  EXPECT_EQ(kind.error()[0].line, 1);
}

TEST(SniffFileKindProblemsTest, AliasBombBeforeTheKeyIsNotExpanded) {
  // Each level names the one before ten times: expanded, 10^9 nodes. The sniffer only looks at
  // keys, so it expands nothing; the scenario parser refuses the file afterwards.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 10; ++k) bomb += ", " + prev;
    bomb += "]\n";
  }
  bomb += "rules: []\n";
  EXPECT_EQ(KindOf(bomb), "scenario");
}

}  // namespace
}  // namespace datazone_mock
