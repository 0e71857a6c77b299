// A job's schedule: the runs made at each tick, their lifecycle and drawn outcomes, and pages
// sought without materialising the schedule (checked against a brute-force reference).
#include "store/schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

constexpr TimestampMs kStart = 1'751'328'000'000;  // 2025-07-01T00:00:00Z
constexpr std::int64_t kMinute = 60'000;

LifecycleStep Step(JobRunStatus status, std::int64_t after_ms,
                   std::optional<std::string> error = std::nullopt) {
  LifecycleStep step;
  step.status = status;
  step.after_ms = after_ms;
  step.error_message = std::move(error);
  return step;
}

ScheduleSpec Spec(std::int64_t every_ms, std::vector<LifecycleStep> steps = {},
                  std::vector<std::pair<JobRunStatus, std::uint64_t>> outcomes = {},
                  std::uint64_t seed = 3) {
  ScheduleSpec spec;
  spec.start = kStart;
  spec.every_ms = every_ms;
  spec.seed = seed;
  spec.lifecycle.steps = std::move(steps);
  spec.outcomes = std::move(outcomes);
  return spec;
}

// A spec that uses everything: a first status, three steps (one status twice) and outcomes.
ScheduleSpec FullSpec(std::int64_t every_ms = kMinute) {
  return Spec(
      every_ms,
      {Step(JobRunStatus::kInProgress, 2 * kMinute),
       Step(JobRunStatus::kInProgress, 3 * kMinute, "slow"),
       Step(JobRunStatus::kSuccess, 7 * kMinute, "bad")},
      {{JobRunStatus::kSuccess, 6}, {JobRunStatus::kFailed, 3}, {JobRunStatus::kAborted, 1}});
}

PageQuery Query(SortOrder order, std::size_t limit, std::optional<JobRunStatus> status = {},
                std::optional<RunPosition> after = {}) {
  PageQuery query;
  query.order = order;
  query.limit = limit;
  query.status = status;
  query.after = std::move(after);
  return query;
}

std::vector<std::string> Ids(const std::vector<JobRun>& runs) {
  std::vector<std::string> ids;
  for (const JobRun& run : runs) ids.push_back(run.run_id);
  return ids;
}

// Every run of the schedule at `now`, made one by one: what Seek must agree with.
std::vector<JobRun> AllRuns(const Schedule& schedule, TimestampMs now) {
  std::vector<JobRun> runs;
  for (std::uint64_t i = 1; i <= schedule.CountAt(now); ++i) runs.push_back(schedule.RunAt(i, now));
  return runs;
}

// The page JobRunIndex's rules give over `all` (ascending): filter, position, order, limit.
std::vector<JobRun> ReferenceSeek(const std::vector<JobRun>& all, const PageQuery& query,
                                  bool* has_more) {
  std::vector<JobRun> matching;
  for (const JobRun& run : all) {
    if (query.status && run.status != *query.status) continue;
    if (query.after) {
      const RunPosition& after = *query.after;
      const bool past = query.order == SortOrder::kAscending
                            ? RunBefore(after.created_at, after.run_id, run.created_at, run.run_id)
                            : RunBefore(run.created_at, run.run_id, after.created_at, after.run_id);
      if (!past) continue;
    }
    matching.push_back(run);
  }
  std::sort(matching.begin(), matching.end(), [&](const JobRun& a, const JobRun& b) {
    return query.order == SortOrder::kAscending
               ? RunBefore(a.created_at, a.run_id, b.created_at, b.run_id)
               : RunBefore(b.created_at, b.run_id, a.created_at, a.run_id);
  });
  *has_more = matching.size() > query.limit;
  if (matching.size() > query.limit) matching.resize(query.limit);
  return matching;
}

std::vector<JobRun> SeekAt(const Schedule& schedule, const PageQuery& query, TimestampMs now,
                           bool* has_more) {
  return schedule.Seek(query, now, has_more);
}

// Every matching run, page by page as nextTokens go; checks has_more on every page.
std::vector<std::string> Traverse(const Schedule& schedule, TimestampMs now, SortOrder order,
                                  std::optional<JobRunStatus> status, std::size_t page_size) {
  std::vector<std::string> ids;
  std::optional<RunPosition> after;
  for (int pages = 0; pages < 100'000; ++pages) {
    bool has_more = false;
    const auto page = schedule.Seek(Query(order, page_size, status, after), now, &has_more);
    for (const JobRun& run : page) ids.push_back(run.run_id);
    if (!has_more) return ids;
    EXPECT_EQ(page.size(), page_size) << "a page before the last must be full";
    if (page.empty()) break;
    after = RunPosition{page.back().created_at, page.back().run_id};
  }
  ADD_FAILURE() << "traversal did not end";
  return ids;
}

// --- Ids and counts -----------------------------------------------------------------------------

TEST(ScheduledRunIdTest, SevenDigitsFromOneThenMore) {
  EXPECT_EQ(ScheduledRunId(1), "sched-0000001");
  EXPECT_EQ(ScheduledRunId(42), "sched-0000042");
  EXPECT_EQ(ScheduledRunId(9'999'999), "sched-9999999");
  EXPECT_EQ(ScheduledRunId(10'000'000), "sched-10000000");
}

TEST(ScheduleTest, CountsTheTicksUpToNow) {
  const Schedule schedule(Spec(15 * kMinute));
  EXPECT_EQ(schedule.CountAt(kStart - 1), 0u);
  EXPECT_EQ(schedule.CountAt(std::numeric_limits<TimestampMs>::min()), 0u);
  EXPECT_EQ(schedule.CountAt(kStart), 1u);                       // on the first tick
  EXPECT_EQ(schedule.CountAt(kStart + 15 * kMinute - 1), 1u);    // between ticks
  EXPECT_EQ(schedule.CountAt(kStart + 15 * kMinute), 2u);        // on the second
  EXPECT_EQ(schedule.CountAt(kStart + 24 * 60 * kMinute), 97u);  // a day: 96 intervals
}

TEST(ScheduleTest, StopsAtTheLimit) {
  ScheduleSpec spec = Spec(1);
  spec.start = 0;
  const Schedule schedule(spec);
  const TimestampMs far = std::numeric_limits<TimestampMs>::max();
  EXPECT_EQ(schedule.CountAt(far), kMaxScheduledRuns);
  EXPECT_EQ(schedule.CountAt(static_cast<TimestampMs>(kMaxScheduledRuns) - 1), kMaxScheduledRuns);
  EXPECT_EQ(schedule.CountAt(static_cast<TimestampMs>(kMaxScheduledRuns) - 2),
            kMaxScheduledRuns - 1);
  bool has_more = false;
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kDescending, 2), far, &has_more)),
              ElementsAre("sched-10000000", "sched-9999999"));
  EXPECT_TRUE(has_more);
}

TEST(ScheduleTest, RefusesSpecsTheParserWouldNot) {
  EXPECT_THROW(Schedule(Spec(0)), std::invalid_argument);
  EXPECT_THROW(Schedule(Spec(kMinute, {}, {{JobRunStatus::kSuccess, 1}})), std::invalid_argument);
  ScheduleSpec calls = Spec(kMinute, {Step(JobRunStatus::kSuccess, 0)});
  calls.lifecycle.kind = Lifecycle::Kind::kAfterCalls;
  EXPECT_THROW(Schedule{calls}, std::invalid_argument);
}

// --- Run fields and lifecycle -------------------------------------------------------------------

TEST(ScheduleTest, RunFieldsFollowFromTheIndex) {
  const Schedule schedule(Spec(15 * kMinute));
  const JobRun run = schedule.RunAt(3, kStart + kMinute * 60);
  JobRun expected;
  expected.run_id = "sched-0000003";
  expected.created_at = kStart + 30 * kMinute;
  expected.status = JobRunStatus::kScheduled;
  expected.run_mode = JobRunMode::kScheduled;
  expected.created_by = "svc-scheduler";
  EXPECT_EQ(run, expected);  // no times, no error: never started
}

TEST(ScheduleTest, AFirstStatusOtherThanScheduledStartedAtCreation) {
  ScheduleSpec spec = Spec(kMinute);
  spec.status = JobRunStatus::kInProgress;
  const JobRun running = Schedule(spec).RunAt(2, kStart + 10 * kMinute);
  EXPECT_EQ(running.status, JobRunStatus::kInProgress);
  EXPECT_EQ(running.start_time, kStart + kMinute);
  EXPECT_EQ(running.end_time, std::nullopt);

  spec.status = JobRunStatus::kSuccess;  // finished as made: it ended then too
  const JobRun done = Schedule(spec).RunAt(2, kStart + 10 * kMinute);
  EXPECT_EQ(done.start_time, kStart + kMinute);
  EXPECT_EQ(done.end_time, kStart + kMinute);
}

TEST(ScheduleTest, StepsHappenExactlyAtTheirAge) {
  const Schedule schedule(Spec(kMinute, {Step(JobRunStatus::kInProgress, kMinute),
                                         Step(JobRunStatus::kFailed, 5 * kMinute, "boom")}));
  const TimestampMs created = kStart + 2 * kMinute;  // run 3
  const JobRun before = schedule.RunAt(3, created + kMinute - 1);
  EXPECT_EQ(before.status, JobRunStatus::kScheduled);
  EXPECT_EQ(before.start_time, std::nullopt);

  const JobRun started = schedule.RunAt(3, created + kMinute);
  EXPECT_EQ(started.status, JobRunStatus::kInProgress);
  EXPECT_EQ(started.start_time, created + kMinute);
  EXPECT_EQ(started.end_time, std::nullopt);
  EXPECT_EQ(started.error_message, std::nullopt);

  EXPECT_EQ(schedule.RunAt(3, created + 5 * kMinute - 1).status, JobRunStatus::kInProgress);
  const JobRun failed = schedule.RunAt(3, created + 5 * kMinute);
  EXPECT_EQ(failed.status, JobRunStatus::kFailed);
  EXPECT_EQ(failed.start_time, created + kMinute);
  EXPECT_EQ(failed.end_time, created + 5 * kMinute);
  EXPECT_EQ(failed.error_message, "boom");

  // Seek sees the same instant: at created + 5m, runs 1-3 failed, 4-7 are running, 8 waits.
  bool has_more = false;
  const TimestampMs now = created + 5 * kMinute;
  EXPECT_THAT(
      Ids(schedule.Seek(Query(SortOrder::kAscending, 50, JobRunStatus::kFailed), now, &has_more)),
      ElementsAre("sched-0000001", "sched-0000002", "sched-0000003"));
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kAscending, 50, JobRunStatus::kInProgress), now,
                                &has_more)),
              ElementsAre("sched-0000004", "sched-0000005", "sched-0000006", "sched-0000007"));
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kAscending, 50, JobRunStatus::kScheduled), now,
                                &has_more)),
              ElementsAre("sched-0000008"));
  EXPECT_EQ(schedule.CountAt(now), 8u);
}

TEST(ScheduleTest, ADrawnOutcomeReplacesTheLastStatusAndOnlyFailedKeepsItsError) {
  const Schedule schedule(Spec(
      kMinute,
      {Step(JobRunStatus::kInProgress, kMinute), Step(JobRunStatus::kSuccess, 10 * kMinute, "x")},
      {{JobRunStatus::kSuccess, 1}, {JobRunStatus::kFailed, 1}}));
  const TimestampMs now = kStart + 1000 * kMinute;
  int failed = 0;
  int succeeded = 0;
  for (std::uint64_t i = 1; i <= 200; ++i) {
    const JobRun run = schedule.RunAt(i, now);
    const TimestampMs created = kStart + static_cast<std::int64_t>(i - 1) * kMinute;
    EXPECT_EQ(run.end_time, created + 10 * kMinute);
    if (run.status == JobRunStatus::kFailed) {
      ++failed;
      EXPECT_EQ(run.error_message, "x");
    } else {
      ++succeeded;
      EXPECT_EQ(run.status, JobRunStatus::kSuccess);
      EXPECT_EQ(run.error_message, std::nullopt);
    }
    // Before the last step no outcome shows.
    const JobRun running = schedule.RunAt(i, created + 10 * kMinute - 1);
    EXPECT_EQ(running.status, JobRunStatus::kInProgress);
    EXPECT_EQ(running.error_message, std::nullopt);
  }
  EXPECT_GT(failed, 50);
  EXPECT_GT(succeeded, 50);
}

TEST(ScheduleTest, DrawsAreTheSameForTheSameSpecAndDifferForAnotherSeed) {
  const ScheduleSpec spec = FullSpec();
  const Schedule one(spec);
  const Schedule two(spec);
  ScheduleSpec other_seed = spec;
  other_seed.seed = 4;
  const Schedule three(other_seed);
  const TimestampMs now = kStart + 20'000 * kMinute;
  // Blocks built in another order (a descending filtered page first) change nothing.
  bool has_more = false;
  (void)two.Seek(Query(SortOrder::kDescending, 5, JobRunStatus::kAborted), now, &has_more);
  int differences = 0;
  for (std::uint64_t i = 1; i <= 20'000; ++i) {
    ASSERT_EQ(one.RunAt(i, now), two.RunAt(i, now)) << i;
    if (one.RunAt(i, now).status != three.RunAt(i, now).status) ++differences;
  }
  EXPECT_GT(differences, 5000);
  EXPECT_EQ(one.CountMatching(JobRunStatus::kFailed, now),
            two.CountMatching(JobRunStatus::kFailed, now));
}

TEST(ScheduleTest, DrawsFollowTheWeights) {
  const Schedule schedule(Spec(
      1000, {Step(JobRunStatus::kSuccess, 0)},
      {{JobRunStatus::kSuccess, 90}, {JobRunStatus::kFailed, 10}, {JobRunStatus::kCanceled, 0}}));
  const TimestampMs now = kStart + 99'999 * 1000;
  ASSERT_EQ(schedule.CountAt(now), 100'000u);
  const std::uint64_t failed = schedule.CountMatching(JobRunStatus::kFailed, now);
  const std::uint64_t succeeded = schedule.CountMatching(JobRunStatus::kSuccess, now);
  // 10,000 expected, standard deviation about 95.
  EXPECT_NEAR(static_cast<double>(failed), 10'000.0, 500.0);
  EXPECT_EQ(failed + succeeded, 100'000u);
  EXPECT_EQ(schedule.CountMatching(JobRunStatus::kCanceled, now), 0u);  // weight 0
  EXPECT_EQ(schedule.CountMatching(std::nullopt, now), 100'000u);
  std::uint64_t counted = 0;
  for (std::uint64_t i = 1; i <= 100'000; ++i) {
    counted += schedule.RunAt(i, now).status == JobRunStatus::kFailed ? 1 : 0;
  }
  EXPECT_EQ(counted, failed);
  // Neighbours draw independently: the same outcome twice in a row 0.9^2 + 0.1^2 of the time.
  std::uint64_t repeats = 0;
  for (std::uint64_t i = 1; i < 100'000; ++i) {
    repeats += schedule.RunAt(i, now).status == schedule.RunAt(i + 1, now).status ? 1 : 0;
  }
  EXPECT_NEAR(static_cast<double>(repeats), 82'000.0, 1000.0);
}

// The draws are part of what a fixture means: the same file gives the same runs in every
// version. Changing the draw is a decision to record, not a refactoring.
TEST(ScheduleTest, DrawsArePinned) {
  const Schedule schedule(Spec(kMinute, {Step(JobRunStatus::kSuccess, 0)},
                               {{JobRunStatus::kSuccess, 1}, {JobRunStatus::kFailed, 1}}, 3));
  std::string letters;
  for (std::uint64_t i = 1; i <= 24; ++i) {
    letters +=
        schedule.RunAt(i, kStart + kMinute * 100).status == JobRunStatus::kFailed ? 'F' : 'S';
  }
  EXPECT_EQ(letters, "FSFSFSFFFSSSSFSSSSSSFSFF");
}

// --- Seek -------------------------------------------------------------------------------------

TEST(ScheduleSeekTest, NoRunsYet) {
  const Schedule schedule(FullSpec());
  for (SortOrder order : kAllSortOrders) {
    bool has_more = true;
    EXPECT_THAT(schedule.Seek(Query(order, 50), kStart - 1, &has_more), IsEmpty());
    EXPECT_FALSE(has_more);
  }
}

TEST(ScheduleSeekTest, APositionFromAnotherSourceOnATick) {
  const Schedule schedule(Spec(15 * kMinute));
  const TimestampMs now = kStart + 60 * kMinute;  // runs 1-5
  const TimestampMs tick2 = kStart + 15 * kMinute;
  bool has_more = false;
  // "manual" sorts before "sched-...": run 2 lies after it ascending, before it descending.
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kAscending, 2, {}, RunPosition{tick2, "manual"}),
                                now, &has_more)),
              ElementsAre("sched-0000002", "sched-0000003"));
  EXPECT_TRUE(has_more);
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kDescending, 5, {}, RunPosition{tick2, "manual"}),
                                now, &has_more)),
              ElementsAre("sched-0000001"));
  EXPECT_FALSE(has_more);
  // "zzz" sorts after it: the other way round.
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kAscending, 1, {}, RunPosition{tick2, "zzz"}), now,
                                &has_more)),
              ElementsAre("sched-0000003"));
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kDescending, 5, {}, RunPosition{tick2, "zzz"}),
                                now, &has_more)),
              ElementsAre("sched-0000002", "sched-0000001"));
  // The run itself is excluded; a position between ticks falls between their runs.
  EXPECT_THAT(
      Ids(schedule.Seek(Query(SortOrder::kAscending, 1, {}, RunPosition{tick2, "sched-0000002"}),
                        now, &has_more)),
      ElementsAre("sched-0000003"));
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kDescending, 1, {}, RunPosition{tick2 + 1, ""}),
                                now, &has_more)),
              ElementsAre("sched-0000002"));
  // Positions before the first and after the last run.
  EXPECT_THAT(
      Ids(schedule.Seek(Query(SortOrder::kAscending, 9, {}, RunPosition{0, "a"}), now, &has_more)),
      ElementsAre("sched-0000001", "sched-0000002", "sched-0000003", "sched-0000004",
                  "sched-0000005"));
  EXPECT_FALSE(has_more);
  EXPECT_THAT(
      schedule.Seek(Query(SortOrder::kDescending, 9, {}, RunPosition{0, "a"}), now, &has_more),
      IsEmpty());
  EXPECT_THAT(
      schedule.Seek(Query(SortOrder::kAscending, 9, {}, RunPosition{now + 1, ""}), now, &has_more),
      IsEmpty());
  EXPECT_THAT(Ids(schedule.Seek(Query(SortOrder::kDescending, 1, {}, RunPosition{now * 2, ""}), now,
                                &has_more)),
              ElementsAre("sched-0000005"));
}

TEST(ScheduleSeekTest, LimitZeroOnlySaysWhetherThereIsMore) {
  const Schedule schedule(FullSpec());
  bool has_more = false;
  EXPECT_THAT(schedule.Seek(Query(SortOrder::kAscending, 0), kStart, &has_more), IsEmpty());
  EXPECT_TRUE(has_more);
  EXPECT_THAT(
      schedule.Seek(Query(SortOrder::kAscending, 0, JobRunStatus::kFailed), kStart, &has_more),
      IsEmpty());
  EXPECT_FALSE(has_more);  // run 1 is still SCHEDULED
}

// Random queries at several instants against the reference, for specs that cover no lifecycle,
// a lifecycle without outcomes, and drawn outcomes.
TEST(ScheduleSeekTest, AgreesWithTheReference) {
  const std::vector<ScheduleSpec> specs = {
      Spec(kMinute),
      Spec(kMinute,
           {Step(JobRunStatus::kInProgress, 0), Step(JobRunStatus::kCanceled, 4 * kMinute)}),
      FullSpec(),
      FullSpec(45'000),
      // A status both in a band and among the outcomes. The parser refuses it (nothing follows a
      // terminal status), but the schedule does not rely on that.
      Spec(kMinute,
           {Step(JobRunStatus::kFailed, kMinute), Step(JobRunStatus::kInProgress, 3 * kMinute)},
           {{JobRunStatus::kFailed, 1}, {JobRunStatus::kSuccess, 1}}),
  };
  const std::vector<std::string> foreign_ids = {
      "", "a", "manual", "sched-0000005", "sched-00000", "sched-0000005a", "zzz"};
  std::mt19937_64 random(11);
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const Schedule schedule(specs[s]);
    for (const TimestampMs now : {kStart - 1, kStart, kStart + 2 * kMinute, kStart + 9 * kMinute,
                                  kStart + 150 * kMinute + 1, kStart + 300 * kMinute}) {
      const std::vector<JobRun> all = AllRuns(schedule, now);
      for (int q = 0; q < 300; ++q) {
        PageQuery query;
        query.order = random() % 2 ? SortOrder::kAscending : SortOrder::kDescending;
        query.limit = random() % 4 == 0 ? random() % 3 : random() % 60;
        if (random() % 3 != 0) query.status = kAllJobRunStatuses[random() % 8];
        switch (random() % 4) {
          case 0:
            break;
          case 1:
            if (!all.empty()) {
              const JobRun& at = all[random() % all.size()];
              query.after = RunPosition{at.created_at, at.run_id};
            }
            break;
          case 2:  // another source's run on a tick
            query.after =
                RunPosition{kStart + static_cast<std::int64_t>(random() % 320) * specs[s].every_ms,
                            foreign_ids[random() % foreign_ids.size()]};
            break;
          default:  // anywhere, ticks or not, before the first and past the last
            query.after = RunPosition{
                kStart - kMinute + static_cast<std::int64_t>(random() % (330 * kMinute)),
                foreign_ids[random() % foreign_ids.size()]};
            break;
        }
        bool expected_more = false;
        bool has_more = false;
        const auto expected = ReferenceSeek(all, query, &expected_more);
        const auto page = SeekAt(schedule, query, now, &has_more);
        ASSERT_EQ(page, expected) << "spec " << s << " now " << now << " query " << q;
        ASSERT_EQ(has_more, expected_more) << "spec " << s << " now " << now << " query " << q;
      }
      for (const auto status : {std::optional<JobRunStatus>{}, std::optional(JobRunStatus::kFailed),
                                std::optional(JobRunStatus::kInProgress)}) {
        const auto count = static_cast<std::uint64_t>(
            std::count_if(all.begin(), all.end(),
                          [&](const JobRun& run) { return !status || run.status == *status; }));
        EXPECT_EQ(schedule.CountMatching(status, now), count);
      }
    }
  }
}

// Outcome scans across block boundaries (65,536 runs a block), in both directions, for outcomes
// common enough that a block's first and last runs have each of them, and a rare one.
TEST(ScheduleSeekTest, PagesThroughOutcomesAcrossBlocks) {
  const Schedule schedule(Spec(
      1000, {Step(JobRunStatus::kSuccess, 0)},
      {{JobRunStatus::kSuccess, 500}, {JobRunStatus::kAborted, 497}, {JobRunStatus::kFailed, 3}}));
  const TimestampMs now = kStart + 149'999 * 1000;
  const std::vector<JobRun> all = AllRuns(schedule, now);
  for (const JobRunStatus status :
       {JobRunStatus::kFailed, JobRunStatus::kAborted, JobRunStatus::kSuccess}) {
    std::vector<std::string> expected;
    for (const JobRun& run : all) {
      if (run.status == status) expected.push_back(run.run_id);
    }
    ASSERT_GT(expected.size(), 300u);
    EXPECT_EQ(Traverse(schedule, now, SortOrder::kAscending, status, 50), expected)
        << ToString(status);
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(Traverse(schedule, now, SortOrder::kDescending, status, 37), expected)
        << ToString(status);
  }
  // Positions right at block edges.
  std::mt19937_64 random(5);
  for (const std::uint64_t edge : {65'536u, 65'537u, 131'072u, 131'073u}) {
    for (int q = 0; q < 20; ++q) {
      const JobRun& at = all[edge - 1];
      const PageQuery query =
          Query(random() % 2 ? SortOrder::kAscending : SortOrder::kDescending, random() % 20,
                JobRunStatus::kFailed, RunPosition{at.created_at, at.run_id});
      bool expected_more = false;
      bool has_more = false;
      ASSERT_EQ(SeekAt(schedule, query, now, &has_more), ReferenceSeek(all, query, &expected_more));
      ASSERT_EQ(has_more, expected_more);
    }
  }
}

// Each run of a rare outcome (kept as a list of positions per block) is found from right beside
// it in both directions, and when the finished runs end at it.
TEST(ScheduleSeekTest, EveryRareMatchIsFoundFromRightBesideIt) {
  // A seed under which the first run of the second block failed: the edge cases of a block.
  const auto spec = [](std::uint64_t seed) {
    return Spec(1000, {Step(JobRunStatus::kSuccess, 10 * kMinute)},
                {{JobRunStatus::kSuccess, 997}, {JobRunStatus::kFailed, 3}}, seed);
  };
  std::uint64_t seed = 0;
  while (Schedule(spec(seed)).RunAt(65'537, kStart + 10'000'000'000).status !=
         JobRunStatus::kFailed) {
    ++seed;
  }
  const Schedule schedule(spec(seed));
  const TimestampMs now = kStart + 149'999 * 1000 + 10 * kMinute;
  std::vector<std::uint64_t> failed;
  for (std::uint64_t i = 1; i <= schedule.CountAt(now); ++i) {
    if (schedule.RunAt(i, now).status == JobRunStatus::kFailed) failed.push_back(i);
  }
  ASSERT_GT(failed.size(), 300u);
  const auto position = [&](std::uint64_t index) {
    const JobRun run = schedule.RunAt(index, now);
    return RunPosition{run.created_at, run.run_id};
  };
  bool has_more = false;
  for (const std::uint64_t m : failed) {
    const auto up = schedule.Seek(
        Query(SortOrder::kAscending, 1, JobRunStatus::kFailed, position(m - 1)), now, &has_more);
    ASSERT_THAT(Ids(up), ElementsAre(ScheduledRunId(m)));
    const auto down = schedule.Seek(
        Query(SortOrder::kDescending, 1, JobRunStatus::kFailed, position(m + 1)), now, &has_more);
    ASSERT_THAT(Ids(down), ElementsAre(ScheduledRunId(m)));
  }
  // The runs that finished by then end exactly at a failed one.
  const std::uint64_t m = failed[failed.size() / 2];
  const TimestampMs then = position(m).created_at + 10 * kMinute;
  EXPECT_THAT(
      Ids(schedule.Seek(Query(SortOrder::kDescending, 1, JobRunStatus::kFailed), then, &has_more)),
      ElementsAre(ScheduledRunId(m)));
  EXPECT_THAT(
      Ids(schedule.Seek(Query(SortOrder::kAscending, 5, JobRunStatus::kFailed, position(m - 1)),
                        then, &has_more)),
      ElementsAre(ScheduledRunId(m)));
  EXPECT_FALSE(has_more);
}

// A million runs, an outcome of about one in ten thousand and one of about one a block: their
// pages are still found, and the outcome bytes cost about a byte a run, built only where a
// search went.
TEST(ScheduleSeekTest, RareOutcomesInAMillionRuns) {
  const Schedule schedule(Spec(1000, {Step(JobRunStatus::kSuccess, kMinute)},
                               {{JobRunStatus::kSuccess, 655'285},
                                {JobRunStatus::kFailed, 65},
                                {JobRunStatus::kAborted, 10}}));
  const TimestampMs now = kStart + 999'999 * 1000;
  ASSERT_EQ(schedule.CountAt(now), 1'000'000u);
  EXPECT_EQ(schedule.OutcomeBytes(), 0u);

  bool has_more = false;
  const auto newest = schedule.Seek(Query(SortOrder::kDescending, 50), now, &has_more);
  EXPECT_EQ(newest.front().run_id, "sched-1000000");
  EXPECT_EQ(newest.front().status, JobRunStatus::kScheduled);  // younger than a minute
  EXPECT_EQ(schedule.OutcomeBytes(), 0u) << "an unfiltered page draws nothing";
  (void)schedule.Seek(Query(SortOrder::kDescending, 50, JobRunStatus::kSuccess), now, &has_more);
  EXPECT_LT(schedule.OutcomeBytes(), 70'000u) << "a common outcome is found in the last block";

  std::vector<std::string> failed;
  std::vector<std::string> aborted;
  std::vector<int> aborted_per_block(16, 0);
  for (std::uint64_t i = 1; i <= 1'000'000; ++i) {
    const JobRunStatus status = schedule.RunAt(i, now).status;
    if (status == JobRunStatus::kFailed) failed.push_back(ScheduledRunId(i));
    if (status == JobRunStatus::kAborted) {
      aborted.push_back(ScheduledRunId(i));
      ++aborted_per_block[(i - 1) / 65'536];
    }
  }
  ASSERT_GT(failed.size(), 60u);
  ASSERT_LT(failed.size(), 140u);
  // A block whose only match is the one sought must not be skipped.
  ASSERT_THAT(aborted_per_block, testing::Contains(1));
  const auto page =
      schedule.Seek(Query(SortOrder::kDescending, 50, JobRunStatus::kFailed), now, &has_more);
  ASSERT_EQ(page.size(), 50u);
  EXPECT_TRUE(has_more);
  for (std::size_t k = 0; k < page.size(); ++k) {
    EXPECT_EQ(page[k].run_id, failed[failed.size() - 1 - k]);
    EXPECT_EQ(page[k].status, JobRunStatus::kFailed);
  }
  EXPECT_EQ(Traverse(schedule, now, SortOrder::kAscending, JobRunStatus::kFailed, 50), failed);
  EXPECT_EQ(Traverse(schedule, now, SortOrder::kAscending, JobRunStatus::kAborted, 3), aborted);
  std::reverse(aborted.begin(), aborted.end());
  EXPECT_EQ(Traverse(schedule, now, SortOrder::kDescending, JobRunStatus::kAborted, 3), aborted);
  EXPECT_EQ(schedule.CountMatching(JobRunStatus::kFailed, now), failed.size());
  EXPECT_LT(static_cast<double>(schedule.OutcomeBytes()) / 1e6, 1.1);
  EXPECT_GE(schedule.OutcomeBytes(), 1'000'000u);
}

// Request threads seek on a fresh schedule at once, building the same blocks concurrently.
TEST(ScheduleSeekTest, ConcurrentSeeksOnAFreshScheduleAgree) {
  const ScheduleSpec spec = Spec(1000, {Step(JobRunStatus::kSuccess, 0)},
                                 {{JobRunStatus::kSuccess, 9990}, {JobRunStatus::kFailed, 10}});
  const TimestampMs now = kStart + 499'999 * 1000;
  std::vector<PageQuery> queries;
  for (SortOrder order : kAllSortOrders) {
    queries.push_back(Query(order, 50, JobRunStatus::kFailed));
    queries.push_back(
        Query(order, 50, JobRunStatus::kFailed, RunPosition{kStart + 250'000'000, ""}));
    queries.push_back(Query(order, 50, JobRunStatus::kSuccess));
  }
  const auto answer = [&](const Schedule& schedule) {
    std::vector<std::pair<std::vector<JobRun>, bool>> out;
    for (const PageQuery& query : queries) {
      bool has_more = false;
      auto page = schedule.Seek(query, now, &has_more);
      out.emplace_back(std::move(page), has_more);
    }
    return out;
  };
  const auto expected = answer(Schedule(spec));
  for (int round = 0; round < 3; ++round) {
    const Schedule fresh(spec);
    std::vector<std::vector<std::pair<std::vector<JobRun>, bool>>> got(8);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t) {
      threads.emplace_back([&, t] { got[t] = answer(fresh); });
    }
    for (std::thread& thread : threads) thread.join();
    for (const auto& one : got) EXPECT_EQ(one, expected);
    EXPECT_EQ(fresh.CountMatching(JobRunStatus::kFailed, now),
              Schedule(spec).CountMatching(JobRunStatus::kFailed, now));
  }
}

}  // namespace
}  // namespace datazone_mock
