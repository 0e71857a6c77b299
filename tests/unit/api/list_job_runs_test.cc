#include "api/list_job_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "store/fixture.h"
#include "store/store_builder.h"
#include "support/builders.h"

namespace datazone_mock {
namespace {

constexpr std::int64_t kNow = 1764374400;
constexpr const char* kDomain = "dzd_demo01";
constexpr const char* kJob = "job-1";

ListJobRunsInput Input(int max_results = 50, SortOrder order = SortOrder::kDescending,
                       std::optional<JobRunStatus> status = std::nullopt) {
  return ListJobRunsInput{kDomain, kJob, status, order, std::nullopt, max_results};
}

std::vector<std::string> Ids(const ListJobRunsOutput& output) {
  std::vector<std::string> ids;
  for (const JobRun* run : output.items) ids.push_back(run->run_id);
  return ids;
}

class ListJobRunsTest : public testing::Test {
 protected:
  PageTokenCodec tokens_{"secret"};
};

TEST_F(ListJobRunsTest, UnknownDomainAndJobAreNotFound) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(3));
  ListJobRunsInput input = Input();
  input.domain_identifier = "dzd_other";
  const auto no_domain = ListJobRuns(input, store, tokens_, kNow);
  ASSERT_FALSE(no_domain.ok());
  EXPECT_EQ(no_domain.error().type, "ResourceNotFoundException");
  EXPECT_EQ(no_domain.error().http_status, 404);
  EXPECT_EQ(no_domain.error().message, "The specified resource cannot be found.");

  input = Input();
  input.job_identifier = "job-2";
  input.next_token = "garbage";  // the job is checked before the token (docs/decisions.md)
  const auto no_job = ListJobRuns(input, store, tokens_, kNow);
  ASSERT_FALSE(no_job.ok());
  EXPECT_EQ(no_job.error().type, "ResourceNotFoundException");
}

TEST_F(ListJobRunsTest, DefaultOrderIsNewestFirst) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(3));
  const auto page = ListJobRuns(Input(), store, tokens_, kNow);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(page.value()), (std::vector<std::string>{"run-00002", "run-00001", "run-00000"}));
  EXPECT_EQ(page.value().next_token, std::nullopt);
}

TEST_F(ListJobRunsTest, AFullLastPageHasNoToken) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(4));
  const auto first = ListJobRuns(Input(2), store, tokens_, kNow);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first.value().next_token);
  ListJobRunsInput next = Input(2);
  next.next_token = first.value().next_token;
  const auto last = ListJobRuns(next, store, tokens_, kNow);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(last.value()), (std::vector<std::string>{"run-00001", "run-00000"}));
  EXPECT_EQ(last.value().next_token, std::nullopt);
}

TEST_F(ListJobRunsTest, RunsAddedBetweenPagesCauseNoDuplicateOrSkip) {
  for (const SortOrder order : kAllSortOrders) {
    auto store = MakeStore(kDomain, kJob, MakeRuns(10, 100));
    std::vector<std::string> seen;
    std::set<std::string> tokens;
    ListJobRunsInput input = Input(3, order);
    for (int page_number = 0;; ++page_number) {
      const auto page = ListJobRuns(input, store, tokens_, kNow);
      ASSERT_TRUE(page.ok()) << page.error().reason;
      for (const auto& id : Ids(page.value())) seen.push_back(id);
      if (!page.value().next_token) break;
      ASSERT_TRUE(tokens.insert(*page.value().next_token).second) << "a token repeated";
      input.next_token = page.value().next_token;
      // Between pages, runs appear both before and after everything listed so far.
      std::vector<JobRun> runs = MakeRuns(10, 100);
      for (const auto& run : MakeRuns(page_number + 1, 0)) runs.push_back(run);
      for (const auto& run : MakeRuns(page_number + 1, 500)) runs.push_back(run);
      store = MakeStore(kDomain, kJob, std::move(runs));
    }
    // Every original run exactly once, in order; runs added later may or may not appear.
    std::vector<std::string> originals;
    for (const auto& id : seen) {
      if (id >= "run-00100" && id < "run-00110") originals.push_back(id);
    }
    std::vector<std::string> expected;
    for (const auto& run : MakeRuns(10, 100)) expected.push_back(run.run_id);
    if (order == SortOrder::kDescending) std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(originals, expected) << ToString(order);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  }
}

struct MisuseCase {
  std::string name;
  ListJobRunsInput second_request;
  std::string reason;
};

std::ostream& operator<<(std::ostream& out, const MisuseCase& c) { return out << c.name; }

class TokenMisuseTest : public ListJobRunsTest, public testing::WithParamInterface<MisuseCase> {};

TEST_P(TokenMisuseTest, IsAnInvalidTokenWithItsReason) {
  auto store = std::make_shared<Store>(*MakeStore(kDomain, kJob, MakeRuns(10)));
  Domain& domain = store->domains[kDomain];
  domain.jobs.emplace("job-2", Job{"job-2", JobType::kLineage, JobRunIndex(MakeRuns(10))});
  Domain& other = store->domains["dzd_other"];
  other.id = "dzd_other";
  other.jobs.emplace(kJob, Job{kJob, JobType::kLineage, JobRunIndex(MakeRuns(10))});

  const auto first = ListJobRuns(Input(2), store, tokens_, kNow);
  ASSERT_TRUE(first.ok());
  ListJobRunsInput second = GetParam().second_request;
  second.next_token = first.value().next_token;
  const auto result = ListJobRuns(second, store, tokens_, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "ValidationException");
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_EQ(result.error().message, "The nextToken provided is invalid.");
  EXPECT_EQ(result.error().error_type_header,
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/");
  EXPECT_EQ(result.error().reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Misuse, TokenMisuseTest,
    testing::Values(
        MisuseCase{"OtherDomain",
                   {"dzd_other", kJob, std::nullopt, SortOrder::kDescending, std::nullopt, 2},
                   "issued for another domain"},
        MisuseCase{"OtherJob",
                   {kDomain, "job-2", std::nullopt, SortOrder::kDescending, std::nullopt, 2},
                   "issued for another job"},
        MisuseCase{"OtherStatus",
                   {kDomain, kJob, JobRunStatus::kFailed, SortOrder::kDescending, std::nullopt, 2},
                   "issued for another status filter"},
        MisuseCase{"OtherSortOrder",
                   {kDomain, kJob, std::nullopt, SortOrder::kAscending, std::nullopt, 2},
                   "issued for another sortOrder"}),
    [](const testing::TestParamInfo<MisuseCase>& p) { return p.param.name; });

TEST_F(ListJobRunsTest, MaxResultsMayChangeBetweenPages) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(10));
  const auto first = ListJobRuns(Input(2), store, tokens_, kNow);
  ASSERT_TRUE(first.ok());
  ListJobRunsInput next = Input(5);
  next.next_token = first.value().next_token;
  const auto second = ListJobRuns(next, store, tokens_, kNow);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(second.value()), (std::vector<std::string>{"run-00007", "run-00006", "run-00005",
                                                           "run-00004", "run-00003"}));
}

TEST_F(ListJobRunsTest, TokenFromAnotherSecretIsInvalid) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(10));
  const auto first = ListJobRuns(Input(2), store, PageTokenCodec("other"), kNow);
  ASSERT_TRUE(first.ok());
  ListJobRunsInput next = Input(2);
  next.next_token = first.value().next_token;
  const auto result = ListJobRuns(next, store, tokens_, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "The nextToken provided is invalid.");
  EXPECT_EQ(result.error().reason,
            "signature mismatch: tampered with or signed with another secret");
}

TEST_F(ListJobRunsTest, StatusFilterSelectsOnlyThatStatus) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(20));
  const auto page =
      ListJobRuns(Input(50, SortOrder::kAscending, JobRunStatus::kFailed), store, tokens_, kNow);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(page.value()), (std::vector<std::string>{"run-00004", "run-00012"}));
}

TEST(SerializeListJobRunsOutputTest, WritesEveryMemberAndOmitsAbsentOnes) {
  JobRun full = MakeRun("run-\"1\"", 1752644436666, JobRunStatus::kFailed);
  full.run_mode = JobRunMode::kOnDemand;
  full.created_by = "user-1";
  full.start_time = 1752644437000;
  full.end_time = 1752644500250;
  full.error_message = "line1\nline2 \\ done";
  const JobRun minimal = MakeRun("run-2", 1752644436000, JobRunStatus::kScheduled);
  const auto store = MakeStore(kDomain, kJob, {full, minimal});
  const Domain& domain = *store->FindDomain(kDomain);
  ListJobRunsOutput output;
  output.domain = &domain;
  output.job = FindJob(domain, kJob);
  output.items = {&output.job->runs.runs()[1], &output.job->runs.runs()[0]};
  output.next_token = "tok-_en";
  EXPECT_EQ(
      SerializeListJobRunsOutput(output),
      R"({"items":[{"createdAt":1752644436.666,"createdBy":"user-1","domainId":"dzd_demo01",)"
      R"("endTime":1752644500.25,"error":{"message":"line1\nline2 \\ done"},"jobId":"job-1",)"
      R"("jobType":"LINEAGE","runId":"run-\"1\"","runMode":"ON_DEMAND","startTime":1752644437,)"
      R"("status":"FAILED"},{"createdAt":1752644436,"domainId":"dzd_demo01","jobId":"job-1",)"
      R"("jobType":"LINEAGE","runId":"run-2","status":"SCHEDULED"}],"nextToken":"tok-_en"})");

  output.items.clear();
  output.next_token.reset();
  EXPECT_EQ(SerializeListJobRunsOutput(output), R"({"items":[]})");
}

// A job whose only run turns FAILED after 400 listings, listed by 8 threads at once.
TEST_F(ListJobRunsTest, AfterCallsCountsEveryListingExactlyUnderConcurrentCallers) {
  auto document = ParseFixture(R"(domains:
  dzd_demo01:
    jobs:
      job-1:
        runs:
          - runId: r
            status: IN_PROGRESS
            createdAt: 1
            lifecycle: [{status: FAILED, afterCalls: 400}]
)",
                               "f.yaml");
  ASSERT_TRUE(document.ok());
  auto built = BuildStore({document.value()});
  ASSERT_TRUE(built.ok());
  const auto store = std::make_shared<const Store>(std::move(built).value());
  std::atomic<int> failed_seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        const auto page = ListJobRuns(Input(), store, tokens_, kNow);
        ASSERT_TRUE(page.ok());
        if (page.value().items[0]->status == JobRunStatus::kFailed) ++failed_seen;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // 400 listings: none of them saw the step, each counted once.
  EXPECT_EQ(failed_seen.load(), 0);
  EXPECT_EQ(store->domains.at(kDomain).jobs.at(kJob).listings->load(), 400u);
  const auto next = ListJobRuns(Input(), store, tokens_, kNow);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value().items[0]->status, JobRunStatus::kFailed);
  // A refused request is not a listing.
  ListJobRunsInput bad = Input();
  bad.next_token = "garbage";
  EXPECT_FALSE(ListJobRuns(bad, store, tokens_, kNow).ok());
  EXPECT_EQ(store->domains.at(kDomain).jobs.at(kJob).listings->load(), 401u);
}

TEST_F(ListJobRunsTest, EachTokenCarriesThePageItWasIssuedOn) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(7));
  ListJobRunsInput input = Input(2);
  for (std::uint32_t page = 1; page <= 3; ++page) {
    const auto answer = ListJobRuns(input, store, tokens_, kNow);
    ASSERT_TRUE(answer.ok());
    ASSERT_TRUE(answer.value().next_token.has_value());
    const auto claims = tokens_.Decode(*answer.value().next_token, kNow);
    ASSERT_TRUE(claims.ok()) << claims.error();
    EXPECT_EQ(claims.value().page, page);
    input.next_token = answer.value().next_token;
  }
}

// Pages through the job with `shape_of(page number)` bending each page, as a paginator would:
// until a page has no token (or 100 pages, for a test that went wrong).
struct Walk {
  std::vector<std::string> ids;
  std::vector<std::size_t> page_sizes;
  std::vector<bool> has_token;
};

Walk PageThrough(const std::shared_ptr<const Store>& store, const PageTokenCodec& tokens,
                 ListJobRunsInput input, const std::function<PageShape(std::uint32_t)>& shape_of) {
  Walk walk;
  for (std::uint32_t page = 1; page <= 100; ++page) {
    const auto answer = ListJobRuns(input, store, tokens, kNow, {}, 0, shape_of(page));
    EXPECT_TRUE(answer.ok());
    if (!answer.ok()) break;
    for (const std::string& id : Ids(answer.value())) walk.ids.push_back(id);
    walk.page_sizes.push_back(answer.value().items.size());
    walk.has_token.push_back(answer.value().next_token.has_value());
    if (!answer.value().next_token) break;
    input.next_token = answer.value().next_token;
  }
  return walk;
}

std::vector<std::string> AllIds(const std::shared_ptr<const Store>& store,
                                const PageTokenCodec& tokens, SortOrder order) {
  return PageThrough(store, tokens, Input(50, order), [](std::uint32_t) { return PageShape{}; })
      .ids;
}

TEST_F(ListJobRunsTest, LimitShortensPagesAndKeepsATokenWhileRunsRemain) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(10));
  for (const SortOrder order : kAllSortOrders) {
    for (const int max_results : {50, 2}) {
      const Walk walk =
          PageThrough(store, tokens_, Input(max_results, order),
                      [](std::uint32_t page) { return PageShape{page == 1 ? 1u : 3u}; });
      EXPECT_EQ(walk.ids, AllIds(store, tokens_, order));  // every run once, in order
      const std::size_t rest = std::min<std::size_t>(3, static_cast<std::size_t>(max_results));
      std::vector<std::size_t> sizes = {1};
      for (std::size_t left = 9; left > 0; left -= std::min(rest, left))
        sizes.push_back(std::min(rest, left));
      EXPECT_EQ(walk.page_sizes, sizes) << max_results;
      EXPECT_EQ(walk.has_token.back(), false);
    }
  }
}

TEST_F(ListJobRunsTest, LimitZeroIsAnEmptyPageWithATokenThatLeadsOnFromTheSamePlace) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(5));
  for (const SortOrder order : kAllSortOrders) {
    // Empty pages first and between: page 1 (no position yet) and page 3 (after page 2's runs).
    const Walk walk = PageThrough(store, tokens_, Input(2, order), [](std::uint32_t page) {
      return page % 2 == 1 ? PageShape{0} : PageShape{};
    });
    EXPECT_EQ(walk.ids, AllIds(store, tokens_, order));
    EXPECT_EQ(walk.page_sizes, (std::vector<std::size_t>{0, 2, 0, 2, 0, 1}));
    EXPECT_EQ(walk.has_token, (std::vector<bool>{true, true, true, true, true, false}));
  }
  // No runs left, or none at all: an empty page without a token.
  const auto empty = MakeStore(kDomain, kJob, MakeRuns(0));
  const auto none = ListJobRuns(Input(), empty, tokens_, kNow, {}, 0, PageShape{0});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().items.empty());
  EXPECT_EQ(none.value().next_token, std::nullopt);
}

TEST_F(ListJobRunsTest, EmptyFirstPageTokenKeepsNewerRunsOutOfADescendingListing) {
  // Newest first, the token of an empty first page is anchored just above the newest run, so a
  // run created after page 1 never appears; oldest first it leads to the start.
  const auto before = MakeStore(kDomain, kJob, MakeRuns(3, 100));
  auto runs = MakeRuns(3, 100);
  runs.push_back(MakeRun("run-newer", TimestampMs{1'900'000'000'000}, JobRunStatus::kInProgress));
  const auto after = MakeStore(kDomain, kJob, std::move(runs));
  for (const SortOrder order : kAllSortOrders) {
    const auto first = ListJobRuns(Input(2, order), before, tokens_, kNow, {}, 0, PageShape{0});
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first.value().next_token);
    const auto claims = tokens_.Decode(*first.value().next_token, kNow);
    ASSERT_TRUE(claims.ok());
    EXPECT_EQ(claims.value().page, 1u);
    EXPECT_EQ(claims.value().after.has_value(), order == SortOrder::kDescending);
    ListJobRunsInput next = Input(50, order);
    next.next_token = first.value().next_token;
    const auto rest = ListJobRuns(next, after, tokens_, kNow);
    ASSERT_TRUE(rest.ok());
    EXPECT_EQ(Ids(rest.value()),
              order == SortOrder::kDescending
                  ? (std::vector<std::string>{"run-00102", "run-00101", "run-00100"})
                  : (std::vector<std::string>{"run-00100", "run-00101", "run-00102", "run-newer"}));
  }
}

TEST_F(ListJobRunsTest, TrailingEmptyAddsOneEmptyLastPage) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(4));
  for (const SortOrder order : kAllSortOrders) {
    const Walk walk = PageThrough(store, tokens_, Input(2, order), [](std::uint32_t) {
      PageShape shape;
      shape.trailing_empty = true;
      return shape;
    });
    EXPECT_EQ(walk.ids, AllIds(store, tokens_, order));
    EXPECT_EQ(walk.page_sizes, (std::vector<std::size_t>{2, 2, 0}));
    EXPECT_EQ(walk.has_token, (std::vector<bool>{true, true, false}));
  }
  // A job without runs: its only page is empty already and gets no token.
  PageShape trailing;
  trailing.trailing_empty = true;
  const auto empty = MakeStore(kDomain, kJob, MakeRuns(0));
  const auto none = ListJobRuns(Input(), empty, tokens_, kNow, {}, 0, trailing);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value().next_token, std::nullopt);
}

TEST_F(ListJobRunsTest, RepeatTokenAnswersTheRequestsOwnToken) {
  const auto store = MakeStore(kDomain, kJob, MakeRuns(5));
  PageShape repeat;
  repeat.repeat_token = true;
  // Without a token there is nothing to repeat: the page is as usual.
  const auto first = ListJobRuns(Input(2), store, tokens_, kNow, {}, 0, repeat);
  const auto usual = ListJobRuns(Input(2), store, tokens_, kNow);
  ASSERT_TRUE(first.ok() && usual.ok());
  EXPECT_EQ(first.value().next_token, usual.value().next_token);
  ListJobRunsInput second = Input(2);
  second.next_token = first.value().next_token;
  for (int again = 0; again < 3; ++again) {
    const auto page = ListJobRuns(second, store, tokens_, kNow, {}, 0, repeat);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page.value().next_token, second.next_token);
    EXPECT_EQ(Ids(page.value()), (std::vector<std::string>{"run-00002", "run-00001"}));
  }
}

TEST_F(ListJobRunsTest, AShapedPageDependsOnlyOnTheRequest) {
  // What the aws CLI's --starting-token resume relies on: the same token, the same page.
  const auto store = MakeStore(kDomain, kJob, MakeRuns(9));
  const auto first = ListJobRuns(Input(), store, tokens_, kNow, {}, 0, PageShape{2});
  ASSERT_TRUE(first.ok());
  ListJobRunsInput second = Input();
  second.next_token = first.value().next_token;
  const auto a = ListJobRuns(second, store, tokens_, kNow, {}, 0, PageShape{2});
  const auto b = ListJobRuns(second, store, tokens_, kNow, {}, 0, PageShape{2});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ids(a.value()), Ids(b.value()));
  EXPECT_EQ(Ids(a.value()), (std::vector<std::string>{"run-00006", "run-00005"}));
  EXPECT_EQ(a.value().next_token, b.value().next_token);
}

}  // namespace
}  // namespace datazone_mock
