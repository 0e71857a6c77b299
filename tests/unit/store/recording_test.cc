#include "store/recording.h"

#include <gtest/gtest.h>

#include "store/fixture.h"
#include "store/store_builder.h"
#include "support/builders.h"

namespace datazone_mock {
namespace {

JobRun SeenRun(std::string id, TimestampMs created_at, std::string created_by = "user-bob") {
  JobRun run = MakeRun(std::move(id), created_at, JobRunStatus::kFailed);
  run.run_mode = JobRunMode::kScheduled;
  run.created_by = std::move(created_by);
  run.start_time = created_at + 1'250;
  run.end_time = created_at + 60'000;
  run.error_message = "Source \"db\" refused\\n\ta \x01 connection";
  return run;
}

// What a server would serve from the recording: every run of the job, in order.
std::vector<JobRun> ServedBack(const Recording& recording, const std::string& domain,
                               const std::string& job) {
  auto document = ParseFixture(recording.ToYaml(), "recorded.yaml", 0);
  EXPECT_TRUE(document.ok()) << FormatDiagnostics(document.error()) << recording.ToYaml();
  if (!document.ok()) return {};
  auto store = BuildStore({document.value()});
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return {};
  const Job* found = FindJob(*store.value().FindDomain(domain), job);
  EXPECT_NE(found, nullptr);
  return found ? found->runs.runs() : std::vector<JobRun>{};
}

TEST(RecordingTest, WhatItWritesLoadsBackRunForRun) {
  auto recording = Recording::Create();
  ASSERT_TRUE(recording.ok());
  const std::vector<JobRun> page1 = {SeenRun("run-3", 1'754'000'180'000),
                                     SeenRun("run-2", 1'754'000'120'000)};
  const std::vector<JobRun> page2 = {SeenRun("run-1", 1'754'000'060'000)};
  recording.value().Add("dzd_rec01", "etl-nightly", JobType::kLineage, page1);
  recording.value().Add("dzd_rec01", "etl-nightly", JobType::kLineage, page2);
  // The same page fetched twice adds nothing.
  recording.value().Add("dzd_rec01", "etl-nightly", JobType::kLineage, page1);
  EXPECT_EQ(recording.value().run_count(), 3u);
  const auto served = ServedBack(recording.value(), "dzd_rec01", "etl-nightly");
  ASSERT_EQ(served.size(), 3u);
  EXPECT_EQ(served[0], page2[0]);  // oldest first, as the index keeps them
  EXPECT_EQ(served[1], page1[1]);
  EXPECT_EQ(served[2], page1[0]);
}

TEST(RecordingTest, ARunSeenAgainReplacesTheEarlierSighting) {
  auto recording = Recording::Create();
  JobRun run = SeenRun("run-1", 1'754'000'060'000);
  recording.value().Add("dzd_rec01", "etl", JobType::kLineage, {run});
  run.status = JobRunStatus::kSuccess;
  run.error_message.reset();
  recording.value().Add("dzd_rec01", "etl", JobType::kLineage, {run});
  const auto served = ServedBack(recording.value(), "dzd_rec01", "etl");
  ASSERT_EQ(served.size(), 1u);
  EXPECT_EQ(served[0], run);
}

TEST(RecordingTest, RedactedMembersGetStablePlaceholders) {
  auto recording = Recording::Create({"createdBy", "error"});
  ASSERT_TRUE(recording.ok());
  recording.value().Add(
      "dzd_rec01", "etl", JobType::kLineage,
      {SeenRun("a", 1'000, "alice@example.com"), SeenRun("b", 2'000, "bob@example.com"),
       SeenRun("c", 3'000, "alice@example.com")});
  const std::string yaml = recording.value().ToYaml();
  EXPECT_EQ(yaml.find("alice"), std::string::npos);
  EXPECT_EQ(yaml.find("refused"), std::string::npos);
  const auto served = ServedBack(recording.value(), "dzd_rec01", "etl");
  ASSERT_EQ(served.size(), 3u);
  EXPECT_EQ(served[0].created_by, "createdBy-1");
  EXPECT_EQ(served[1].created_by, "createdBy-2");
  EXPECT_EQ(served[2].created_by, "createdBy-1");
  EXPECT_EQ(served[0].error_message, "error-1");
}

TEST(RecordingTest, OnlyKnownMembersCanBeRedacted) {
  const auto refused = Recording::Create({"runId"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), "--redact runId: only createdBy and error can be redacted");
}

TEST(RecordingTest, AnEmptyRecordingIsAValidFixture) {
  auto recording = Recording::Create();
  EXPECT_TRUE(ParseFixture(recording.value().ToYaml(), "empty.yaml", 0).ok())
      << recording.value().ToYaml();
}

}  // namespace
}  // namespace datazone_mock

namespace datazone_mock {
namespace {

TEST(RecordingResumeTest, AnEarlierRecordingIsKeptAndItsPlaceholdersNumberedOn) {
  auto first = Recording::Create({"createdBy"});
  ASSERT_TRUE(first.ok());
  first.value().Add(
      "dzd_1", "job", JobType::kLineage,
      {SeenRun("run-1", 1'754'000'000'000, "alice"), SeenRun("run-2", 1'754'000'060'000, "bob")});
  auto earlier = ParseFixture(first.value().ToYaml(), "recorded.yaml", 0);
  ASSERT_TRUE(earlier.ok());

  auto resumed = Recording::Create({"createdBy"});
  ASSERT_TRUE(resumed.ok());
  ASSERT_TRUE(resumed.value().Resume(earlier.value()).ok());
  resumed.value().Add("dzd_1", "job", JobType::kLineage,
                      {SeenRun("run-3", 1'754'000'120'000, "carol")});
  EXPECT_EQ(resumed.value().run_count(), 3u);
  const auto runs = ServedBack(resumed.value(), "dzd_1", "job");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].created_by, "createdBy-1");
  EXPECT_EQ(runs[1].created_by, "createdBy-2");
  EXPECT_EQ(runs[2].created_by, "createdBy-3");  // not createdBy-1 again
}

TEST(RecordingResumeTest, AValueNotYetRedactedGetsAPlaceholderNow) {
  auto plain = Recording::Create();
  plain.value().Add("dzd_1", "j", JobType::kLineage,
                    {SeenRun("run-1", 1'754'000'000'000, "alice")});
  auto earlier = ParseFixture(plain.value().ToYaml(), "recorded.yaml", 0);
  ASSERT_TRUE(earlier.ok());
  auto resumed = Recording::Create({"createdBy"});
  ASSERT_TRUE(resumed.value().Resume(earlier.value()).ok());
  EXPECT_EQ(ServedBack(resumed.value(), "dzd_1", "j").at(0).created_by, "createdBy-1");
}

TEST(RecordingResumeTest, RefusesWhatRecordNeverWrites) {
  auto hand_written = ParseFixture(R"(domains:
  dzd_1:
    jobs:
      j:
        jobType: LINEAGE
        generate: {count: 3, start: 2024-01-01T00:00:00Z, every: 1s}
)",
                                   "mine.yaml", 0);
  ASSERT_TRUE(hand_written.ok()) << FormatDiagnostics(hand_written.error());
  auto resumed = Recording::Create();
  EXPECT_EQ(resumed.value().Resume(hand_written.value()).error(),
            "mine.yaml:6:9: generate is not something record writes; record to another file");
}

}  // namespace
}  // namespace datazone_mock
