#include "api/rendered_pages.h"

#include <gtest/gtest.h>

#include "support/builders.h"

namespace datazone_mock {
namespace {

constexpr const char* kDomain = "dzd_demo01";
constexpr const char* kJob = "job-1";

// The first `count` runs of the store's one job, as ListJobRuns would give them.
ListJobRunsOutput PageOf(std::shared_ptr<const Store> store, std::size_t count,
                         std::optional<std::string> token = std::nullopt) {
  ListJobRunsOutput output;
  output.domain = store->FindDomain(kDomain);
  output.job = FindJob(*output.domain, kJob);
  for (std::size_t i = 0; i < count; ++i) output.items.push_back(&output.job->runs.runs()[i]);
  output.next_token = std::move(token);
  output.store = std::move(store);
  return output;
}

TEST(RenderedPagesTest, AKeptPageGivesTheBodyItsOwnToken) {
  RenderedPages pages;
  const auto store = MakeStore(kDomain, kJob, MakeRuns(5));
  const ListJobRunsOutput first = PageOf(store, 3, "token-1");
  EXPECT_EQ(pages.Body(first), SerializeListJobRunsOutput(first));
  const ListJobRunsOutput again = PageOf(store, 3, "token-2");
  EXPECT_EQ(pages.Body(again), SerializeListJobRunsOutput(again));
  const ListJobRunsOutput last = PageOf(store, 3);
  EXPECT_EQ(pages.Body(last), SerializeListJobRunsOutput(last));
  // Another page of the same job is not taken for it.
  const ListJobRunsOutput shorter = PageOf(store, 2, "token-3");
  EXPECT_EQ(pages.Body(shorter), SerializeListJobRunsOutput(shorter));
}

TEST(RenderedPagesTest, ANewStoreIsNeverAnsweredFromAnOldOnesPage) {
  RenderedPages pages;
  std::vector<JobRun> runs = MakeRuns(3);
  for (JobRun& run : runs) run.status = JobRunStatus::kSuccess;
  auto old_store = MakeStore(kDomain, kJob, runs);
  const std::string old_body = pages.Body(PageOf(old_store, 3));
  EXPECT_NE(old_body.find("\"SUCCESS\""), std::string::npos) << old_body;
  old_store.reset();  // its memory may now hold the next store, at the same addresses
  for (JobRun& run : runs) run.status = JobRunStatus::kAborted;
  const auto new_store = MakeStore(kDomain, kJob, runs);
  const std::string body = pages.Body(PageOf(new_store, 3));
  EXPECT_EQ(body, SerializeListJobRunsOutput(PageOf(new_store, 3)));
  EXPECT_EQ(body.find("\"SUCCESS\""), std::string::npos) << body;
}

TEST(RenderedPagesTest, AnEvaluatedRunMatchesByWhatItIsNeverByItsAddress) {
  RenderedPages pages;
  const auto store = MakeStore(kDomain, kJob, MakeRuns(1));
  ListJobRunsOutput output = PageOf(store, 1);  // a stored run, then one evaluated for the request
  output.evaluated.push_back(MakeRun("live-1", 1'700'000'000'000, JobRunStatus::kInProgress));
  output.items.push_back(&output.evaluated.back());
  EXPECT_EQ(pages.Body(output), SerializeListJobRunsOutput(output));
  EXPECT_NE(pages.Body(output).find("IN_PROGRESS"), std::string::npos);
  // The same address, the run moved on: a time set, then its status.
  output.evaluated.back().start_time = 1'700'000'050'000;
  EXPECT_EQ(pages.Body(output), SerializeListJobRunsOutput(output));
  output.evaluated.back().status = JobRunStatus::kSuccess;
  output.evaluated.back().end_time = 1'700'000'100'000;
  EXPECT_EQ(pages.Body(output), SerializeListJobRunsOutput(output));
  EXPECT_NE(pages.Body(output).find("\"SUCCESS\""), std::string::npos);
  // The same run as a stored one at that place is another page.
  ListJobRunsOutput stored = PageOf(store, 1);
  stored.items.push_back(stored.items.front());
  EXPECT_EQ(pages.Body(stored), SerializeListJobRunsOutput(stored));
}

}  // namespace
}  // namespace datazone_mock
