// The test-author toolkit over HTTP: journal, seeding, reset, metrics, reload, --admin off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "server/mock_server.h"
#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

using nlohmann::json;
using testing::HasSubstr;

constexpr const char* kRuns = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";

std::unique_ptr<MockServer> Start(Options options) {
  options.port = 0;
  auto server = MockServer::Create(options, nullptr);
  EXPECT_TRUE(server.ok()) << server.error().message;
  if (!server.ok()) return nullptr;
  server.value()->Start();
  return std::move(server).value();
}

class ToolkitHttpTest : public testing::Test {
 protected:
  void SetUp() override {
    server_ = Start(Options{});
    ASSERT_TRUE(server_);
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }
  json GetJson(const std::string& target) {
    auto client = Client();
    const auto result = client.Get(target);
    EXPECT_TRUE(result);
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body);
  }
  std::unique_ptr<MockServer> server_;
};

TEST_F(ToolkitHttpTest, JournalRecordsWhatTheClientSent) {
  auto client = Client();
  client.Get(std::string(kRuns) + "?maxResults=2&status=FAILED",
             {{"amz-sdk-invocation-id", "inv-9"},
              {"amz-sdk-request", "ttl=20261128T234643Z; attempt=2; max=3"},
              {"Authorization",
               "AWS4-HMAC-SHA256 Credential=AKIDJOURNAL/20251129/us-east-1/datazone/"
               "aws4_request, SignedHeaders=host, Signature=00"}});
  client.Get(std::string(kRuns) + "?nextToken=bogus");
  client.Get("/_mock/health");  // admin calls are not journaled

  const json all = GetJson("/_mock/requests");
  ASSERT_EQ(all["requests"].size(), 2u);
  const json& first = all["requests"][0];
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["method"], "GET");
  EXPECT_EQ(first["path"], kRuns);
  EXPECT_EQ(first["query"], json({{"maxResults", "2"}, {"status", "FAILED"}}));
  EXPECT_EQ(first["accessKeyId"], "AKIDJOURNAL");
  EXPECT_EQ(first["invocationId"], "inv-9");
  EXPECT_EQ(first["attempt"], 2);
  EXPECT_EQ(first["status"], 200);
  EXPECT_EQ(first["errorType"], nullptr);
  EXPECT_EQ(first["scenario"], nullptr);
  EXPECT_EQ(first["requestId"].get<std::string>().size(), 36u);
  EXPECT_TRUE(first["latencyMs"].is_number());
  const json& second = all["requests"][1];
  EXPECT_EQ(second["status"], 400);
  EXPECT_EQ(second["errorType"], "ValidationException");
  EXPECT_EQ(second["reason"], "not base64url");  // why the token was rejected

  EXPECT_EQ(GetJson("/_mock/requests?accessKeyId=AKIDJOURNAL")["requests"].size(), 1u);
  EXPECT_EQ(GetJson("/_mock/requests?status=400")["requests"].size(), 1u);
  EXPECT_EQ(GetJson("/_mock/requests?errorType=ValidationException")["requests"][0]["id"], 2);
  EXPECT_EQ(GetJson("/_mock/requests?since=1")["requests"].size(), 1u);

  ASSERT_TRUE(client.Delete("/_mock/requests"));
  EXPECT_TRUE(GetJson("/_mock/requests")["requests"].empty());
}

TEST_F(ToolkitHttpTest, SeedingAddsAndListsRuns) {
  auto client = Client();
  const auto seeded = client.Post("/_mock/fixtures", R"(domains:
  dzd_seed01:
    jobs:
      import:
        runs:
          - {runId: s1, status: SUCCESS, createdAt: 2025-01-01T00:00:00Z}
  dzd_demo01:
    jobs:
      nightly-lineage:
        runs:
          - {runId: run-9999, status: FAILED, createdAt: 2030-01-01T00:00:00Z}
)",
                                  "application/yaml");
  ASSERT_TRUE(seeded);
  EXPECT_EQ(seeded->status, 200) << seeded->body;
  EXPECT_EQ(json::parse(seeded->body)["runs"], 148);
  // JSON works too (it is YAML).
  const auto as_json = client.Post(
      "/_mock/fixtures",
      R"({"domains":{"dzd_seed01":{"jobs":{"import":{"runs":[{"runId":"s2","status":"FAILED","createdAt":1735776000}]}}}}})",
      "application/json");
  ASSERT_TRUE(as_json);
  EXPECT_EQ(as_json->status, 200) << as_json->body;

  const json listed = GetJson("/v2/domains/dzd_seed01/jobs/import/runs");
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][0]["runId"], "s2");
  EXPECT_EQ(GetJson(std::string(kRuns) + "?maxResults=1")["items"][0]["runId"], "run-9999");
}

TEST_F(ToolkitHttpTest, LargeSeedsArriveWhateverTheirContentType) {
  // curl -d sends application/x-www-form-urlencoded; the body is still YAML or JSON, and may be
  // far over the 8 KiB the HTTP library allows a form.
  std::string runs;
  for (int i = 0; i < 400; ++i) {
    runs += "          - {runId: big-" + std::to_string(i) +
            ", status: SUCCESS, createdAt: 2025-01-01T00:00:00Z}\n";
  }
  const std::string body = "domains:\n  dzd_big01:\n    jobs:\n      bulk:\n        runs:\n" + runs;
  ASSERT_GT(body.size(), 16'000u);
  auto client = Client();
  for (const char* type : {"application/x-www-form-urlencoded", "text/plain"}) {
    const auto seeded = client.Post("/_mock/fixtures", body, type);
    ASSERT_TRUE(seeded);
    EXPECT_EQ(seeded->status, 200) << type << ": " << seeded->body;
    EXPECT_EQ(GetJson("/v2/domains/dzd_big01/jobs/bulk/runs")["items"].size(), 50u);
    client.Post("/_mock/reset");
  }
}

TEST_F(ToolkitHttpTest, ABadSeedIs400WithLocationsAndChangesNothing) {
  auto client = Client();
  const auto refused = client.Post("/_mock/fixtures", R"(domains:
  dzd_seed02:
    jobs:
      import:
        runs:
          - {runId: ok, status: SUCCESS, createdAt: 1}
  dzd_demo01:
    jobs:
      nightly-lineage:
        runs:
          - {runId: run-0001, status: SUCCESS, createdAt: 1}
)",
                                   "application/yaml");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  const json body = json::parse(refused->body);
  EXPECT_EQ(body["message"],
            "request:11:13: runId 'run-0001' already exists in job 'nightly-lineage'");
  EXPECT_EQ(body["errors"][0], json({{"line", 11},
                                     {"column", 13},
                                     {"message",
                                      "runId 'run-0001' already exists in job "
                                      "'nightly-lineage'"}}));
  const auto missing = client.Get("/v2/domains/dzd_seed02/jobs/import/runs");
  EXPECT_EQ(missing->status, 404);  // nothing of the request was applied

  const auto syntax = client.Post("/_mock/fixtures", "domains: [", "application/yaml");
  EXPECT_EQ(syntax->status, 400);
  EXPECT_THAT(syntax->body, HasSubstr("YAML syntax error"));
}

TEST_F(ToolkitHttpTest, DeleteFixturesEmptiesAndResetRestores) {
  auto client = Client();
  ASSERT_TRUE(client.Post("/_mock/fixtures",
                          "domains: {dzd_seed03: {jobs: {j: {runs: [{runId: a, status: SUCCESS, "
                          "createdAt: 1}]}}}}",
                          "application/yaml"));
  ASSERT_TRUE(
      client.Put("/_mock/scenarios/active", R"({"active":["access-denied"]})", "application/json"));
  client.Get(kRuns);
  const auto emptied = client.Delete("/_mock/fixtures");
  ASSERT_TRUE(emptied);
  EXPECT_EQ(json::parse(emptied->body)["runs"], 0);
  EXPECT_EQ(GetJson("/_mock/health")["runs"], 0);

  const auto reset = client.Post("/_mock/reset");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  const json health = GetJson("/_mock/health");
  EXPECT_EQ(health["runs"], 146);                       // the loaded files, seeds dropped
  EXPECT_EQ(health["activeScenarios"], json::array());  // the start-up selection
  EXPECT_TRUE(GetJson("/_mock/requests")["requests"].empty());
  EXPECT_EQ(client.Get("/v2/domains/dzd_seed03/jobs/j/runs")->status, 404);
  EXPECT_EQ(client.Get(kRuns)->status, 200);
}

TEST_F(ToolkitHttpTest, JsonSeedsAreReadAsJson) {
  // A surrogate-pair escape is valid JSON (one code point, U+1F600) that a YAML parser refuses.
  auto client = Client();
  const auto seeded = client.Post(
      "/_mock/fixtures",
      R"({"domains":{"dzd_seed04":{"jobs":{"j":{"runs":[{"runId":"e1","status":"FAILED",)"
      R"("createdAt":1735776000.25,"error":{"message":"broke \ud83d\ude00"}}]}}}}})",
      "application/json");
  ASSERT_TRUE(seeded);
  ASSERT_EQ(seeded->status, 200) << seeded->body;
  const json listed = GetJson("/v2/domains/dzd_seed04/jobs/j/runs");
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["error"]["message"], "broke \xF0\x9F\x98\x80");
  EXPECT_EQ(listed["items"][0]["createdAt"], 1735776000.25);

  // JSON problems are located in the JSON text.
  const auto bad =
      client.Post("/_mock/fixtures", "{\n  \"domains\": {\"dzd_x\": 7}\n}", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["errors"][0]["line"], 2) << bad->body;
}

TEST_F(ToolkitHttpTest, AdminCallsWithUnknownParametersChangeNothing) {
  auto client = Client();
  client.Get(kRuns);
  const auto clear = client.Delete("/_mock/fixtures?domain=dzd_demo01&job=nightly-lineage");
  ASSERT_TRUE(clear);
  EXPECT_EQ(clear->status, 400);
  EXPECT_THAT(clear->body, HasSubstr("'domain'"));
  EXPECT_EQ(GetJson("/_mock/health")["runs"], 146);  // the store is whole

  const auto listing = client.Get("/_mock/requests?requestId=x");
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->status, 400);
  EXPECT_THAT(listing->body, HasSubstr("'requestId'"));
  EXPECT_EQ(GetJson("/_mock/requests")["requests"].size(), 1u);  // and the journal too
}

TEST(DataClockHttpTest, TheClockDrivesLifecyclesOverHttpAndThroughTheEmbeddingApi) {
  Options options;
  options.clock = DataClock::Start{true, 1'751'328'000'000};  // frozen at 2025-07-01T00:00:00Z
  auto server = Start(options);
  ASSERT_TRUE(server);
  httplib::Client client("127.0.0.1", server->port());
  const auto seeded = client.Post("/_mock/fixtures", R"(domains:
  dzd_clock01:
    jobs:
      etl:
        runs:
          - {runId: x, status: IN_PROGRESS, createdAt: now, lifecycle: [{status: SUCCESS, after: 5m}]}
)",
                                  "application/yaml");
  ASSERT_TRUE(seeded);
  ASSERT_EQ(seeded->status, 200) << seeded->body;
  const auto status_of_x = [&] {
    const auto listed = client.Get("/v2/domains/dzd_clock01/jobs/etl/runs");
    return json::parse(listed->body)["items"][0]["status"].get<std::string>();
  };
  EXPECT_EQ(status_of_x(), "IN_PROGRESS");

  // Over HTTP: four minutes are not enough.
  const auto advanced = client.Post("/_mock/clock", R"({"advance":"4m"})", "application/json");
  ASSERT_TRUE(advanced);
  EXPECT_EQ(json::parse(advanced->body),
            json({{"now", "2025-07-01T00:04:00.000Z"}, {"frozen", true}}));
  EXPECT_EQ(status_of_x(), "IN_PROGRESS");

  // Through the embedding API: one more minute is.
  ASSERT_TRUE(server->AdvanceClock(60'000).ok());
  EXPECT_EQ(status_of_x(), "SUCCESS");
  EXPECT_EQ(server->ClockState().now, 1'751'328'300'000);

  // Backwards is refused and changes nothing.
  const auto backwards =
      client.Post("/_mock/clock", R"({"set":"2025-06-30T00:00:00Z"})", "application/json");
  EXPECT_EQ(backwards->status, 400);
  EXPECT_EQ(server->ClockState().now, 1'751'328'300'000);

  // Reset puts the clock back to its start (the seeded run goes with the reload).
  ASSERT_TRUE(client.Post("/_mock/reset"));
  EXPECT_EQ(json::parse(client.Get("/_mock/clock")->body)["now"], "2025-07-01T00:00:00.000Z");
}

TEST_F(ToolkitHttpTest, RunsChangedMidPaginationSkipNothingElse) {
  auto client = Client();
  const auto page = [&](const std::string& token) {
    std::string target = std::string(kRuns) + "?maxResults=10";
    if (!token.empty()) target += "&nextToken=" + token;
    const auto answer = client.Get(target);
    EXPECT_EQ(answer->status, 200) << answer->body;
    return json::parse(answer->body);
  };
  // Every run as page 1 will see it, newest first.
  std::vector<std::string> before;
  double created_0090 = 0;
  for (std::string token = "first"; !token.empty();) {
    const json next = page(token == "first" ? "" : token);
    for (const json& item : next["items"]) {
      before.push_back(item["runId"]);
      if (item["runId"] == "run-0090") created_0090 = item["createdAt"];
    }
    token = next.value("nextToken", "");
  }
  ASSERT_EQ(before.size(), 130u);
  json first = page("");
  std::vector<std::string> listed;
  for (const json& item : first["items"]) listed.push_back(item["runId"]);

  // Between pages: one later run deleted, one changed, one added newer than page 1.
  EXPECT_EQ(client.Delete("/_mock/fixtures/dzd_demo01/nightly-lineage/runs/run-0100")->status, 200);
  // The same run, another status: its place in the order stays.
  const auto changed = client.Put("/_mock/fixtures/dzd_demo01/nightly-lineage/runs/run-0090",
                                  json{{"runId", "run-0090"},
                                       {"status", "FAILED"},
                                       {"createdAt", created_0090},
                                       {"error", {{"message", "changed"}}}}
                                      .dump(),
                                  "application/json");
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200) << changed->body;
  const auto added =
      client.Put("/_mock/fixtures/dzd_demo01/nightly-lineage/runs/run-9999",
                 "{runId: run-9999, status: SUCCESS, createdAt: now}", "application/yaml");
  EXPECT_EQ(added->status, 201) << added->body;

  std::string token = first.value("nextToken", "");
  while (!token.empty()) {
    const json next = page(token);
    for (const json& item : next["items"]) listed.push_back(item["runId"]);
    token = next.value("nextToken", "");
  }
  // Exactly the runs of page 1's moment that still exist, once each, in order: not the one
  // deleted, not the one added newer than page 1, the changed one once.
  std::vector<std::string> expected;
  for (const std::string& id : before) {
    if (id != "run-0100") expected.push_back(id);
  }
  EXPECT_EQ(listed, expected);
}

std::string SignedBy(const std::string& key) {
  return "AWS4-HMAC-SHA256 Credential=" + key +
         "/20251129/us-east-1/datazone/aws4_request, SignedHeaders=host, Signature=00";
}

TEST_F(ToolkitHttpTest, EachRequestIsExplainedByIdOrRequestId) {
  auto client = Client();
  const auto missing = client.Get("/v2/domains/dzd_demo02/jobs/nightly-lineage/runs",
                                  {{"Authorization", SignedBy("AKIDEXPLAIN")}});
  ASSERT_TRUE(missing);
  // The wire stays AWS's; the hint lives in the explanation.
  EXPECT_EQ(missing->body, R"({"message":"The specified resource cannot be found."})");
  const std::string request_id = missing->get_header_value("x-amzn-RequestId");
  const json by_request_id = GetJson("/_mock/requests/" + request_id);
  const json by_id = GetJson("/_mock/requests/" + std::to_string(by_request_id["id"].get<int>()));
  EXPECT_EQ(by_id, by_request_id);
  EXPECT_EQ(by_id["state"], "answered");
  std::vector<std::string> steps;
  for (const json& step : by_id["trace"]) steps.push_back(step["step"]);
  EXPECT_EQ(steps, (std::vector<std::string>{"authentication", "routing", "scenarios", "validation",
                                             "domain", "answer"}));
  EXPECT_EQ(by_id["trace"][4]["detail"], "dzd_demo02 (did you mean dzd_demo01?)");
  EXPECT_EQ(by_id["trace"][0]["detail"], "off mode, access key AKIDEXPLAIN");

  const auto unknown = client.Get("/_mock/requests/no-such-request");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ToolkitHttpTest, ADelayedRequestIsInFlightAndAnAnswerNobodyTookIsMarked) {
  Options options;
  options.scenario_paths = {std::string(DATAZONE_MOCK_SOURCE_DIR) +
                            "/tests/http/testdata/scenarios"};
  options.scenarios = {"fixed-delay"};
  server_ = Start(options);
  ASSERT_TRUE(server_);
  // A client that gives up after 100 ms of the 300 ms delay.
  std::thread impatient([port = server_->port()] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(0, 100'000);
    EXPECT_FALSE(client.Get(kRuns));
  });
  json waiting;
  for (int poll = 0; poll < 200 && waiting.empty(); ++poll) {
    waiting = GetJson("/_mock/requests")["inFlight"];
    if (waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["state"], "in-flight");
  EXPECT_EQ(waiting[0]["scenario"], "fixed-delay");
  const std::string request_id = waiting[0]["requestId"];
  EXPECT_EQ(GetJson("/_mock/requests/" + request_id)["state"], "in-flight");
  impatient.join();
  json answered;
  for (int poll = 0; poll < 200; ++poll) {
    const json requests = GetJson("/_mock/requests")["requests"];
    if (!requests.empty()) {
      answered = requests.back();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(answered.empty());
  EXPECT_EQ(answered["requestId"], request_id);  // the id shown while it waited
  EXPECT_EQ(answered["state"], "not delivered");
}

TEST_F(ToolkitHttpTest, ScenariosAddedAtRunTimeAreValidatedAndRemovable) {
  auto client = Client();
  const auto bad = client.Post("/_mock/scenarios", "name: broken\nrules:\n  - respond: {eror: x}\n",
                               "application/yaml");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["errors"][0]["line"], 3);
  const auto added =
      client.Post("/_mock/scenarios?accessKeyId=AKIDRT",
                  R"({"name":"mine","rules":[{"respond":{"error":"InternalServerException"}}]})",
                  "application/json");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 201) << added->body;
  EXPECT_EQ(json::parse(added->body), (json{{"added", "mine"}}));
  // Only its owner sees and activates it.
  EXPECT_EQ(
      client.Put("/_mock/scenarios/active", R"({"active":["mine"]})", "application/json")->status,
      400);
  ASSERT_EQ(client
                .Put("/_mock/scenarios/active?accessKeyId=AKIDRT", R"({"active":["mine"]})",
                     "application/json")
                ->status,
            200);
  EXPECT_EQ(client.Get(kRuns, {{"Authorization", SignedBy("AKIDRT")}})->status, 500);
  const json own = GetJson("/_mock/scenarios?accessKeyId=AKIDRT");
  EXPECT_EQ(own["active"], json::array({"mine"}));
  EXPECT_EQ(own["scenarios"].back()["addedAtRunTime"], true);
  EXPECT_EQ(GetJson("/_mock/scenarios")["active"], json::array());
  EXPECT_EQ(client.Get(kRuns, {{"Authorization", SignedBy("AKIDOTHER")}})->status, 200);
  EXPECT_EQ(client.Delete("/_mock/scenarios/slow")->status, 400);  // from a file
  EXPECT_EQ(client.Delete("/_mock/scenarios/mine")->status, 404);  // not a global one
  EXPECT_EQ(client.Delete("/_mock/scenarios/mine?accessKeyId=AKIDRT")->status, 200);
  EXPECT_EQ(client.Get(kRuns, {{"Authorization", SignedBy("AKIDRT")}})->status, 200);
}

TEST_F(ToolkitHttpTest, VerifyCountsAndNamesNearMisses) {
  auto client = Client();
  client.Get(std::string(kRuns) + "?maxResults=2", {{"Authorization", SignedBy("AKIDV")}});
  client.Get(std::string(kRuns) + "?maxResults=3", {{"Authorization", SignedBy("AKIDV")}});
  const auto verify = [&](const std::string& body) {
    const auto result = client.Post("/_mock/verify", body, "application/json");
    EXPECT_TRUE(result);
    return std::make_pair(result->status, json::parse(result->body));
  };
  auto [status, ok] =
      verify(R"({"where":{"accessKeyId":"AKIDV","query":{"maxResults":"2"}},"count":1})");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(ok["ok"], true);
  auto [status2, failed] = verify(R"({"where":{"accessKeyId":"AKIDV","status":429},"atLeast":1})");
  EXPECT_EQ(failed["ok"], false);
  EXPECT_EQ(failed["count"], 0);
  EXPECT_EQ(failed["expected"], (json{{"atLeast", 1}}));
  ASSERT_EQ(failed["nearMisses"].size(), 2u);
  EXPECT_EQ(failed["nearMisses"][0]["differs"], json::array({"status"}));
  EXPECT_EQ(failed["nearMisses"][0]["request"]["query"]["maxResults"], "3");  // newest first
  // The embedding API asks the same question.
  RequestPattern where;
  where.access_key_id = "AKIDV";
  where.query = {{"maxResults", "3"}};
  const VerifyResult direct = server_->Verify(where, {CountExpectation::Kind::kExactly, 1});
  EXPECT_TRUE(direct.ok);
  EXPECT_EQ(verify(R"({"where":{"acessKeyId":"AKIDV"}})").first, 400);
  EXPECT_EQ(verify(R"({"where":{"status":"429"}})").first, 400);
  EXPECT_EQ(verify(R"({"count":1,"atMost":2})").first, 400);
}

TEST_F(ToolkitHttpTest, CoverageShowsWhatTheTrafficExercised) {
  auto client = Client();
  client.Get(std::string(kRuns) + "?maxResults=2&status=FAILED&sortOrder=ASCENDING");
  const json first = json::parse(client.Get(std::string(kRuns) + "?maxResults=5")->body);
  client.Get(std::string(kRuns) +
             "?maxResults=5&nextToken=" + first["nextToken"].get<std::string>());
  client.Get(std::string(kRuns) + "?nextToken=garbage");
  client.Get("/v2/domains/dzd_demo01/jobs/nope/runs?maxResults=0");
  const json coverage = GetJson("/_mock/coverage");
  EXPECT_EQ(coverage["requests"], 5);
  EXPECT_EQ(coverage["input"]["status"], (json{{"FAILED", 1}}));
  EXPECT_EQ(coverage["input"]["sortOrder"], (json{{"ASCENDING", 1}, {"(default)", 4}}));
  EXPECT_EQ(coverage["input"]["maxResults"],
            (json{{"min", 2}, {"max", 5}, {"default", 1}, {"refused", 1}}));
  EXPECT_EQ(coverage["input"]["nextToken"], (json{{"without", 3}, {"with", 1}, {"refused", 1}}));
  EXPECT_EQ(coverage["answers"], (json{{"200", 3}, {"ValidationException", 2}}));
  bool listed = false;
  for (const json& job : coverage["jobs"]) {
    if (job["job"] == "nightly-lineage") {
      listed = true;
      EXPECT_EQ(job["deepestPage"], 2);
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_FALSE(coverage["jobsNeverListed"].empty());
}

TEST_F(ToolkitHttpTest, CorsPreflightsAreAnsweredAndNeverJournaled) {
  Options options;
  options.cors = {"http://localhost:3000"};
  server_ = Start(options);
  ASSERT_TRUE(server_);
  auto client = Client();
  const auto preflight = client.Options(
      kRuns, {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "GET"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), "http://localhost:3000");
  const auto error =
      client.Get(std::string(kRuns) + "?maxResults=0", {{"Origin", "http://localhost:3000"}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 400);
  EXPECT_EQ(error->get_header_value("Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_EQ(error->get_header_value("Access-Control-Expose-Headers"),
            "x-amzn-RequestId, x-amzn-ErrorType, Date");
  const auto other = client.Get(kRuns, {{"Origin", "http://elsewhere.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  const json journal = GetJson("/_mock/requests")["requests"];
  ASSERT_EQ(journal.size(), 2u);  // the GETs, not the preflight
  EXPECT_EQ(journal[0]["method"], "GET");
}

TEST_F(ToolkitHttpTest, TheConsoleIsServedOpenAndItsDataRouteListsJobs) {
  Options options;
  options.admin_token = "secret";
  server_ = Start(options);
  ASSERT_TRUE(server_);
  auto client = Client();
  const auto page = client.Get("/_mock/ui");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->body, HasSubstr("<title>datazone-mock console</title>"));
  EXPECT_LT(page->body.size(), 150'000u);
  EXPECT_EQ(client.Get("/_mock/fixtures")->status, 401);  // its data still needs the token
  const auto jobs = client.Get("/_mock/fixtures", {{"Authorization", "Bearer secret"}});
  ASSERT_TRUE(jobs);
  const json listed = json::parse(jobs->body)["jobs"];
  bool found = false;
  for (const json& job : listed) {
    if (job["domain"] == "dzd_demo01" && job["job"] == "nightly-lineage") {
      found = true;
      EXPECT_EQ(job["runs"], 130);
      EXPECT_EQ(job["jobType"], "LINEAGE");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ToolkitHttpTest, MetricsArePrometheusText) {
  auto client = Client();
  client.Get(kRuns);
  client.Get(std::string(kRuns) + "?maxResults=0");
  const auto metrics = client.Get("/_mock/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_THAT(metrics->body, HasSubstr("datazone_mock_requests_total{outcome=\"ok\"} 1\n"));
  EXPECT_THAT(metrics->body,
              HasSubstr("datazone_mock_requests_total{outcome=\"ValidationException\"} 1\n"));
  EXPECT_THAT(metrics->body, HasSubstr("datazone_mock_request_duration_seconds_count 2\n"));
  EXPECT_THAT(metrics->body, HasSubstr("datazone_mock_store_runs 146\n"));
}

TEST(AdminOffTest, AdminPathsAreUnknownOperations) {
  Options options;
  options.admin = false;
  auto server = Start(options);
  ASSERT_TRUE(server);
  httplib::Client client("127.0.0.1", server->port());
  const auto health = client.Get("/_mock/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 404);
  EXPECT_EQ(health->get_header_value("x-amzn-ErrorType"), "UnknownOperationException");
}

// Fixture files in a temporary directory, rewritten between two versions.
class ReloadTest : public testing::Test {
 protected:
  void SetUp() override {
    Write("a", 60);
    Options options;
    options.fixtures = {dir_.path().string()};
    server_ = Start(options);
    ASSERT_TRUE(server_);
  }
  void TearDown() override { server_.reset(); }  // the server stops before dir_ goes
  // A job whose 60 runs all have ids starting with `prefix`.
  void Write(const std::string& prefix, int runs) {
    std::ostringstream out;
    out << "domains:\n  dzd_reload:\n    jobs:\n      job:\n        runs:\n";
    for (int i = 0; i < runs; ++i) {
      out << "          - {runId: " << prefix << i << ", status: SUCCESS, createdAt: " << i
          << "}\n";
    }
    dir_.Write("data.yaml", out.str());
  }
  TempDir dir_{"datazone-mock-reload-"};
  std::unique_ptr<MockServer> server_;
};

TEST_F(ReloadTest, RequestsSeeOldOrNewDataNeverAMix) {
  std::atomic<bool> done{false};
  std::atomic<int> pages{0};
  std::atomic<int> failures{0};
  std::atomic<int> mixed{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      httplib::Client client("127.0.0.1", server_->port());
      while (!done) {
        const auto result = client.Get("/v2/domains/dzd_reload/jobs/job/runs?maxResults=50");
        if (!result || result->status != 200) {
          ++failures;
          continue;
        }
        const json body = json::parse(result->body);
        const char first = body["items"][0]["runId"].get<std::string>()[0];
        for (const json& item : body["items"]) {
          if (item["runId"].get<std::string>()[0] != first) ++mixed;
        }
        ++pages;
      }
    });
  }
  for (int i = 0; i < 40; ++i) {
    Write(i % 2 == 0 ? "b" : "a", 60);
    ASSERT_TRUE(server_->Reload().ok());
  }
  // Let the readers see the final state at least once more.
  const int before = pages.load();
  while (pages.load() < before + 8) std::this_thread::yield();
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GT(pages.load(), 0);
}

TEST_F(ReloadTest, ABrokenReloadKeepsTheOldDataServing) {
  dir_.Write("data.yaml",
             "domains:\n  dzd_reload:\n    jobs:\n      job:\n        runs:\n"
             "          - {runId: x, status: NOPE, createdAt: 1}\n");
  const auto reloaded = server_->Reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_THAT(reloaded.error(), HasSubstr("data.yaml:6:32: invalid status 'NOPE'"));
  httplib::Client client("127.0.0.1", server_->port());
  const auto listed = client.Get("/v2/domains/dzd_reload/jobs/job/runs?maxResults=1");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_THAT(listed->body, HasSubstr("\"runId\":\"a59\""));
  const json health = json::parse(client.Get("/_mock/health")->body);
  EXPECT_EQ(health["status"], "degraded");
  EXPECT_EQ(health["lastReload"]["ok"], false);
  EXPECT_THAT(health["lastReload"]["error"].get<std::string>(), HasSubstr("invalid status 'NOPE'"));
  EXPECT_EQ(health["runs"], 60);
}

TEST_F(ReloadTest, TokensIssuedBeforeAReloadStayValid) {
  httplib::Client client("127.0.0.1", server_->port());
  const json first =
      json::parse(client.Get("/v2/domains/dzd_reload/jobs/job/runs?maxResults=10")->body);
  Write("a", 70);  // ten more runs, the old ones unchanged
  ASSERT_TRUE(server_->Reload().ok());
  const auto second = client.Get("/v2/domains/dzd_reload/jobs/job/runs?maxResults=10&nextToken=" +
                                 first["nextToken"].get<std::string>());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(json::parse(second->body)["items"][0]["runId"], "a49");
}

}  // namespace
}  // namespace datazone_mock
