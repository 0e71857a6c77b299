// The loaders' LoadProgress hooks: what they report, and that reports stay rare.
#include "store/load_progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/fixture.h"
#include "store/run_generator.h"
#include "store/store_builder.h"
#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;
using testing::ElementsAre;
using testing::IsEmpty;

// Writes down every call, as "file NAME BYTES" or "runs N".
class RecordingProgress final : public LoadProgress {
 public:
  void OnFileRead(const fs::path& file, std::uintmax_t bytes) override {
    events.push_back("file " + file.filename().string() + " " + std::to_string(bytes));
  }
  void OnRuns(std::size_t added) override {
    events.push_back("runs " + std::to_string(added));
    runs += added;
  }

  std::vector<std::string> events;
  std::size_t runs = 0;
};

GenerateSpec Spec(std::uint64_t count) {
  GenerateSpec spec;
  spec.count = count;
  spec.start = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  spec.every_ms = 30'000;
  return spec;
}

TEST(GenerateRunsProgressTest, ReportsInStepsAndTheRemainderAtTheEnd) {
  RecordingProgress progress;
  const auto runs = GenerateRuns(Spec(2 * kLoadProgressRunStep + 5), &progress);
  EXPECT_EQ(runs.size(), 2 * kLoadProgressRunStep + 5);
  EXPECT_THAT(progress.events, ElementsAre("runs 65536", "runs 65536", "runs 5"));
}

TEST(GenerateRunsProgressTest, ExactMultipleOfTheStepHasNoRemainderReport) {
  RecordingProgress progress;
  (void)GenerateRuns(Spec(kLoadProgressRunStep), &progress);
  EXPECT_THAT(progress.events, ElementsAre("runs 65536"));
}

TEST(GenerateRunsProgressTest, FewRunsAreReportedOnceAndNoRunsNotAtAll) {
  RecordingProgress few;
  (void)GenerateRuns(Spec(3), &few);
  EXPECT_THAT(few.events, ElementsAre("runs 3"));
  RecordingProgress none;
  (void)GenerateRuns(Spec(0), &none);
  EXPECT_THAT(none.events, IsEmpty());
}

TEST(GenerateRunsProgressTest, RunsAreTheSameWithOrWithoutProgress) {
  RecordingProgress progress;
  EXPECT_EQ(GenerateRuns(Spec(1000), &progress), GenerateRuns(Spec(1000)));
}

TEST(BuildStoreProgressTest, ReportsGeneratedRunsOnly) {
  // Explicit runs are reported when their file is parsed (LoadFixturePaths), not again here.
  auto document = ParseFixture(
      "domains:\n"
      "  dzd_a:\n"
      "    jobs:\n"
      "      big:\n"
      "        generate: {count: 70000, start: 2024-01-01T00:00:00Z, every: 1s}\n"
      "      small:\n"
      "        runs:\n"
      "          - {runId: r1, status: SUCCESS, createdAt: 1748743200}\n",
      "f.yaml");
  ASSERT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  RecordingProgress progress;
  auto store = BuildStore({document.value()}, &progress);
  ASSERT_TRUE(store.ok()) << FormatDiagnostics(store.error());
  EXPECT_EQ(store.value().Count().runs, 70'001u);
  EXPECT_THAT(progress.events, ElementsAre("runs 65536", "runs 4464"));
}

class LoadFixturePathsProgressTest : public testing::Test {
 protected:
  TempDir dir_{"datazone-mock-load-progress-test-"};
};

TEST_F(LoadFixturePathsProgressTest, ReportsEachFileAndItsExplicitRunsInOrder) {
  const std::string a =
      "domains:\n"
      "  dzd_a:\n"
      "    jobs:\n"
      "      j:\n"
      "        runs:\n"
      "          - {runId: r1, status: SUCCESS, createdAt: 1748743200}\n"
      "          - {runId: r2, status: FAILED, createdAt: 1748743300}\n";
  const std::string b = "domains:\n  dzd_b:\n";
  dir_.Write("a.yaml", a);
  dir_.Write("b.yaml", b);
  RecordingProgress progress;
  auto documents = LoadFixturePaths({dir_.path()}, &progress);
  ASSERT_TRUE(documents.ok()) << FormatDiagnostics(documents.error());
  EXPECT_THAT(progress.events, ElementsAre("file a.yaml " + std::to_string(a.size()), "runs 2",
                                           "file b.yaml " + std::to_string(b.size()), "runs 0"));
}

TEST_F(LoadFixturePathsProgressTest, FileThatDoesNotParseIsReadButAddsNoRuns) {
  const std::string bad = "domains: [\n";
  dir_.Write("bad.yaml", bad);
  RecordingProgress progress;
  auto documents = LoadFixturePaths({dir_.path()}, &progress);
  ASSERT_FALSE(documents.ok());
  EXPECT_THAT(progress.events, ElementsAre("file bad.yaml " + std::to_string(bad.size())));
}

TEST_F(LoadFixturePathsProgressTest, WithoutProgressLoadsTheSame) {
  dir_.Write("a.yaml", "domains:\n  dzd_a:\n");
  RecordingProgress progress;
  auto with = LoadFixturePaths({dir_.path()}, &progress);
  auto without = LoadFixturePaths({dir_.path()});
  ASSERT_TRUE(with.ok());
  ASSERT_TRUE(without.ok());
  ASSERT_EQ(with.value().size(), 1u);
  ASSERT_EQ(without.value().size(), 1u);
  EXPECT_EQ(with.value()[0].domains[0].id, without.value()[0].domains[0].id);
}

}  // namespace
}  // namespace datazone_mock
