#include "store/job_run_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/job_run.h"

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

JobRun MakeRun(std::string id, TimestampMs created_at,
               JobRunStatus status = JobRunStatus::kSuccess) {
  JobRun run;
  run.run_id = std::move(id);
  run.created_at = created_at;
  run.status = status;
  return run;
}

// The run ids of a page, in page order.
std::vector<std::string> Ids(const Page& page) {
  std::vector<std::string> ids;
  for (const JobRun* run : page.items) ids.push_back(run->run_id);
  return ids;
}

PageQuery Query(SortOrder order, std::size_t limit, std::optional<RunPosition> after = std::nullopt,
                std::optional<JobRunStatus> status = std::nullopt) {
  PageQuery query;
  query.order = order;
  query.limit = limit;
  query.after = std::move(after);
  query.status = status;
  return query;
}

// Every run the index yields for `status` and `order`, page by page: each page continues after
// the last item of the previous one, as a nextToken does. Also checks that every page but the
// last is full and says has_more, and that the last says it is the last.
std::vector<std::string> Traverse(const JobRunIndex& index, SortOrder order, std::size_t page_size,
                                  std::optional<JobRunStatus> status) {
  std::vector<std::string> ids;
  std::optional<RunPosition> after;
  for (std::size_t pages = 0; pages <= index.size() + 1; ++pages) {
    const Page page = index.Seek(Query(order, page_size, after, status));
    EXPECT_LE(page.items.size(), page_size);
    for (const JobRun* run : page.items) ids.push_back(run->run_id);
    if (!page.has_more) return ids;
    EXPECT_EQ(page.items.size(), page_size) << "a page before the last must be full";
    if (page.items.empty()) break;  // has_more with nothing to continue from
    after = RunPosition{page.items.back()->created_at, page.items.back()->run_id};
  }
  ADD_FAILURE() << "traversal did not end";
  return ids;
}

// --- Construction -------------------------------------------------------------------------------

TEST(JobRunIndexTest, EmptyIndex) {
  const JobRunIndex index;
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(index.runs(), IsEmpty());
  for (SortOrder order : kAllSortOrders) {
    const Page page = index.Seek(Query(order, 50));
    EXPECT_THAT(page.items, IsEmpty());
    EXPECT_FALSE(page.has_more);
    const Page after = index.Seek(Query(order, 50, RunPosition{1000, "r"}));
    EXPECT_THAT(after.items, IsEmpty());
    EXPECT_FALSE(after.has_more);
    const Page filtered = index.Seek(Query(order, 50, std::nullopt, JobRunStatus::kFailed));
    EXPECT_THAT(filtered.items, IsEmpty());
    EXPECT_FALSE(filtered.has_more);
  }
}

TEST(JobRunIndexTest, KeepsRunsInAscendingCreatedAtThenRunIdOrder) {
  const JobRunIndex index(
      {MakeRun("c", 300), MakeRun("a", 100), MakeRun("b", 200), MakeRun("a2", 200)});
  ASSERT_EQ(index.size(), 4u);
  std::vector<std::string> ids;
  for (const JobRun& run : index.runs()) ids.push_back(run.run_id);
  EXPECT_THAT(ids, ElementsAre("a", "a2", "b", "c"));
}

TEST(JobRunIndexTest, PagesPointAtTheIndexedRunsWithAllTheirMembers) {
  JobRun full = MakeRun("r1", 1000, JobRunStatus::kFailed);
  full.run_mode = JobRunMode::kOnDemand;
  full.created_by = "user-alice";
  full.start_time = 1100;
  full.end_time = 1200;
  full.error_message = "boom";
  const JobRunIndex index({full});
  const Page page = index.Seek(Query(SortOrder::kAscending, 50));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(*page.items[0], full);
  EXPECT_EQ(page.items[0], &index.runs()[0]);
}

// --- Seek: order, after, limit ------------------------------------------------------------------

class JobRunIndexSeekTest : public testing::Test {
 protected:
  // Ascending: r1(100) r2(200) r3(300) r4(400) r5(500).
  const JobRunIndex index_{{MakeRun("r3", 300), MakeRun("r1", 100), MakeRun("r5", 500),
                            MakeRun("r2", 200), MakeRun("r4", 400)}};
};

TEST_F(JobRunIndexSeekTest, AscendingFirstPage) {
  const Page page = index_.Seek(Query(SortOrder::kAscending, 2));
  EXPECT_THAT(Ids(page), ElementsAre("r1", "r2"));
  EXPECT_TRUE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, DescendingFirstPage) {
  const Page page = index_.Seek(Query(SortOrder::kDescending, 2));
  EXPECT_THAT(Ids(page), ElementsAre("r5", "r4"));
  EXPECT_TRUE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, DefaultQueryIsDescendingWithLimit50) {
  const PageQuery query;
  EXPECT_EQ(query.order, SortOrder::kDescending);
  EXPECT_EQ(query.limit, 50u);
  EXPECT_EQ(query.status, std::nullopt);
  EXPECT_EQ(query.after, std::nullopt);
  const Page page = index_.Seek(query);
  EXPECT_THAT(Ids(page), ElementsAre("r5", "r4", "r3", "r2", "r1"));
  EXPECT_FALSE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, AscendingAfterIsExclusive) {
  const Page page = index_.Seek(Query(SortOrder::kAscending, 2, RunPosition{200, "r2"}));
  EXPECT_THAT(Ids(page), ElementsAre("r3", "r4"));
  EXPECT_TRUE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, DescendingAfterIsExclusive) {
  const Page page = index_.Seek(Query(SortOrder::kDescending, 2, RunPosition{400, "r4"}));
  EXPECT_THAT(Ids(page), ElementsAre("r3", "r2"));
  EXPECT_TRUE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, PageThatExactlyFillsTheRemainderHasNoMore) {
  const Page ascending = index_.Seek(Query(SortOrder::kAscending, 3, RunPosition{200, "r2"}));
  EXPECT_THAT(Ids(ascending), ElementsAre("r3", "r4", "r5"));
  EXPECT_FALSE(ascending.has_more);

  const Page descending = index_.Seek(Query(SortOrder::kDescending, 3, RunPosition{400, "r4"}));
  EXPECT_THAT(Ids(descending), ElementsAre("r3", "r2", "r1"));
  EXPECT_FALSE(descending.has_more);
}

TEST_F(JobRunIndexSeekTest, LimitEqualToTheWholeJobHasNoMore) {
  for (SortOrder order : kAllSortOrders) {
    const Page page = index_.Seek(Query(order, 5));
    EXPECT_EQ(page.items.size(), 5u);
    EXPECT_FALSE(page.has_more);
  }
}

TEST_F(JobRunIndexSeekTest, LimitOneShortOfTheRemainderHasMore) {
  const Page ascending = index_.Seek(Query(SortOrder::kAscending, 4));
  EXPECT_THAT(Ids(ascending), ElementsAre("r1", "r2", "r3", "r4"));
  EXPECT_TRUE(ascending.has_more);
  const Page descending = index_.Seek(Query(SortOrder::kDescending, 2, RunPosition{400, "r4"}));
  EXPECT_THAT(Ids(descending), ElementsAre("r3", "r2"));
  EXPECT_TRUE(descending.has_more);
}

TEST_F(JobRunIndexSeekTest, LimitLargerThanTheRemainder) {
  const Page page = index_.Seek(Query(SortOrder::kAscending, 100, RunPosition{300, "r3"}));
  EXPECT_THAT(Ids(page), ElementsAre("r4", "r5"));
  EXPECT_FALSE(page.has_more);
}

TEST_F(JobRunIndexSeekTest, AfterTheLastRunIsEmpty) {
  const Page ascending = index_.Seek(Query(SortOrder::kAscending, 2, RunPosition{500, "r5"}));
  EXPECT_THAT(ascending.items, IsEmpty());
  EXPECT_FALSE(ascending.has_more);
  const Page descending = index_.Seek(Query(SortOrder::kDescending, 2, RunPosition{100, "r1"}));
  EXPECT_THAT(descending.items, IsEmpty());
  EXPECT_FALSE(descending.has_more);
}

TEST_F(JobRunIndexSeekTest, PositionBeyondEveryRun) {
  // Before the first run in the direction of travel: everything; past the last: nothing.
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kAscending, 50, RunPosition{0, "x"}))),
              ElementsAre("r1", "r2", "r3", "r4", "r5"));
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kDescending, 50, RunPosition{9999, ""}))),
              ElementsAre("r5", "r4", "r3", "r2", "r1"));
  EXPECT_THAT(index_.Seek(Query(SortOrder::kAscending, 50, RunPosition{9999, ""})).items,
              IsEmpty());
  EXPECT_THAT(index_.Seek(Query(SortOrder::kDescending, 50, RunPosition{0, "x"})).items, IsEmpty());
}

TEST_F(JobRunIndexSeekTest, PositionOfARunDeletedSinceStillSeeksCorrectly) {
  // (250, "gone") lies between r2 and r3 but is not in the index.
  const Page ascending = index_.Seek(Query(SortOrder::kAscending, 2, RunPosition{250, "gone"}));
  EXPECT_THAT(Ids(ascending), ElementsAre("r3", "r4"));
  EXPECT_TRUE(ascending.has_more);
  const Page descending = index_.Seek(Query(SortOrder::kDescending, 2, RunPosition{250, "gone"}));
  EXPECT_THAT(Ids(descending), ElementsAre("r2", "r1"));
  EXPECT_FALSE(descending.has_more);
}

TEST_F(JobRunIndexSeekTest, PositionWithARunsTimeButAnotherIdIsOrderedByTheId) {
  // (300, "r2x") sits just before r3 = (300, "r3"), as "r2x" < "r3".
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kAscending, 1, RunPosition{300, "r2x"}))),
              ElementsAre("r3"));
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kDescending, 1, RunPosition{300, "r2x"}))),
              ElementsAre("r2"));
  // (300, "r3a") sits just after r3.
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kAscending, 1, RunPosition{300, "r3a"}))),
              ElementsAre("r4"));
  EXPECT_THAT(Ids(index_.Seek(Query(SortOrder::kDescending, 1, RunPosition{300, "r3a"}))),
              ElementsAre("r3"));
}

// --- Ties on createdAt: runIds byte-wise
// ----------------------------------------------------------

TEST(JobRunIndexTiesTest, EqualCreatedAtOrdersByRunIdByteWise) {
  const JobRunIndex index({MakeRun("ba", 1000), MakeRun("b", 1000), MakeRun("a", 1000),
                           MakeRun("B", 1000), MakeRun("A", 1000), MakeRun("_", 1000),
                           MakeRun("0", 1000)});
  // '0' 0x30 < 'A' 0x41 < 'B' 0x42 < '_' 0x5F < 'a' 0x61 < 'b' < "ba".
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 50))),
              ElementsAre("0", "A", "B", "_", "a", "b", "ba"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kDescending, 50))),
              ElementsAre("ba", "b", "a", "_", "B", "A", "0"));
}

TEST(JobRunIndexTiesTest, NonAsciiRunIdsSortAfterAscii) {
  const JobRunIndex index({MakeRun("\xC3\xA9", 1000), MakeRun("z", 1000), MakeRun("~", 1000)});
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 50))), ElementsAre("z", "~", "\xC3\xA9"));
}

TEST(JobRunIndexTiesTest, AfterWithinATieContinuesAtTheNextRunId) {
  const JobRunIndex index({MakeRun("a", 1000), MakeRun("b", 1000), MakeRun("ba", 1000),
                           MakeRun("c", 999), MakeRun("d", 1001)});
  // Ascending: c(999) a b ba d(1001).
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 2, RunPosition{1000, "a"}))),
              ElementsAre("b", "ba"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 2, RunPosition{1000, "b"}))),
              ElementsAre("ba", "d"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kDescending, 2, RunPosition{1000, "ba"}))),
              ElementsAre("b", "a"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kDescending, 2, RunPosition{1000, "a"}))),
              ElementsAre("c"));
}

TEST(JobRunIndexTiesTest, EarlierTimeWinsOverSmallerRunId) {
  const JobRunIndex index({MakeRun("a", 2000), MakeRun("z", 1000)});
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 50))), ElementsAre("z", "a"));
}

// --- Status filter ------------------------------------------------------------------------------

TEST(JobRunIndexStatusTest, OnlyRunsWithTheStatus) {
  const JobRunIndex index({MakeRun("r1", 100, JobRunStatus::kFailed), MakeRun("r2", 200),
                           MakeRun("r3", 300, JobRunStatus::kFailed), MakeRun("r4", 400),
                           MakeRun("r5", 500, JobRunStatus::kFailed)});
  const Page failed =
      index.Seek(Query(SortOrder::kAscending, 50, std::nullopt, JobRunStatus::kFailed));
  EXPECT_THAT(Ids(failed), ElementsAre("r1", "r3", "r5"));
  EXPECT_FALSE(failed.has_more);
  const Page success =
      index.Seek(Query(SortOrder::kDescending, 50, std::nullopt, JobRunStatus::kSuccess));
  EXPECT_THAT(Ids(success), ElementsAre("r4", "r2"));
  EXPECT_FALSE(success.has_more);
  const Page none =
      index.Seek(Query(SortOrder::kDescending, 50, std::nullopt, JobRunStatus::kCanceled));
  EXPECT_THAT(none.items, IsEmpty());
  EXPECT_FALSE(none.has_more);
}

TEST(JobRunIndexStatusTest, HasMoreCountsOnlyRunsWithTheStatus) {
  // Runs of other statuses follow the page: they must not make has_more true.
  const JobRunIndex index({MakeRun("r1", 100, JobRunStatus::kFailed), MakeRun("r2", 200),
                           MakeRun("r3", 300, JobRunStatus::kFailed), MakeRun("r4", 400),
                           MakeRun("r5", 500)});
  const Page ascending =
      index.Seek(Query(SortOrder::kAscending, 2, std::nullopt, JobRunStatus::kFailed));
  EXPECT_THAT(Ids(ascending), ElementsAre("r1", "r3"));
  EXPECT_FALSE(ascending.has_more);
  const Page descending =
      index.Seek(Query(SortOrder::kDescending, 2, std::nullopt, JobRunStatus::kFailed));
  EXPECT_THAT(Ids(descending), ElementsAre("r3", "r1"));
  EXPECT_FALSE(descending.has_more);
  const Page short_page =
      index.Seek(Query(SortOrder::kDescending, 1, std::nullopt, JobRunStatus::kFailed));
  EXPECT_THAT(Ids(short_page), ElementsAre("r3"));
  EXPECT_TRUE(short_page.has_more);
}

TEST(JobRunIndexStatusTest, AfterAPositionOfAnotherStatus) {
  // The position may be a run of another status (the filter is applied to the same order).
  const JobRunIndex index({MakeRun("r1", 100, JobRunStatus::kFailed), MakeRun("r2", 200),
                           MakeRun("r3", 300, JobRunStatus::kFailed), MakeRun("r4", 400),
                           MakeRun("r5", 500, JobRunStatus::kFailed)});
  EXPECT_THAT(Ids(index.Seek(
                  Query(SortOrder::kAscending, 50, RunPosition{200, "r2"}, JobRunStatus::kFailed))),
              ElementsAre("r3", "r5"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kDescending, 50, RunPosition{400, "r4"},
                                   JobRunStatus::kFailed))),
              ElementsAre("r3", "r1"));
  EXPECT_THAT(Ids(index.Seek(Query(SortOrder::kAscending, 1, RunPosition{350, "deleted"},
                                   JobRunStatus::kFailed))),
              ElementsAre("r5"));
}

// --- Full traversal: page size x order x status
// ---------------------------------------------------

// 103 runs over every status, with many createdAt ties (ids sorting both ways against the time),
// added in a scrambled order.
std::vector<JobRun> ManyRuns() {
  std::vector<JobRun> runs;
  for (int i = 0; i < 103; ++i) {
    const auto status = kAllJobRunStatuses[static_cast<std::size_t>(i * 5 % 8)];
    // 34 distinct times, most shared by three runs; ids like "run-7", "Run-7", "run-07x".
    const TimestampMs created_at = 1748736000000 + TimestampMs{1000} * (i % 34);
    std::string id = (i % 3 == 0 ? "run-" : i % 3 == 1 ? "Run-" : "run-0") + std::to_string(i);
    if (i % 4 == 0) id += "x";
    runs.push_back(MakeRun(std::move(id), created_at, status));
  }
  std::vector<JobRun> scrambled;
  for (std::size_t i = 0; i < runs.size(); ++i) scrambled.push_back(runs[(i * 37) % runs.size()]);
  return scrambled;
}

// The expected ids: sorted independently of the index (by time, then std::string's byte order).
std::vector<std::string> ExpectedIds(std::vector<JobRun> runs, SortOrder order,
                                     std::optional<JobRunStatus> status) {
  std::erase_if(runs, [&](const JobRun& run) { return status && run.status != *status; });
  std::sort(runs.begin(), runs.end(), [](const JobRun& a, const JobRun& b) {
    return std::tie(a.created_at, a.run_id) < std::tie(b.created_at, b.run_id);
  });
  if (order == SortOrder::kDescending) std::reverse(runs.begin(), runs.end());
  std::vector<std::string> ids;
  for (const JobRun& run : runs) ids.push_back(run.run_id);
  return ids;
}

using TraversalParam = std::tuple<std::size_t, SortOrder, std::optional<JobRunStatus>>;

class JobRunIndexTraversalTest : public testing::TestWithParam<TraversalParam> {};

TEST_P(JobRunIndexTraversalTest, PagingThroughEverythingYieldsTheSortedRuns) {
  const auto& [page_size, order, status] = GetParam();
  const std::vector<JobRun> runs = ManyRuns();
  const JobRunIndex index(runs);
  ASSERT_EQ(index.size(), 103u);
  const std::vector<std::string> expected = ExpectedIds(runs, order, status);
  if (!status) {
    ASSERT_EQ(expected.size(), 103u);
  }
  EXPECT_EQ(Traverse(index, order, page_size, status), expected);
}

std::string TraversalName(const testing::TestParamInfo<TraversalParam>& row) {
  const auto& [page_size, order, status] = row.param;
  return "PageSize" + std::to_string(page_size) + "_" + std::string(ToString(order)) + "_" +
         (status ? std::string(ToString(*status)) : std::string("ANY_STATUS"));
}

INSTANTIATE_TEST_SUITE_P(
    PageSizeOrderStatus, JobRunIndexTraversalTest,
    testing::Combine(testing::Values(std::size_t{1}, std::size_t{7}, std::size_t{50}),
                     testing::ValuesIn(kAllSortOrders),
                     testing::Values(std::nullopt, std::optional(JobRunStatus::kScheduled),
                                     std::optional(JobRunStatus::kInProgress),
                                     std::optional(JobRunStatus::kSuccess),
                                     std::optional(JobRunStatus::kPartiallySucceeded),
                                     std::optional(JobRunStatus::kFailed),
                                     std::optional(JobRunStatus::kAborted),
                                     std::optional(JobRunStatus::kTimedOut),
                                     std::optional(JobRunStatus::kCanceled))),
    TraversalName);

TEST(JobRunIndexTraversalEdgeTest, StatusWithNoRunsTraversesToNothing) {
  const JobRunIndex index({MakeRun("r1", 100), MakeRun("r2", 200)});
  for (SortOrder order : kAllSortOrders) {
    EXPECT_THAT(Traverse(index, order, 1, JobRunStatus::kFailed), IsEmpty());
  }
}

TEST(JobRunIndexTraversalEdgeTest, PageSizeEqualToTheCountIsOnePage) {
  const JobRunIndex index({MakeRun("r1", 100), MakeRun("r2", 200), MakeRun("r3", 300)});
  const Page page = index.Seek(Query(SortOrder::kAscending, 3));
  EXPECT_THAT(Ids(page), ElementsAre("r1", "r2", "r3"));
  EXPECT_FALSE(page.has_more);
}

}  // namespace
}  // namespace datazone_mock
