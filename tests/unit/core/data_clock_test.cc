#include "core/data_clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/fakes.h"

namespace datazone_mock {
namespace {

using std::chrono::milliseconds;

class DataClockTest : public testing::Test {
 protected:
  TimestampMs RealNow() const {
    return std::chrono::duration_cast<milliseconds>(real_->Now().time_since_epoch()).count();
  }
  std::shared_ptr<FakeClock> real_ = std::make_shared<FakeClock>();
};

TEST_F(DataClockTest, ARealClockFollowsRealTime) {
  DataClock clock(real_, {});
  EXPECT_EQ(clock.Now(), RealNow());
  real_->Advance(milliseconds(1500));
  EXPECT_EQ(clock.Now(), RealNow());
  EXPECT_FALSE(clock.Get().frozen);
}

TEST_F(DataClockTest, AFrozenClockMovesOnlyWhenTold) {
  DataClock clock(real_, {true, std::nullopt});
  const TimestampMs start = RealNow();
  real_->Advance(milliseconds(5000));
  EXPECT_EQ(clock.Now(), start);
  ASSERT_TRUE(clock.Advance(90'000).ok());
  EXPECT_EQ(clock.Now(), start + 90'000);
  ASSERT_TRUE(clock.Set(start + 100'000).ok());
  EXPECT_EQ(clock.Get().now, start + 100'000);
  EXPECT_TRUE(clock.Get().frozen);
}

TEST_F(DataClockTest, AClockFrozenAtAnInstantStartsThere) {
  DataClock clock(real_, {true, 1'751'328'000'000});
  EXPECT_EQ(clock.Now(), 1'751'328'000'000);
}

TEST_F(DataClockTest, AdvancingARealClockKeepsItRunningAhead) {
  DataClock clock(real_, {});
  ASSERT_TRUE(clock.Advance(60'000).ok());
  EXPECT_EQ(clock.Now(), RealNow() + 60'000);
  real_->Advance(milliseconds(1000));
  EXPECT_EQ(clock.Now(), RealNow() + 60'000);
}

TEST_F(DataClockTest, NeverMovesBackwards) {
  DataClock clock(real_, {true, 1'000'000});
  EXPECT_FALSE(clock.Advance(-1).ok());
  const auto refused = clock.Set(999'999);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("only moves forward"), std::string::npos) << refused.error();
  EXPECT_EQ(clock.Now(), 1'000'000);
  EXPECT_TRUE(clock.Set(1'000'000).ok());  // standing still is not going back
}

TEST_F(DataClockTest, FreezingStopsWhereItStandsAndThawingRunsOnFromThere) {
  DataClock clock(real_, {});
  ASSERT_TRUE(clock.Advance(10'000).ok());
  const TimestampMs frozen_at = clock.Freeze(true).now;
  EXPECT_EQ(frozen_at, RealNow() + 10'000);
  real_->Advance(milliseconds(7000));
  EXPECT_EQ(clock.Now(), frozen_at);
  EXPECT_FALSE(clock.Freeze(false).frozen);
  EXPECT_EQ(clock.Now(), frozen_at);  // runs on from where it stood
  real_->Advance(milliseconds(500));
  EXPECT_EQ(clock.Now(), frozen_at + 500);
}

TEST_F(DataClockTest, ResetReturnsToHowItStarted) {
  DataClock frozen(real_, {true, 5'000'000});
  ASSERT_TRUE(frozen.Advance(3'600'000).ok());
  frozen.Freeze(false);
  EXPECT_EQ(frozen.Reset().now, 5'000'000);
  EXPECT_TRUE(frozen.Get().frozen);

  DataClock real(real_, {});
  ASSERT_TRUE(real.Advance(3'600'000).ok());
  real.Freeze(true);
  const DataClock::State state = real.Reset();
  EXPECT_FALSE(state.frozen);
  EXPECT_EQ(state.now, RealNow());
}

TEST_F(DataClockTest, ConcurrentAdvancesAllCount) {
  DataClock clock(real_, {true, 0});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) ASSERT_TRUE(clock.Advance(1).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(clock.Now(), 8000);
}

TEST(DurationTest, ReadsEachUnit) {
  EXPECT_EQ(ParseDurationMs("250ms"), 250);
  EXPECT_EQ(ParseDurationMs("90s"), 90'000);
  EXPECT_EQ(ParseDurationMs("15m"), 900'000);
  EXPECT_EQ(ParseDurationMs("2h"), 7'200'000);
  EXPECT_EQ(ParseDurationMs("1d"), 86'400'000);
  EXPECT_EQ(ParseDurationMs("0s"), 0);
  EXPECT_EQ(ParseDurationMs("1h30m"), 5'400'000);
  EXPECT_EQ(ParseDurationMs("49d21h59m30s87ms"), 4'312'770'087);
  for (const char* bad : {"", "s", "90", "-5s", "+5s", "1.5h", "5 m", "1w", "99999999999d", "30m1h",
                          "1h1h", "1h30", "1hm"}) {
    EXPECT_EQ(ParseDurationMs(bad), std::nullopt) << bad;
  }
}

TEST(RelativeTimeTest, MovesNowByADuration) {
  EXPECT_EQ(ParseRelativeTime("now", 1'000'000), 1'000'000);
  EXPECT_EQ(ParseRelativeTime("now-90m", 10'000'000), 10'000'000 - 5'400'000);
  EXPECT_EQ(ParseRelativeTime("now+30s", 0), 30'000);
  for (const char* bad : {"nowish", "now-", "now-x", "now*2s", "2025-01-01T00:00:00Z", "NOW"}) {
    EXPECT_EQ(ParseRelativeTime(bad, 0), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace datazone_mock
