#include "service/mock_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "faults/scenario_loader.h"
#include "support/builders.h"
#include "support/fakes.h"

namespace datazone_mock {
namespace {

using testing::Pair;
using testing::UnorderedElementsAre;

class MockServiceTest : public testing::Test {
 protected:
  MockServiceTest() : clock_(std::make_shared<FakeClock>()), service_(Parts()) {}

  MockServiceParts Parts() {
    MockServiceParts parts;
    parts.store = std::make_shared<StoreSnapshot>(MakeStore("dzd_demo01", "job-1", MakeRuns(3)));
    parts.tokens = std::make_shared<PageTokenCodec>("secret");
    parts.clock = clock_;
    parts.random = std::make_shared<SequenceRandomSource>(0x1234);
    return parts;
  }

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

// A service with scenarios, an access list and the given auth mode.
class MockServiceFaultTest : public testing::Test {
 protected:
  MockServiceFaultTest() : service_(Parts(AuthMode::kOff)) {}

  MockServiceParts Parts(AuthMode auth) {
    auto store = std::make_shared<Store>(*MakeStore("dzd_demo01", "job-1", MakeRuns(3)));
    Domain& locked = store->domains["dzd_locked"];
    locked.id = "dzd_locked";
    locked.allowed_access_key_ids = std::vector<std::string>{"AKIDFRIEND"};
    locked.jobs.emplace("job-1", Job{"job-1", JobType::kLineage, JobRunIndex(MakeRuns(2))});
    std::vector<Scenario> scenarios;
    for (const auto& [name, yaml] : std::vector<std::pair<std::string, std::string>>{
             {"throttle",
              "rules: [{when: {calls: 1-2}, respond: {error: ThrottlingException, "
              "message: Rate exceeded}}]"},
             {"slow", "rules: [{respond: {delay: 800ms}}]"},
             {"slow-error", "rules: [{respond: {delay: 1s, error: InternalServerException}}]"},
             {"reset", "rules: [{respond: {fault: reset}}]"},
             {"empty", "rules: [{respond: {fault: empty}}]"},
             {"malformed", "rules: [{respond: {fault: malformed-json}}]"},
             {"truncate", "rules: [{respond: {fault: truncate}}]"}}) {
      scenarios.push_back(ParseScenario(yaml, name + ".yaml", name).value());
    }
    faults_ = std::make_shared<FaultEngine>(std::move(scenarios), clock_,
                                            std::make_shared<SequenceRandomSource>());
    MockServiceParts parts;
    parts.store = std::make_shared<StoreSnapshot>(std::move(store));
    parts.tokens = std::make_shared<PageTokenCodec>("secret");
    parts.clock = clock_;
    parts.random = std::make_shared<SequenceRandomSource>();
    parts.faults = faults_;
    parts.auth_mode = auth;
    return parts;
  }

  static HttpRequest Request(std::string target, std::string access_key_id = "") {
    HttpRequest request{"GET", std::move(target), {}, ""};
    if (!access_key_id.empty()) {
      request.headers.emplace_back("authorization",
                                   "AWS4-HMAC-SHA256 Credential=" + access_key_id +
                                       "/20251129/us-east-1/datazone/aws4_request, "
                                       "SignedHeaders=host;x-amz-date, Signature=abcd");
      request.headers.emplace_back("x-amz-date", "20251129T000000Z");
      request.headers.emplace_back("host", "localhost");
    }
    return request;
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<FaultEngine> faults_;
  MockService service_;
};

constexpr const char* kRuns = "/v2/domains/dzd_demo01/jobs/job-1/runs";

TEST_F(MockServiceFaultTest, InjectedErrorsComeAfterRoutingAndBeforeValidation) {
  ASSERT_TRUE(faults_->Activate({"throttle"}).ok());
  // An unknown operation is not an AWS call: no rule sees it.
  EXPECT_EQ(service_.Handle(Request("/nope")).error_type, "UnknownOperationException");
  // An invalid request is throttled all the same: faults come before validation.
  const HttpResponse first = service_.Handle(Request(std::string(kRuns) + "?maxResults=0"));
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.Header("x-amzn-ErrorType"), "ThrottlingException");
  EXPECT_EQ(first.body, R"({"message":"Rate exceeded"})");
  EXPECT_EQ(first.reason, "scenario throttle rule 1");
  EXPECT_EQ(service_.Handle(Request(kRuns)).status, 429);
  EXPECT_EQ(service_.Handle(Request(kRuns)).status, 200);
}

TEST_F(MockServiceFaultTest, DelayAloneDelaysTheNormalAnswer) {
  ASSERT_TRUE(faults_->Activate({"slow"}).ok());
  const HttpResponse response = service_.Handle(Request(kRuns));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(clock_->slept_ms(), 800);
}

TEST_F(MockServiceFaultTest, DelayThenError) {
  ASSERT_TRUE(faults_->Activate({"slow-error"}).ok());
  const HttpResponse response = service_.Handle(Request(kRuns));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("x-amzn-ErrorType"), "InternalServerException");
  EXPECT_EQ(clock_->slept_ms(), 1000);
}

TEST_F(MockServiceFaultTest, TransportFaultsAreHandedToTheServerLayer) {
  ASSERT_TRUE(faults_->Activate({"reset"}).ok());
  EXPECT_EQ(service_.Handle(Request(kRuns)).transport_fault, TransportFault::kReset);

  ASSERT_TRUE(faults_->Activate({"empty"}).ok());
  const HttpResponse empty = service_.Handle(Request(kRuns));
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
  EXPECT_EQ(empty.Header("Content-Type"), "application/json");

  ASSERT_TRUE(faults_->Activate({"malformed"}).ok());
  const HttpResponse malformed = service_.Handle(Request(kRuns));
  EXPECT_EQ(malformed.status, 200);
  EXPECT_FALSE(malformed.body.empty());
  EXPECT_EQ(malformed.transport_fault, TransportFault::kMalformedJson);

  ASSERT_TRUE(faults_->Activate({"truncate"}).ok());
  const HttpResponse truncated = service_.Handle(Request(kRuns));
  EXPECT_EQ(truncated.status, 200);
  EXPECT_THAT(truncated.body, testing::StartsWith(R"({"items":[)"));
  EXPECT_EQ(truncated.transport_fault, TransportFault::kTruncate);
}

TEST_F(MockServiceFaultTest, AccessListIsCheckedAfterTheDomainAndBeforeTheJob) {
  const std::string locked = "/v2/domains/dzd_locked/jobs/job-1/runs";
  const HttpResponse stranger = service_.Handle(Request(locked, "AKIDSTRANGER"));
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(stranger.Header("x-amzn-ErrorType"), "AccessDeniedException");
  EXPECT_EQ(stranger.body,
            R"({"message":"You do not have sufficient access to perform this action."})");
  EXPECT_EQ(service_.Handle(Request(locked)).status, 403);  // unsigned: no access key id
  EXPECT_EQ(service_.Handle(Request(locked, "AKIDFRIEND")).status, 200);
  // The job is checked after access: a stranger learns nothing about which jobs exist.
  EXPECT_EQ(service_.Handle(Request("/v2/domains/dzd_locked/jobs/nope/runs", "AKIDX")).status, 403);
  EXPECT_EQ(service_.Handle(Request("/v2/domains/dzd_nope/jobs/job-1/runs", "AKIDX")).status, 404);
}

TEST_F(MockServiceFaultTest, RequiredAuthComesBeforeRouting) {
  MockService strict(Parts(AuthMode::kRequired));
  const HttpResponse unsigned_request = strict.Handle(Request("/nope"));
  EXPECT_EQ(unsigned_request.status, 403);
  EXPECT_EQ(unsigned_request.Header("x-amzn-ErrorType"),
            "MissingAuthenticationTokenException:http://internal.amazon.com/coral/"
            "com.amazon.coral.service/");
  EXPECT_EQ(unsigned_request.body, R"({"message":"Missing Authentication Token"})");
  EXPECT_EQ(strict.Handle(Request(kRuns, "AKIDANY")).status, 200);
}

}  // namespace
}  // namespace datazone_mock
