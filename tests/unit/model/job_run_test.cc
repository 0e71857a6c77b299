#include "model/job_run.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace datazone_mock {
namespace {

// --- Enum names: every value prints as the service model spells it and parses back ------------

struct StatusName {
  JobRunStatus status;
  std::string_view text;
};

void PrintTo(const StatusName& row, std::ostream* os) { *os << row.text; }

class JobRunStatusNameTest : public testing::TestWithParam<StatusName> {};

TEST_P(JobRunStatusNameTest, PrintsTheModelName) {
  EXPECT_EQ(ToString(GetParam().status), GetParam().text);
}

TEST_P(JobRunStatusNameTest, ParsesTheModelName) {
  EXPECT_EQ(ParseJobRunStatus(GetParam().text), std::optional(GetParam().status));
}

TEST_P(JobRunStatusNameTest, RoundTrips) {
  EXPECT_EQ(ParseJobRunStatus(ToString(GetParam().status)), std::optional(GetParam().status));
}

INSTANTIATE_TEST_SUITE_P(
    AllStatuses, JobRunStatusNameTest,
    testing::Values(StatusName{JobRunStatus::kScheduled, "SCHEDULED"},
                    StatusName{JobRunStatus::kInProgress, "IN_PROGRESS"},
                    StatusName{JobRunStatus::kSuccess, "SUCCESS"},
                    StatusName{JobRunStatus::kPartiallySucceeded, "PARTIALLY_SUCCEEDED"},
                    StatusName{JobRunStatus::kFailed, "FAILED"},
                    StatusName{JobRunStatus::kAborted, "ABORTED"},
                    StatusName{JobRunStatus::kTimedOut, "TIMED_OUT"},
                    StatusName{JobRunStatus::kCanceled, "CANCELED"}),
    [](const testing::TestParamInfo<StatusName>& row) { return std::string(row.param.text); });

TEST(JobRunStatusTest, TableCoversEveryStatus) {
  // Guards the table above: a new enumerator must be added there too.
  EXPECT_EQ(kAllJobRunStatuses.size(), 8u);
  for (JobRunStatus status : kAllJobRunStatuses) {
    EXPECT_EQ(ParseJobRunStatus(ToString(status)), std::optional(status));
  }
}

TEST(JobRunStatusTest, ParseIsCaseSensitive) {
  EXPECT_EQ(ParseJobRunStatus("success"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("Success"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("in_progress"), std::nullopt);
}

TEST(JobRunStatusTest, ParseRejectsNearMisses) {
  EXPECT_EQ(ParseJobRunStatus(""), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus(" SUCCESS"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("SUCCESS "), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("IN-PROGRESS"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("CANCELLED"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus("SUCCEEDED"), std::nullopt);
  EXPECT_EQ(ParseJobRunStatus(std::string_view("SUCCESS\0", 8)), std::nullopt);
}

TEST(JobRunModeTest, EveryValueRoundTrips) {
  EXPECT_EQ(ToString(JobRunMode::kScheduled), "SCHEDULED");
  EXPECT_EQ(ToString(JobRunMode::kOnDemand), "ON_DEMAND");
  EXPECT_EQ(ParseJobRunMode("SCHEDULED"), std::optional(JobRunMode::kScheduled));
  EXPECT_EQ(ParseJobRunMode("ON_DEMAND"), std::optional(JobRunMode::kOnDemand));
  EXPECT_EQ(kAllJobRunModes.size(), 2u);
  for (JobRunMode mode : kAllJobRunModes) {
    EXPECT_EQ(ParseJobRunMode(ToString(mode)), std::optional(mode));
  }
}

TEST(JobRunModeTest, ParseIsCaseSensitive) {
  EXPECT_EQ(ParseJobRunMode("on_demand"), std::nullopt);
  EXPECT_EQ(ParseJobRunMode("scheduled"), std::nullopt);
  EXPECT_EQ(ParseJobRunMode("ONDEMAND"), std::nullopt);
  EXPECT_EQ(ParseJobRunMode(""), std::nullopt);
}

TEST(JobTypeTest, EveryValueRoundTrips) {
  EXPECT_EQ(ToString(JobType::kLineage), "LINEAGE");
  EXPECT_EQ(ParseJobType("LINEAGE"), std::optional(JobType::kLineage));
  EXPECT_EQ(kAllJobTypes.size(), 1u);
  for (JobType type : kAllJobTypes) EXPECT_EQ(ParseJobType(ToString(type)), std::optional(type));
}

TEST(JobTypeTest, ParseIsCaseSensitive) {
  EXPECT_EQ(ParseJobType("lineage"), std::nullopt);
  EXPECT_EQ(ParseJobType("Lineage"), std::nullopt);
  EXPECT_EQ(ParseJobType(""), std::nullopt);
}

TEST(SortOrderTest, EveryValueRoundTrips) {
  EXPECT_EQ(ToString(SortOrder::kAscending), "ASCENDING");
  EXPECT_EQ(ToString(SortOrder::kDescending), "DESCENDING");
  EXPECT_EQ(ParseSortOrder("ASCENDING"), std::optional(SortOrder::kAscending));
  EXPECT_EQ(ParseSortOrder("DESCENDING"), std::optional(SortOrder::kDescending));
  EXPECT_EQ(kAllSortOrders.size(), 2u);
  for (SortOrder order : kAllSortOrders) {
    EXPECT_EQ(ParseSortOrder(ToString(order)), std::optional(order));
  }
}

TEST(SortOrderTest, ParseIsCaseSensitive) {
  EXPECT_EQ(ParseSortOrder("ascending"), std::nullopt);
  EXPECT_EQ(ParseSortOrder("Descending"), std::nullopt);
  EXPECT_EQ(ParseSortOrder("ASC"), std::nullopt);
  EXPECT_EQ(ParseSortOrder("DESC"), std::nullopt);
  EXPECT_EQ(ParseSortOrder(""), std::nullopt);
}

// --- EnumValueSet: the "[A, B]" text of validation messages, in model order -------------------

TEST(EnumValueSetTest, JobRunStatusesInModelOrder) {
  EXPECT_EQ(EnumValueSet(kAllJobRunStatuses),
            "[SCHEDULED, IN_PROGRESS, SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, "
            "CANCELED]");
}

TEST(EnumValueSetTest, SortOrders) {
  EXPECT_EQ(EnumValueSet(kAllSortOrders), "[ASCENDING, DESCENDING]");
}

TEST(EnumValueSetTest, RunModes) {
  EXPECT_EQ(EnumValueSet(kAllJobRunModes), "[SCHEDULED, ON_DEMAND]");
}

TEST(EnumValueSetTest, SingleValueHasNoSeparator) {
  EXPECT_EQ(EnumValueSet(kAllJobTypes), "[LINEAGE]");
}

// --- RunBefore: the (createdAt, runId) total order ---------------------------------------------

TEST(RunBeforeTest, EarlierCreatedAtComesFirstWhateverTheRunIds) {
  EXPECT_TRUE(RunBefore(1000, "z", 1001, "a"));
  EXPECT_FALSE(RunBefore(1001, "a", 1000, "z"));
}

TEST(RunBeforeTest, NegativeTimesOrderBeforePositive) {
  EXPECT_TRUE(RunBefore(-1, "b", 0, "a"));
  EXPECT_FALSE(RunBefore(0, "a", -1, "b"));
}

TEST(RunBeforeTest, TiesAreBrokenByRunId) {
  EXPECT_TRUE(RunBefore(1000, "a", 1000, "b"));
  EXPECT_FALSE(RunBefore(1000, "b", 1000, "a"));
}

TEST(RunBeforeTest, APrefixComesBeforeItsExtensions) {
  EXPECT_TRUE(RunBefore(1000, "b", 1000, "ba"));
  EXPECT_FALSE(RunBefore(1000, "ba", 1000, "b"));
  EXPECT_TRUE(RunBefore(1000, "a", 1000, "ba"));
}

TEST(RunBeforeTest, RunIdsCompareByteWise) {
  // Byte values, not a locale's or a case-insensitive collation: 'Z' (0x5A) < 'a' (0x61).
  EXPECT_TRUE(RunBefore(1000, "Z", 1000, "a"));
  EXPECT_FALSE(RunBefore(1000, "a", 1000, "Z"));
  EXPECT_TRUE(RunBefore(1000, "B", 1000, "a"));
  // Digits (0x30..0x39) sort before letters, and "run-10" before "run-9".
  EXPECT_TRUE(RunBefore(1000, "run-10", 1000, "run-9"));
  EXPECT_TRUE(RunBefore(1000, "9", 1000, "A"));
  // '-' (0x2D) < '_' (0x5F).
  EXPECT_TRUE(RunBefore(1000, "a-b", 1000, "a_b"));
}

TEST(RunBeforeTest, BytesAboveAsciiCompareUnsigned) {
  // U+00E9 is C3 A9 in UTF-8: as unsigned bytes it sorts after every ASCII character; a signed
  // char comparison would put it first.
  EXPECT_TRUE(RunBefore(1000, "z", 1000, "\xC3\xA9"));
  EXPECT_FALSE(RunBefore(1000, "\xC3\xA9", 1000, "z"));
  EXPECT_TRUE(RunBefore(1000, "\x7F", 1000, "\x80"));
}

TEST(RunBeforeTest, IsIrreflexive) {
  EXPECT_FALSE(RunBefore(1000, "a", 1000, "a"));
  EXPECT_FALSE(RunBefore(0, "", 0, ""));
}

// --- JobRun / RunPosition equality --------------------------------------------------------------

TEST(JobRunTest, DefaultsAreScheduledAtEpochWithNoOptionalMembers) {
  const JobRun run;
  EXPECT_EQ(run.run_id, "");
  EXPECT_EQ(run.status, JobRunStatus::kScheduled);
  EXPECT_EQ(run.created_at, 0);
  EXPECT_EQ(run.run_mode, std::nullopt);
  EXPECT_EQ(run.created_by, std::nullopt);
  EXPECT_EQ(run.start_time, std::nullopt);
  EXPECT_EQ(run.end_time, std::nullopt);
  EXPECT_EQ(run.error_message, std::nullopt);
}

// Every member set, none to its default, so that each change below is a real difference.
JobRun FullRun() {
  return JobRun{"r1",  JobRunStatus::kFailed, 1000, JobRunMode::kOnDemand, "user-alice", 1100, 1200,
                "boom"};
}

TEST(JobRunTest, EqualRunsCompareEqual) {
  const JobRun a = FullRun();
  const JobRun b = FullRun();  // another object, not `a` compared with itself
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  EXPECT_TRUE(JobRun{} == JobRun{});
}

// Each member changed in turn, to another value and (if optional) to absent: the two runs must
// then be unequal, whichever side is on the left.
struct MemberChange {
  std::string_view member;
  std::string_view how;
  void (*change)(JobRun&);
};

void PrintTo(const MemberChange& row, std::ostream* os) { *os << row.member << " " << row.how; }

const MemberChange kMemberChanges[] = {
    {"run_id", "other", [](JobRun& r) { r.run_id = "r2"; }},
    {"run_id", "empty", [](JobRun& r) { r.run_id.clear(); }},
    {"status", "other", [](JobRun& r) { r.status = JobRunStatus::kSuccess; }},
    {"created_at", "other", [](JobRun& r) { r.created_at = 1001; }},
    {"run_mode", "other", [](JobRun& r) { r.run_mode = JobRunMode::kScheduled; }},
    {"run_mode", "absent", [](JobRun& r) { r.run_mode = std::nullopt; }},
    {"created_by", "other", [](JobRun& r) { r.created_by = "user-bob"; }},
    {"created_by", "absent", [](JobRun& r) { r.created_by = std::nullopt; }},
    {"start_time", "other", [](JobRun& r) { r.start_time = 1101; }},
    {"start_time", "absent", [](JobRun& r) { r.start_time = std::nullopt; }},
    {"end_time", "other", [](JobRun& r) { r.end_time = 1201; }},
    {"end_time", "absent", [](JobRun& r) { r.end_time = std::nullopt; }},
    {"error_message", "other", [](JobRun& r) { r.error_message = "bang"; }},
    {"error_message", "absent", [](JobRun& r) { r.error_message = std::nullopt; }},
};

class JobRunEqualityTest : public testing::TestWithParam<MemberChange> {};

TEST_P(JobRunEqualityTest, ChangingTheMemberMakesRunsUnequal) {
  const JobRun base = FullRun();
  JobRun changed = FullRun();
  GetParam().change(changed);
  EXPECT_FALSE(base == changed);
  EXPECT_FALSE(changed == base);
  EXPECT_TRUE(base != changed);
  EXPECT_TRUE(changed != base);
}

INSTANTIATE_TEST_SUITE_P(EveryMember, JobRunEqualityTest, testing::ValuesIn(kMemberChanges),
                         [](const testing::TestParamInfo<MemberChange>& row) {
                           return std::string(row.param.member) + "_" + std::string(row.param.how);
                         });

// Stops compiling when JobRun gains or loses a member: then add its rows to kMemberChanges.
constexpr std::size_t kJobRunMembers = 8;
[[maybe_unused]] void JobRunHasEightMembers(const JobRun& run) {
  [[maybe_unused]] const auto& [run_id, status, created_at, run_mode, created_by, start_time,
                                end_time, error_message] = run;
}

TEST(JobRunEqualityTableTest, ChangesEveryMember) {
  std::set<std::string_view> members;
  for (const MemberChange& row : kMemberChanges) members.insert(row.member);
  EXPECT_EQ(members.size(), kJobRunMembers);
}

TEST(RunPositionTest, EqualityComparesTimeAndId) {
  EXPECT_EQ((RunPosition{5, "a"}), (RunPosition{5, "a"}));
  EXPECT_NE((RunPosition{5, "a"}), (RunPosition{6, "a"}));
  EXPECT_NE((RunPosition{5, "a"}), (RunPosition{5, "b"}));
}

}  // namespace
}  // namespace datazone_mock
