// The real server on a free port, spoken to over HTTP: exact statuses, headers and bodies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/mock_server.h"
#include "support/raw_http.h"

namespace datazone_mock {
namespace {

using testing::HasSubstr;
using testing::StartsWith;

constexpr const char* kRuns = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";
constexpr const char* kValidateType =
    "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/";

class ListJobRunsHttpTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Options options;
    options.port = 0;
    options.token_secret = "http-test-secret";
    auto server = MockServer::Create(options, nullptr);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value().release();
    server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_keep_alive(true);
    return client;
  }

  static void ExpectAwsError(const httplib::Result& result, int status,
                             const std::string& error_type, const std::string& message) {
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, status);
    EXPECT_EQ(result->get_header_value("x-amzn-ErrorType"), error_type);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    EXPECT_TRUE(
        std::regex_match(result->get_header_value("x-amzn-RequestId"),
                         std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                    "[0-9a-f]{12}")))
        << result->get_header_value("x-amzn-RequestId");
    EXPECT_TRUE(result->has_header("Date"));
    EXPECT_EQ(result->body, nlohmann::json({{"message", message}}).dump());
  }

  static MockServer* server_;
};

MockServer* ListJobRunsHttpTest::server_ = nullptr;

TEST_F(ListJobRunsHttpTest, ListsThePageWithAwsHeaders) {
  auto client = Client();
  const auto result = client.Get(std::string(kRuns) + "?maxResults=3");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(result->get_header_value("x-amzn-RequestId").size(), 36u);
  EXPECT_TRUE(result->has_header("Date"));
  EXPECT_FALSE(result->has_header("x-amzn-ErrorType"));
  const auto body = nlohmann::json::parse(result->body);
  ASSERT_EQ(body["items"].size(), 3u);
  EXPECT_EQ(body["items"][0]["runId"], "run-0130");
  EXPECT_EQ(body["items"][0]["domainId"], "dzd_demo01");
  EXPECT_EQ(body["items"][0]["jobId"], "nightly-lineage");
  EXPECT_TRUE(body["items"][0]["createdAt"].is_number());
  EXPECT_TRUE(body["nextToken"].is_string());
}

TEST_F(ListJobRunsHttpTest, EachRequestGetsItsOwnRequestId) {
  auto client = Client();
  const auto a = client.Get(kRuns);
  const auto b = client.Get(kRuns);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->get_header_value("x-amzn-RequestId"), b->get_header_value("x-amzn-RequestId"));
}

TEST_F(ListJobRunsHttpTest, ValidationErrorHasExactBytes) {
  auto client = Client();
  ExpectAwsError(client.Get("/v2/domains/dzd/jobs/nightly-lineage/runs?maxResults=51"), 400,
                 kValidateType,
                 "2 validation errors detected: Value at 'domainIdentifier' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: "
                 "dzd[-_][a-zA-Z0-9_-]{1,36}; Value at 'maxResults' failed to satisfy constraint: "
                 "Member must have value less than or equal to 50");
}

TEST_F(ListJobRunsHttpTest, SerializationError) {
  auto client = Client();
  ExpectAwsError(client.Get(std::string(kRuns) + "?maxResults=2.5"), 400, "SerializationException",
                 "Value at 'maxResults' cannot be converted to an integer");
}

TEST_F(ListJobRunsHttpTest, NotFound) {
  auto client = Client();
  ExpectAwsError(client.Get("/v2/domains/dzd_nothere/jobs/nightly-lineage/runs"), 404,
                 "ResourceNotFoundException", "The specified resource cannot be found.");
  ExpectAwsError(client.Get("/v2/domains/dzd_demo01/jobs/nothere/runs"), 404,
                 "ResourceNotFoundException", "The specified resource cannot be found.");
}

TEST_F(ListJobRunsHttpTest, InvalidToken) {
  auto client = Client();
  ExpectAwsError(client.Get(std::string(kRuns) + "?nextToken=abc"), 400, kValidateType,
                 "The nextToken provided is invalid.");
}

TEST_F(ListJobRunsHttpTest, UnknownOperations) {
  auto client = Client();
  const std::string message = "The requested operation is not recognized by the service.";
  ExpectAwsError(client.Get("/"), 404, "UnknownOperationException", message);
  ExpectAwsError(client.Post(kRuns, "{}", "application/json"), 404, "UnknownOperationException",
                 message);
  ExpectAwsError(client.Put(kRuns), 404, "UnknownOperationException", message);
  ExpectAwsError(client.Delete(kRuns), 404, "UnknownOperationException", message);
  ExpectAwsError(client.Options(kRuns), 404, "UnknownOperationException", message);
  const auto head = client.Head(kRuns);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 404);
  EXPECT_EQ(head->get_header_value("x-amzn-ErrorType"), "UnknownOperationException");
  // A request with a body must not leave bytes behind on the keep-alive connection.
  const auto after = client.Get(kRuns);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ListJobRunsHttpTest, PercentEncodedLabels) {
  auto client = Client();
  const auto encoded = client.Get("/v2/domains/dzd%5Fdemo01/jobs/nightly%2Dlineage/runs");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->status, 200);
  const std::string job_pattern =
      "1 validation error detected: Value at 'jobIdentifier' failed to satisfy constraint: Member "
      "must satisfy regular expression pattern: [a-zA-Z0-9_-]{1,36}";
  // An encoded '/' stays inside its label.
  ExpectAwsError(client.Get("/v2/domains/dzd_demo01/jobs/nightly%2Flineage/runs"), 400,
                 kValidateType, job_pattern);
  ExpectAwsError(client.Get("/v2/domains/dzd_demo01/jobs/a%20b/runs"), 400, kValidateType,
                 job_pattern);
}

TEST_F(ListJobRunsHttpTest, EmptyLabelsFailThePattern) {
  auto client = Client();
  ExpectAwsError(client.Get("/v2/domains//jobs//runs"), 400, kValidateType,
                 "2 validation errors detected: Value at 'domainIdentifier' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: "
                 "dzd[-_][a-zA-Z0-9_-]{1,36}; Value at 'jobIdentifier' failed to satisfy "
                 "constraint: Member must satisfy regular expression pattern: "
                 "[a-zA-Z0-9_-]{1,36}");
}

TEST_F(ListJobRunsHttpTest, PaginatesOverHttpWithoutDuplicates) {
  auto client = Client();
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    std::string target = std::string(kRuns) + "?maxResults=7&sortOrder=ASCENDING";
    if (!token.empty()) target += "&nextToken=" + token;
    const auto result = client.Get(target);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    const auto body = nlohmann::json::parse(result->body);
    for (const auto& item : body["items"]) ids.push_back(item["runId"]);
    token = body.contains("nextToken") ? body["nextToken"].get<std::string>() : "";
    ++pages;
  } while (!token.empty());
  ASSERT_EQ(ids.size(), 130u);
  EXPECT_EQ(pages, 19);  // 18 full pages of 7 and one of 4
  for (std::size_t i = 0; i < ids.size(); ++i) {
    char expected[32];
    std::snprintf(expected, sizeof expected, "run-%04zu", i + 1);
    EXPECT_EQ(ids[i], expected);
  }
}

TEST_F(ListJobRunsHttpTest, IgnoresCompressionAndRanges) {
  auto client = Client();
  const auto plain = client.Get(std::string(kRuns) + "?maxResults=5");
  const auto gzip = client.Get(std::string(kRuns) + "?maxResults=5",
                               {{"Accept-Encoding", "gzip, deflate, br"}, {"Range", "bytes=0-10"}});
  ASSERT_TRUE(plain && gzip);
  EXPECT_EQ(gzip->status, 200);
  EXPECT_FALSE(gzip->has_header("Content-Encoding"));
  EXPECT_FALSE(gzip->has_header("Content-Range"));
  // The bodies differ only in their nextToken? No: same position, same query, same token.
  EXPECT_EQ(gzip->body, plain->body);
}

TEST_F(ListJobRunsHttpTest, KeepsAConnectionAliveForManyRequests) {
  std::string requests;
  for (int i = 0; i < 20; ++i) {
    requests += std::string("GET ") + kRuns + "?maxResults=1 HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  const std::string received = RawExchange(server_->port(), requests, 500);
  std::size_t count = 0;
  for (std::size_t at = received.find("HTTP/1.1 200 OK"); at != std::string::npos;
       at = received.find("HTTP/1.1 200 OK", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 20u);
}

TEST_F(ListJobRunsHttpTest, OverlongRequestLineGetsJson414) {
  const std::string target = std::string(kRuns) + "?nextToken=" + std::string(9000, 'a');
  const std::string received =
      RawExchange(server_->port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(received, StartsWith("HTTP/1.1 414 "));
  EXPECT_THAT(received, HasSubstr("x-amzn-ErrorType: RequestUriTooLong\r\n"));
  EXPECT_THAT(received, HasSubstr("x-amzn-RequestId: "));
  EXPECT_THAT(received, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_THAT(received, HasSubstr(R"({"message":"The request line is longer than 8192 bytes."})"));
}

TEST_F(ListJobRunsHttpTest, MalformedRequestLineGetsJson400) {
  const std::string received = RawExchange(server_->port(), "NONSENSE\r\n\r\n");
  EXPECT_THAT(received, StartsWith("HTTP/1.1 400 "));
  EXPECT_THAT(received, HasSubstr("x-amzn-ErrorType: BadRequest\r\n"));
  EXPECT_THAT(received, HasSubstr("x-amzn-RequestId: "));
  EXPECT_THAT(received, HasSubstr("\r\n\r\n{\"message\":"));
}

TEST(MockServerStartupTest, APortInUseIsAStartupError) {
  Options options;
  options.port = 0;
  auto first = MockServer::Create(options, nullptr);
  ASSERT_TRUE(first.ok());
  options.port = first.value()->port();
  auto second = MockServer::Create(options, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().exit_code, 2);
  EXPECT_EQ(second.error().message, "cannot listen on 127.0.0.1:" + std::to_string(options.port) +
                                        ": Address already in use\n");
}

TEST(MockServerStartupTest, BadFixturesAreAStartupErrorWithLocations) {
  Options options;
  options.port = 0;
  options.fixtures = {std::string(DATAZONE_MOCK_SOURCE_DIR) + "/tests/http/testdata/bad.yaml"};
  auto server = MockServer::Create(options, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().exit_code, 2);
  EXPECT_THAT(server.error().message,
              HasSubstr("tests/http/testdata/bad.yaml:7:21: invalid status 'success': expected one "
                        "of [SCHEDULED, IN_PROGRESS, SUCCESS, PARTIALLY_SUCCEEDED, FAILED, "
                        "ABORTED, TIMED_OUT, CANCELED]\n"));
}

}  // namespace
}  // namespace datazone_mock
