#include "store/run_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

GenerateSpec Spec(std::uint64_t count, std::uint64_t seed) {
  GenerateSpec spec;
  spec.count = count;
  spec.seed = seed;
  spec.start = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  spec.every_ms = 30'000;
  spec.weights = {
      {JobRunStatus::kSuccess, 80}, {JobRunStatus::kFailed, 15}, {JobRunStatus::kInProgress, 5}};
  return spec;
}

TEST(RunGeneratorTest, IsDeterministicPerSeed) {
  const auto a = GenerateRuns(Spec(1000, 7));
  EXPECT_EQ(a, GenerateRuns(Spec(1000, 7)));
  EXPECT_NE(a, GenerateRuns(Spec(1000, 8)));
}

TEST(RunGeneratorTest, SpacesRunsAndFollowsTheWeights) {
  const auto runs = GenerateRuns(Spec(20'000, 7));
  ASSERT_EQ(runs.size(), 20'000u);
  EXPECT_EQ(runs[0].run_id, "gen-0000001");
  EXPECT_EQ(runs[0].created_at, 1'704'067'200'000);
  EXPECT_EQ(runs[19'999].run_id, "gen-0020000");
  EXPECT_EQ(runs[19'999].created_at, 1'704'067'200'000 + 19'999LL * 30'000);
  std::map<JobRunStatus, int> counts;
  for (const JobRun& run : runs) {
    ++counts[run.status];
    EXPECT_EQ(run.run_mode, JobRunMode::kScheduled);
    EXPECT_EQ(run.error_message.has_value(), run.status == JobRunStatus::kFailed);
    EXPECT_EQ(run.end_time.has_value(), run.status != JobRunStatus::kInProgress);
  }
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_NEAR(counts[JobRunStatus::kSuccess] / 20'000.0, 0.80, 0.02);
  EXPECT_NEAR(counts[JobRunStatus::kFailed] / 20'000.0, 0.15, 0.02);
  EXPECT_NEAR(counts[JobRunStatus::kInProgress] / 20'000.0, 0.05, 0.02);
}

TEST(RunGeneratorTest, ParsesIntervals) {
  EXPECT_EQ(ParseInterval("30s"), 30'000);
  EXPECT_EQ(ParseInterval("500ms"), 500);
  EXPECT_EQ(ParseInterval("5m"), 300'000);
  EXPECT_EQ(ParseInterval("1h"), 3'600'000);
  for (const char* bad : {"", "0s", "-1s", "s", "1d", "1.5s", "99999999999h"}) {
    EXPECT_EQ(ParseInterval(bad), std::nullopt) << bad;
  }
}

TEST(GenerateFixtureTest, MixesWithExplicitRunsAndReportsClashes) {
  const auto document = ParseFixture(R"(domains:
  dzd_gen01:
    jobs:
      big:
        generate: {count: 5, seed: 7, start: 2024-01-01T00:00:00Z, every: 30s, statuses: {SUCCESS: 1}}
        runs:
          - {runId: manual-1, status: FAILED, createdAt: 2023-12-31T00:00:00Z}
)",
                                     "g.yaml");
  ASSERT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  const auto store = BuildStore({document.value()});
  ASSERT_TRUE(store.ok());
  const JobRunIndex& runs = store.value().domains.at("dzd_gen01").jobs.at("big").runs;
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs.runs()[0].run_id, "manual-1");
  EXPECT_EQ(runs.runs()[5].run_id, "gen-0000005");

  const auto clash = ParseFixture(R"(domains:
  dzd_gen01:
    jobs:
      big:
        generate: {count: 5, start: 0, every: 1s}
        runs:
          - {runId: gen-0000003, status: FAILED, createdAt: 0}
)",
                                  "c.yaml");
  ASSERT_TRUE(clash.ok());
  const auto refused = BuildStore({clash.value()});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error()[0].ToString(),
            "c.yaml:5:9: generated runId 'gen-0000003' in job 'big' is also defined at "
            "c.yaml:7:13");
}

TEST(GenerateFixtureTest, ReportsBadSpecs) {
  const auto document = ParseFixture(R"(domains:
  dzd_gen01:
    jobs:
      big:
        generate: {count: lots, start: 2024-01-01T00:00:00Z, every: often, statuses: {DONE: 1}}
)",
                                     "b.yaml");
  ASSERT_FALSE(document.ok());
  std::vector<std::string> messages;
  for (const auto& d : document.error()) messages.push_back(d.ToString());
  EXPECT_THAT(messages,
              testing::ElementsAre(
                  "b.yaml:5:27: invalid count 'lots': expected a whole number from 0 to 10000000",
                  "b.yaml:5:69: invalid every 'often': expected an interval such as 30s, 500ms, "
                  "5m or 1h",
                  "b.yaml:5:87: invalid status 'DONE': expected one of [SCHEDULED, IN_PROGRESS, "
                  "SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, CANCELED]"));
}

}  // namespace
}  // namespace datazone_mock
