#include "faults/scenario.h"

#include <gtest/gtest.h>

#include "faults/glob.h"
#include "faults/token_bucket.h"

namespace datazone_mock {
namespace {

using std::chrono::milliseconds;

TEST(CallsConditionTest, ParsesEveryForm) {
  const auto exact = ParseCallsCondition("3");
  ASSERT_TRUE(exact);
  EXPECT_FALSE(exact->Matches(2));
  EXPECT_TRUE(exact->Matches(3));
  EXPECT_FALSE(exact->Matches(4));

  const auto range = ParseCallsCondition("1-2");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->Matches(1));
  EXPECT_TRUE(range->Matches(2));
  EXPECT_FALSE(range->Matches(3));

  const auto from = ParseCallsCondition("4-");
  ASSERT_TRUE(from);
  EXPECT_FALSE(from->Matches(3));
  EXPECT_TRUE(from->Matches(4));
  EXPECT_TRUE(from->Matches(1'000'000));

  const auto every = ParseCallsCondition("every 3");
  ASSERT_TRUE(every);
  EXPECT_FALSE(every->Matches(1));
  EXPECT_FALSE(every->Matches(2));
  EXPECT_TRUE(every->Matches(3));
  EXPECT_FALSE(every->Matches(4));
  EXPECT_TRUE(every->Matches(6));
  EXPECT_TRUE(every->Matches(9));
}

TEST(CallsConditionTest, RejectsNonsense) {
  for (const char* text : {"", "0", "2-1", "-3", "every", "every 0", "every x", "a", "1-2-3", " 1",
                           "1.5", "every  2"}) {
    EXPECT_EQ(ParseCallsCondition(text), std::nullopt) << text;
  }
}

TEST(DelayTest, ParsesFixedAndRanges) {
  EXPECT_EQ(ParseDelay("250ms"), (DelaySpec{milliseconds(250), milliseconds(250)}));
  EXPECT_EQ(ParseDelay("2s"), (DelaySpec{milliseconds(2000), milliseconds(2000)}));
  EXPECT_EQ(ParseDelay("100ms-900ms"), (DelaySpec{milliseconds(100), milliseconds(900)}));
  EXPECT_EQ(ParseDelay("1s-1500ms"), (DelaySpec{milliseconds(1000), milliseconds(1500)}));
  for (const char* text : {"", "250", "ms", "-1ms", "900ms-100ms", "1h", "2 s", "99999999s"}) {
    EXPECT_EQ(ParseDelay(text), std::nullopt) << text;
  }
}

TEST(TransportFaultTest, RoundTripsNames) {
  for (const char* name : {"reset", "close", "empty", "malformed-json", "truncate"}) {
    const auto fault = ParseTransportFault(name);
    ASSERT_TRUE(fault) << name;
    EXPECT_EQ(ToString(*fault), name);
  }
  EXPECT_EQ(ParseTransportFault("Reset"), std::nullopt);
}

TEST(GlobTest, MatchesWholeStrings) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("dzd_demo01", "dzd_demo01"));
  EXPECT_FALSE(GlobMatch("dzd_demo01", "dzd_demo012"));
  EXPECT_TRUE(GlobMatch("dzd_*", "dzd_demo01"));
  EXPECT_FALSE(GlobMatch("dzd_*", "dzd-demo01"));
  EXPECT_TRUE(GlobMatch("*-lineage", "nightly-lineage"));
  EXPECT_TRUE(GlobMatch("AKID*TEST*", "AKID-a-TEST-b"));
  EXPECT_FALSE(GlobMatch("AKID*TEST", "AKID-a-TEST-b"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYbZZc"));
  EXPECT_FALSE(GlobMatch("", "x"));
  // Many stars against a long near-miss stays fast (no exponential backtracking).
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*b", std::string(10'000, 'a')));
}

TEST(TokenBucketTest, StartsFullAndRefillsAtItsRate) {
  const auto start = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
  TokenBucket bucket(5, 10, start);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(bucket.TryTake(start)) << i;
  EXPECT_FALSE(bucket.TryTake(start));
  EXPECT_FALSE(bucket.TryTake(start + milliseconds(199)));  // 0.995 tokens
  EXPECT_TRUE(bucket.TryTake(start + milliseconds(200)));   // one token after 200 ms at 5/s
  EXPECT_FALSE(bucket.TryTake(start + milliseconds(200)));
  // Never more than the burst, however long it rests.
  const auto later = start + std::chrono::hours(1);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(bucket.TryTake(later)) << i;
  EXPECT_FALSE(bucket.TryTake(later));
}

}  // namespace
}  // namespace datazone_mock
