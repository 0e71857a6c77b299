#include "core/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <limits>
#include <optional>
#include <ostream>
#include <string>

namespace datazone_mock {
namespace {

// Expected values were computed independently with GNU date, e.g.
//   date -u -d 2025-06-01T02:07:41Z +%s            -> 1748743661
//   date -u -d 2025-06-01T04:07:41+02:00 +%s       -> 1748743661
//   date -u -d 2025-05-31T20:37:41-05:30 +%s       -> 1748743661
//   date -u -d 2025-06-01T23:30:00-05:30 +%s       -> 1748840400
//   date -u -d 2025-06-01T01:00:00+02:00 +%s       -> 1748732400
//   date -u -d 2024-02-29T00:00:00Z +%s            -> 1709164800
//   date -u -d 2000-02-29T12:00:00Z +%s            -> 951825600
//   date -u -d 2100-03-01T00:00:00Z +%s            -> 4107542400
//   date -u -d 1969-07-20T20:17:40Z +%s            -> -14182940
//   date -u -d 1900-01-01T00:00:00Z +%s            -> -2208988800
//   date -u -d 9999-12-31T23:59:59Z +%s            -> 253402300799
//   date -u -d @1752644436                          -> 2025-07-16 05:40:36 UTC
constexpr TimestampMs kJune1At020741 = 1748743661000;

struct ParseCase {
  std::string name;
  std::string text;
  std::optional<TimestampMs> expected;  // nullopt: rejected
};

void PrintTo(const ParseCase& row, std::ostream* os) { *os << "'" << row.text << "'"; }

class ParseTimestampTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseTimestampTest, ParsesToExactMilliseconds) {
  EXPECT_EQ(ParseTimestamp(GetParam().text), GetParam().expected)
      << "text: '" << GetParam().text << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3339, ParseTimestampTest,
    testing::Values(
        ParseCase{"UpperZ", "2025-06-01T02:07:41Z", kJune1At020741},
        ParseCase{"LowerZ", "2025-06-01T02:07:41z", kJune1At020741},
        ParseCase{"LowerT", "2025-06-01t02:07:41Z", kJune1At020741},
        ParseCase{"SpaceForT", "2025-06-01 02:07:41Z", kJune1At020741},
        ParseCase{"ZeroOffset", "2025-06-01T02:07:41+00:00", kJune1At020741},
        ParseCase{"NegativeZeroOffset", "2025-06-01T02:07:41-00:00", kJune1At020741},
        ParseCase{"OffsetPlus0200", "2025-06-01T04:07:41+02:00", kJune1At020741},
        ParseCase{"OffsetMinus0100", "2025-06-01T01:07:41-01:00", kJune1At020741},
        ParseCase{"OffsetMinus0530", "2025-05-31T20:37:41-05:30", kJune1At020741},
        ParseCase{"OffsetMinus0530CrossesIntoNextDay", "2025-06-01T23:30:00-05:30", 1748840400000},
        ParseCase{"OffsetPlus0200CrossesIntoPreviousDay", "2025-06-01T01:00:00+02:00",
                  1748732400000},
        ParseCase{"OffsetWithFraction", "2025-06-01T04:07:41.5+02:00", kJune1At020741 + 500},
        ParseCase{"Fraction1Digit", "2025-06-01T02:07:41.2Z", kJune1At020741 + 200},
        ParseCase{"Fraction2Digits", "2025-06-01T02:07:41.25Z", kJune1At020741 + 250},
        ParseCase{"Fraction3Digits", "2025-06-01T02:07:41.250Z", kJune1At020741 + 250},
        ParseCase{"Fraction4DigitsTruncated", "2025-06-01T02:07:41.2509Z", kJune1At020741 + 250},
        ParseCase{"Fraction5DigitsTruncated", "2025-06-01T02:07:41.12345Z", kJune1At020741 + 123},
        ParseCase{"Fraction6DigitsTruncated", "2025-06-01T02:07:41.123456Z", kJune1At020741 + 123},
        ParseCase{"Fraction7DigitsTruncated", "2025-06-01T02:07:41.1234567Z", kJune1At020741 + 123},
        ParseCase{"Fraction8DigitsTruncated", "2025-06-01T02:07:41.12345678Z",
                  kJune1At020741 + 123},
        ParseCase{"Fraction9DigitsTruncatedNotRounded", "2025-06-01T02:07:41.999999999Z",
                  kJune1At020741 + 999},
        ParseCase{"FractionAllZeros", "2025-06-01T02:07:41.000000000Z", kJune1At020741},
        ParseCase{"FractionLeadingZero", "2025-06-01T02:07:41.05Z", kJune1At020741 + 50},
        ParseCase{"Fraction30DigitsTruncated",
                  "2025-06-01T02:07:41.987" + std::string(27, '6') + "Z", kJune1At020741 + 987},
        ParseCase{"Epoch", "1970-01-01T00:00:00Z", 0},
        ParseCase{"OneMillisecondBeforeEpoch", "1969-12-31T23:59:59.999Z", -1},
        ParseCase{"BeforeEpoch", "1969-07-20T20:17:40Z", -14182940000},
        ParseCase{"Year1900NotALeapYear", "1900-01-01T00:00:00Z", -2208988800000},
        ParseCase{"LeapDay2024", "2024-02-29T00:00:00Z", 1709164800000},
        ParseCase{"LeapDay2000DivisibleBy400", "2000-02-29T12:00:00Z", 951825600000},
        ParseCase{"Year2100Mar1", "2100-03-01T00:00:00Z", 4107542400000},
        ParseCase{"LastSecondOfYear9999", "9999-12-31T23:59:59Z", 253402300799000},
        ParseCase{"LastMinuteOfDay", "2025-06-01T23:59:59Z", 1748822399000},
        // Rejected.
        ParseCase{"NoLeapDayIn2025", "2025-02-29T00:00:00Z", std::nullopt},
        ParseCase{"NoLeapDayIn2100", "2100-02-29T00:00:00Z", std::nullopt},
        ParseCase{"April31", "2025-04-31T00:00:00Z", std::nullopt},
        ParseCase{"Month13", "2025-13-01T00:00:00Z", std::nullopt},
        ParseCase{"Month00", "2025-00-01T00:00:00Z", std::nullopt},
        ParseCase{"Day00", "2025-06-00T00:00:00Z", std::nullopt},
        ParseCase{"Day32", "2025-01-32T00:00:00Z", std::nullopt},
        ParseCase{"Hour24", "2025-06-01T24:00:00Z", std::nullopt},
        ParseCase{"Minute60", "2025-06-01T02:60:00Z", std::nullopt},
        ParseCase{"Second60", "2025-06-01T02:07:60Z", std::nullopt},
        ParseCase{"MissingOffset", "2025-06-01T02:07:41", std::nullopt},
        ParseCase{"MissingOffsetAfterFraction", "2025-06-01T02:07:41.250", std::nullopt},
        ParseCase{"DateOnly", "2025-06-01", std::nullopt},
        ParseCase{"MissingSeconds", "2025-06-01T02:07Z", std::nullopt},
        ParseCase{"EmptyFraction", "2025-06-01T02:07:41.Z", std::nullopt},
        ParseCase{"OffsetWithoutColon", "2025-06-01T02:07:41+0200", std::nullopt},
        ParseCase{"OffsetHoursOnly", "2025-06-01T02:07:41+02", std::nullopt},
        ParseCase{"OffsetHour24", "2025-06-01T02:07:41+24:00", std::nullopt},
        ParseCase{"OffsetMinute60", "2025-06-01T02:07:41+01:60", std::nullopt},
        ParseCase{"TrailingGarbage", "2025-06-01T02:07:41Zjunk", std::nullopt},
        ParseCase{"TrailingSpace", "2025-06-01T02:07:41Z ", std::nullopt},
        ParseCase{"LeadingSpace", " 2025-06-01T02:07:41Z", std::nullopt},
        ParseCase{"SingleDigitMonth", "2025-6-01T02:07:41Z", std::nullopt},
        ParseCase{"SlashSeparators", "2025/06/01T02:07:41Z", std::nullopt},
        ParseCase{"UnderscoreForT", "2025-06-01_02:07:41Z", std::nullopt}),
    [](const testing::TestParamInfo<ParseCase>& row) { return row.param.name; });

INSTANTIATE_TEST_SUITE_P(
    EpochSeconds, ParseTimestampTest,
    testing::Values(ParseCase{"Integer", "1748743200", 1748743200000}, ParseCase{"Zero", "0", 0},
                    ParseCase{"Fraction1Digit", "1748743200.5", 1748743200500},
                    ParseCase{"Fraction2Digits", "1748743200.25", 1748743200250},
                    ParseCase{"Fraction3Digits", "1752644436.666", 1752644436666},
                    ParseCase{"Fraction9DigitsTruncated", "1748743200.123456789", 1748743200123},
                    ParseCase{"FractionLeadingZeros", "1748743200.005", 1748743200005},
                    ParseCase{"Negative", "-1", -1000},
                    ParseCase{"NegativeBeforeMoonLanding", "-14182940", -14182940000},
                    ParseCase{"NegativeFraction", "-1.5", -1500},
                    ParseCase{"Max9999", "253402300799", 253402300799000},
                    // Rejected.
                    ParseCase{"PastYear9999", "253402300800", std::nullopt},
                    ParseCase{"Huge", "99999999999999999999999", std::nullopt},
                    ParseCase{"TrailingDot", "1748743200.", std::nullopt},
                    ParseCase{"LeadingDot", ".5", std::nullopt},
                    ParseCase{"LonelyMinus", "-", std::nullopt},
                    ParseCase{"PlusSign", "+1748743200", std::nullopt},
                    ParseCase{"Exponent", "1.7e9", std::nullopt},
                    ParseCase{"TwoDots", "1.2.3", std::nullopt},
                    ParseCase{"TrailingSpace", "1748743200 ", std::nullopt},
                    ParseCase{"Hex", "0x10", std::nullopt}),
    [](const testing::TestParamInfo<ParseCase>& row) { return row.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseTimestampTest,
    testing::Values(ParseCase{"Empty", "", std::nullopt},
                    ParseCase{"Word", "garbage", std::nullopt},
                    ParseCase{"Yesterday", "yesterday", std::nullopt},
                    ParseCase{"TimeOnly", "02:07:41Z", std::nullopt},
                    ParseCase{"CompactDateIsReadAsEpochSeconds", "20250601", 20250601000}),
    [](const testing::TestParamInfo<ParseCase>& row) { return row.param.name; });

// --- FormatEpochSeconds -------------------------------------------------------------------------

struct FormatCase {
  std::string name;
  TimestampMs ms;
  std::string expected;
};

void PrintTo(const FormatCase& row, std::ostream* os) { *os << row.ms; }

class FormatEpochSecondsTest : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatEpochSecondsTest, PrintsShortestMillisecondForm) {
  EXPECT_EQ(FormatEpochSeconds(GetParam().ms), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormatEpochSecondsTest,
    testing::Values(
        FormatCase{"ThreeDigits", 1752644436666, "1752644436.666"},
        FormatCase{"TrailingZeroDropped", 1752644436250, "1752644436.25"},
        FormatCase{"TwoTrailingZerosDropped", 1752644436500, "1752644436.5"},
        FormatCase{"LeadingZerosKept", 1752644436005, "1752644436.005"},
        FormatCase{"WholeSeconds", 1752644436000, "1752644436"}, FormatCase{"Zero", 0, "0"},
        FormatCase{"OneMillisecond", 1, "0.001"}, FormatCase{"NegativeWholeSecond", -1000, "-1"},
        FormatCase{"NegativeFraction", -1500, "-1.5"},
        FormatCase{"NegativeOneMillisecond", -1, "-0.001"},
        FormatCase{"NegativeBeforeMoonLanding", -14182940250, "-14182940.25"},
        FormatCase{"Int64Min", std::numeric_limits<TimestampMs>::min(), "-9223372036854775.808"},
        FormatCase{"Int64Max", std::numeric_limits<TimestampMs>::max(), "9223372036854775.807"}),
    [](const testing::TestParamInfo<FormatCase>& row) { return row.param.name; });

TEST(FormatEpochSecondsRoundTripTest, ParsesBackToTheSameValue) {
  for (TimestampMs ms : {TimestampMs{1752644436666}, TimestampMs{1752644436250},
                         TimestampMs{1752644436000}, TimestampMs{0}, TimestampMs{-1500}}) {
    EXPECT_EQ(ParseTimestamp(FormatEpochSeconds(ms)), std::optional(ms)) << ms;
  }
}

// --- FormatRfc3339 ------------------------------------------------------------------------------

class FormatRfc3339Test : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatRfc3339Test, PrintsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(GetParam().ms), GetParam().expected);
}

TEST_P(FormatRfc3339Test, ParsesBackToTheSameValue) {
  EXPECT_EQ(ParseTimestamp(FormatRfc3339(GetParam().ms)), std::optional(GetParam().ms));
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormatRfc3339Test,
    testing::Values(FormatCase{"Epoch", 0, "1970-01-01T00:00:00.000Z"},
                    FormatCase{"Typical", kJune1At020741 + 250, "2025-06-01T02:07:41.250Z"},
                    FormatCase{"WholeSecond", 1752644436000, "2025-07-16T05:40:36.000Z"},
                    FormatCase{"Milliseconds", 1752644436666, "2025-07-16T05:40:36.666Z"},
                    FormatCase{"LeapDay", 1709164800000, "2024-02-29T00:00:00.000Z"},
                    FormatCase{"OneMillisecondBeforeEpoch", -1, "1969-12-31T23:59:59.999Z"},
                    FormatCase{"BeforeEpoch", -14182940000, "1969-07-20T20:17:40.000Z"},
                    FormatCase{"Year1900", -2208988800000, "1900-01-01T00:00:00.000Z"},
                    FormatCase{"LastMillisecondOf9999", 253402300799999,
                               "9999-12-31T23:59:59.999Z"}),
    [](const testing::TestParamInfo<FormatCase>& row) { return row.param.name; });

TEST(FormatRfc3339RoundTripTest, OffsetInputComesBackInUtc) {
  const auto parsed = ParseTimestamp("2025-07-07T06:00:00.125+02:00");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(FormatRfc3339(*parsed), "2025-07-07T04:00:00.125Z");
}

TEST(FormatRfc3339RoundTripTest, EveryDayOf2024And2025RoundTrips) {
  // Midday of each day, through both leap and common years: text -> ms -> text.
  constexpr TimestampMs kDayMs = 86'400'000;
  const TimestampMs start = 1704110400000;  // date -u -d 2024-01-01T12:00:00Z +%s
  for (TimestampMs day = 0; day < 731; ++day) {
    const TimestampMs ms = start + day * kDayMs + 7;
    const std::string text = FormatRfc3339(ms);
    ASSERT_EQ(ParseTimestamp(text), std::optional(ms)) << text;
  }
  EXPECT_EQ(FormatRfc3339(start + 730 * kDayMs), "2025-12-31T12:00:00.000Z");
}

// --- HTTP Date (IMF-fixdate) --------------------------------------------------------------------

// RFC 9110's example: date -u -d '1994-11-06 08:49:37' +%s -> 784111777.
constexpr std::int64_t kRfcExample = 784111777;
// date -u -d '2026-11-28 23:40:00' +%s -> 1795909200
constexpr std::int64_t k20261128At234000 = 1795909200;

std::chrono::system_clock::time_point At(std::int64_t seconds,
                                         std::chrono::milliseconds extra = {}) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds)) + extra;
}

TEST(FormatHttpDateTest, WritesAnImfFixdate) {
  EXPECT_EQ(FormatHttpDate(At(kRfcExample)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(At(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(At(-1)), "Wed, 31 Dec 1969 23:59:59 GMT");
  EXPECT_EQ(FormatHttpDate(At(1709210096)), "Thu, 29 Feb 2024 12:34:56 GMT");
}

TEST(FormatHttpDateTest, FractionsOfASecondRoundDown) {
  EXPECT_EQ(FormatHttpDate(At(kRfcExample, std::chrono::milliseconds(999))),
            "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(FormatHttpDateTest, TheCacheNeverAnswersForAnotherSecond) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(FormatHttpDate(At(kRfcExample)), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(FormatHttpDate(At(kRfcExample + 1)), "Sun, 06 Nov 1994 08:49:38 GMT");
  }
}

TEST(FormatHttpDateTest, AgreesWithTheCLibraryFrom1970To2100) {
  // The C library's gmtime_r and strftime (C locale) wrote this header before the calendar here
  // did; a prime step visits every weekday, month and time of day.
  for (std::int64_t seconds = 0; seconds < 4107542400; seconds += 9'999'991) {
    const auto time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char expected[64];
    const std::size_t length =
        std::strftime(expected, sizeof expected, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    ASSERT_EQ(FormatHttpDate(At(seconds)), std::string(expected, length)) << seconds;
  }
}

TEST(ParseImfFixdateTest, ReadsWhatFormatHttpDateWrites) {
  EXPECT_EQ(ParseImfFixdate("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(ParseImfFixdate("Sat, 28 Nov 2026 23:40:00 GMT"), k20261128At234000);
  for (std::int64_t seconds = -86'400; seconds < 4107542400; seconds += 7'777'777) {
    ASSERT_EQ(ParseImfFixdate(FormatHttpDate(At(seconds))), seconds) << seconds;
  }
}

TEST(ParseImfFixdateTest, IgnoresTheDayName) {
  EXPECT_EQ(ParseImfFixdate("Xyz, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
}

TEST(ParseImfFixdateTest, RefusesAnythingElse) {
  for (const char* bad : {"",
                          "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 06 Nov 1994 08:49 GMT",
                          "Sun,  6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 29 Feb 2025 08:49:37 GMT",
                          "Sun, 00 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Nov 1994 08:60:37 GMT",
                          "Sun, 06 Nov 1994 08:49:60 GMT",
                          "Sun, 06 Nov 1994 08-49-37 GMT",
                          "Sun, 06 Nov 94 08:49:37 GMT",
                          "Sun, 0x Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 GMT ",
                          "Sunday, 06-Nov-94 08:49:37 GMT",
                          "Sun Nov  6 08:49:37 1994",
                          "20261128T234000Z"}) {
    EXPECT_EQ(ParseImfFixdate(bad), std::nullopt) << "'" << bad << "'";
  }
}

// --- SigV4 basic format (X-Amz-Date) ------------------------------------------------------------

TEST(ParseAmzDateTest, ReadsTheBasicFormat) {
  EXPECT_EQ(ParseAmzDate("20261128T234000Z"), k20261128At234000);
  EXPECT_EQ(ParseAmzDate("19700101T000000Z"), 0);
  EXPECT_EQ(ParseAmzDate("19691231T235959Z"), -1);
  EXPECT_EQ(ParseAmzDate("20240229T123456Z"), 1709210096);
  EXPECT_EQ(ParseAmzDate("99991231T235959Z"), 253402300799);
}

TEST(ParseAmzDateTest, RefusesAnythingElse) {
  for (const char* bad :
       {"", "2026-11-28T23:40:00Z", "20261128T234000", "20261128T244000Z", "20261128T236000Z",
        "20261128T234060Z", "20260230T000000Z", "20261301T000000Z", "20261100T000000Z",
        "2026112XT234000Z", "20261128 234000Z", "20261128t234000Z", "20261128T234000z",
        "20261128T234000Z ", " 20261128T234000Z", "+0261128T234000Z",
        "Sat, 28 Nov 2026 23:40:00 GMT"}) {
    EXPECT_EQ(ParseAmzDate(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(FormatAmzDateTest, WritesTheBasicFormat) {
  EXPECT_EQ(FormatAmzDate(k20261128At234000), "20261128T234000Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(-1), "19691231T235959Z");
  EXPECT_EQ(FormatAmzDate(951782400), "20000229T000000Z");
}

TEST(FormatAmzDateTest, ClampsAbsurdClocksToFourDigitYears) {
  EXPECT_EQ(FormatAmzDate(253402300799), "99991231T235959Z");
  EXPECT_EQ(FormatAmzDate(253402300800), "99991231T235959Z");
  EXPECT_EQ(FormatAmzDate(std::numeric_limits<std::int64_t>::max()), "99991231T235959Z");
  EXPECT_EQ(FormatAmzDate(-62135596800), "00010101T000000Z");
  EXPECT_EQ(FormatAmzDate(std::numeric_limits<std::int64_t>::min()), "00010101T000000Z");
}

TEST(FormatAmzDateTest, ParsesBackToTheSameSecond) {
  for (std::int64_t seconds = -62135596800; seconds <= 253402300799; seconds += 99'999'989) {
    ASSERT_EQ(ParseAmzDate(FormatAmzDate(seconds)), seconds) << seconds;
  }
}

TEST(FormatAmzDateTest, AgreesWithFormatRfc3339) {
  // The two formats write the same calendar: only the separators differ.
  for (std::int64_t seconds = -2208988800; seconds < 4107542400; seconds += 86'399'993) {
    std::string rfc3339 = FormatRfc3339(seconds * 1000).substr(0, 19) + "Z";
    std::erase(rfc3339, '-');
    std::erase(rfc3339, ':');
    ASSERT_EQ(FormatAmzDate(seconds), rfc3339) << seconds;
  }
}

}  // namespace
}  // namespace datazone_mock
