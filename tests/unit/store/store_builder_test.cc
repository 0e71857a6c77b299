#include "store/store_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/job_run.h"
#include "store/fixture.h"
#include "store/store.h"

namespace datazone_mock {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

// Builders for documents as the parser produces them, with locations written out.
RunSpec RunAt(std::string id, TimestampMs created_at, SourceLocation at,
              JobRunStatus status = JobRunStatus::kSuccess) {
  RunSpec spec;
  spec.run.run_id = std::move(id);
  spec.run.created_at = created_at;
  spec.run.status = status;
  spec.location = std::move(at);
  return spec;
}

JobSpec JobAt(std::string id, SourceLocation at, std::vector<RunSpec> runs = {}) {
  JobSpec job;
  job.id = std::move(id);
  job.location = std::move(at);
  job.runs = std::move(runs);
  return job;
}

DomainSpec DomainAt(std::string id, SourceLocation at, std::vector<JobSpec> jobs = {}) {
  DomainSpec domain;
  domain.id = std::move(id);
  domain.jobs = std::move(jobs);
  domain.location = std::move(at);
  return domain;
}

FixtureDocument Document(std::string file, std::vector<DomainSpec> domains) {
  return FixtureDocument{std::move(file), std::move(domains)};
}

std::vector<std::string> Texts(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.ToString());
  return out;
}

// The run ids of a job, in the index's (ascending) order.
std::vector<std::string> RunIds(const Job& job) {
  std::vector<std::string> ids;
  for (const JobRun& run : job.runs.runs()) ids.push_back(run.run_id);
  return ids;
}

std::vector<std::string> JobIds(const Domain& domain) {
  std::vector<std::string> ids;
  for (const auto& [id, job] : domain.jobs) ids.push_back(id);
  return ids;
}

TEST(BuildStoreTest, NoDocumentsBuildAnEmptyStore) {
  auto result = BuildStore({});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_THAT(result.value().domains, IsEmpty());
  const Store::Counts counts = result.value().Count();
  EXPECT_EQ(counts.domains, 0u);
  EXPECT_EQ(counts.jobs, 0u);
  EXPECT_EQ(counts.runs, 0u);
}

TEST(BuildStoreTest, MergesADomainSpreadOverTwoDocuments) {
  const std::vector<FixtureDocument> documents = {
      Document("a.yaml", {DomainAt("dzd_a", {"a.yaml", 2, 3},
                                   {JobAt("nightly", {"a.yaml", 4, 7},
                                          {RunAt("r2", 2000, {"a.yaml", 6, 13}),
                                           RunAt("r1", 1000, {"a.yaml", 9, 13})})})}),
      Document(
          "b.yaml",
          {DomainAt("dzd_b", {"b.yaml", 2, 3},
                    {JobAt("other", {"b.yaml", 4, 7}, {RunAt("x", 5, {"b.yaml", 6, 13})})}),
           DomainAt("dzd_a", {"b.yaml", 7, 3},
                    {JobAt("weekly", {"b.yaml", 9, 7},
                           {RunAt("w1", 3000, {"b.yaml", 11, 13}, JobRunStatus::kFailed)})})})};
  auto result = BuildStore(documents);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Store& store = result.value();

  ASSERT_EQ(store.domains.size(), 2u);
  const Domain* a = store.FindDomain("dzd_a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->id, "dzd_a");
  EXPECT_THAT(JobIds(*a), ElementsAre("nightly", "weekly"));

  const Job* nightly = FindJob(*a, "nightly");
  ASSERT_NE(nightly, nullptr);
  EXPECT_EQ(nightly->id, "nightly");
  EXPECT_EQ(nightly->type, JobType::kLineage);
  EXPECT_THAT(RunIds(*nightly), ElementsAre("r1", "r2"));

  const Job* weekly = FindJob(*a, "weekly");
  ASSERT_NE(weekly, nullptr);
  ASSERT_EQ(weekly->runs.size(), 1u);
  EXPECT_EQ(weekly->runs.runs()[0], documents[1].domains[1].jobs[0].runs[0].run);

  const Domain* b = store.FindDomain("dzd_b");
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(JobIds(*b), ElementsAre("other"));

  EXPECT_EQ(store.FindDomain("dzd_c"), nullptr);
  EXPECT_EQ(FindJob(*a, "other"), nullptr);

  const Store::Counts counts = store.Count();
  EXPECT_EQ(counts.domains, 2u);
  EXPECT_EQ(counts.jobs, 3u);
  EXPECT_EQ(counts.runs, 4u);
}

TEST(BuildStoreTest, JobDefinedTwiceIsReportedAtTheSecondPlaceNamingTheFirst) {
  const std::vector<FixtureDocument> documents = {
      Document(
          "a.yaml",
          {DomainAt("dzd_a", {"a.yaml", 2, 3},
                    {JobAt("nightly", {"a.yaml", 4, 7}, {RunAt("r1", 1000, {"a.yaml", 6, 13})})})}),
      Document("b.yaml", {DomainAt("dzd_a", {"b.yaml", 2, 3},
                                   {JobAt("nightly", {"b.yaml", 4, 7},
                                          {RunAt("r2", 2000, {"b.yaml", 6, 13})})})})};
  auto result = BuildStore(documents);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("b.yaml:4:7: job 'nightly' in domain 'dzd_a' is already defined at "
                          "a.yaml:4:7"));
  EXPECT_EQ(result.error()[0], (Diagnostic{"b.yaml", 4, 7,
                                           "job 'nightly' in domain 'dzd_a' is already defined "
                                           "at a.yaml:4:7"}));
}

TEST(BuildStoreTest, JobDefinedThreeTimesNamesTheFirstPlaceEachTime) {
  const std::vector<FixtureDocument> documents = {
      Document("a.yaml", {DomainAt("dzd_a", {"a.yaml", 2, 3}, {JobAt("j", {"a.yaml", 4, 7})})}),
      Document("b.yaml", {DomainAt("dzd_a", {"b.yaml", 2, 3}, {JobAt("j", {"b.yaml", 5, 7})})}),
      Document("c.yaml", {DomainAt("dzd_a", {"c.yaml", 2, 3}, {JobAt("j", {"c.yaml", 6, 7})})})};
  auto result = BuildStore(documents);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("b.yaml:5:7: job 'j' in domain 'dzd_a' is already defined at a.yaml:4:7",
                          "c.yaml:6:7: job 'j' in domain 'dzd_a' is already defined at "
                          "a.yaml:4:7"));
}

TEST(BuildStoreTest, SameJobIdInTwoDomainsIsFine) {
  auto result = BuildStore(
      {Document("a.yaml", {DomainAt("dzd_a", {"a.yaml", 2, 3}, {JobAt("j", {"a.yaml", 4, 7})})}),
       Document("b.yaml", {DomainAt("dzd_b", {"b.yaml", 2, 3}, {JobAt("j", {"b.yaml", 4, 7})})})});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_EQ(result.value().Count().jobs, 2u);
}

TEST(BuildStoreTest, DuplicateRunIdInOneJobNamesBothPlaces) {
  auto result = BuildStore({Document(
      "a.yaml",
      {DomainAt("dzd_a", {"a.yaml", 2, 3},
                {JobAt("nightly", {"a.yaml", 4, 7},
                       {RunAt("r1", 1000, {"a.yaml", 6, 13}), RunAt("r2", 2000, {"a.yaml", 9, 13}),
                        RunAt("r1", 3000, {"a.yaml", 12, 13})})})})});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("a.yaml:12:13: duplicate runId 'r1' in job 'nightly' (first defined at "
                          "a.yaml:6:13)"));
}

TEST(BuildStoreTest, RunIdsDifferingOnlyInCaseAreDistinct) {
  auto result = BuildStore(
      {Document("a.yaml", {DomainAt("dzd_a", {"a.yaml", 2, 3},
                                    {JobAt("nightly", {"a.yaml", 4, 7},
                                           {RunAt("run", 1000, {"a.yaml", 6, 13}),
                                            RunAt("RUN", 1000, {"a.yaml", 9, 13})})})})});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_THAT(RunIds(*FindJob(*result.value().FindDomain("dzd_a"), "nightly")),
              ElementsAre("RUN", "run"));
}

TEST(BuildStoreTest, SameRunIdInTwoJobsIsFine) {
  auto result = BuildStore({Document(
      "a.yaml",
      {DomainAt("dzd_a", {"a.yaml", 2, 3},
                {JobAt("nightly", {"a.yaml", 4, 7}, {RunAt("r1", 1000, {"a.yaml", 6, 13})}),
                 JobAt("weekly", {"a.yaml", 9, 7}, {RunAt("r1", 1000, {"a.yaml", 11, 13})})})})});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Domain* domain = result.value().FindDomain("dzd_a");
  ASSERT_NE(domain, nullptr);
  EXPECT_THAT(RunIds(*FindJob(*domain, "nightly")), ElementsAre("r1"));
  EXPECT_THAT(RunIds(*FindJob(*domain, "weekly")), ElementsAre("r1"));
  EXPECT_EQ(result.value().Count().runs, 2u);
}

TEST(BuildStoreTest, EveryProblemIsReportedInDocumentOrder) {
  auto result = BuildStore(
      {Document(
           "a.yaml",
           {DomainAt(
               "dzd_a", {"a.yaml", 2, 3},
               {JobAt("j1", {"a.yaml", 4, 7},
                      {RunAt("r", 1, {"a.yaml", 6, 13}), RunAt("r", 2, {"a.yaml", 9, 13})}),
                JobAt("j2", {"a.yaml", 12, 7},
                      {RunAt("s", 1, {"a.yaml", 14, 13}), RunAt("s", 1, {"a.yaml", 17, 13})})})}),
       Document("b.yaml", {DomainAt("dzd_a", {"b.yaml", 2, 3}, {JobAt("j2", {"b.yaml", 4, 7})})})});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(
      Texts(result.error()),
      ElementsAre("a.yaml:9:13: duplicate runId 'r' in job 'j1' (first defined at a.yaml:6:13)",
                  "a.yaml:17:13: duplicate runId 's' in job 'j2' (first defined at a.yaml:14:13)",
                  "b.yaml:4:7: job 'j2' in domain 'dzd_a' is already defined at a.yaml:12:7"));
}

TEST(BuildStoreTest, AtMost20ProblemsAreReported) {
  std::vector<RunSpec> runs;
  for (int i = 0; i < 30; ++i) runs.push_back(RunAt("same", i, {"a.yaml", 6 + 3 * i, 13}));
  auto result =
      BuildStore({Document("a.yaml", {DomainAt("dzd_a", {"a.yaml", 2, 3},
                                               {JobAt("j", {"a.yaml", 4, 7}, std::move(runs))})})});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 20u);
  EXPECT_EQ(result.error().front().ToString(),
            "a.yaml:9:13: duplicate runId 'same' in job 'j' (first defined at a.yaml:6:13)");
  EXPECT_EQ(result.error().back().ToString(),
            "a.yaml:66:13: duplicate runId 'same' in job 'j' (first defined at a.yaml:6:13)");
}

TEST(BuildStoreTest, CountIncludesEmptyDomainsAndJobs) {
  auto result = BuildStore({Document(
      "a.yaml",
      {DomainAt("dzd_empty", {"a.yaml", 2, 3}),
       DomainAt("dzd_a", {"a.yaml", 3, 3},
                {JobAt("no-runs", {"a.yaml", 5, 7}),
                 JobAt("three", {"a.yaml", 6, 7},
                       {RunAt("r1", 1, {"a.yaml", 8, 13}), RunAt("r2", 2, {"a.yaml", 9, 13}),
                        RunAt("r3", 3, {"a.yaml", 10, 13})})})})});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Store& store = result.value();
  const Store::Counts counts = store.Count();
  EXPECT_EQ(counts.domains, 2u);
  EXPECT_EQ(counts.jobs, 2u);
  EXPECT_EQ(counts.runs, 3u);
  const Domain* empty = store.FindDomain("dzd_empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->id, "dzd_empty");
  EXPECT_THAT(empty->jobs, IsEmpty());
  EXPECT_EQ(FindJob(*store.FindDomain("dzd_a"), "no-runs")->runs.size(), 0u);
}

TEST(BuildStoreTest, ParsedDocumentsMergeEndToEnd) {
  auto a = ParseFixture(
      "domains:\n"
      "  dzd_a:\n"
      "    jobs:\n"
      "      nightly:\n"
      "        runs:\n"
      "          - runId: r1\n"
      "            status: SUCCESS\n"
      "            createdAt: 2025-06-01T02:00:00Z\n",
      "a.yaml");
  auto b = ParseFixture(
      "domains:\n"
      "  dzd_a:\n"
      "    jobs:\n"
      "      weekly:\n"
      "        runs:\n"
      "          - runId: r1\n"
      "            status: FAILED\n"
      "            createdAt: 2025-06-01T02:00:00Z\n"
      "      nightly:\n",
      "b.yaml");
  ASSERT_TRUE(a.ok()) << FormatDiagnostics(a.error());
  ASSERT_TRUE(b.ok()) << FormatDiagnostics(b.error());
  auto result = BuildStore({a.value(), b.value()});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("b.yaml:9:7: job 'nightly' in domain 'dzd_a' is already defined at "
                          "a.yaml:4:7"));
}

TEST(BuildStoreTest, BundledFixturesBuild) {
  auto documents = LoadFixturePaths({std::filesystem::path(DATAZONE_MOCK_SOURCE_DIR) / "fixtures"});
  ASSERT_TRUE(documents.ok()) << FormatDiagnostics(documents.error());
  auto result = BuildStore(documents.value());
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Store::Counts counts = result.value().Count();
  EXPECT_GT(counts.domains, 0u);
  EXPECT_GT(counts.jobs, 0u);
  EXPECT_GT(counts.runs, 0u);
}

}  // namespace
}  // namespace datazone_mock

namespace datazone_mock {
namespace {

TEST(MergeIntoStoreTest, AddsRunsToExistingJobsAndSharesTheRest) {
  auto base = BuildStore({ParseFixture(R"(domains:
  dzd_a1:
    jobs:
      job:
        runs:
          - {runId: r1, status: SUCCESS, createdAt: 1}
      other:
        runs:
          - {runId: o1, status: SUCCESS, createdAt: 1}
)",
                                       "base.yaml")
                              .value()});
  ASSERT_TRUE(base.ok());
  const auto seed = ParseFixture(R"(domains:
  dzd_a1:
    jobs:
      job:
        runs:
          - {runId: r0, status: FAILED, createdAt: 0}
  dzd_new:
    allowedAccessKeyIds: [AKID1]
    jobs: {fresh: {runs: [{runId: f1, status: SCHEDULED, createdAt: 5}]}}
)",
                                 "request");
  ASSERT_TRUE(seed.ok());
  const auto merged = MergeIntoStore(base.value(), seed.value());
  ASSERT_TRUE(merged.ok()) << FormatDiagnostics(merged.error());
  const Job& job = merged.value().domains.at("dzd_a1").jobs.at("job");
  ASSERT_EQ(job.runs.size(), 2u);
  EXPECT_EQ(job.runs.runs()[0].run_id, "r0");
  EXPECT_EQ(merged.value().domains.at("dzd_new").allowed_access_key_ids,
            (std::vector<std::string>{"AKID1"}));
  EXPECT_EQ(merged.value().Count().runs, 4u);
  // The untouched job's runs are the very same objects: seeding does not copy them.
  EXPECT_EQ(&merged.value().domains.at("dzd_a1").jobs.at("other").runs.runs()[0],
            &base.value().domains.at("dzd_a1").jobs.at("other").runs.runs()[0]);
  EXPECT_EQ(base.value().Count().runs, 2u);  // the base is unchanged
}

TEST(MergeIntoStoreTest, AnExistingRunIdIsAnErrorAndNothingIsApplied) {
  auto base = BuildStore({ParseFixture("domains: {dzd_a1: {jobs: {job: {runs: [{runId: r1, status: "
                                       "SUCCESS, createdAt: 1}]}}}}",
                                       "base.yaml")
                              .value()});
  ASSERT_TRUE(base.ok());
  const auto seed = ParseFixture(R"(domains:
  dzd_a1:
    jobs:
      job:
        runs:
          - {runId: r2, status: SUCCESS, createdAt: 2}
          - {runId: r1, status: SUCCESS, createdAt: 3}
          - {runId: r2, status: SUCCESS, createdAt: 4}
)",
                                 "request");
  ASSERT_TRUE(seed.ok());
  const auto merged = MergeIntoStore(base.value(), seed.value());
  ASSERT_FALSE(merged.ok());
  ASSERT_EQ(merged.error().size(), 2u);
  EXPECT_EQ(merged.error()[0].ToString(), "request:7:13: runId 'r1' already exists in job 'job'");
  EXPECT_EQ(merged.error()[1].ToString(),
            "request:8:13: duplicate runId 'r2' in job 'job' (first defined at request:6:13)");
}

// --- The merge rules, through both entry points ------------------------------------------------
// BuildStore merges files, MergeIntoStore a seed into the served store; both follow one set of
// rules. Each case joins a second document to a first: as two files, or as a seed into the
// store the first one built.

enum class EntryPoint { kBuildStore, kMergeIntoStore };

FixtureDocument Yaml(std::string_view text, const std::string& file) {
  auto document = ParseFixture(text, file);
  EXPECT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  return document.ok() ? document.value() : FixtureDocument{file, {}};
}

class MergeRulesTest : public testing::TestWithParam<EntryPoint> {
 protected:
  static Result<Store, Diagnostics> Join(const FixtureDocument& first,
                                         const FixtureDocument& second) {
    if (GetParam() == EntryPoint::kBuildStore) return BuildStore({first, second});
    auto base = BuildStore({first});
    EXPECT_TRUE(base.ok()) << FormatDiagnostics(base.error());
    if (!base.ok()) return base;
    return MergeIntoStore(base.value(), second);
  }
  static bool Files() { return GetParam() == EntryPoint::kBuildStore; }
};

INSTANTIATE_TEST_SUITE_P(BothEntryPoints, MergeRulesTest,
                         testing::Values(EntryPoint::kBuildStore, EntryPoint::kMergeIntoStore),
                         [](const testing::TestParamInfo<EntryPoint>& row) {
                           return row.param == EntryPoint::kBuildStore ? "BuildStore"
                                                                       : "MergeIntoStore";
                         });

constexpr std::string_view kNightlyInDomainA = R"(domains:
  dzd_a:
    jobs:
      nightly:
        runs:
          - {runId: r1, status: SUCCESS, createdAt: 1}
)";

TEST_P(MergeRulesTest, ADomainInBothMergesItsJobs) {
  const auto result = Join(Yaml(kNightlyInDomainA, "a.yaml"), Yaml(R"(domains:
  dzd_a:
    jobs:
      weekly:
        runs:
          - {runId: r1, status: FAILED, createdAt: 2}
  dzd_b:
)",
                                                                   "b.yaml"));
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Store& store = result.value();
  EXPECT_THAT(JobIds(store.domains.at("dzd_a")), ElementsAre("nightly", "weekly"));
  EXPECT_THAT(RunIds(store.domains.at("dzd_a").jobs.at("weekly")), ElementsAre("r1"));
  EXPECT_THAT(store.domains.at("dzd_b").jobs, IsEmpty());
  EXPECT_EQ(store.domains.at("dzd_b").id, "dzd_b");
  EXPECT_EQ(store.Count().runs, 2u);
}

TEST_P(MergeRulesTest, AnAccessListMayComeWithAnyDocument) {
  const auto result = Join(Yaml(kNightlyInDomainA, "a.yaml"), Yaml(R"(domains:
  dzd_a:
    allowedAccessKeyIds: [AKID1]
)",
                                                                   "b.yaml"));
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const Domain& domain = result.value().domains.at("dzd_a");
  EXPECT_EQ(domain.allowed_access_key_ids, (std::vector<std::string>{"AKID1"}));
  EXPECT_THAT(RunIds(domain.jobs.at("nightly")), ElementsAre("r1"));
}

TEST_P(MergeRulesTest, AnAccessListGivenTwiceIsAnError) {
  const auto result = Join(Yaml(R"(domains:
  dzd_a:
    allowedAccessKeyIds: [AKID1]
)",
                                "a.yaml"),
                           Yaml(R"(domains:
  dzd_a:
    allowedAccessKeyIds: [AKID2]
)",
                                "b.yaml"));
  ASSERT_FALSE(result.ok());
  // The served store keeps no places, so a seed's message cannot name the first one.
  EXPECT_THAT(Texts(result.error()),
              ElementsAre(Files() ? "b.yaml:3:5: allowedAccessKeyIds of domain 'dzd_a' is "
                                    "already given at a.yaml:3:5"
                                  : "b.yaml:3:5: domain 'dzd_a' already has allowedAccessKeyIds"));
}

TEST_P(MergeRulesTest, ARunIdRepeatedInADocumentNamesBothPlaces) {
  const auto result = Join(Yaml(kNightlyInDomainA, "a.yaml"), Yaml(R"(domains:
  dzd_a:
    jobs:
      weekly:
        runs:
          - {runId: r1, status: SUCCESS, createdAt: 1}
          - {runId: r2, status: SUCCESS, createdAt: 2}
          - {runId: r1, status: SUCCESS, createdAt: 3}
)",
                                                                   "b.yaml"));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("b.yaml:8:13: duplicate runId 'r1' in job 'weekly' (first defined at "
                          "b.yaml:6:13)"));
}

TEST_P(MergeRulesTest, AGeneratedRunIdTakenByAnExplicitRunNamesIt) {
  const auto result = Join(Yaml(kNightlyInDomainA, "a.yaml"), Yaml(R"(domains:
  dzd_a:
    jobs:
      big:
        generate: {count: 5, start: 0, every: 1s}
        runs:
          - {runId: gen-0000003, status: FAILED, createdAt: 0}
          - {runId: gen-0000005, status: FAILED, createdAt: 0}
)",
                                                                   "b.yaml"));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre("b.yaml:5:9: generated runId 'gen-0000003' in job 'big' is also "
                          "defined at b.yaml:7:13",
                          "b.yaml:5:9: generated runId 'gen-0000005' in job 'big' is also "
                          "defined at b.yaml:8:13"));
}

TEST_P(MergeRulesTest, AJobOfTheFirstDocumentIsClosedToOtherFilesButOpenToASeed) {
  const auto result = Join(Yaml(kNightlyInDomainA, "a.yaml"), Yaml(R"(domains:
  dzd_a:
    jobs:
      nightly:
        runs:
          - {runId: r2, status: SUCCESS, createdAt: 2}
)",
                                                                   "b.yaml"));
  if (Files()) {
    // docs/decisions.md: files may not split a job.
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(Texts(result.error()),
                ElementsAre("b.yaml:4:7: job 'nightly' in domain 'dzd_a' is already defined at "
                            "a.yaml:4:7"));
  } else {
    // docs/decisions.md, "Seeding": a seed may add runs to a job the store serves.
    ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
    EXPECT_THAT(RunIds(result.value().domains.at("dzd_a").jobs.at("nightly")),
                ElementsAre("r1", "r2"));
  }
}

TEST_P(MergeRulesTest, AtMost20ProblemsAreReported) {
  std::vector<RunSpec> runs;
  for (int i = 0; i < 30; ++i) runs.push_back(RunAt("same", i, {"b.yaml", 6 + 3 * i, 13}));
  const auto result =
      Join(Yaml(kNightlyInDomainA, "a.yaml"),
           Document("b.yaml", {DomainAt("dzd_a", {"b.yaml", 2, 3},
                                        {JobAt("j", {"b.yaml", 4, 7}, std::move(runs))})}));
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 20u);
  EXPECT_EQ(result.error().back().ToString(),
            "b.yaml:66:13: duplicate runId 'same' in job 'j' (first defined at b.yaml:6:13)");
}

// A seed's runs joining a served job meet the job's runs, which have no place in any document.

TEST(MergeIntoStoreTest, GeneratedRunIdsTheJobHoldsAreEachReported) {
  auto base = BuildStore({Yaml(R"(domains:
  dzd_a:
    jobs:
      big:
        generate: {count: 2, start: 0, every: 1s}
)",
                               "a.yaml")});
  ASSERT_TRUE(base.ok()) << FormatDiagnostics(base.error());
  const auto merged = MergeIntoStore(base.value(), Yaml(R"(domains:
  dzd_a:
    jobs:
      big:
        generate: {count: 3, start: 0, every: 1s}
)",
                                                        "request"));
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Texts(merged.error()),
              ElementsAre("request:5:9: generated runId 'gen-0000001' already exists in job 'big'",
                          "request:5:9: generated runId 'gen-0000002' already exists in job "
                          "'big'"));
}

TEST(MergeIntoStoreTest, AServedJobKeepsItsRunsAndTheBaseIsUnchanged) {
  auto base = BuildStore({Yaml(kNightlyInDomainA, "a.yaml")});
  ASSERT_TRUE(base.ok()) << FormatDiagnostics(base.error());
  const auto merged = MergeIntoStore(base.value(), Yaml(R"(domains:
  dzd_a:
    jobs:
      nightly:
        runs:
          - {runId: r0, status: SUCCESS, createdAt: 0}
)",
                                                        "request"));
  ASSERT_TRUE(merged.ok()) << FormatDiagnostics(merged.error());
  EXPECT_THAT(RunIds(merged.value().domains.at("dzd_a").jobs.at("nightly")),
              ElementsAre("r0", "r1"));
  EXPECT_THAT(RunIds(base.value().domains.at("dzd_a").jobs.at("nightly")), ElementsAre("r1"));
}

}  // namespace
}  // namespace datazone_mock
