// Runs that change: relative times, lifecycles and schedules as fixtures write them, and the
// page a job gives at one instant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/fixture.h"
#include "store/job_page.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

constexpr TimestampMs kNow = 1'751'328'000'000;  // 2025-07-01T00:00:00Z
constexpr std::int64_t kMinute = 60'000;

std::vector<std::string> Problems(std::string_view yaml, TimestampMs now = kNow) {
  const FixtureReading reading = ReadFixture(yaml, "f.yaml", now);
  std::vector<std::string> out;
  for (const Diagnostic& d : reading.problems) out.push_back(d.ToString());
  return out;
}

// One job "j" in domain "dzd_t1" with the given job body (indented under the job's key).
std::string OneJob(std::string_view body) {
  return "domains:\n  dzd_t1:\n    jobs:\n      j:\n" + std::string(body);
}

Store BuildOrDie(std::string_view yaml, TimestampMs now = kNow) {
  auto document = ParseFixture(yaml, "f.yaml", now);
  EXPECT_TRUE(document.ok()) << testing::PrintToString(document.ok() ? Diagnostics{}
                                                                     : document.error());
  auto store = BuildStore({document.value()});
  EXPECT_TRUE(store.ok());
  return std::move(store).value();
}

const Job& TheJob(const Store& store) { return store.domains.at("dzd_t1").jobs.at("j"); }

std::vector<std::string> Listed(const Job& job, TimestampMs now, std::uint64_t listings,
                                std::optional<JobRunStatus> status = std::nullopt,
                                SortOrder order = SortOrder::kDescending) {
  PageQuery query;
  query.status = status;
  query.order = order;
  query.limit = 50;
  const JobPage page = SeekJob(job, query, now, listings);
  std::vector<std::string> out;
  for (const JobRun* run : page.items) {
    out.push_back(run->run_id + " " + std::string(ToString(run->status)));
  }
  return out;
}

TEST(RelativeTimesTest, ResolveAgainstTheLoadInstant) {
  const Store store = BuildOrDie(
      OneJob("        runs:\n"
             "          - {runId: a, status: SUCCESS, createdAt: now-90m, startTime: now-89m,"
             " endTime: now}\n"
             "          - {runId: b, status: SCHEDULED, createdAt: now+30s}\n"));
  const auto& runs = TheJob(store).runs.runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].created_at, kNow - 90 * kMinute);
  EXPECT_EQ(runs[0].start_time, kNow - 89 * kMinute);
  EXPECT_EQ(runs[0].end_time, kNow);
  EXPECT_EQ(runs[1].created_at, kNow + 30'000);
}

TEST(RelativeTimesTest, ABadOneIsReportedWhereItStands) {
  EXPECT_THAT(Problems(OneJob("        runs:\n"
                              "          - {runId: a, status: SUCCESS, createdAt: now-5y}\n")),
              ElementsAre(HasSubstr("f.yaml:6:52: invalid createdAt 'now-5y'")));
}

TEST(LifecycleTest, AfterStepsChangeTheRunWithTheClock) {
  const Store store =
      BuildOrDie(OneJob("        runs:\n"
                        "          - runId: x\n"
                        "            status: SCHEDULED\n"
                        "            createdAt: now\n"
                        "            lifecycle:\n"
                        "              - {status: IN_PROGRESS, after: 1m}\n"
                        "              - {status: FAILED, after: 5m, error: {message: boom}}\n"
                        "          - {runId: fixed, status: SUCCESS, createdAt: now-1h}\n"));
  const Job& job = TheJob(store);
  EXPECT_THAT(Listed(job, kNow, 0), ElementsAre("x SCHEDULED", "fixed SUCCESS"));
  EXPECT_THAT(Listed(job, kNow + kMinute - 1, 0), ElementsAre("x SCHEDULED", "fixed SUCCESS"));
  EXPECT_THAT(Listed(job, kNow + kMinute, 0), ElementsAre("x IN_PROGRESS", "fixed SUCCESS"));
  EXPECT_THAT(Listed(job, kNow + 5 * kMinute, 0), ElementsAre("x FAILED", "fixed SUCCESS"));
  // The status filter sees the same instant as the items.
  EXPECT_THAT(Listed(job, kNow + 2 * kMinute, 0, JobRunStatus::kInProgress),
              ElementsAre("x IN_PROGRESS"));
  EXPECT_THAT(Listed(job, kNow + 2 * kMinute, 0, JobRunStatus::kFailed), testing::IsEmpty());

  const JobRun done = EvaluateLiveRun(job.live->front(), kNow + 6 * kMinute, 0);
  EXPECT_EQ(done.start_time, kNow + kMinute);
  EXPECT_EQ(done.end_time, kNow + 5 * kMinute);
  EXPECT_EQ(done.error_message, "boom");
  const JobRun before = EvaluateLiveRun(job.live->front(), kNow, 0);
  EXPECT_EQ(before.start_time, std::nullopt);
  EXPECT_EQ(before.error_message, std::nullopt);
}

TEST(LifecycleTest, TimesTheFixtureGaveAreKept) {
  const Store store = BuildOrDie(
      OneJob("        runs:\n"
             "          - {runId: x, status: SCHEDULED, createdAt: now, startTime: now-1s,"
             " lifecycle: [{status: SUCCESS, after: 1m}]}\n"));
  const JobRun run = EvaluateLiveRun(TheJob(store).live->front(), kNow + kMinute, 0);
  EXPECT_EQ(run.start_time, kNow - 1000);
  EXPECT_EQ(run.end_time, kNow + kMinute);
}

TEST(LifecycleTest, AfterCallsStepsCountListingsAndKeepTheirInstant) {
  const Store store =
      BuildOrDie(OneJob("        runs:\n"
                        "          - runId: y\n"
                        "            status: SCHEDULED\n"
                        "            createdAt: now-1h\n"
                        "            lifecycle:\n"
                        "              - {status: IN_PROGRESS, afterCalls: 1}\n"
                        "              - {status: SUCCESS, afterCalls: 3}\n"));
  const Job& job = TheJob(store);
  EXPECT_THAT(Listed(job, kNow, 0), ElementsAre("y SCHEDULED"));
  EXPECT_THAT(Listed(job, kNow + 10, 1), ElementsAre("y IN_PROGRESS"));
  EXPECT_THAT(Listed(job, kNow + 20, 2), ElementsAre("y IN_PROGRESS"));
  EXPECT_THAT(Listed(job, kNow + 30, 3), ElementsAre("y SUCCESS"));
  // The instants are those of the listings that first saw each step, not later ones.
  const JobRun run = EvaluateLiveRun(job.live->front(), kNow + 999, 7);
  EXPECT_EQ(run.start_time, kNow + 10);
  EXPECT_EQ(run.end_time, kNow + 30);
}

// The run on a one-run page of `job`.
const JobRun* OnlyItem(const Job& job, TimestampMs now, std::uint64_t listings) {
  PageQuery query;
  query.limit = 50;
  const JobPage page = SeekJob(job, query, now, listings);
  EXPECT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(page.evaluated.empty());
  return page.items.empty() ? nullptr : page.items.front();
}

TEST(LifecycleTest, EachStateIsMadeOnceAndKeptWhileLaterOnesFollow) {
  const Store store =
      BuildOrDie(OneJob("        runs:\n"
                        "          - {runId: x, status: SCHEDULED, createdAt: now,\n"
                        "             lifecycle: [{status: IN_PROGRESS, after: 1m},"
                        " {status: SUCCESS, after: 5m}]}\n"));
  const Job& job = TheJob(store);
  // Before the first step: the fixture's run itself.
  EXPECT_EQ(OnlyItem(job, kNow, 0), &job.live->front().run);
  const JobRun* started = OnlyItem(job, kNow + kMinute, 0);
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->status, JobRunStatus::kInProgress);
  EXPECT_EQ(OnlyItem(job, kNow + 4 * kMinute, 0), started);  // the same step: the same run
  const JobRun* done = OnlyItem(job, kNow + 5 * kMinute, 0);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(done, started);
  EXPECT_EQ(done->status, JobRunStatus::kSuccess);
  EXPECT_EQ(done->end_time, kNow + 5 * kMinute);
  // The earlier state is still what it was, for pages that point at it.
  EXPECT_EQ(started->status, JobRunStatus::kInProgress);
  EXPECT_EQ(started->end_time, std::nullopt);
  EXPECT_EQ(*done, EvaluateLiveRun(job.live->front(), kNow + 9 * kMinute, 0));
}

TEST(LifecycleTest, AnAfterCallsStateKeepsTheInstantOfTheListingThatMadeIt) {
  const Store store =
      BuildOrDie(OneJob("        runs:\n"
                        "          - {runId: y, status: SCHEDULED, createdAt: now-1h,\n"
                        "             lifecycle: [{status: IN_PROGRESS, afterCalls: 1}]}\n"));
  const Job& job = TheJob(store);
  const JobRun* first = OnlyItem(job, kNow + 10, 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->start_time, kNow + 10);
  EXPECT_EQ(OnlyItem(job, kNow + 20, 2), first);
  EXPECT_EQ(first->start_time, kNow + 10);
}

TEST(LiveRunStatesTest, TheFirstKeptStateWinsAndStepsOutsideTheLifecycleHaveNone) {
  LiveRunStates states(2);
  EXPECT_EQ(states.Find(1), nullptr);
  JobRun run;
  run.run_id = "r";
  run.status = JobRunStatus::kInProgress;
  const JobRun* kept = states.Keep(1, run);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(*kept, run);
  EXPECT_EQ(states.Find(1), kept);
  run.status = JobRunStatus::kFailed;
  EXPECT_EQ(states.Keep(1, run), kept);
  EXPECT_EQ(kept->status, JobRunStatus::kInProgress);
  EXPECT_EQ(states.Find(2), nullptr);
  EXPECT_EQ(states.Keep(0, run), nullptr);
  EXPECT_EQ(states.Keep(3, run), nullptr);
  EXPECT_EQ(states.Find(3), nullptr);
}

TEST(LiveRunStatesTest, RequestsMakingOneStateAtOnceAllGetTheKeptOne) {
  LiveRunStates states(1);
  std::vector<const JobRun*> got(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&states, &got, i] {
      JobRun run;
      run.run_id = "r";
      got[i] = states.Keep(1, run);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const JobRun* run : got) EXPECT_EQ(run, states.Find(1));
  EXPECT_NE(states.Find(1), nullptr);
}

// Every run of `job` as pages of `limit` give them, following each page's last run.
std::vector<std::string> Paged(const Job& job, std::size_t limit, SortOrder order,
                               std::optional<JobRunStatus> status, TimestampMs now) {
  PageQuery query;
  query.status = status;
  query.order = order;
  query.limit = limit;
  std::vector<std::string> out;
  for (int pages = 0; pages < 20; ++pages) {
    const JobPage page = SeekJob(job, query, now, 0);
    for (const JobRun* run : page.items) {
      out.push_back(run->run_id + " " + std::string(ToString(run->status)));
    }
    if (!page.has_more || page.items.empty()) break;
    query.after = RunPosition{page.items.back()->created_at, page.items.back()->run_id};
  }
  return out;
}

TEST(LifecycleTest, PagesMergeChangingAndFixedRunsFromAnyPosition) {
  // Runs with a lifecycle (b, d, e, f), written out of order, among fixed ones (a, c, g).
  const Store store =
      BuildOrDie(OneJob("        runs:\n"
                        "          - {runId: e, status: SCHEDULED, createdAt: now-20m,\n"
                        "             lifecycle: [{status: IN_PROGRESS, after: 1m}]}\n"
                        "          - {runId: a, status: FAILED, createdAt: now-60m}\n"
                        "          - {runId: b, status: SCHEDULED, createdAt: now-50m,\n"
                        "             lifecycle: [{status: FAILED, after: 1m}]}\n"
                        "          - {runId: g, status: SUCCESS, createdAt: now-5m}\n"
                        "          - {runId: d, status: SCHEDULED, createdAt: now-30m,\n"
                        "             lifecycle: [{status: FAILED, after: 1h}]}\n"
                        "          - {runId: c, status: FAILED, createdAt: now-40m}\n"
                        "          - {runId: f, status: SCHEDULED, createdAt: now-10m,\n"
                        "             lifecycle: [{status: FAILED, after: 2m}]}\n"));
  const Job& job = TheJob(store);
  const std::vector<std::string> oldest_first = {
      "a FAILED", "b FAILED", "c FAILED", "d SCHEDULED", "e IN_PROGRESS", "f FAILED", "g SUCCESS"};
  const std::vector<std::string> newest_first(oldest_first.rbegin(), oldest_first.rend());
  for (const std::size_t limit : {1u, 2u, 3u, 50u}) {
    EXPECT_EQ(Paged(job, limit, SortOrder::kAscending, std::nullopt, kNow), oldest_first);
    EXPECT_EQ(Paged(job, limit, SortOrder::kDescending, std::nullopt, kNow), newest_first);
    EXPECT_THAT(Paged(job, limit, SortOrder::kAscending, JobRunStatus::kFailed, kNow),
                ElementsAre("a FAILED", "b FAILED", "c FAILED", "f FAILED"));
    EXPECT_THAT(Paged(job, limit, SortOrder::kDescending, JobRunStatus::kFailed, kNow),
                ElementsAre("f FAILED", "c FAILED", "b FAILED", "a FAILED"));
  }
}

TEST(LifecycleTest, AnAfterCallsStepKeepsItsInstantWhenItsRunIsNotOnThePage) {
  std::string runs = "        runs:\n";
  for (const char* run :
       {"a, status: SCHEDULED, createdAt: now-3h", "b, status: SCHEDULED, createdAt: now-2h",
        "c, status: SCHEDULED, createdAt: now-1h"}) {
    runs += std::string("          - {runId: ") + run +
            ", lifecycle: [{status: IN_PROGRESS, afterCalls: 1}]}\n";
  }
  const Store store = BuildOrDie(OneJob(runs));
  const Job& job = TheJob(store);
  PageQuery first_only;
  first_only.limit = 1;  // newest first: c on the page, b to know there is more, a not looked at
  ASSERT_EQ(SeekJob(job, first_only, kNow + 10, 1).items.front()->run_id, "c");
  const JobRun a = EvaluateLiveRun(job.live->front(), kNow + 999, 2);
  ASSERT_EQ(a.run_id, "a");
  EXPECT_EQ(a.start_time, kNow + 10);  // the listing that reached the step, not this one
}

TEST(LifecycleTest, ProblemsAreReportedInOnePassAtTheirPlace) {
  EXPECT_THAT(
      Problems(OneJob("        runs:\n"
                      "          - runId: a\n"
                      "            status: SCHEDULED\n"
                      "            createdAt: now\n"
                      "            lifecycle:\n"
                      "              - {status: SUCCESS, after: 5m}\n"
                      "              - {status: FAILED, after: 4m}\n"
                      "              - {status: DONE, afterCalls: 2}\n"
                      "              - {status: IN_PROGRESS}\n"
                      "              - {status: IN_PROGRESS, after: 1m, afterCalls: 1}\n")),
      ElementsAre(
          HasSubstr("f.yaml:11:17: a lifecycle step after SUCCESS, a terminal status, can never "
                    "happen"),
          HasSubstr("f.yaml:11:41: lifecycle steps must come in increasing order"),
          HasSubstr("f.yaml:12:26: invalid status 'DONE'"),
          HasSubstr("f.yaml:12:44: a lifecycle uses one kind of step"),
          HasSubstr("f.yaml:13:17: a lifecycle step needs after (a duration) or afterCalls"),
          HasSubstr("f.yaml:14:17: a lifecycle step after SUCCESS"),
          HasSubstr("f.yaml:14:46: lifecycle steps must come in increasing order"),
          HasSubstr("f.yaml:14:62: a lifecycle step takes one of after and afterCalls, not "
                    "both")));
}

TEST(LifecycleTest, AFinishedRunHasNoLifecycle) {
  EXPECT_THAT(Problems(OneJob("        runs:\n"
                              "          - {runId: a, status: SUCCESS, createdAt: now,"
                              " lifecycle: [{status: FAILED, after: 1m}]}\n")),
              ElementsAre(HasSubstr("a run whose status is SUCCESS, a terminal status, has no "
                                    "lifecycle")));
}

TEST(ScheduleSpecTest, ProblemsAreReported) {
  EXPECT_THAT(Problems(OneJob("        schedule:\n"
                              "          every: 0s\n"
                              "          start: now\n"
                              "          lifecycle: [{status: SUCCESS, afterCalls: 1}]\n"
                              "          outcomes: {IN_PROGRESS: 5}\n")),
              ElementsAre(HasSubstr("f.yaml:6:18: invalid every '0s'"),
                          HasSubstr("f.yaml:8:53: a schedule's lifecycle takes after steps only"),
                          HasSubstr("f.yaml:9:22: invalid outcome 'IN_PROGRESS'")));
  EXPECT_THAT(
      Problems(OneJob("        schedule: {every: 1m, start: now, outcomes: {SUCCESS: 1}}\n")),
      ElementsAre(HasSubstr("outcomes replace the status of the lifecycle's last step")));
  // 1e7 runs ten seconds apart reach back 1,157 days.
  EXPECT_THAT(Problems(OneJob("        schedule: {every: 10s, start: now-1200d}\n")),
              ElementsAre(HasSubstr("makes 10368001 runs by now, more than the limit of "
                                    "10,000,000")));
  EXPECT_THAT(Problems(OneJob("        schedule: {every: 10s, start: now-1100d}\n")),
              testing::IsEmpty());
}

TEST(ScheduleSpecTest, AScheduledJobListsItsTicksAndExplicitRunsTogether) {
  const Store store =
      BuildOrDie(OneJob("        schedule: {every: 15m, start: now-30m}\n"
                        "        runs:\n"
                        "          - {runId: manual, status: SUCCESS, createdAt: now-20m}\n"));
  const Job& job = TheJob(store);
  EXPECT_THAT(Listed(job, kNow, 0),
              ElementsAre("sched-0000003 SCHEDULED", "sched-0000002 SCHEDULED", "manual SUCCESS",
                          "sched-0000001 SCHEDULED"));
  EXPECT_EQ(store.Count(kNow).runs, 4u);
  EXPECT_EQ(store.Count(kNow + 15 * kMinute).runs, 5u);  // a new tick, a new run
}

}  // namespace
}  // namespace datazone_mock
