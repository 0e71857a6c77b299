#include "core/human_units.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

TEST(HumanUnitsTest, GroupDigitsInThrees) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(1000), "1,000");
  EXPECT_EQ(GroupDigits(65'536), "65,536");
  EXPECT_EQ(GroupDigits(1'000'146), "1,000,146");
  EXPECT_EQ(GroupDigits(18'446'744'073'709'551'615u), "18,446,744,073,709,551,615");
}

TEST(HumanUnitsTest, CountOfIsSingularForOneOnly) {
  EXPECT_EQ(CountOf(0, "run"), "0 runs");
  EXPECT_EQ(CountOf(1, "run"), "1 run");
  EXPECT_EQ(CountOf(2, "scenario file"), "2 scenario files");
  EXPECT_EQ(CountOf(1'200, "job"), "1,200 jobs");
}

TEST(HumanUnitsTest, FormatBytesInDecimalUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(999), "999 B");
  EXPECT_EQ(FormatBytes(1000), "1.0 kB");
  EXPECT_EQ(FormatBytes(12'400), "12.4 kB");
  EXPECT_EQ(FormatBytes(999'949), "999.9 kB");
  EXPECT_EQ(FormatBytes(999'999), "1.0 MB");  // not "1000.0 kB"
  EXPECT_EQ(FormatBytes(36'100'000), "36.1 MB");
  EXPECT_EQ(FormatBytes(std::uint64_t{64} << 20), "67.1 MB");
  EXPECT_EQ(FormatBytes(2'500'000'000), "2.5 GB");
}

TEST(HumanUnitsTest, FormatRateGroupsBelowAMillionAndUsesMAbove) {
  EXPECT_EQ(FormatRate(0, "runs"), "0 runs/s");
  EXPECT_EQ(FormatRate(-1, "runs"), "0 runs/s");
  EXPECT_EQ(FormatRate(8'500.4, "runs"), "8,500 runs/s");
  EXPECT_EQ(FormatRate(640'000, "runs"), "640,000 runs/s");
  EXPECT_EQ(FormatRate(999'949, "runs"), "999,949 runs/s");
  EXPECT_EQ(FormatRate(1'230'000, "runs"), "1.2 M runs/s");
}

}  // namespace
}  // namespace datazone_mock
