#include "store/caller_stores.h"

#include <gtest/gtest.h>

#include "store/store_builder.h"
#include "support/builders.h"

namespace datazone_mock {
namespace {

FixtureDocument Document(const std::string& yaml) {
  auto document = ParseFixture(yaml, "request", 0);
  EXPECT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  return document.value();
}

std::size_t RunsOf(const Store& store, const std::string& domain, const std::string& job) {
  const Domain* d = store.FindDomain(domain);
  if (!d) return 0;
  const Job* j = FindJob(*d, job);
  return j ? j->runs.size() : 0;
}

const char* kMine = R"(domains:
  dzd_demo01:
    jobs:
      job-1:
        runs:
          - {runId: mine-1, status: FAILED, createdAt: 2025-01-01T00:00:00Z}
)";

TEST(CallerStoresTest, OnlyTheSeedingCallerSeesItsRuns) {
  CallerStores callers;
  const auto shared = MakeStore("dzd_demo01", "job-1", MakeRuns(3));
  EXPECT_EQ(callers.ViewFor("AKIDA", shared), shared);  // nobody has seeds yet
  auto seeded = callers.Seed("AKIDA", Document(kMine), shared);
  ASSERT_TRUE(seeded.ok());
  EXPECT_EQ(RunsOf(*callers.ViewFor("AKIDA", shared), "dzd_demo01", "job-1"), 4u);
  EXPECT_EQ(callers.ViewFor("AKIDB", shared), shared);
  EXPECT_EQ(callers.ViewFor("", shared), shared);
  // Another caller may seed the same names.
  ASSERT_TRUE(callers.Seed("AKIDB", Document(kMine), shared).ok());
  EXPECT_EQ(RunsOf(*callers.ViewFor("AKIDB", shared), "dzd_demo01", "job-1"), 4u);
  callers.Drop("AKIDA");
  EXPECT_EQ(callers.ViewFor("AKIDA", shared), shared);
  EXPECT_EQ(RunsOf(*callers.ViewFor("AKIDB", shared), "dzd_demo01", "job-1"), 4u);
}

TEST(CallerStoresTest, AViewFollowsTheSharedStore) {
  CallerStores callers;
  const auto before = MakeStore("dzd_demo01", "job-1", MakeRuns(3));
  ASSERT_TRUE(callers.Seed("AKIDA", Document(kMine), before).ok());
  const auto after = MakeStore("dzd_demo01", "job-1", MakeRuns(10));
  EXPECT_EQ(RunsOf(*callers.ViewFor("AKIDA", after), "dzd_demo01", "job-1"), 11u);
}

TEST(CallerStoresTest, ASeedThatDoesNotMergeChangesNothing) {
  CallerStores callers;
  const auto shared = MakeStore("dzd_demo01", "job-1", MakeRuns(3));
  ASSERT_TRUE(callers.Seed("AKIDA", Document(kMine), shared).ok());
  const auto again = callers.Seed("AKIDA", Document(kMine), shared);  // runId already there
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(RunsOf(*callers.ViewFor("AKIDA", shared), "dzd_demo01", "job-1"), 4u);
  // A caller whose first seed fails has no view of its own.
  const auto clash = callers.Seed("AKIDC", Document(R"(domains:
  dzd_demo01:
    jobs:
      job-1:
        runs:
          - {runId: run-00001, status: FAILED, createdAt: 2025-01-01T00:00:00Z}
)"),
                                  shared);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(callers.ViewFor("AKIDC", shared), shared);
}

}  // namespace
}  // namespace datazone_mock
