#include "store/fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "model/job_run.h"
#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;
using testing::ElementsAre;
using testing::IsEmpty;
using testing::UnorderedElementsAre;

constexpr const char* kFile = "f.yaml";

// Each diagnostic as "file:line:col: message", so that a failure prints something readable and
// a test states file, line, column and message exactly.
std::vector<std::string> Texts(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.ToString());
  return out;
}

// The problems ParseFixture reports for `yaml`, or one marker line if it reports none.
std::vector<std::string> Problems(std::string_view yaml) {
  auto result = ParseFixture(yaml, kFile);
  if (result.ok()) return {"<parsed without problems>"};
  return Texts(result.error());
}

std::string Describe(const JobRun& run) {
  std::ostringstream out;
  out << "{runId='" << run.run_id << "' status=" << ToString(run.status)
      << " createdAt=" << run.created_at
      << " runMode=" << (run.run_mode ? ToString(*run.run_mode) : "-")
      << " createdBy=" << run.created_by.value_or("-")
      << " startTime=" << (run.start_time ? std::to_string(*run.start_time) : "-")
      << " endTime=" << (run.end_time ? std::to_string(*run.end_time) : "-")
      << " error=" << run.error_message.value_or("-") << "}";
  return out.str();
}

// Lines 1-5 of most documents below: one domain, one job, and the `runs:` key, so that the
// first run starts on line 6 with `- ` in column 11 and its keys in column 13. Values then start
// at: runId 20, status 21, runMode 22, endTime 22, createdAt/createdBy/startTime 24, error 20.
constexpr std::string_view kRunsPrefix =
    "domains:\n"        // 1
    "  dzd_demo01:\n"   // 2
    "    jobs:\n"       // 3
    "      nightly:\n"  // 4
    "        runs:\n";  // 5

std::string WithRuns(std::string_view runs) { return std::string(kRunsPrefix) + std::string(runs); }

constexpr const char* kRunKeys =
    "(expected one of: runId, status, createdAt, runMode, createdBy, startTime, endTime, error, "
    "lifecycle)";
constexpr const char* kStatusSet =
    "[SCHEDULED, IN_PROGRESS, SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, CANCELED]";
constexpr const char* kTimestampHint =
    ": expected an RFC 3339 timestamp such as 2025-06-01T02:00:00Z, epoch seconds, or a time "
    "relative to the clock such as now-90m";

// --- A valid document ---------------------------------------------------------------------------

// date -u -d 2025-06-01T02:00:00Z +%s -> 1748743200; 2025-07-07T04:00:00Z -> 1751860800.
constexpr std::string_view kValidDocument = R"(# Every member the schema knows.
domains:
  dzd_demo01:
    jobs:
      nightly-lineage:
        jobType: LINEAGE
        runs:
          - runId: run-0001
            status: FAILED
            createdAt: 2025-06-01T02:00:00Z
            runMode: SCHEDULED
            createdBy: svc-scheduler
            startTime: 2025-06-01T02:00:29.913Z
            endTime: 2025-06-01T02:33:10.670Z
            error: {message: "Source connection refused: redshift-cluster-1:5439"}
          - runId: "run 0002"
            status: IN_PROGRESS
            createdAt: 1748743200.25
            runMode: ON_DEMAND
            createdBy: user-bob
            startTime: 1748743201
          - runId: run-0003
            status: CANCELED
            createdAt: 2025-07-07T06:00:00+02:00
            error:
              message: "Upstream table \"events\" is locked"
      empty-job:
      no-runs:
        runs: []
  dzd-analytics_02:
  dzd_x:
    jobs:
)";

TEST(ParseFixtureTest, ValidDocumentParsesToExactValues) {
  auto result = ParseFixture(kValidDocument, kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const FixtureDocument& document = result.value();
  EXPECT_EQ(document.file, kFile);
  ASSERT_EQ(document.domains.size(), 3u);

  const DomainSpec& demo = document.domains[0];
  EXPECT_EQ(demo.id, "dzd_demo01");
  EXPECT_EQ(demo.location, (SourceLocation{kFile, 3, 3}));
  ASSERT_EQ(demo.jobs.size(), 3u);

  const JobSpec& nightly = demo.jobs[0];
  EXPECT_EQ(nightly.id, "nightly-lineage");
  EXPECT_EQ(nightly.type, JobType::kLineage);
  EXPECT_EQ(nightly.location, (SourceLocation{kFile, 5, 7}));
  ASSERT_EQ(nightly.runs.size(), 3u);

  const JobRun first{"run-0001",      JobRunStatus::kFailed,
                     1748743200000,   JobRunMode::kScheduled,
                     "svc-scheduler", 1748743229913,
                     1748745190670,   "Source connection refused: redshift-cluster-1:5439"};
  EXPECT_EQ(nightly.runs[0].run, first) << Describe(nightly.runs[0].run);
  EXPECT_EQ(nightly.runs[0].location, (SourceLocation{kFile, 8, 13}));

  const JobRun second{"run 0002",    JobRunStatus::kInProgress,
                      1748743200250, JobRunMode::kOnDemand,
                      "user-bob",    1748743201000,
                      std::nullopt,  std::nullopt};
  EXPECT_EQ(nightly.runs[1].run, second) << Describe(nightly.runs[1].run);
  EXPECT_EQ(nightly.runs[1].location, (SourceLocation{kFile, 16, 13}));

  const JobRun third{"run-0003",    JobRunStatus::kCanceled,
                     1751860800000, std::nullopt,
                     std::nullopt,  std::nullopt,
                     std::nullopt,  "Upstream table \"events\" is locked"};
  EXPECT_EQ(nightly.runs[2].run, third) << Describe(nightly.runs[2].run);
  EXPECT_EQ(nightly.runs[2].location, (SourceLocation{kFile, 22, 13}));

  EXPECT_EQ(demo.jobs[1].id, "empty-job");
  EXPECT_EQ(demo.jobs[1].type, JobType::kLineage);
  EXPECT_EQ(demo.jobs[1].location, (SourceLocation{kFile, 27, 7}));
  EXPECT_THAT(demo.jobs[1].runs, IsEmpty());
  EXPECT_EQ(demo.jobs[2].id, "no-runs");
  EXPECT_EQ(demo.jobs[2].location, (SourceLocation{kFile, 28, 7}));
  EXPECT_THAT(demo.jobs[2].runs, IsEmpty());

  EXPECT_EQ(document.domains[1].id, "dzd-analytics_02");
  EXPECT_EQ(document.domains[1].location, (SourceLocation{kFile, 30, 3}));
  EXPECT_THAT(document.domains[1].jobs, IsEmpty());
  EXPECT_EQ(document.domains[2].id, "dzd_x");
  EXPECT_EQ(document.domains[2].location, (SourceLocation{kFile, 31, 3}));
  EXPECT_THAT(document.domains[2].jobs, IsEmpty());
}

TEST(ParseFixtureTest, EmptyTextDefinesNothing) {
  auto result = ParseFixture("", kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_EQ(result.value().file, kFile);
  EXPECT_THAT(result.value().domains, IsEmpty());
}

TEST(ParseFixtureTest, CommentOnlyAndNullDomainsDefineNothing) {
  for (std::string_view text : {"# nothing yet\n", "domains:\n", "domains: {}\n"}) {
    auto result = ParseFixture(text, kFile);
    ASSERT_TRUE(result.ok()) << text << FormatDiagnostics(result.error());
    EXPECT_THAT(result.value().domains, IsEmpty()) << text;
  }
}

TEST(ParseFixtureTest, LineAndColumnOfCrlfDocumentsAreOneBased) {
  auto result = ParseFixture(
      "domains:\r\n  dzd_a:\r\n    jobs:\r\n      j1:\r\n        runs:\r\n          - runId: r1\r\n"
      "            status: SUCCESS\r\n            createdAt: 0\r\n",
      kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  ASSERT_EQ(result.value().domains.size(), 1u);
  ASSERT_EQ(result.value().domains[0].jobs.size(), 1u);
  const JobSpec& job = result.value().domains[0].jobs[0];
  EXPECT_EQ(job.location, (SourceLocation{kFile, 4, 7}));
  ASSERT_EQ(job.runs.size(), 1u);
  EXPECT_EQ(job.runs[0].run, (JobRun{"r1", JobRunStatus::kSuccess, 0, std::nullopt, std::nullopt,
                                     std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(job.runs[0].location, (SourceLocation{kFile, 6, 13}));
}

// --- Diagnostics: each states file, line, column (1-based) and message exactly ------------------

TEST(ParseFixtureDiagnosticsTest, DiagnosticFieldsAreFileLineColumnAndMessage) {
  auto result = ParseFixture(WithRuns("          - runId: r1\n"
                                      "            status: success\n"
                                      "            createdAt: 2025-06-01T02:00:00Z\n"),
                             "fixtures/nightly.yaml");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 1u);
  const Diagnostic& d = result.error()[0];
  EXPECT_EQ(d.file, "fixtures/nightly.yaml");
  EXPECT_EQ(d.line, 7);
  EXPECT_EQ(d.column, 21);
  EXPECT_EQ(d.message, std::string("invalid status 'success': expected one of ") + kStatusSet);
}

TEST(ParseFixtureDiagnosticsTest, YamlSyntaxErrorAtTheOffendingCharacter) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a: x: y\n"),
              ElementsAre("f.yaml:2:11: YAML syntax error: illegal map value"));
}

TEST(ParseFixtureDiagnosticsTest, UnclosedFlowSequenceIsReportedAtEndOfInput) {
  EXPECT_THAT(Problems(WithRuns("          - [a, b\n")),
              ElementsAre("f.yaml:7:1: YAML syntax error: end of sequence flow not found"));
}

TEST(ParseFixtureDiagnosticsTest, UnknownKeyInRun) {
  // The typo is reported where it is; `status` is then missing from the run.
  EXPECT_THAT(
      Problems(WithRuns("          - runId: r1\n"
                        "            stauts: SUCCESS\n"
                        "            createdAt: 2025-06-01T02:00:00Z\n")),
      UnorderedElementsAre(std::string("f.yaml:7:13: unknown key 'stauts' in run ") + kRunKeys,
                           "f.yaml:6:13: run is missing required key 'status'"));
}

TEST(ParseFixtureDiagnosticsTest, ProblemsOfOneRunAreReportedInFileOrder) {
  // fixture.h: "Reports every problem found ..., in file order". The missing member is
  // reported at the start of the mapping (line 6), before the unknown key on line 7.
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            stauts: SUCCESS\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n")),
              ElementsAre("f.yaml:6:13: run is missing required key 'status'",
                          std::string("f.yaml:7:13: unknown key 'stauts' in run ") + kRunKeys));
}

TEST(ParseFixtureDiagnosticsTest, UnknownTopLevelKey) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "domain:\n"
                       "  dzd_b:\n"),
              ElementsAre("f.yaml:3:1: unknown key 'domain' in the fixture file (expected one "
                          "of: domains)"));
}

TEST(ParseFixtureDiagnosticsTest, UnknownDomainKey) {
  EXPECT_THAT(
      Problems("domains:\n"
               "  dzd_a:\n"
               "    job:\n"),
      ElementsAre(
          "f.yaml:3:5: unknown key 'job' in domain (expected one of: jobs, allowedAccessKeyIds)"));
}

TEST(ParseFixtureDiagnosticsTest, UnknownJobKey) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "    jobs:\n"
                       "      nightly:\n"
                       "        jobtype: LINEAGE\n"),
              ElementsAre("f.yaml:5:9: unknown key 'jobtype' in job (expected one of: jobType, "
                          "runs, generate, schedule)"));
}

TEST(ParseFixtureDiagnosticsTest, UnknownJobType) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "    jobs:\n"
                       "      nightly:\n"
                       "        jobType: lineage\n"),
              ElementsAre("f.yaml:5:18: invalid jobType 'lineage': expected one of [LINEAGE]"));
}

TEST(ParseFixtureDiagnosticsTest, InvalidDomainIdentifier) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd.demo:\n"
                       "    jobs:\n"),
              ElementsAre("f.yaml:2:3: invalid domainIdentifier 'dzd.demo': must match "
                          "dzd[-_][a-zA-Z0-9_-]{1,36}"));
}

TEST(ParseFixtureDiagnosticsTest, InvalidJobIdentifier) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "    jobs:\n"
                       "      nightly/lineage:\n"
                       "        runs: []\n"),
              ElementsAre("f.yaml:4:7: invalid jobIdentifier 'nightly/lineage': must match "
                          "[a-zA-Z0-9_-]{1,36}"));
}

TEST(ParseFixtureDiagnosticsTest, StatusIsCaseSensitive) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: success\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n")),
              ElementsAre(std::string("f.yaml:7:21: invalid status 'success': expected one of ") +
                          kStatusSet));
}

TEST(ParseFixtureDiagnosticsTest, UnknownRunMode) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n"
                                "            runMode: MANUAL\n")),
              ElementsAre("f.yaml:9:22: invalid runMode 'MANUAL': expected one of [SCHEDULED, "
                          "ON_DEMAND]"));
}

TEST(ParseFixtureDiagnosticsTest, BadCreatedAt) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 2025-02-29T00:00:00Z\n")),
              ElementsAre(std::string("f.yaml:8:24: invalid createdAt '2025-02-29T00:00:00Z'") +
                          kTimestampHint));
}

TEST(ParseFixtureDiagnosticsTest, BadStartAndEndTime) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n"
                                "            startTime: 2025-06-01T02:00:00\n"
                                "            endTime: soon\n")),
              ElementsAre(std::string("f.yaml:9:24: invalid startTime '2025-06-01T02:00:00'") +
                              kTimestampHint,
                          std::string("f.yaml:10:22: invalid endTime 'soon'") + kTimestampHint));
}

TEST(ParseFixtureDiagnosticsTest, MissingRequiredMembersAreReportedAtTheStartOfTheRun) {
  EXPECT_THAT(Problems(WithRuns("          - runMode: SCHEDULED\n"
                                "            createdBy: someone\n")),
              ElementsAre("f.yaml:6:13: run is missing required key 'runId'",
                          "f.yaml:6:13: run is missing required key 'status'",
                          "f.yaml:6:13: run is missing required key 'createdAt'"));
}

TEST(ParseFixtureDiagnosticsTest, MissingCreatedAtOnly) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "          - runId: r2\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 0\n")),
              ElementsAre("f.yaml:6:13: run is missing required key 'createdAt'"));
}

TEST(ParseFixtureDiagnosticsTest, MissingMemberOfAFlowMappingRunIsReportedAtTheBrace) {
  EXPECT_THAT(Problems(WithRuns("          - {runId: r1, createdAt: 0}\n")),
              ElementsAre("f.yaml:6:13: run is missing required key 'status'"));
}

TEST(ParseFixtureDiagnosticsTest, ErrorWithoutMessage) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: FAILED\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n"
                                "            error: {}\n")),
              ElementsAre("f.yaml:9:20: error is missing required key 'message'"));
}

TEST(ParseFixtureDiagnosticsTest, ErrorThatIsNotAMapping) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: FAILED\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n"
                                "            error: Source connection refused\n")),
              ElementsAre("f.yaml:9:20: error must be a mapping"));
}

TEST(ParseFixtureDiagnosticsTest, EmptyRunIdIsReportedAtItsKey) {
  // An empty value has no text of its own: the problem belongs to the key on line 6, not to
  // whatever token follows it (`status` on line 7).
  EXPECT_THAT(Problems(WithRuns("          - runId:\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n")),
              ElementsAre("f.yaml:6:13: runId must be a single value, not empty"));
}

TEST(ParseFixtureDiagnosticsTest, RunIdWithAControlCharacter) {
  EXPECT_THAT(Problems(WithRuns("          - runId: \"a\\tb\"\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 0\n")),
              ElementsAre("f.yaml:6:20: invalid runId 'a\tb': must be 1 to 256 characters with "
                          "no control characters"));
}

TEST(ParseFixtureDiagnosticsTest, CreatedByThatIsAMapping) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 0\n"
                                "            createdBy: {name: bob}\n")),
              ElementsAre("f.yaml:9:24: createdBy must be a single value, not a mapping"));
}

TEST(ParseFixtureDiagnosticsTest, DuplicateKeyInRun) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 2025-06-01T02:00:00Z\n"
                                "            status: FAILED\n")),
              ElementsAre("f.yaml:9:13: duplicate key 'status' in run"));
}

TEST(ParseFixtureDiagnosticsTest, DuplicateDomainKey) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "  dzd_b:\n"
                       "  dzd_a:\n"),
              ElementsAre("f.yaml:4:3: duplicate key 'dzd_a' in domains"));
}

TEST(ParseFixtureDiagnosticsTest, RunThatIsAList) {
  EXPECT_THAT(Problems(WithRuns("          - [runId, r1, status, SUCCESS]\n")),
              ElementsAre("f.yaml:6:13: run must be a mapping"));
}

TEST(ParseFixtureDiagnosticsTest, RunsThatAreAMapping) {
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "    jobs:\n"
                       "      nightly:\n"
                       "        runs: {runId: r1}\n"),
              ElementsAre("f.yaml:5:15: runs must be a list"));
}

TEST(ParseFixtureDiagnosticsTest, DocumentThatIsAList) {
  EXPECT_THAT(Problems("- domains\n"),
              ElementsAre("f.yaml:1:1: the fixture file must be a mapping"));
}

TEST(ParseFixtureDiagnosticsTest, DomainsThatAreAList) {
  EXPECT_THAT(Problems("domains: [dzd_a]\n"),
              ElementsAre("f.yaml:1:10: domains must be a mapping"));
}

TEST(ParseFixtureDiagnosticsTest, EmptyKeyIsReportedWhereItStands) {
  // Found by fuzzing: the empty key on line 4 was reported at the key visited before it
  // (line 2), and so also out of file order.
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a1:\n"
                       "    jobs\n"
                       ":     job:\n"),
              ElementsAre("f.yaml:3:5: domain must be a mapping",
                          "f.yaml:4:1: keys of the fixture file must be strings"));
}

TEST(ParseFixtureDiagnosticsTest, ProblemsReachedThroughAnAliasAreReportedOnceInFileOrder) {
  // j3 is j1 again: its problem is j1's, at j1's place, and not worth a second line.
  EXPECT_THAT(Problems("domains:\n"
                       "  dzd_a:\n"
                       "    jobs:\n"
                       "      j1: &job\n"
                       "        jobType: bad\n"
                       "      j2:\n"
                       "        jobType: worse\n"
                       "      j3: *job\n"),
              ElementsAre("f.yaml:5:18: invalid jobType 'bad': expected one of [LINEAGE]",
                          "f.yaml:7:18: invalid jobType 'worse': expected one of [LINEAGE]"));
}

TEST(ParseFixtureDiagnosticsTest, InvalidUtf8IsReportedAtTheBadByte) {
  // Line 9 is `            createdBy: user-<FF>`: the value starts in column 24, the bad byte
  // follows five ASCII characters.
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 0\n"
                                "            createdBy: user-\xFF\n")),
              ElementsAre("f.yaml:9:29: invalid UTF-8 byte sequence"));
}

TEST(ParseFixtureDiagnosticsTest, InvalidUtf8OnTheFirstLine) {
  EXPECT_THAT(Problems("\xC3(domains:\n"), ElementsAre("f.yaml:1:1: invalid UTF-8 byte sequence"));
}

TEST(ParseFixtureDiagnosticsTest, InvalidUtf8Forms) {
  // A truncated sequence at the end, a lone continuation byte, an overlong '/', a surrogate.
  EXPECT_THAT(Problems("a: b\nc: \xE2\x82"),
              ElementsAre("f.yaml:2:4: invalid UTF-8 byte sequence"));
  EXPECT_THAT(Problems("a: \x80\n"), ElementsAre("f.yaml:1:4: invalid UTF-8 byte sequence"));
  EXPECT_THAT(Problems("a: \xC0\xAF\n"), ElementsAre("f.yaml:1:4: invalid UTF-8 byte sequence"));
  EXPECT_THAT(Problems("a: \xED\xA0\x80\n"),
              ElementsAre("f.yaml:1:4: invalid UTF-8 byte sequence"));
  EXPECT_THAT(Problems("a: \xF4\x90\x80\x80\n"),  // U+110000
              ElementsAre("f.yaml:1:4: invalid UTF-8 byte sequence"));
}

TEST(ParseFixtureDiagnosticsTest, ValidMultiByteUtf8IsAccepted) {
  auto result =
      ParseFixture(WithRuns("          - runId: lauf-\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80\n"
                            "            status: SUCCESS\n"
                            "            createdAt: 0\n"),
                   kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_EQ(result.value().domains.at(0).jobs.at(0).runs.at(0).run.run_id,
            "lauf-\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(ParseFixtureDiagnosticsTest, SeveralProblemsAreReportedInFileOrder) {
  EXPECT_THAT(
      Problems("domains:\n"                                     // 1
               "  dzd_demo01:\n"                                // 2
               "    jobs:\n"                                    // 3
               "      nightly:\n"                               // 4
               "        runs:\n"                                // 5
               "          - runId: r1\n"                        // 6
               "            status: DONE\n"                     // 7
               "            createdAt: 2025-06-01T02:00:00Z\n"  // 8
               "          - runId: r2\n"                        // 9
               "            status: SUCCESS\n"                  // 10
               "            createdAt: later\n"                 // 11
               "      weekly:\n"                                // 12
               "        scheduled: daily\n"                     // 13
               "  bad domain:\n"                                // 14
               "  dzd_other:\n"                                 // 15
               "    jobs:\n"                                    // 16
               "      j.1:\n"                                   // 17
               "      j2:\n"                                    // 18
               "        runs:\n"                                // 19
               "          - runId: r1\n"                        // 20
               "            status: SUCCESS\n"                  // 21
               "            createdAt: 0\n"                     // 22
               "            runMode: manual\n"),                // 23
      ElementsAre(
          std::string("f.yaml:7:21: invalid status 'DONE': expected one of ") + kStatusSet,
          std::string("f.yaml:11:24: invalid createdAt 'later'") + kTimestampHint,
          "f.yaml:13:9: unknown key 'scheduled' in job (expected one of: jobType, runs, generate, "
          "schedule)",
          "f.yaml:14:3: invalid domainIdentifier 'bad domain': must match "
          "dzd[-_][a-zA-Z0-9_-]{1,36}",
          "f.yaml:17:7: invalid jobIdentifier 'j.1': must match [a-zA-Z0-9_-]{1,36}",
          "f.yaml:23:22: invalid runMode 'manual': expected one of [SCHEDULED, ON_DEMAND]"));
}

TEST(ParseFixtureDiagnosticsTest, AtMost20DiagnosticsAreReported) {
  // 25 runs, each three lines starting on line 6 + 3k, each with a bad status on line 7 + 3k.
  std::string runs;
  for (int k = 0; k < 25; ++k) {
    runs += "          - runId: r" + std::to_string(k) + "\n";
    runs += "            status: bad\n";
    runs += "            createdAt: 0\n";
  }
  std::vector<std::string> expected;
  for (int k = 0; k < 20; ++k) {
    expected.push_back("f.yaml:" + std::to_string(7 + 3 * k) +
                       ":21: invalid status 'bad': expected one of " + kStatusSet);
  }
  EXPECT_EQ(Problems(WithRuns(runs)), expected);
  EXPECT_EQ(kMaxDiagnostics, 20u);
}

TEST(ParseFixtureDiagnosticsTest, AtMost20DiagnosticsWhenEveryRunHasSeveralProblems) {
  // Each run lacks all three required members: three problems a run, 30 in all, 20 reported.
  std::string runs;
  for (int k = 0; k < 10; ++k) runs += "          - {createdBy: u" + std::to_string(k) + "}\n";
  auto result = ParseFixture(WithRuns(runs), kFile);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().size(), 20u);
  EXPECT_EQ(result.error().front().ToString(), "f.yaml:6:13: run is missing required key 'runId'");
  EXPECT_EQ(result.error().back().ToString(), "f.yaml:12:13: run is missing required key 'status'");
}

// --- Input file limits (docs/decisions.md)
// -----------------------------------------------------------

TEST(ParseFixtureLimitsTest, ScalarOfExactly1MiBIsAccepted) {
  auto result = ParseFixture(WithRuns("          - runId: r1\n"
                                      "            status: SUCCESS\n"
                                      "            createdAt: 0\n"
                                      "            createdBy: " +
                                      std::string(kMaxScalarBytes, 'u') + "\n"),
                             kFile);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_EQ(result.value().domains.at(0).jobs.at(0).runs.at(0).run.created_by->size(),
            std::size_t{1} << 20);
}

TEST(ParseFixtureLimitsTest, ScalarOver1MiBIsRejectedAtTheValue) {
  EXPECT_THAT(Problems(WithRuns("          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 0\n"
                                "            createdBy: " +
                                std::string(kMaxScalarBytes + 1, 'u') + "\n")),
              ElementsAre("f.yaml:9:24: createdBy is longer than the 1 MiB limit"));
}

TEST(ParseFixtureLimitsTest, TextOver64MiBIsRejectedAtLine1Column1) {
  EXPECT_EQ(kMaxInputFileBytes, std::size_t{64} << 20);
  std::string text(kMaxInputFileBytes + 1, '\n');
  EXPECT_THAT(Problems(text), ElementsAre("f.yaml:1:1: file is larger than the 64 MiB limit"));
}

// --- LoadFixturePaths ---------------------------------------------------------------------------

class FixtureDirectoryTest : public testing::Test {
 protected:
  TempDir dir_{"datazone-mock-fixture-test-"};
};

TEST_F(FixtureDirectoryTest, LoadsEveryYamlFileInNameOrderRecursively) {
  const fs::path b = dir_.Write("b.yaml",
                                "domains:\n"
                                "  dzd_a:\n"
                                "    jobs:\n"
                                "      job-b:\n");
  const fs::path a = dir_.Write("sub/a.yml",  // "b.yaml" < "sub/a.yml"
                                "domains:\n"
                                "  dzd_a:\n"
                                "    jobs:\n"
                                "      job-a:\n"
                                "        runs:\n"
                                "          - runId: r1\n"
                                "            status: SUCCESS\n"
                                "            createdAt: 1748743200\n");
  dir_.Write("notes.txt", "not: [yaml");
  dir_.Write("sub/README.md", "# not a fixture: [");

  auto result = LoadFixturePaths({dir_.path()});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  const auto& documents = result.value();
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].file, b.string());
  ASSERT_EQ(documents[0].domains.size(), 1u);
  ASSERT_EQ(documents[0].domains[0].jobs.size(), 1u);
  EXPECT_EQ(documents[0].domains[0].jobs[0].id, "job-b");
  EXPECT_EQ(documents[0].domains[0].jobs[0].location, (SourceLocation{b.string(), 4, 7}));

  EXPECT_EQ(documents[1].file, a.string());
  ASSERT_EQ(documents[1].domains.size(), 1u);
  ASSERT_EQ(documents[1].domains[0].jobs.size(), 1u);
  const JobSpec& job = documents[1].domains[0].jobs[0];
  EXPECT_EQ(job.id, "job-a");
  ASSERT_EQ(job.runs.size(), 1u);
  EXPECT_EQ(job.runs[0].run, (JobRun{"r1", JobRunStatus::kSuccess, 1748743200000, std::nullopt,
                                     std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(job.runs[0].location, (SourceLocation{a.string(), 6, 13}));
}

TEST_F(FixtureDirectoryTest, FilesNamedDirectlyAreLoadedInTheOrderGiven) {
  const fs::path one = dir_.Write("one.yaml", "domains:\n  dzd_one:\n");
  const fs::path two = dir_.Write("two.yaml", "domains:\n  dzd_two:\n");
  auto result = LoadFixturePaths({two, one});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  ASSERT_EQ(result.value().size(), 2u);
  EXPECT_EQ(result.value()[0].file, two.string());
  EXPECT_EQ(result.value()[1].file, one.string());
  ASSERT_EQ(result.value()[0].domains.size(), 1u);
  EXPECT_EQ(result.value()[0].domains[0].id, "dzd_two");
}

TEST_F(FixtureDirectoryTest, ProblemsOfEveryFileAreReportedWithTheirFileNames) {
  const fs::path a = dir_.Write("a.yaml", "domains:\n  dzd.a:\n");
  dir_.Write("b.yaml", "domains:\n  dzd_b:\n");
  const fs::path c = dir_.Write("c.yaml", "domains:\n  dzd_c:\n    jobs:\n      j 1:\n");
  auto result = LoadFixturePaths({dir_.path()});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Texts(result.error()),
              ElementsAre(a.string() + ":2:3: invalid domainIdentifier 'dzd.a': must match "
                                       "dzd[-_][a-zA-Z0-9_-]{1,36}",
                          c.string() + ":4:7: invalid jobIdentifier 'j 1': must match "
                                       "[a-zA-Z0-9_-]{1,36}"));
}

TEST_F(FixtureDirectoryTest, MissingPathIsReported) {
  const fs::path missing = dir_ / "no-such-file.yaml";
  auto result = LoadFixturePaths({missing});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error(),
              ElementsAre(Diagnostic{missing.string(), 1, 1, "no such file or directory"}));
}

TEST_F(FixtureDirectoryTest, EmptyDirectoryLoadsNothing) {
  auto result = LoadFixturePaths({dir_.path()});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_THAT(result.value(), IsEmpty());
}

TEST(BundledFixturesTest, RepositoryFixturesLoadWithoutDiagnostics) {
  const fs::path dir = fs::path(DATAZONE_MOCK_SOURCE_DIR) / "fixtures";
  std::size_t yaml_files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) ++yaml_files;
  }
  ASSERT_GT(yaml_files, 0u);

  auto result = LoadFixturePaths({dir});
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.error());
  EXPECT_EQ(result.value().size(), yaml_files);
  std::size_t runs = 0;
  for (const FixtureDocument& document : result.value()) {
    for (const DomainSpec& domain : document.domains) {
      for (const JobSpec& job : domain.jobs) runs += job.runs.size();
    }
  }
  EXPECT_GT(runs, 0u);
}

}  // namespace
}  // namespace datazone_mock
