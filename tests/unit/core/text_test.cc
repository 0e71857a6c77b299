#include "core/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

TEST(HexDigitsTest, TablesHoldSixteenDigits) {
  EXPECT_EQ(std::string_view(kLowerHexDigits), "0123456789abcdef");
  EXPECT_EQ(std::string_view(kUpperHexDigits), "0123456789ABCDEF");
}

TEST(IsAsciiDigitTest, OnlyZeroToNine) {
  for (char c = '0'; c <= '9'; ++c) EXPECT_TRUE(IsAsciiDigit(c)) << c;
  for (const char c : {'/', ':', 'a', 'A', ' ', '\0', '-', '+', '.'}) {
    EXPECT_FALSE(IsAsciiDigit(c)) << static_cast<int>(c);
  }
  // A byte of a UTF-8 sequence (here of U+0663, ARABIC-INDIC DIGIT THREE) is no digit.
  EXPECT_FALSE(IsAsciiDigit('\xD9'));
  EXPECT_FALSE(IsAsciiDigit('\xA3'));
}

TEST(AllAsciiDigitsTest, EveryByteADigit) {
  EXPECT_TRUE(AllAsciiDigits("0123456789"));
  EXPECT_TRUE(AllAsciiDigits("7"));
  EXPECT_TRUE(AllAsciiDigits(""));  // vacuously: callers that need digits check the length
  EXPECT_FALSE(AllAsciiDigits("12a"));
  EXPECT_FALSE(AllAsciiDigits(" 1"));
  EXPECT_FALSE(AllAsciiDigits("-1"));
  EXPECT_FALSE(AllAsciiDigits("1.5"));
  EXPECT_FALSE(
      AllAsciiDigits(std::string_view("1\0"
                                      "2",
                                      3)));
}

TEST(ParseNumberTest, UnsignedReadsTheWholeText) {
  EXPECT_EQ(ParseNumber<std::uint64_t>("0"), 0u);
  EXPECT_EQ(ParseNumber<std::uint64_t>("42"), 42u);
  EXPECT_EQ(ParseNumber<std::uint64_t>("007"), 7u);  // leading zeros are fine
  EXPECT_EQ(ParseNumber<std::uint64_t>("18446744073709551615"),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(ParseNumber<std::uint8_t>("255"), std::uint8_t{255});
}

TEST(ParseNumberTest, UnsignedRefusesSignsSpacesTrailingBytesAndOverflow) {
  for (const char* bad : {"", "-1", "-0", "+1", " 1", "1 ", "1x", "0x10", "1.0", "1e3",
                          "18446744073709551616", "99999999999999999999999"}) {
    EXPECT_EQ(ParseNumber<std::uint64_t>(bad), std::nullopt) << "'" << bad << "'";
  }
  EXPECT_EQ(ParseNumber<std::uint8_t>("256"), std::nullopt);
}

TEST(ParseNumberTest, SignedTakesAMinusOnly) {
  EXPECT_EQ(ParseNumber<std::int64_t>("-1"), -1);
  EXPECT_EQ(ParseNumber<std::int64_t>("9223372036854775807"),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(ParseNumber<std::int64_t>("-9223372036854775808"),
            std::numeric_limits<std::int64_t>::min());
  for (const char* bad :
       {"", "-", "+1", "--1", "9223372036854775808", "-9223372036854775809", "1-", " -1"}) {
    EXPECT_EQ(ParseNumber<std::int64_t>(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(ParseNumberTest, FloatingPointFollowsFromCharsGrammar) {
  EXPECT_EQ(ParseNumber<double>("0.25"), 0.25);
  EXPECT_EQ(ParseNumber<double>("1"), 1.0);
  EXPECT_EQ(ParseNumber<double>("-0.5"), -0.5);
  EXPECT_EQ(ParseNumber<double>("1e3"), 1000.0);
  EXPECT_EQ(ParseNumber<double>(".5"), 0.5);
  // Infinity is a number to from_chars; callers that need a range check it.
  const auto infinity = ParseNumber<double>("inf");
  ASSERT_TRUE(infinity.has_value());
  EXPECT_TRUE(std::isinf(*infinity));
  for (const char* bad : {"", "+1", " 1", "1 ", "0.5x", "1,5", "0x1p3", "1e999", "."}) {
    EXPECT_EQ(ParseNumber<double>(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(ParseNumberTest, ReadsOnlyTheViewNotTheBytesAfterIt) {
  const std::string_view digits = std::string_view("12345").substr(0, 2);
  EXPECT_EQ(ParseNumber<int>(digits), 12);
}

TEST(SplitNonEmptyTest, DropsEmptyParts) {
  EXPECT_THAT(SplitNonEmpty("a::b:", ':'), ElementsAre("a", "b"));
  EXPECT_THAT(SplitNonEmpty("abc", ':'), ElementsAre("abc"));
  EXPECT_THAT(SplitNonEmpty(",a,,b,", ','), ElementsAre("a", "b"));
  EXPECT_THAT(SplitNonEmpty(" a , b ", ','), ElementsAre(" a ", " b "));  // no trimming
  EXPECT_THAT(SplitNonEmpty("", ':'), IsEmpty());
  EXPECT_THAT(SplitNonEmpty(":::", ':'), IsEmpty());
}

TEST(AppendHexByteTest, AppendsTwoDigits) {
  std::string out = "%";
  AppendHexByte(out, 0x00);
  AppendHexByte(out, 0x0F);
  AppendHexByte(out, 0xAB);
  AppendHexByte(out, 0xFF);
  EXPECT_EQ(out, "%000fabff");
  std::string upper;
  AppendHexByte(upper, 0xAB, /*upper_case=*/true);
  AppendHexByte(upper, 0x2F, /*upper_case=*/true);
  EXPECT_EQ(upper, "AB2F");
}

TEST(LowerHexTest, TwoDigitsPerByteInOrder) {
  const unsigned char bytes[] = {0x00, 0x01, 0x7F, 0x80, 0xF0, 0xFF};
  EXPECT_EQ(LowerHex(bytes, sizeof bytes), "00017f80f0ff");
  EXPECT_EQ(LowerHex(bytes, 0), "");
}

}  // namespace
}  // namespace datazone_mock
