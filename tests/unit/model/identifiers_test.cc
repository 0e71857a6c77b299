#include "model/identifiers.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

namespace datazone_mock {
namespace {

// One row of a validity table. `name` becomes the test name, so it must be [A-Za-z0-9_].
struct IdCase {
  std::string name;
  std::string id;
  bool valid = false;
};

void PrintTo(const IdCase& row, std::ostream* os) { *os << "'" << row.id << "'"; }

std::string CaseName(const testing::TestParamInfo<IdCase>& info) { return info.param.name; }

// 'x' repeated: an identifier of exactly `length` characters.
std::string Chars(std::size_t length) { return std::string(length, 'x'); }

// --- IsValidJobIdentifier: [a-zA-Z0-9_-]{1,36} -------------------------------------------------

class JobIdentifierTest : public testing::TestWithParam<IdCase> {};

TEST_P(JobIdentifierTest, MatchesThePattern) {
  EXPECT_EQ(IsValidJobIdentifier(GetParam().id), GetParam().valid)
      << "id: '" << GetParam().id << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Table, JobIdentifierTest,
    testing::Values(
        IdCase{"Length1", "a", true}, IdCase{"Length36", Chars(36), true},
        IdCase{"Length37", Chars(37), false}, IdCase{"EveryAllowedCharacterClass", "aZ09_-", true},
        IdCase{"OnlyHyphen", "-", true}, IdCase{"OnlyUnderscore", "_", true},
        IdCase{"Uppercase", "NIGHTLY", true}, IdCase{"TypicalName", "nightly-lineage", true},
        IdCase{"Empty", "", false}, IdCase{"Space", "nightly lineage", false},
        IdCase{"Slash", "nightly/lineage", false}, IdCase{"Dot", "nightly.lineage", false},
        IdCase{"NonAsciiLetter", "nightly-\xC3\xA9t\xC3\xA9", false},
        IdCase{"Colon", "job:1", false}, IdCase{"Tab", "job\t1", false},
        IdCase{"TrailingNewline", "job\n", false}),
    CaseName);

TEST(JobIdentifierEdgeTest, EmbeddedNulIsRejected) {
  EXPECT_FALSE(IsValidJobIdentifier(std::string_view("ab\0cd", 5)));
}

// --- IsValidDomainIdentifier: dzd[-_][a-zA-Z0-9_-]{1,36} --------------------------------------

class DomainIdentifierTest : public testing::TestWithParam<IdCase> {};

TEST_P(DomainIdentifierTest, MatchesThePattern) {
  EXPECT_EQ(IsValidDomainIdentifier(GetParam().id), GetParam().valid)
      << "id: '" << GetParam().id << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Table, DomainIdentifierTest,
    testing::Values(
        IdCase{"HyphenPrefixSuffix1", "dzd-a", true},
        IdCase{"HyphenPrefixSuffix36", "dzd-" + Chars(36), true},
        IdCase{"HyphenPrefixSuffix37", "dzd-" + Chars(37), false},
        IdCase{"UnderscorePrefixSuffix1", "dzd_a", true},
        IdCase{"UnderscorePrefixSuffix36", "dzd_" + Chars(36), true},
        IdCase{"UnderscorePrefixSuffix37", "dzd_" + Chars(37), false},
        IdCase{"SuffixWithEveryCharacterClass", "dzd_aZ09_-", true},
        IdCase{"SuffixOfOneHyphen", "dzd--", true}, IdCase{"SuffixOfOneUnderscore", "dzd__", true},
        IdCase{"TypicalDomain", "dzd_demo01", true}, IdCase{"PrefixOnlyHyphen", "dzd-", false},
        IdCase{"PrefixOnlyUnderscore", "dzd_", false},
        IdCase{"PrefixWithoutSeparator", "dzd", false}, IdCase{"MissingSeparator", "dzdabc", false},
        IdCase{"DotSeparator", "dzd.abc", false}, IdCase{"WrongPrefix", "dzx-abc", false},
        IdCase{"UppercasePrefix", "DZD-abc", false}, IdCase{"PrefixNotAtStart", "xdzd-abc", false},
        IdCase{"JobIdentifierWithoutPrefix", "abc", false},
        IdCase{"LeadingSpace", " dzd-abc", false}, IdCase{"SpaceInSuffix", "dzd-ab c", false},
        IdCase{"SlashInSuffix", "dzd-ab/c", false}, IdCase{"DotInSuffix", "dzd-ab.c", false},
        IdCase{"NonAsciiInSuffix", "dzd-ab\xC3\xA9", false},
        IdCase{"NonAsciiSeparator",
               "dzd\xE2\x80\x90"
               "abc",
               false},
        IdCase{"Empty", "", false}),
    CaseName);

// --- IsValidRunId: 1..256 characters, no control characters -----------------------------------

class RunIdTest : public testing::TestWithParam<IdCase> {};

TEST_P(RunIdTest, FollowsTheRunIdRule) {
  EXPECT_EQ(IsValidRunId(GetParam().id), GetParam().valid) << "id: '" << GetParam().id << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Table, RunIdTest,
    testing::Values(IdCase{"Length1", "a", true}, IdCase{"Length36", Chars(36), true},
                    IdCase{"Length37", Chars(37), true}, IdCase{"Length256", Chars(256), true},
                    IdCase{"Length257", Chars(257), false}, IdCase{"Empty", "", false},
                    // Unlike the job and domain patterns, a runId takes any printable character.
                    IdCase{"Space", "run 1", true}, IdCase{"OnlySpace", " ", true},
                    IdCase{"Slash", "run/1", true}, IdCase{"Dot", "run.1", true},
                    IdCase{"NonAscii", "lauf-\xC3\xBC", true}, IdCase{"Tilde", "run~1", true},
                    IdCase{"Tab", "run\t1", false}, IdCase{"Newline", "run\n", false},
                    IdCase{"CarriageReturn", "run\r", false},
                    IdCase{"UnitSeparator0x1F", "run\x1F", false},
                    IdCase{"Delete0x7F", "run\x7F", false}),
    CaseName);

TEST(RunIdEdgeTest, EmbeddedNulIsAControlCharacter) {
  EXPECT_FALSE(IsValidRunId(std::string_view("run\0x", 5)));
}

TEST(RunIdEdgeTest, MaxLengthConstantIs256) { EXPECT_EQ(kMaxRunIdLength, 256u); }

TEST(IdentifierPatternTest, PatternsAreTheServiceModelText) {
  EXPECT_EQ(kDomainIdentifierPattern, "dzd[-_][a-zA-Z0-9_-]{1,36}");
  EXPECT_EQ(kJobIdentifierPattern, "[a-zA-Z0-9_-]{1,36}");
}

}  // namespace
}  // namespace datazone_mock
