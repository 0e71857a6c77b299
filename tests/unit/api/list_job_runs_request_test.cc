#include "api/list_job_runs_request.h"

#include <gtest/gtest.h>

#include <string>

namespace datazone_mock {
namespace {

constexpr const char* kPath = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";
const std::string kDomainPattern =
    "Value at 'domainIdentifier' failed to satisfy constraint: Member must satisfy regular "
    "expression pattern: dzd[-_][a-zA-Z0-9_-]{1,36}";
const std::string kJobPattern =
    "Value at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular "
    "expression pattern: [a-zA-Z0-9_-]{1,36}";
const std::string kStatusEnum =
    "Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: "
    "[SCHEDULED, IN_PROGRESS, SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, "
    "CANCELED]";
const std::string kSortEnum =
    "Value at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: "
    "[ASCENDING, DESCENDING]";
const std::string kTokenMin =
    "Value at 'nextToken' failed to satisfy constraint: Member must have length greater than or "
    "equal to 1";
const std::string kTokenMax =
    "Value at 'nextToken' failed to satisfy constraint: Member must have length less than or "
    "equal to 8192";
const std::string kMaxMin =
    "Value at 'maxResults' failed to satisfy constraint: Member must have value greater than or "
    "equal to 1";
const std::string kMaxMax =
    "Value at 'maxResults' failed to satisfy constraint: Member must have value less than or "
    "equal to 50";
const std::string kSerialization = "Value at 'maxResults' cannot be converted to an integer";

std::string One(const std::string& violation) {
  return "1 validation error detected: " + violation;
}

struct ValidationCase {
  std::string name;
  std::string target;
  std::string error_type;  // empty: valid
  std::string message;
};

std::ostream& operator<<(std::ostream& out, const ValidationCase& c) { return out << c.name; }

class ValidateListJobRunsTest : public testing::TestWithParam<ValidationCase> {};

TEST_P(ValidateListJobRunsTest, AnswersLikeAws) {
  const ValidationCase& c = GetParam();
  const auto call = RouteListJobRuns("GET", c.target);
  ASSERT_TRUE(call.has_value()) << c.target;
  const auto result = ValidateListJobRuns(*call);
  if (c.error_type.empty()) {
    EXPECT_TRUE(result.ok()) << result.error().message;
    return;
  }
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, c.error_type);
  EXPECT_EQ(result.error().message, c.message);
  EXPECT_EQ(result.error().http_status, 400);
}

std::string Path(const std::string& domain, const std::string& job) {
  return "/v2/domains/" + domain + "/jobs/" + job + "/runs";
}

INSTANTIATE_TEST_SUITE_P(
    Boundaries, ValidateListJobRunsTest,
    testing::Values(
        ValidationCase{"Defaults", kPath, "", ""},
        ValidationCase{"MaxResultsMinus1", std::string(kPath) + "?maxResults=-1",
                       "ValidationException", One(kMaxMin)},
        ValidationCase{"MaxResults0", std::string(kPath) + "?maxResults=0", "ValidationException",
                       One(kMaxMin)},
        ValidationCase{"MaxResults1", std::string(kPath) + "?maxResults=1", "", ""},
        ValidationCase{"MaxResults50", std::string(kPath) + "?maxResults=50", "", ""},
        ValidationCase{"MaxResults51", std::string(kPath) + "?maxResults=51", "ValidationException",
                       One(kMaxMax)},
        ValidationCase{"MaxResultsPlusSignAndZeros", std::string(kPath) + "?maxResults=%2B007", "",
                       ""},
        ValidationCase{"MaxResultsInt32Max", std::string(kPath) + "?maxResults=2147483647",
                       "ValidationException", One(kMaxMax)},
        ValidationCase{"MaxResultsInt32Min", std::string(kPath) + "?maxResults=-2147483648",
                       "ValidationException", One(kMaxMin)},
        ValidationCase{"MaxResultsPastInt32", std::string(kPath) + "?maxResults=2147483648",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsAbc", std::string(kPath) + "?maxResults=abc",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsFraction", std::string(kPath) + "?maxResults=2.5",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsExponent", std::string(kPath) + "?maxResults=1e3",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsLeadingSpace", std::string(kPath) + "?maxResults=%205",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsEmpty", std::string(kPath) + "?maxResults=",
                       "SerializationException", kSerialization},
        ValidationCase{"MaxResultsSignOnly", std::string(kPath) + "?maxResults=-",
                       "SerializationException", kSerialization},
        ValidationCase{"DomainSuffix1", Path("dzd_a", "j"), "", ""},
        ValidationCase{"DomainSuffix36", Path("dzd-" + std::string(36, 'x'), "j"), "", ""},
        ValidationCase{"DomainSuffix37", Path("dzd-" + std::string(37, 'x'), "j"),
                       "ValidationException", One(kDomainPattern)},
        ValidationCase{"DomainNoSuffix", Path("dzd_", "j"), "ValidationException",
                       One(kDomainPattern)},
        ValidationCase{"DomainWrongPrefix", Path("dzx_abc", "j"), "ValidationException",
                       One(kDomainPattern)},
        ValidationCase{"DomainEmptyLabel", Path("", "j"), "ValidationException",
                       One(kDomainPattern)},
        ValidationCase{"DomainEncodedSlash", Path("dzd_a%2Fb", "j"), "ValidationException",
                       One(kDomainPattern)},
        ValidationCase{"DomainBadEscape", Path("dzd_a%zz", "j"), "ValidationException",
                       One(kDomainPattern)},
        ValidationCase{"Job1", Path("dzd_a", "j"), "", ""},
        ValidationCase{"Job36", Path("dzd_a", std::string(36, 'j')), "", ""},
        ValidationCase{"Job37", Path("dzd_a", std::string(37, 'j')), "ValidationException",
                       One(kJobPattern)},
        ValidationCase{"JobEmptyLabel", Path("dzd_a", ""), "ValidationException", One(kJobPattern)},
        ValidationCase{"JobEncodedSpace", Path("dzd_a", "a%20b"), "ValidationException",
                       One(kJobPattern)},
        ValidationCase{"StatusWrongCase", std::string(kPath) + "?status=success",
                       "ValidationException", One(kStatusEnum)},
        ValidationCase{"StatusEmpty", std::string(kPath) + "?status=", "ValidationException",
                       One(kStatusEnum)},
        ValidationCase{"SortOrderWrongCase", std::string(kPath) + "?sortOrder=ascending",
                       "ValidationException", One(kSortEnum)},
        ValidationCase{"SortOrderEmpty", std::string(kPath) + "?sortOrder=", "ValidationException",
                       One(kSortEnum)},
        ValidationCase{"NextTokenEmpty", std::string(kPath) + "?nextToken=", "ValidationException",
                       One(kTokenMin)},
        ValidationCase{"NextToken8192", std::string(kPath) + "?nextToken=" + std::string(8192, 'a'),
                       "", ""},
        ValidationCase{"NextToken8193", std::string(kPath) + "?nextToken=" + std::string(8193, 'a'),
                       "ValidationException", One(kTokenMax)},
        ValidationCase{"AllSixInMemberOrder",
                       Path("dzd", "") + "?maxResults=0&nextToken=&sortOrder=x&status=y",
                       "ValidationException",
                       "6 validation errors detected: " + kDomainPattern + "; " + kJobPattern +
                           "; " + kStatusEnum + "; " + kSortEnum + "; " + kTokenMin + "; " +
                           kMaxMin},
        ValidationCase{"TwoErrors", Path("dzd", "ok") + "?maxResults=51", "ValidationException",
                       "2 validation errors detected: " + kDomainPattern + "; " + kMaxMax},
        ValidationCase{"SerializationAloneDespiteOtherViolations",
                       Path("dzd", "") + "?status=bad&maxResults=abc", "SerializationException",
                       kSerialization},
        ValidationCase{"FirstParameterWins",
                       std::string(kPath) + "?status=FAILED&status=bogus&maxResults=5&maxResults=x",
                       "", ""},
        ValidationCase{"UnknownParametersIgnored", std::string(kPath) + "?foo=bar&Status=x", "",
                       ""}),
    [](const testing::TestParamInfo<ValidationCase>& p) { return p.param.name; });

class EveryStatusTest : public testing::TestWithParam<JobRunStatus> {};

TEST_P(EveryStatusTest, IsAcceptedAsFilter) {
  const auto call =
      RouteListJobRuns("GET", std::string(kPath) + "?status=" + std::string(ToString(GetParam())));
  ASSERT_TRUE(call);
  const auto input = ValidateListJobRuns(*call);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input.value().status, GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllStatuses, EveryStatusTest, testing::ValuesIn(kAllJobRunStatuses),
                         [](const testing::TestParamInfo<JobRunStatus>& p) {
                           return std::string(ToString(p.param));
                         });

TEST(ValidateListJobRunsTest, AppliesDefaultsAndDecodesValues) {
  const auto call = RouteListJobRuns(
      "GET",
      "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?sortOrder=ASCENDING&maxResults=7"
      "&nextToken=a%2Db_c&status=FAILED");
  ASSERT_TRUE(call);
  const auto input = ValidateListJobRuns(*call);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(input.value(), (ListJobRunsInput{"dzd_demo01", "nightly-lineage", JobRunStatus::kFailed,
                                             SortOrder::kAscending, "a-b_c", 7}));

  const auto plain = ValidateListJobRuns(*RouteListJobRuns("GET", kPath));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.value().sort_order, SortOrder::kDescending);
  EXPECT_EQ(plain.value().max_results, 50);
  EXPECT_EQ(plain.value().status, std::nullopt);
  EXPECT_EQ(plain.value().next_token, std::nullopt);
}

TEST(RouteListJobRunsTest, DecodesLabelsAfterSplittingThePath) {
  const auto call = RouteListJobRuns("GET", "/v2/domains/dzd%5Fabc/jobs/a%2Fb/runs?x=1");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->domain_identifier, "dzd_abc");
  EXPECT_EQ(call->job_identifier, "a/b");
}

TEST(RouteListJobRunsTest, MatchesOnlyTheOperation) {
  EXPECT_FALSE(RouteListJobRuns("POST", kPath));
  EXPECT_FALSE(RouteListJobRuns("HEAD", kPath));
  EXPECT_FALSE(RouteListJobRuns("GET", "/v2/domains/d/jobs/j/runs/"));
  EXPECT_FALSE(RouteListJobRuns("GET", "/v2/domains/d/jobs/j"));
  EXPECT_FALSE(RouteListJobRuns("GET", "/v2/domains/d/jobs/j/run"));
  EXPECT_FALSE(RouteListJobRuns("GET", "//v2/domains/d/jobs/j/runs"));
  EXPECT_FALSE(RouteListJobRuns("GET", "/v1/domains/d/jobs/j/runs"));
  EXPECT_FALSE(RouteListJobRuns("GET", "/v2/domains/d/x/j/runs"));
  EXPECT_FALSE(RouteListJobRuns("GET", "/_mock/health"));
  EXPECT_TRUE(RouteListJobRuns("GET", "/v2/domains//jobs//runs"));
}

TEST(ParseInt32Test, AcceptsWhatAwsAccepts) {
  EXPECT_EQ(ParseInt32("0"), 0);
  EXPECT_EQ(ParseInt32("-0"), 0);
  EXPECT_EQ(ParseInt32("+12"), 12);
  EXPECT_EQ(ParseInt32("000000000000000000000042"), 42);
  EXPECT_EQ(ParseInt32("2147483647"), 2147483647);
  EXPECT_EQ(ParseInt32("-2147483648"), -2147483647 - 1);
  EXPECT_EQ(ParseInt32("2147483648"), std::nullopt);
  EXPECT_EQ(ParseInt32("-2147483649"), std::nullopt);
  EXPECT_EQ(ParseInt32("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseInt32(""), std::nullopt);
  EXPECT_EQ(ParseInt32("+"), std::nullopt);
  EXPECT_EQ(ParseInt32("1 "), std::nullopt);
  EXPECT_EQ(ParseInt32("0x10"), std::nullopt);
}

}  // namespace
}  // namespace datazone_mock
