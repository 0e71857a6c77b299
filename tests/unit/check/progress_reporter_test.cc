// TerminalProgress lives in server/ (it writes to the terminal main gives it); its test sits
// with the check tests, which share its number formatting.
#include "server/progress_reporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "support/fakes.h"
#include "unit/check/check_test_support.h"

namespace datazone_mock {
namespace {

using std::chrono::milliseconds;

class TerminalProgressTest : public testing::Test {
 protected:
  void SetUp() override {
    out_ = std::tmpfile();
    ASSERT_NE(out_, nullptr);
  }
  void TearDown() override {
    if (out_) std::fclose(out_);
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::FILE* out_ = nullptr;
};

Store::Counts Counts(std::size_t domains, std::size_t jobs, std::size_t runs) {
  Store::Counts counts;
  counts.domains = domains;
  counts.jobs = jobs;
  counts.runs = runs;
  return counts;
}

TEST_F(TerminalProgressTest, NotATerminalPrintsNothingWhileLoadingThenOneSummaryLine) {
  TerminalProgress progress(out_, /*live=*/false, clock_);
  progress.OnFileRead("a.yaml", 20'000'000);
  clock_->Advance(milliseconds(500));
  progress.OnRuns(500'000);
  clock_->Advance(milliseconds(430));
  progress.OnFileRead("b.yaml", 16'100'000);
  progress.OnRuns(500'146);
  progress.Finish();
  EXPECT_EQ(Contents(out_), "");
  progress.PrintSummary(Counts(2, 3, 1'000'146));
  EXPECT_EQ(Contents(out_),
            "datazone-mock: loaded 1,000,146 runs in 3 jobs of 2 domains from 2 files (36.1 MB) "
            "in 0.93 s\n");
}

TEST_F(TerminalProgressTest, TerminalDrawsNothingForTheFirstTenthOfASecond) {
  TerminalProgress progress(out_, /*live=*/true, clock_);
  progress.OnFileRead("a.yaml", 1'000);
  clock_->Advance(milliseconds(99));
  progress.OnRuns(146);
  progress.Finish();  // a quick load leaves the terminal as it was
  EXPECT_EQ(Contents(out_), "");
}

TEST_F(TerminalProgressTest, LargeFileIsShownAtOnceWhileItIsParsed) {
  TerminalProgress progress(out_, /*live=*/true, clock_);
  progress.OnFileRead("small.yaml", 999'999);
  EXPECT_EQ(Contents(out_), "");
  progress.OnFileRead("big.yaml", 33'000'000);
  EXPECT_EQ(Contents(out_), "\rloading fixtures: 2 files, 34.0 MB, 0 runs (0 runs/s)");
  clock_->Advance(milliseconds(99));
  progress.OnFileRead("big2.yaml", 33'000'000);  // still at most ten drawings a second
  EXPECT_EQ(Contents(out_), "\rloading fixtures: 2 files, 34.0 MB, 0 runs (0 runs/s)");
  clock_->Advance(milliseconds(1));
  progress.OnRuns(10);
  EXPECT_EQ(Contents(out_),
            "\rloading fixtures: 2 files, 34.0 MB, 0 runs (0 runs/s)"
            "\rloading fixtures: 3 files, 67.0 MB, 10 runs (100 runs/s)");
}

TEST_F(TerminalProgressTest, TerminalRedrawsOneLineAtMostTenTimesASecond) {
  TerminalProgress progress(out_, /*live=*/true, clock_);
  progress.OnFileRead("a.yaml", 400'000);
  clock_->Advance(milliseconds(100));
  progress.OnRuns(65'536);
  const std::string first = "\rloading fixtures: 1 file, 400.0 kB, 65,536 runs (655,360 runs/s)";
  EXPECT_EQ(Contents(out_), first);

  clock_->Advance(milliseconds(99));
  progress.OnRuns(65'536);  // too soon after the last drawing
  EXPECT_EQ(Contents(out_), first);

  clock_->Advance(milliseconds(301));
  progress.OnFileRead("b.yaml", 100'000);
  const std::string second = "\rloading fixtures: 2 files, 500.0 kB, 131,072 runs (262,144 runs/s)";
  EXPECT_EQ(Contents(out_), first + second);

  clock_->Advance(milliseconds(500));
  progress.OnRuns(1'000'000 - 131'072);
  const std::string third = "\rloading fixtures: 2 files, 500.0 kB, 1,000,000 runs (1.0 M runs/s)";
  EXPECT_EQ(Contents(out_), first + second + third);
}

TEST_F(TerminalProgressTest, FinishDrawsTheFinalCountsAndEndsTheLine) {
  TerminalProgress progress(out_, /*live=*/true, clock_);
  clock_->Advance(milliseconds(200));
  progress.OnFileRead("a.yaml", 2'000);
  clock_->Advance(milliseconds(50));
  progress.OnRuns(50);  // not drawn yet: too soon
  progress.Finish();
  EXPECT_EQ(Contents(out_),
            "\rloading fixtures: 1 file, 2.0 kB, 0 runs (0 runs/s)"
            "\rloading fixtures: 1 file, 2.0 kB, 50 runs (200 runs/s)\n");
  progress.Finish();  // once only
  progress.PrintSummary(Counts(1, 1, 50));
  EXPECT_EQ(Contents(out_),
            "\rloading fixtures: 1 file, 2.0 kB, 0 runs (0 runs/s)"
            "\rloading fixtures: 1 file, 2.0 kB, 50 runs (200 runs/s)\n"
            "datazone-mock: loaded 50 runs in 1 job of 1 domain from 1 file (2.0 kB) in 0.25 s\n");
}

TEST_F(TerminalProgressTest, ShorterLineBlanksTheRestOfTheLongerOne) {
  TerminalProgress progress(out_, /*live=*/true, clock_);
  clock_->Advance(milliseconds(100));
  progress.OnRuns(100'000);  // "(1.0 M runs/s)"
  clock_->Advance(milliseconds(900));
  progress.OnRuns(0);  // "(100,000 runs/s)": longer, nothing to blank
  EXPECT_EQ(Contents(out_),
            "\rloading fixtures: 0 files, 0 B, 100,000 runs (1.0 M runs/s)"
            "\rloading fixtures: 0 files, 0 B, 100,000 runs (100,000 runs/s)");
  clock_->Advance(milliseconds(9'000));
  progress.OnRuns(0);  // "(10,000 runs/s)": one shorter than what is on screen
  EXPECT_EQ(Contents(out_),
            "\rloading fixtures: 0 files, 0 B, 100,000 runs (1.0 M runs/s)"
            "\rloading fixtures: 0 files, 0 B, 100,000 runs (100,000 runs/s)"
            "\rloading fixtures: 0 files, 0 B, 100,000 runs (10,000 runs/s) ");
}

TEST_F(TerminalProgressTest, SummaryStopsTheTimeAtFinish) {
  TerminalProgress progress(out_, /*live=*/false, clock_);
  clock_->Advance(milliseconds(1'234));
  progress.Finish();
  clock_->Advance(std::chrono::seconds(60));  // binding the port, printing the endpoint
  EXPECT_EQ(progress.Summary(Counts(2, 5, 146)),
            "loaded 146 runs in 5 jobs of 2 domains in 1.23 s");
}

TEST_F(TerminalProgressTest, SummaryWithoutFilesLeavesOutWhereFrom) {
  // The bundled fixtures are compiled in: no file is read.
  TerminalProgress progress(out_, /*live=*/true, clock_);
  progress.Finish();
  EXPECT_EQ(progress.Summary(Counts(2, 5, 146)),
            "loaded 146 runs in 5 jobs of 2 domains in 0.00 s");
  EXPECT_EQ(progress.Summary(Counts(1, 1, 1)), "loaded 1 run in 1 job of 1 domain in 0.00 s");
}

TEST(IsTerminalTest, AFileIsNotATerminal) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EXPECT_FALSE(IsTerminal(file));
  std::fclose(file);
}

}  // namespace
}  // namespace datazone_mock
