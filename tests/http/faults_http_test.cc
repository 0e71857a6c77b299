// Injected faults over real sockets, as a client sees them, and the scenario admin API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/mock_server.h"
#include "support/raw_http.h"

namespace datazone_mock {
namespace {

using nlohmann::json;
using testing::HasSubstr;
using testing::StartsWith;

constexpr const char* kRuns = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";
const std::string kGet = std::string("GET ") + kRuns + " HTTP/1.1\r\nHost: x\r\n\r\n";

class FaultsHttpTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Options options;
    options.port = 0;
    options.scenario_paths = {std::string(DATAZONE_MOCK_SOURCE_DIR) +
                              "/tests/http/testdata/scenarios"};
    auto server = MockServer::Create(options, nullptr);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value().release();
    server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override { Activate({}); }

  static httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  static httplib::Result Activate(const std::vector<std::string>& names) {
    auto client = Client();
    auto result =
        client.Put("/_mock/scenarios/active", json{{"active", names}}.dump(), "application/json");
    EXPECT_TRUE(result);
    client.Post("/_mock/scenarios/reset");
    return result;
  }

  static MockServer* server_;
};

MockServer* FaultsHttpTest::server_ = nullptr;

TEST_F(FaultsHttpTest, ResetSendsATcpResetAndNoBytes) {
  Activate({"connection-reset"});
  const RawOutcome outcome = RawExchangeOutcome(server_->port(), kGet);
  EXPECT_TRUE(outcome.reset);
  EXPECT_EQ(outcome.bytes, "");
}

TEST_F(FaultsHttpTest, CloseEndsTheConnectionWithNoBytes) {
  Activate({"connection-close"});
  const RawOutcome outcome = RawExchangeOutcome(server_->port(), kGet);
  EXPECT_TRUE(outcome.closed);
  EXPECT_FALSE(outcome.reset);
  EXPECT_EQ(outcome.bytes, "");
}

TEST_F(FaultsHttpTest, EmptyIsA200WithNoBody) {
  Activate({"empty-response"});
  auto client = Client();
  const auto result = client.Get(kRuns);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Length"), "0");
  EXPECT_EQ(result->body, "");
}

TEST_F(FaultsHttpTest, MalformedJsonIsA200ThatDoesNotParse) {
  Activate({"malformed-json"});
  auto client = Client();
  const auto result = client.Get(kRuns);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(json::parse(result->body, nullptr, false).is_discarded()) << result->body;
}

TEST_F(FaultsHttpTest, TruncateSendsPartOfTheBodyThenCloses) {
  Activate({"truncated-body"});
  const RawOutcome outcome = RawExchangeOutcome(server_->port(), kGet);
  EXPECT_TRUE(outcome.closed);
  EXPECT_THAT(outcome.bytes, StartsWith("HTTP/1.1 200 OK\r\n"));
  const std::size_t header_end = outcome.bytes.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  const std::size_t length_at = outcome.bytes.find("Content-Length: ");
  ASSERT_NE(length_at, std::string::npos);
  const std::size_t declared = std::stoul(outcome.bytes.substr(length_at + 16));
  const std::size_t received = outcome.bytes.size() - header_end - 4;
  EXPECT_GT(received, 0u);
  EXPECT_LT(received, declared);
}

TEST_F(FaultsHttpTest, InjectedErrorHasTheAwsShape) {
  Activate({"always-throttled"});
  auto client = Client();
  const auto result = client.Get(kRuns);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 429);
  EXPECT_EQ(result->get_header_value("x-amzn-ErrorType"), "ThrottlingException");
  EXPECT_EQ(result->body, R"({"message":"Rate exceeded"})");
  EXPECT_EQ(result->get_header_value("x-amzn-RequestId").size(), 36u);
}

TEST_F(FaultsHttpTest, DelayHoldsTheAnswerBack) {
  Activate({"fixed-delay"});
  auto client = Client();
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.Get(kRuns);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  // A lower bound only: the delay happened (docs/decisions.md, "Timing in tests").
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(FaultsHttpTest, PerCallerRulesIsolateParallelTests) {
  Activate({"deny-one-caller"});
  auto client = Client();
  const auto denied = client.Get(kRuns, {{"Authorization",
                                          "AWS4-HMAC-SHA256 Credential=AKIDDENIED/20251129/"
                                          "us-east-1/datazone/aws4_request, "
                                          "SignedHeaders=host, Signature=00"}});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(denied->get_header_value("x-amzn-ErrorType"), "AccessDeniedException");
  const auto other = client.Get(kRuns);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(FaultsHttpTest, AdminListsActivatesAndResets) {
  Activate({"throttle-then-succeed"});
  auto client = Client();
  EXPECT_EQ(client.Get(kRuns)->status, 429);
  EXPECT_EQ(client.Get(kRuns)->status, 429);
  EXPECT_EQ(client.Get(kRuns)->status, 200);

  const auto listed = client.Get("/_mock/scenarios");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  const json body = json::parse(listed->body);
  EXPECT_EQ(body["active"], json::array({"throttle-then-succeed"}));
  bool found = false;
  for (const json& scenario : body["scenarios"]) {
    if (scenario["name"] != "throttle-then-succeed") continue;
    found = true;
    EXPECT_EQ(scenario["active"], true);
    EXPECT_FALSE(scenario["description"].get<std::string>().empty());
    EXPECT_EQ(scenario["rules"][0]["matched"], 3);
    EXPECT_EQ(scenario["rules"][0]["decided"], 2);
  }
  EXPECT_TRUE(found);

  const auto reset = client.Post("/_mock/scenarios/reset");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_EQ(client.Get(kRuns)->status, 429);  // counting starts again
}

TEST_F(FaultsHttpTest, UnknownScenarioIsRefusedAndNothingChanges) {
  Activate({"always-throttled"});
  auto client = Client();
  const auto refused =
      client.Put("/_mock/scenarios/active", R"({"active":["always-throttled","no-such"]})",
                 "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("unknown scenario 'no-such'; known scenarios: "));
  EXPECT_THAT(refused->body, HasSubstr("throttle-then-succeed"));
  const auto bad_body = client.Put("/_mock/scenarios/active", "[1,2", "application/json");
  ASSERT_TRUE(bad_body);
  EXPECT_EQ(bad_body->status, 400);
  EXPECT_EQ(json::parse(client.Get("/_mock/scenarios")->body)["active"],
            json::array({"always-throttled"}));
}

TEST_F(FaultsHttpTest, AdminPrefixIsNeverAnAwsCall) {
  auto client = Client();
  const auto unknown = client.Get("/_mock/nothing-here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_FALSE(unknown->has_header("x-amzn-ErrorType"));
  const auto health = client.Get("/_mock/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const json body = json::parse(health->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["runs"], 146);
}

// The runs path with maxResults=2 and, if given, a nextToken (base64url needs no escaping).
std::string PageOf(const std::string& token = {}) {
  std::string path = std::string(kRuns) + "?maxResults=2";
  if (!token.empty()) path += "&nextToken=" + token;
  return path;
}

std::string NextToken(const httplib::Result& result) {
  const json body = json::parse(result->body);
  return body.contains("nextToken") ? body["nextToken"].get<std::string>() : std::string();
}

TEST_F(FaultsHttpTest, ThrottlePageThreeOnceThenItsRetrySucceeds) {
  Activate({"throttle-page-3"});
  auto client = Client();
  // A token that cannot be read has no page number: the page rule does not hold, nor count.
  const auto garbage = client.Get(PageOf("garbage"));
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_EQ(garbage->body, R"({"message":"The nextToken provided is invalid."})");

  const auto page1 = client.Get(PageOf());
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->status, 200);
  const auto page2 = client.Get(PageOf(NextToken(page1)));
  ASSERT_TRUE(page2);
  ASSERT_EQ(page2->status, 200);
  const std::string token3 = NextToken(page2);
  const auto throttled = client.Get(PageOf(token3));
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(throttled->get_header_value("x-amzn-ErrorType"), "ThrottlingException");
  const auto retried = client.Get(PageOf(token3));
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 200);
  EXPECT_EQ(json::parse(retried->body)["items"].size(), 2u);

  const json scenarios = json::parse(client.Get("/_mock/scenarios")->body);
  for (const json& scenario : scenarios["scenarios"]) {
    if (scenario["name"] != "throttle-page-3") continue;
    EXPECT_EQ(scenario["rules"][0]["when"], (json{{"page", "3"}, {"calls", "1"}}));
    EXPECT_EQ(scenario["rules"][0]["matched"], 2);  // the two requests for page 3
    EXPECT_EQ(scenario["rules"][0]["decided"], 1);
  }
}

TEST_F(FaultsHttpTest, RepeatTokenHandsBackTheRequestsOwnToken) {
  Activate({"repeat-token"});
  auto client = Client();
  const auto page1 = client.Get(PageOf());
  ASSERT_TRUE(page1);
  const std::string token = NextToken(page1);
  ASSERT_FALSE(token.empty());
  for (int again = 0; again < 2; ++again) {
    const auto page2 = client.Get(PageOf(token));
    ASSERT_TRUE(page2);
    EXPECT_EQ(page2->status, 200);
    EXPECT_EQ(NextToken(page2), token);
  }
  const json journal = json::parse(client.Get("/_mock/requests?since=0")->body)["requests"];
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back()["scenario"], "repeat-token");
  EXPECT_EQ(journal.back()["reason"], "scenario repeat-token rule 1: page shaped");
}

TEST_F(FaultsHttpTest, TrailingEmptyPageEndsEveryListingWithAnEmptyPage) {
  Activate({"trailing-empty-page"});
  auto client = Client();
  std::string token;
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 100; ++page) {
    const auto result = client.Get(std::string(kRuns) + "?maxResults=50" +
                                   (token.empty() ? "" : "&nextToken=" + token));
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200);
    sizes.push_back(json::parse(result->body)["items"].size());
    token = NextToken(result);
    if (token.empty()) break;
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{50, 50, 30, 0}));
}

}  // namespace
}  // namespace datazone_mock
