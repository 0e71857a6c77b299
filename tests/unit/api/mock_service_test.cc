#include "api/mock_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/builders.h"
#include "support/fakes.h"

namespace datazone_mock {
namespace {

using testing::Pair;
using testing::UnorderedElementsAre;

class MockServiceTest : public testing::Test {
 protected:
  MockServiceTest()
      : clock_(std::make_shared<FakeClock>()),
        service_(std::make_shared<StoreSnapshot>(MakeStore("dzd_demo01", "job-1", MakeRuns(3))),
                 std::make_shared<PageTokenCodec>("secret"), clock_,
                 std::make_shared<SequenceRandomSource>(0x1234)) {}

  HttpResponse Get(std::string target, std::string method = "GET") {
    return service_.Handle(HttpRequest{std::move(method), std::move(target), {}, ""});
  }

  std::shared_ptr<FakeClock> clock_;
  MockService service_;
};

TEST_F(MockServiceTest, SuccessCarriesTheCommonHeaders) {
  const HttpResponse response = Get("/v2/domains/dzd_demo01/jobs/job-1/runs?maxResults=1");
  EXPECT_EQ(response.status, 200);
  // 1764374400 is Sat, 29 Nov 2025 00:00:00 GMT; request ids come from the injected source.
  EXPECT_THAT(response.headers,
              UnorderedElementsAre(Pair("Content-Type", "application/json"),
                                   Pair("x-amzn-RequestId", "00000000-0000-4234-8000-000000001235"),
                                   Pair("Date", "Sat, 29 Nov 2025 00:00:00 GMT")));
  EXPECT_EQ(response.error_type, "");
  EXPECT_THAT(response.body, testing::StartsWith(R"({"items":[{"createdAt":1700002000,)"));
  EXPECT_THAT(response.body, testing::HasSubstr(R"("nextToken":")"));
}

TEST_F(MockServiceTest, ErrorsCarryTypeHeaderAndJsonMessage) {
  const HttpResponse response = Get("/v2/domains/dzd_demo01/jobs/job-1/runs?sortOrder=up");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.Header("x-amzn-ErrorType"),
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/");
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_FALSE(response.Header("x-amzn-RequestId").empty());
  EXPECT_FALSE(response.Header("Date").empty());
  EXPECT_EQ(response.body,
            R"({"message":"1 validation error detected: Value at 'sortOrder' failed to satisfy )"
            R"(constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]"})");
}

TEST_F(MockServiceTest, UnknownPathsAndMethodsAreUnknownOperations) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/"},
           {"GET", "/v2/domains/dzd_demo01/jobs/job-1"},
           {"POST", "/v2/domains/dzd_demo01/jobs/job-1/runs"},
           {"HEAD", "/v2/domains/dzd_demo01/jobs/job-1/runs"},
           {"DELETE", "/v2/domains/dzd_demo01/jobs/job-1/runs"}}) {
    const HttpResponse response = Get(target, method);
    EXPECT_EQ(response.status, 404) << method << " " << target;
    EXPECT_EQ(response.Header("x-amzn-ErrorType"), "UnknownOperationException");
    EXPECT_EQ(response.body,
              R"({"message":"The requested operation is not recognized by the service."})");
  }
}

TEST_F(MockServiceTest, ChecksInWireOrder) {
  // Validation comes before existence: an unknown domain with a bad status is a 400.
  EXPECT_EQ(Get("/v2/domains/dzd_nope/jobs/job-1/runs?status=x").status, 400);
  // Serialization before everything else that is validated.
  EXPECT_EQ(Get("/v2/domains/dzd_nope/jobs/job-1/runs?maxResults=x").error_type,
            "SerializationException");
  // The domain, then the job, then the token.
  EXPECT_EQ(Get("/v2/domains/dzd_nope/jobs/job-1/runs?nextToken=x").error_type,
            "ResourceNotFoundException");
  EXPECT_EQ(Get("/v2/domains/dzd_demo01/jobs/job-9/runs?nextToken=x").error_type,
            "ResourceNotFoundException");
  const HttpResponse bad_token = Get("/v2/domains/dzd_demo01/jobs/job-1/runs?nextToken=x");
  EXPECT_EQ(bad_token.error_type, "ValidationException");
  EXPECT_EQ(bad_token.body, R"({"message":"The nextToken provided is invalid."})");
  EXPECT_EQ(bad_token.reason, "not base64url");
}

TEST_F(MockServiceTest, DateFollowsTheClock) {
  clock_->Advance(std::chrono::hours(24) + std::chrono::seconds(5));
  EXPECT_EQ(Get("/").Header("Date"), "Sun, 30 Nov 2025 00:00:05 GMT");
}

}  // namespace
}  // namespace datazone_mock
