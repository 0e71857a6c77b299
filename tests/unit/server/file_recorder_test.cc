#include "server/file_recorder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/fixture.h"
#include "support/builders.h"
#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

UpstreamPage Page(std::vector<std::string> run_ids, std::string created_by = "alice") {
  UpstreamPage page;
  TimestampMs at = 1'754'000'000'000;
  for (auto& id : run_ids) {
    JobRun run = MakeRun(std::move(id), at += 1000);
    run.created_by = created_by;
    page.items.push_back({"dzd_1", "job", JobType::kLineage, std::move(run)});
  }
  return page;
}

TEST(FileRecorderTest, EveryPageRewritesAWholeFixtureFile) {
  TempDir dir;
  const auto path = dir.path() / "recorded.yaml";
  auto recorder = FileRecorder::Open(path, {});
  ASSERT_TRUE(recorder.ok()) << recorder.error();
  EXPECT_FALSE(std::filesystem::exists(path));  // nothing answered, nothing written

  auto recorded = recorder.value()->Record("dzd_1", "job", Page({"r1", "r2"}));
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded.value().summary, "2 runs, 2 in recorded.yaml");
  recorded =
      recorder.value()->Record("dzd_1", "job", Page({"r2", "r3"}));  // r2 again: not duplicated
  EXPECT_EQ(recorded.value().summary, "2 runs, 3 in recorded.yaml");

  auto document = LoadFixtureFile(path);
  ASSERT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  EXPECT_EQ(document.value().domains.at(0).jobs.at(0).runs.size(), 3u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "recorded.yaml.part"));
}

TEST(FileRecorderTest, AListedJobWithoutRunsIsKeptEmpty) {
  TempDir dir;
  const auto path = dir.path() / "recorded.yaml";
  auto recorder = FileRecorder::Open(path, {});
  ASSERT_TRUE(recorder.value()->Record("dzd_1", "empty", UpstreamPage{}).ok());
  auto document = LoadFixtureFile(path);
  ASSERT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  const JobSpec& job = document.value().domains.at(0).jobs.at(0);
  EXPECT_EQ(job.id, "empty");
  EXPECT_TRUE(job.runs.empty());
}

TEST(FileRecorderTest, ASecondSessionAddsToTheFile) {
  TempDir dir;
  const auto path = dir.path() / "recorded.yaml";
  ASSERT_TRUE(FileRecorder::Open(path, {}).value()->Record("dzd_1", "job", Page({"r1"})).ok());
  auto second = FileRecorder::Open(path, {});
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(second.value()->Record("dzd_1", "job", Page({"r2"})).value().summary,
            "1 runs, 2 in recorded.yaml");
}

TEST(FileRecorderTest, AnOutputThatIsNotAFixtureIsNotOverwritten) {
  TempDir dir;
  const auto path = dir.path() / "notes.yaml";
  std::ofstream(path) << "domains: [oops\n";
  auto recorder = FileRecorder::Open(path, {});
  ASSERT_FALSE(recorder.ok());
  EXPECT_NE(recorder.error().find("exists and is not a fixture file"), std::string::npos);
  EXPECT_EQ(Read(path), "domains: [oops\n");
}

TEST(FileRecorderTest, TheStoreGetsTheRunsUnredactedTheFileRedacted) {
  TempDir dir;
  const auto path = dir.path() / "recorded.yaml";
  std::string kept;
  auto recorder = FileRecorder::Open(path, {"createdBy"},
                                     [&](std::string_view domain_id, std::string_view job_id,
                                         std::string_view text) -> Result<bool, std::string> {
                                       EXPECT_EQ(domain_id, "dzd_1");
                                       EXPECT_EQ(job_id, "job");
                                       kept = text;
                                       return true;
                                     });
  ASSERT_TRUE(recorder.ok());
  ASSERT_TRUE(recorder.value()->Record("dzd_1", "job", Page({"r1"}, "alice@example.com")).ok());
  EXPECT_NE(kept.find("alice@example.com"), std::string::npos);
  EXPECT_EQ(Read(path).find("alice@example.com"), std::string::npos);
  EXPECT_NE(Read(path).find("createdBy-1"), std::string::npos);
}

TEST(FileRecorderTest, WhatTheStoreRefusesIsNotWritten) {
  TempDir dir;
  const auto path = dir.path() / "recorded.yaml";
  auto recorder = FileRecorder::Open(
      path, {},
      [](std::string_view, std::string_view, std::string_view) -> Result<bool, std::string> {
        return std::string("no");
      });
  auto recorded = recorder.value()->Record("dzd_1", "job", Page({"r1"}));
  ASSERT_FALSE(recorded.ok());
  EXPECT_EQ(recorded.error(), "no");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace datazone_mock
