#include "api/list_job_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
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

}  // namespace
}  // namespace datazone_mock
