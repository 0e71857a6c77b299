#include "check/file_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/fixture.h"
#include "unit/check/check_test_support.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::IsEmpty;

constexpr const char* kNeither =
    ":1:1: neither a fixture (top-level `domains`) nor a scenario (`rules` or `rateLimit`)";

// One domain, two jobs: 2 explicit and 144 generated runs.
constexpr const char* kFixtureA =
    "domains:\n"
    "  dzd_team01:\n"
    "    jobs:\n"
    "      nightly:\n"
    "        runs:\n"
    "          - {runId: r1, status: SUCCESS, createdAt: 2025-06-01T02:00:00Z}\n"
    "          - {runId: r2, status: FAILED, createdAt: 2025-06-02T02:00:00Z, "
    "error: {message: boom}}\n"
    "      big:\n"
    "        generate: {count: 144, start: 2024-01-01T00:00:00Z, every: 30s}\n";

// The same domain again, with a third job: domains merge across files.
constexpr const char* kFixtureB =
    "domains:\n"
    "  dzd_team01:\n"
    "    jobs:\n"
    "      hourly:\n";

constexpr const char* kScenario =
    "name: throttle-storm\n"
    "description: Every call throttled.\n"
    "rules:\n"
    "  - respond: {error: ThrottlingException}\n";

class CheckFilesTest : public TempDirTest {};

TEST_F(CheckFilesTest, ValidFixturesAndScenarioInADirectory) {
  Write("fixtures/a.yaml", kFixtureA);
  Write("fixtures/b.yml", kFixtureB);
  Write("scenarios/throttle.yaml", kScenario);
  Write("scenarios/README.md", "not: [yaml");  // neither *.yaml nor *.yml: not looked at

  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems), IsEmpty());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.files, 3u);
  EXPECT_THAT(report.fixture_files, ElementsAre(P("fixtures/a.yaml"), P("fixtures/b.yml")));
  ASSERT_TRUE(report.fixture_counts.has_value());
  EXPECT_EQ(report.fixture_counts->domains, 1u);
  EXPECT_EQ(report.fixture_counts->jobs, 3u);
  EXPECT_EQ(report.fixture_counts->runs, 146u);
  EXPECT_THAT(report.scenario_files,
              ElementsAre(CheckedScenario{P("scenarios/throttle.yaml"), "throttle-storm"}));
  EXPECT_THAT(report.unrecognized_files, IsEmpty());
  EXPECT_EQ(CheckSummary(report),
            "checked 3 files: 2 fixture files (1 domain, 3 jobs, 146 runs), 1 scenario file "
            "(throttle-storm); no problems");
}

TEST_F(CheckFilesTest, ScenarioWithoutANameIsNamedAfterItsFile) {
  Write("rate.yaml", "rateLimit: {perSecond: 5}\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems), IsEmpty());
  EXPECT_THAT(report.scenario_files, ElementsAre(CheckedScenario{P("rate.yaml"), "rate"}));
  EXPECT_EQ(CheckSummary(report),
            "checked 1 file: 0 fixture files, 1 scenario file (rate); no problems");
}

TEST_F(CheckFilesTest, BadFixtureIsReportedWithFileLineAndColumn) {
  Write("bad.yaml",
        "domains:\n"
        "  dzd_team01:\n"
        "    jobs:\n"
        "      nightly:\n"
        "        runs:\n"
        "          - runId: r1\n"
        "            status: DONE\n"
        "            createdAt: yesterday\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(
      Texts(report.problems),
      ElementsAre(P("bad.yaml") +
                      ":7:21: invalid status 'DONE': expected one of [SCHEDULED, IN_PROGRESS, "
                      "SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, CANCELED]",
                  P("bad.yaml") +
                      ":8:24: invalid createdAt 'yesterday': expected an RFC 3339 timestamp such "
                      "as 2025-06-01T02:00:00Z, epoch seconds, or a time relative to the clock "
                      "such as now-90m"));
  EXPECT_THAT(report.fixture_files, ElementsAre(P("bad.yaml")));
  EXPECT_FALSE(report.fixture_counts.has_value());  // nothing would be served
  EXPECT_EQ(CheckSummary(report), "checked 1 file: 1 fixture file, 0 scenario files; 2 problems");
}

TEST_F(CheckFilesTest, JobDefinedInTwoFilesNamesBothPlaces) {
  Write("a.yaml", kFixtureA);
  Write("c.yaml",
        "domains:\n"
        "  dzd_team01:\n"
        "    jobs:\n"
        "      nightly:\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(P("c.yaml") +
                          ":4:7: job 'nightly' in domain 'dzd_team01' is already defined at " +
                          P("a.yaml") + ":4:7"));
  EXPECT_FALSE(report.fixture_counts.has_value());
}

TEST_F(CheckFilesTest, CrossFileProblemsComeAfterEachFilesOwn) {
  Write("a.yaml", kFixtureA);
  Write("b.yaml", "domains:\n  dzd.bad:\n");
  Write("c.yaml", "domains:\n  dzd_team01:\n    jobs:\n      big:\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(
      Texts(report.problems),
      ElementsAre(P("b.yaml") + ":2:3: invalid domainIdentifier 'dzd.bad': must match "
                                "dzd[-_][a-zA-Z0-9_-]{1,36}",
                  P("c.yaml") + ":4:7: job 'big' in domain 'dzd_team01' is already defined at " +
                      P("a.yaml") + ":8:7"));
}

TEST_F(CheckFilesTest, ARepeatedRunIdIsReportedWithTheFilesOtherProblemsInOnePass) {
  Write("runs.yaml",
        "domains:\n"
        "  dzd_team01:\n"
        "    jobs:\n"
        "      nightly:\n"
        "        runs:\n"
        "          - {runId: r1, status: SUCCESS, createdAt: 1}\n"
        "          - {runId: r1, status: FAILED, createdAt: 2}\n"
        "          - {runId: r2, status: DONE, createdAt: 3}\n");
  const CheckReport report = CheckFiles({dir_.path()});
  const std::vector<std::string> problems = Texts(report.problems);
  ASSERT_EQ(problems.size(), 2u) << testing::PrintToString(problems);
  EXPECT_THAT(problems[0], testing::StartsWith(P("runs.yaml") + ":7:"));
  EXPECT_THAT(problems[0], HasSubstr("'r1'"));
  EXPECT_THAT(problems[1], testing::StartsWith(P("runs.yaml") + ":8:"));
  EXPECT_THAT(problems[1], HasSubstr("'DONE'"));
  EXPECT_FALSE(report.fixture_counts.has_value());
}

TEST_F(CheckFilesTest, FileThatIsNeitherFixtureNorScenarioIsAProblem) {
  Write("a-settings.yaml", "port: 8484\nhost: 127.0.0.1\n");
  Write("b-list.yaml", "- domains\n- rules\n");
  Write("c-scalar.yaml", "just text\n");
  Write("d-empty.yaml", "");
  Write("e-nested.yaml", "config:\n  domains: {}\n  rules: []\n");
  Write("f-credentials.yaml", "credentials:\n  - {accessKeyId: AKID, secretAccessKey: s}\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(P("a-settings.yaml") + kNeither, P("b-list.yaml") + kNeither,
                          P("c-scalar.yaml") + kNeither, P("d-empty.yaml") + kNeither,
                          P("e-nested.yaml") + kNeither, P("f-credentials.yaml") + kNeither));
  EXPECT_EQ(report.unrecognized_files.size(), 6u);
  EXPECT_EQ(CheckSummary(report),
            "checked 6 files: 0 fixture files, 0 scenario files, 6 unrecognized files; "
            "6 problems");
}

TEST_F(CheckFilesTest, FileThatIsNotYamlReportsTheParseErrorWhereItIs) {
  Write("broken.yaml", "name: x\nrules: [\n  {respond: \n");
  const CheckReport report = CheckFiles({dir_.path()});
  ASSERT_EQ(report.problems.size(), 1u);
  const Diagnostic& problem = report.problems[0];
  EXPECT_EQ(problem.file, P("broken.yaml"));
  EXPECT_GT(problem.line, 1);  // where the parser gave up, not a placeholder 1:1
  EXPECT_THAT(problem.message, testing::StartsWith("YAML syntax error: "));
  EXPECT_THAT(report.unrecognized_files, ElementsAre(P("broken.yaml")));
}

TEST_F(CheckFilesTest, FixtureThatBreaksAfterItsDomainsKeyIsCheckedAsAFixture) {
  Write("f.yaml",
        "domains:\n"
        "  dzd_team01:\n"
        "    jobs: {a: [\n");
  const CheckReport report = CheckFiles({dir_.path()});
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].file, P("f.yaml"));
  EXPECT_THAT(report.problems[0].message, testing::StartsWith("YAML syntax error: "));
  EXPECT_THAT(report.fixture_files, ElementsAre(P("f.yaml")));
}

TEST_F(CheckFilesTest, FileWithDomainsAndRulesIsAFixtureThatHasAnUnknownKey) {
  Write("both.yaml", "rules: []\ndomains:\n  dzd_team01:\n");
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(P("both.yaml") +
                          ":1:1: unknown key 'rules' in the fixture file (expected one of: "
                          "domains)"));
  EXPECT_THAT(report.fixture_files, ElementsAre(P("both.yaml")));
}

TEST_F(CheckFilesTest, InvalidUtf8IsReportedAtTheBadByte) {
  Write("a.yaml", "domains:\n  dzd_\xff:\n");
  Write("b.yaml", "name: caf\xc3\xa9\nrules: []\n# \xc0\xaf\n");  // é is fine; overlong '/' is not
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(P("a.yaml") + ":2:7: invalid UTF-8 byte sequence",
                          P("b.yaml") + ":3:3: invalid UTF-8 byte sequence"));
}

TEST_F(CheckFilesTest, MissingPathIsAProblemAndTheOtherPathsAreStillChecked) {
  const fs::path fixture = Write("a.yaml", kFixtureB);
  const fs::path missing = dir_ / "no-such-dir";
  const CheckReport report = CheckFiles({missing, fixture, dir_ / "gone.yaml"});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(missing.string() + ":1:1: no such file or directory",
                          P("gone.yaml") + ":1:1: no such file or directory"));
  EXPECT_THAT(report.fixture_files, ElementsAre(fixture.string()));
  EXPECT_EQ(CheckSummary(report),
            "checked 1 file: 1 fixture file (1 domain, 1 job, 0 runs), 0 scenario files; "
            "2 problems");
}

TEST_F(CheckFilesTest, DirectoryWithoutYamlFilesIsAProblem) {
  Write("empty/notes.txt", "nothing to check\n");
  const CheckReport report = CheckFiles({dir_ / "empty"});
  EXPECT_THAT(Texts(report.problems),
              ElementsAre(P("empty") + ":1:1: no *.yaml or *.yml file in directory"));
  EXPECT_EQ(report.files, 0u);
}

TEST_F(CheckFilesTest, FileNamedTwiceIsCheckedOnce) {
  // Were it read twice, its job would be "defined twice".
  const fs::path fixture = Write("fixtures/a.yaml", kFixtureA);
  const CheckReport report =
      CheckFiles({dir_ / "fixtures", fixture, dir_ / "fixtures/../fixtures"});
  EXPECT_THAT(Texts(report.problems), IsEmpty());
  EXPECT_EQ(report.files, 1u);
}

TEST_F(CheckFilesTest, SameScenarioNameInTwoFilesNamesBothFiles) {
  Write("a.yaml", kScenario);
  Write("b.yaml", "name: other\nrules: []\n");
  Write("c.yaml", kScenario);
  Write("throttle-storm.yaml", "rules: []\n");  // named after its file: the same name again
  const CheckReport report = CheckFiles({dir_.path()});
  EXPECT_THAT(
      Texts(report.problems),
      ElementsAre(
          P("c.yaml") + ":1:1: scenario 'throttle-storm' is already defined in " + P("a.yaml"),
          P("throttle-storm.yaml") + ":1:1: scenario 'throttle-storm' is already defined in " +
              P("a.yaml")));
  EXPECT_EQ(CheckSummary(report),
            "checked 4 files: 0 fixture files, 4 scenario files (throttle-storm, other, "
            "throttle-storm, throttle-storm); 2 problems");
}

TEST_F(CheckFilesTest, BadScenarioIsReportedWithFileLineAndColumn) {
  Write("s.yaml",
        "name: broken\n"
        "rules:\n"
        "  - respond: {error: NoSuchException}\n"
        "  - when: {calls: sometimes}\n"
        "    respond: {fault: reset}\n");
  const CheckReport report = CheckFiles({dir_.path()});
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].file, P("s.yaml"));
  EXPECT_EQ(report.problems[0].line, 3);
  EXPECT_EQ(report.problems[0].column, 22);
  EXPECT_THAT(report.problems[0].message, testing::StartsWith("unknown error 'NoSuchException'"));
  EXPECT_EQ(report.problems[1].ToString(),
            P("s.yaml") +
                ":4:19: invalid calls 'sometimes': expected N, N-M, N- or \"every N\" "
                "(N from 1)");
  EXPECT_THAT(report.scenario_files, ElementsAre(CheckedScenario{P("s.yaml"), ""}));
  EXPECT_EQ(CheckSummary(report), "checked 1 file: 0 fixture files, 1 scenario file; 2 problems");
}

TEST_F(CheckFilesTest, EachFileReportsAtMost20ProblemsInOrder) {
  std::string runs =
      "domains:\n"
      "  dzd_team01:\n"
      "    jobs:\n"
      "      j:\n"
      "        runs:\n";
  for (int i = 0; i < 30; ++i) runs += "          - {runId: r, status: NOPE, createdAt: 0}\n";
  Write("a.yaml", runs);
  Write("b.yaml", runs);
  const CheckReport report = CheckFiles({dir_.path()});
  ASSERT_EQ(report.problems.size(), 2 * kMaxDiagnostics);
  EXPECT_EQ(report.problems[0].file, P("a.yaml"));
  EXPECT_EQ(report.problems[0].line, 6);
  EXPECT_EQ(report.problems[kMaxDiagnostics - 1].line, 25);
  EXPECT_EQ(report.problems[kMaxDiagnostics].file, P("b.yaml"));
  // In the same pass, and in line order: b.yaml defines job j again (line 4).
  EXPECT_EQ(report.problems[kMaxDiagnostics].line, 4);
  EXPECT_THAT(report.problems[kMaxDiagnostics].message, HasSubstr("already defined"));
  EXPECT_EQ(report.problems[kMaxDiagnostics + 1].line, 6);
}

TEST(CheckRepositoryFilesTest, BundledFixturesAndScenariosHaveNoProblems) {
  const fs::path source(DATAZONE_MOCK_SOURCE_DIR);
  const CheckReport report = CheckFiles({source / "fixtures", source / "scenarios"});
  EXPECT_THAT(Texts(report.problems), IsEmpty());
  EXPECT_GT(report.fixture_files.size(), 0u);
  ASSERT_TRUE(report.fixture_counts.has_value());
  EXPECT_GT(report.fixture_counts->runs, 0u);
  EXPECT_GT(report.scenario_files.size(), 0u);
  EXPECT_THAT(report.unrecognized_files, IsEmpty());
  EXPECT_EQ(report.files, report.fixture_files.size() + report.scenario_files.size());
}

// --- RunCheck: the command's streams and exit code -----------------------------------------

class RunCheckTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    out_ = std::tmpfile();
    err_ = std::tmpfile();
    ASSERT_NE(out_, nullptr);
    ASSERT_NE(err_, nullptr);
  }
  void TearDown() override {
    if (out_) std::fclose(out_);
    if (err_) std::fclose(err_);
    TempDirTest::TearDown();
  }

  std::FILE* out_ = nullptr;
  std::FILE* err_ = nullptr;
};

TEST_F(RunCheckTest, ValidFilesExitZeroWithOneSummaryLineOnStdout) {
  Write("a.yaml", kFixtureA);
  Write("b.yaml", kFixtureB);
  Write("s.yaml", kScenario);
  EXPECT_EQ(RunCheck({dir_.path().string()}, out_, err_), 0);
  EXPECT_EQ(Contents(out_),
            "checked 3 files: 2 fixture files (1 domain, 3 jobs, 146 runs), 1 scenario file "
            "(throttle-storm); no problems\n");
  EXPECT_EQ(Contents(err_), "");
}

TEST_F(RunCheckTest, ProblemsGoToStderrOneLineEachAndExitTwo) {
  Write("a.yaml", kFixtureA);
  Write("notes.yaml", "todo: write fixtures\n");
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(RunCheck({dir_.path().string(), missing}, out_, err_), 2);
  EXPECT_EQ(Contents(err_),
            P("notes.yaml") + kNeither + "\n" + missing + ":1:1: no such file or directory\n");
  EXPECT_EQ(Contents(out_),
            "checked 2 files: 1 fixture file (1 domain, 2 jobs, 146 runs), 0 scenario files, "
            "1 unrecognized file; 2 problems\n");
}

TEST_F(RunCheckTest, OneProblemIsSingular) {
  Write("a.yaml", "domains:\n  dzd.bad:\n");
  EXPECT_EQ(RunCheck({dir_.path().string()}, out_, err_), 2);
  EXPECT_EQ(Contents(out_), "checked 1 file: 1 fixture file, 0 scenario files; 1 problem\n");
}

}  // namespace
}  // namespace datazone_mock
