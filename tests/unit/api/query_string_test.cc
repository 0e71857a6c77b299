#include "api/query_string.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

TEST(SplitTargetTest, SplitsAtTheFirstQuestionMark) {
  const auto parts = SplitTarget("/a/b?x=1?y=2");
  EXPECT_EQ(parts.path, "/a/b");
  EXPECT_EQ(parts.query, "x=1?y=2");
  EXPECT_EQ(SplitTarget("/a").query, "");
}

TEST(PercentDecodeTest, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc%2bd%3De%26f", false), "a b/c+d=e&f");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%41%6a", false), "Aj");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
}

TEST(QueryParamsTest, KeepsOrderAndTheFirstValueWins) {
  const auto params = QueryParams::Parse("b=2&a=1&&b=3&flag&c=%41+B&bad=%zz");
  ASSERT_EQ(params.entries().size(), 6u);
  EXPECT_EQ(*params.Find("b"), "2");
  EXPECT_EQ(*params.Find("a"), "1");
  EXPECT_EQ(*params.Find("flag"), "");
  EXPECT_EQ(*params.Find("c"), "A B");
  EXPECT_EQ(*params.Find("bad"), "%zz");
  EXPECT_EQ(params.Find("missing"), nullptr);
}

}  // namespace
}  // namespace datazone_mock
