#include "service/admin_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace datazone_mock {
namespace {

using testing::_;
using testing::HasSubstr;
using testing::NiceMock;
using testing::Return;
using testing::StrictMock;

class MockMockControl : public MockControl {
 public:
  MOCK_METHOD(HealthInfo, Health, (), (const, override));
  MOCK_METHOD(DataClock::State, ClockState, (), (const, override));
  MOCK_METHOD((Result<DataClock::State, std::string>), AdvanceClock, (std::int64_t), (override));
  MOCK_METHOD((Result<DataClock::State, std::string>), SetClock, (TimestampMs), (override));
  MOCK_METHOD(DataClock::State, FreezeClock, (bool), (override));
  MOCK_METHOD(std::vector<ScenarioStatus>, Scenarios, (const CallerKey&), (const, override));
  MOCK_METHOD(std::vector<std::string>, ActiveScenarios, (const CallerKey&), (const, override));
  MOCK_METHOD((Result<std::vector<std::string>, std::string>), ActivateScenarios,
              (const std::vector<std::string>&, const CallerKey&), (override));
  MOCK_METHOD(void, ResetScenarios, (const CallerKey&), (override));
  MOCK_METHOD((Result<AddedScenario, Diagnostics>), AddScenario,
              (std::string_view, const CallerKey&), (override));
  MOCK_METHOD((Result<bool, FaultEngine::RemoveProblem>), RemoveScenario,
              (std::string_view, const CallerKey&), (override));
  MOCK_METHOD(std::vector<JournalEntry>, Requests, (const JournalFilter&), (const, override));
  MOCK_METHOD(std::optional<JournalEntry>, Request, (std::string_view), (const, override));
  MOCK_METHOD(std::vector<JournalEntry>, InFlight, (), (const, override));
  MOCK_METHOD(void, ClearRequests, (), (override));
  MOCK_METHOD(VerifyResult, Verify, (const RequestPattern&, const CountExpectation&),
              (const, override));
  MOCK_METHOD(CoverageReport, Coverage, (), (const, override));
  MOCK_METHOD((Result<Store::Counts, Diagnostics>), Seed, (std::string_view, const CallerKey&),
              (override));
  MOCK_METHOD(void, ClearData, (), (override));
  MOCK_METHOD(std::vector<JobSummary>, Jobs, (), (const, override));
  MOCK_METHOD(bool, DeleteRun, (std::string_view, std::string_view, std::string_view), (override));
  MOCK_METHOD((Result<bool, PutRunProblem>), PutRun,
              (std::string_view, std::string_view, std::string_view, std::string_view), (override));
  MOCK_METHOD((Result<Store::Counts, std::string>), Reload, (), (override));
  MOCK_METHOD((Result<Store::Counts, std::string>), Reset, (), (override));
  MOCK_METHOD(void, ResetCaller, (const std::string&), (override));
  MOCK_METHOD(std::string, Metrics, (), (const, override));
};

HttpRequest Request(std::string method, std::string target, std::string authorization = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
  return request;
}

HttpRequest WithBody(HttpRequest request, std::string body) {
  request.body = std::move(body);
  return request;
}

nlohmann::json BodyOf(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

TEST(AdminServiceTest, WithoutATokenEveryCallIsOpen) {
  NiceMock<MockMockControl> control;
  EXPECT_CALL(control, ClearRequests());
  const AdminService admin(control);
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/requests")).status, 200);
}

TEST(AdminServiceTest, ATokenGuardsEveryCallButHealth) {
  NiceMock<MockMockControl> control;
  EXPECT_CALL(control, ClearRequests()).Times(0);  // refused calls never reach the control
  const AdminService admin(control, "s3cret");

  for (const std::string& authorization :
       {std::string(), std::string("Bearer wrong"), std::string("Bearer s3cret2"),
        std::string("Bearer s3cre"), std::string("bearer s3cret"), std::string("Basic s3cret"),
        std::string("s3cret")}) {
    const HttpResponse denied = admin.Handle(Request("DELETE", "/_mock/requests", authorization));
    EXPECT_EQ(denied.status, 401) << authorization;
    EXPECT_EQ(denied.Header("WWW-Authenticate"), "Bearer realm=\"datazone-mock\"");
    EXPECT_THAT(denied.body, testing::HasSubstr("--admin-token"));
  }
  // Unknown admin routes are guarded too: they must not tell what exists.
  EXPECT_EQ(admin.Handle(Request("GET", "/_mock/nothing-here")).status, 401);
  // Health checks stay open (docs/decisions.md).
  EXPECT_EQ(admin.Handle(Request("GET", "/_mock/health")).status, 200);
}

TEST(AdminServiceTest, TheRightTokenIsLetThrough) {
  NiceMock<MockMockControl> control;
  EXPECT_CALL(control, ClearRequests());
  const AdminService admin(control, "s3cret");
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/requests", "Bearer s3cret")).status, 200);
}

// Every route, called as documented, reaches its MockControl method and answers its shape.

TEST(AdminRoutesTest, HealthReportsTheControlsState) {
  StrictMock<MockMockControl> control;
  HealthInfo health;
  health.version = "9.9.9";
  health.counts = {1, 2, 3};
  health.active_scenarios = {"slow"};
  health.last_reload_ok = false;
  health.last_reload_error = "a.yaml:1:1: bad";
  EXPECT_CALL(control, Health()).WillOnce(Return(health));
  const HttpResponse response = AdminService(control).Handle(Request("GET", "/_mock/health"));
  ASSERT_EQ(response.status, 200);
  const auto body = BodyOf(response);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["version"], "9.9.9");
  EXPECT_EQ(body["runs"], 3);
  EXPECT_EQ(body["activeScenarios"], nlohmann::json::array({"slow"}));
  EXPECT_EQ(body["lastReload"]["error"], "a.yaml:1:1: bad");
}

TEST(AdminRoutesTest, ActivatesTheNamedScenariosInOrder) {
  StrictMock<MockMockControl> control;
  const std::vector<std::string> names{"slow", "flaky-5xx"};
  EXPECT_CALL(control, ActivateScenarios(names, CallerKey{})).WillOnce(Return(names));
  const HttpResponse response = AdminService(control).Handle(
      WithBody(Request("PUT", "/_mock/scenarios/active"), R"({"active":["slow","flaky-5xx"]})"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(BodyOf(response)["active"], nlohmann::json(names));
}

TEST(AdminRoutesTest, ActivationRefusesBodiesItDoesNotUnderstand) {
  StrictMock<MockMockControl> control;  // no call reaches the control
  const AdminService admin(control);
  for (const std::string body : {"", "not json", "[]", R"({"active":"slow"})", R"({"active":[1]})",
                                 R"({"active":[],"mode":"replace"})"}) {
    const HttpResponse response =
        admin.Handle(WithBody(Request("PUT", "/_mock/scenarios/active"), body));
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_TRUE(BodyOf(response).contains("message")) << body;
  }
  const HttpResponse unknown = admin.Handle(
      WithBody(Request("PUT", "/_mock/scenarios/active"), R"({"active":[],"mode":"replace"})"));
  EXPECT_THAT(BodyOf(unknown)["message"].get<std::string>(), HasSubstr("'mode'"));
}

TEST(AdminRoutesTest, AnUnknownScenarioIsA400WithTheControlsMessage) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, ActivateScenarios(_, _))
      .WillOnce(Return(Result<std::vector<std::string>, std::string>(
          std::string("Unknown scenario 'x'; known: slow"))));
  const HttpResponse response = AdminService(control).Handle(
      WithBody(Request("PUT", "/_mock/scenarios/active"), R"({"active":["x"]})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(BodyOf(response)["message"], "Unknown scenario 'x'; known: slow");
}

TEST(AdminRoutesTest, ScenarioResetAndListing) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, ResetScenarios(CallerKey{}));
  EXPECT_CALL(control, ActiveScenarios(CallerKey{}))
      .Times(2)
      .WillRepeatedly(Return(std::vector<std::string>{"slow"}));
  EXPECT_CALL(control, Scenarios(CallerKey{})).WillOnce(Return(std::vector<ScenarioStatus>{}));
  const AdminService admin(control);
  const HttpResponse reset = admin.Handle(Request("POST", "/_mock/scenarios/reset"));
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(BodyOf(reset)["active"], nlohmann::json::array({"slow"}));
  const HttpResponse listing = admin.Handle(Request("GET", "/_mock/scenarios"));
  EXPECT_EQ(listing.status, 200);
  EXPECT_EQ(BodyOf(listing)["scenarios"], nlohmann::json::array());
}

TEST(AdminRoutesTest, RequestFiltersReachTheJournal) {
  StrictMock<MockMockControl> control;
  JournalEntry entry;
  entry.id = 8;
  entry.method = "GET";
  entry.status = 429;
  entry.error_type = "ThrottlingException";
  EXPECT_CALL(control, Requests(_)).WillOnce([&](const JournalFilter& filter) {
    EXPECT_EQ(filter.access_key_id, "AKID 1");
    EXPECT_EQ(filter.status, 429);
    EXPECT_EQ(filter.error_type, "ThrottlingException");
    EXPECT_EQ(filter.since, 7u);
    return std::vector<JournalEntry>{entry};
  });
  EXPECT_CALL(control, InFlight()).WillOnce([&] {
    JournalEntry waiting = entry;
    waiting.in_flight = true;
    waiting.access_key_id = "AKID 2";  // another caller's: filtered out
    return std::vector<JournalEntry>{waiting};
  });
  const HttpResponse response = AdminService(control).Handle(Request(
      "GET",
      "/_mock/requests?accessKeyId=AKID%201&status=429&errorType=ThrottlingException&since=7"));
  ASSERT_EQ(response.status, 200);
  const auto body = BodyOf(response);
  ASSERT_EQ(body["requests"].size(), 1u);
  EXPECT_EQ(body["requests"][0]["id"], 8);
  EXPECT_EQ(body["requests"][0]["errorType"], "ThrottlingException");
  EXPECT_EQ(body["requests"][0]["state"], "answered");
  EXPECT_TRUE(body["inFlight"].empty());
}

TEST(AdminRoutesTest, BadFilterValuesAreRefused) {
  StrictMock<MockMockControl> control;
  const AdminService admin(control);
  for (const std::string target : {"/_mock/requests?status=ok", "/_mock/requests?status=42",
                                   "/_mock/requests?since=-1", "/_mock/requests?since=x"}) {
    EXPECT_EQ(admin.Handle(Request("GET", target)).status, 400) << target;
  }
}

TEST(AdminRoutesTest, AnUnknownQueryParameterIsRefusedAndNamed) {
  // GET /_mock/requests?requestId=... once returned the whole journal; DELETE
  // /_mock/fixtures?domain=... once emptied the whole store.
  StrictMock<MockMockControl> control;
  const AdminService admin(control);
  const HttpResponse listing = admin.Handle(Request("GET", "/_mock/requests?requestId=abc"));
  EXPECT_EQ(listing.status, 400);
  EXPECT_THAT(BodyOf(listing)["message"].get<std::string>(), HasSubstr("'requestId'"));
  const HttpResponse clear = admin.Handle(
      Request("DELETE", "/_mock/fixtures?domain=dzd_team01&job=daily-etl&runId=etl-0120"));
  EXPECT_EQ(clear.status, 400);
  EXPECT_THAT(BodyOf(clear)["message"].get<std::string>(), HasSubstr("'domain'"));
  EXPECT_EQ(admin.Handle(Request("POST", "/_mock/reset?keepJournal=1")).status, 400);
  EXPECT_EQ(admin.Handle(Request("GET", "/_mock/health?verbose")).status, 400);
}

TEST(AdminRoutesTest, AQueryParameterGivenTwiceIsRefused) {
  StrictMock<MockMockControl> control;
  const HttpResponse response =
      AdminService(control).Handle(Request("GET", "/_mock/requests?status=200&status=404"));
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(BodyOf(response)["message"].get<std::string>(), HasSubstr("more than once"));
}

TEST(AdminRoutesTest, ABodyWhereNoneIsTakenIsRefused) {
  StrictMock<MockMockControl> control;
  const HttpResponse response = AdminService(control).Handle(
      WithBody(Request("DELETE", "/_mock/fixtures"), R"({"domain":"dzd_team01"})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(BodyOf(response)["message"].get<std::string>(), HasSubstr("takes no body"));
}

TEST(AdminRoutesTest, SeedingPassesTheBodyAndReportsDiagnostics) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, Seed(std::string_view("domains: []"), CallerKey{}))
      .WillOnce(Return(Store::Counts{1, 2, 3}));
  EXPECT_CALL(control, Seed(std::string_view("domains: 7"), CallerKey{}))
      .WillOnce(Return(Result<Store::Counts, Diagnostics>(
          Diagnostics{{"request", 1, 10, "domains must be a list"}})));
  const AdminService admin(control);
  const HttpResponse ok = admin.Handle(WithBody(Request("POST", "/_mock/fixtures"), "domains: []"));
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(BodyOf(ok), (nlohmann::json{{"domains", 1}, {"jobs", 2}, {"runs", 3}}));
  const HttpResponse bad = admin.Handle(WithBody(Request("POST", "/_mock/fixtures"), "domains: 7"));
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(BodyOf(bad)["message"], "request:1:10: domains must be a list");
  EXPECT_EQ(BodyOf(bad)["errors"][0]["column"], 10);
}

TEST(AdminRoutesTest, ClearingDataAndRequests) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, ClearData());
  EXPECT_CALL(control, ClearRequests());
  const AdminService admin(control);
  EXPECT_EQ(BodyOf(admin.Handle(Request("DELETE", "/_mock/fixtures"))),
            (nlohmann::json{{"domains", 0}, {"jobs", 0}, {"runs", 0}}));
  EXPECT_EQ(BodyOf(admin.Handle(Request("DELETE", "/_mock/requests"))),
            (nlohmann::json{{"requests", nlohmann::json::array()}}));
}

TEST(AdminRoutesTest, ResetAnswersCountsOrTheReasonItFailed) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, Reset())
      .WillOnce(Return(Store::Counts{4, 5, 6}))
      .WillOnce(Return(Result<Store::Counts, std::string>(std::string("a.yaml:3:1: bad"))));
  const AdminService admin(control);
  EXPECT_EQ(BodyOf(admin.Handle(Request("POST", "/_mock/reset")))["runs"], 6);
  const HttpResponse failed = admin.Handle(Request("POST", "/_mock/reset"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(BodyOf(failed)["message"], "a.yaml:3:1: bad");
}

TEST(AdminRoutesTest, MetricsArePrometheusText) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, Metrics()).WillOnce(Return("datazone_mock_store_runs 3\n"));
  const HttpResponse response = AdminService(control).Handle(Request("GET", "/_mock/metrics"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_EQ(response.body, "datazone_mock_store_runs 3\n");
}

TEST(AdminRoutesTest, AKnownPathWithAnotherMethodIs405WithAllow) {
  StrictMock<MockMockControl> control;
  const HttpResponse response = AdminService(control).Handle(Request("PUT", "/_mock/requests"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, DELETE");
}

TEST(AdminRoutesTest, AnUnknownPathIs404) {
  StrictMock<MockMockControl> control;
  const HttpResponse response = AdminService(control).Handle(Request("GET", "/_mock/nothing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(BodyOf(response)["message"], "No admin route GET /_mock/nothing");
  EXPECT_EQ(response.error_type, "UnknownAdminRoute");
}

TEST(AdminRoutesTest, ClockReadsAndMovesTheDataClock) {
  StrictMock<MockMockControl> control;
  const TimestampMs start = 1'751'328'000'000;  // 2025-07-01T00:00:00Z
  EXPECT_CALL(control, ClockState()).WillOnce(Return(DataClock::State{start, true}));
  EXPECT_CALL(control, AdvanceClock(90'000))
      .WillOnce(Return(DataClock::State{start + 90'000, true}));
  EXPECT_CALL(control, SetClock(start + 300'000))
      .WillOnce(Return(DataClock::State{start + 300'000, true}));
  EXPECT_CALL(control, FreezeClock(false)).WillOnce(Return(DataClock::State{start, false}));
  const AdminService admin(control);
  EXPECT_EQ(BodyOf(admin.Handle(Request("GET", "/_mock/clock"))),
            (nlohmann::json{{"now", "2025-07-01T00:00:00.000Z"}, {"frozen", true}}));
  EXPECT_EQ(BodyOf(admin.Handle(
                WithBody(Request("POST", "/_mock/clock"), R"({"advance":"90s"})")))["now"],
            "2025-07-01T00:01:30.000Z");
  EXPECT_EQ(BodyOf(admin.Handle(WithBody(Request("POST", "/_mock/clock"),
                                         R"({"set":"2025-07-01T00:05:00Z"})")))["now"],
            "2025-07-01T00:05:00.000Z");
  EXPECT_EQ(BodyOf(admin.Handle(
                WithBody(Request("POST", "/_mock/clock"), R"({"freeze":false})")))["frozen"],
            false);
}

TEST(AdminRoutesTest, ClockChangesItCannotMakeAre400AndChangeNothing) {
  StrictMock<MockMockControl> control;  // a refused body never reaches the control
  const AdminService admin(control);
  for (const std::string body :
       {"", "{}", "nope", R"({"advance":"90"})", R"({"advance":"-5s"})", R"({"advance":90})",
        R"({"set":"yesterday"})", R"({"freeze":"yes"})", R"({"advance":"1s","freeze":true})",
        R"({"rewind":"1s"})"}) {
    const HttpResponse response = admin.Handle(WithBody(Request("POST", "/_mock/clock"), body));
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_TRUE(BodyOf(response).contains("message")) << body;
  }
}

TEST(AdminRoutesTest, AClockThatWouldGoBackwardsIsA400) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, SetClock(_))
      .WillOnce(Return(
          Result<DataClock::State, std::string>(std::string("the clock only moves forward"))));
  const HttpResponse response = AdminService(control).Handle(
      WithBody(Request("POST", "/_mock/clock"), R"({"set":"2000-01-01T00:00:00Z"})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(BodyOf(response)["message"].get<std::string>(), HasSubstr("only moves forward"));
}

TEST(AdminRoutesTest, DeletesOneRunNamedByItsPath) {
  StrictMock<MockMockControl> control;
  EXPECT_CALL(control, DeleteRun(std::string_view("dzd_team01"), std::string_view("daily-etl"),
                                 std::string_view("etl 0120")))
      .WillOnce(Return(true))
      .WillOnce(Return(false));
  const AdminService admin(control);
  const HttpResponse deleted =
      admin.Handle(Request("DELETE", "/_mock/fixtures/dzd_team01/daily-etl/runs/etl%200120"));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(BodyOf(deleted), (nlohmann::json{{"deleted", "etl 0120"}}));
  const HttpResponse absent =
      admin.Handle(Request("DELETE", "/_mock/fixtures/dzd_team01/daily-etl/runs/etl%200120"));
  EXPECT_EQ(absent.status, 404);
  EXPECT_TRUE(BodyOf(absent).contains("message"));
}

TEST(AdminRoutesTest, PutsOneRunAndTellsCreatedFromReplaced) {
  StrictMock<MockMockControl> control;
  const std::string body = "{runId: r1, status: FAILED, createdAt: 1}";
  EXPECT_CALL(control, PutRun(std::string_view("dzd_a"), std::string_view("j"),
                              std::string_view("r1"), std::string_view(body)))
      .WillOnce(Return(true))
      .WillOnce(Return(false))
      .WillOnce(Return(Result<bool, PutRunProblem>(PutRunProblem{true, "No domain dzd_a", {}})))
      .WillOnce(Return(Result<bool, PutRunProblem>(
          PutRunProblem{false, {}, {{"request", 1, 20, "invalid status 'X'"}}})));
  const AdminService admin(control);
  const auto put = [&] {
    return admin.Handle(WithBody(Request("PUT", "/_mock/fixtures/dzd_a/j/runs/r1"), body));
  };
  EXPECT_EQ(put().status, 201);
  EXPECT_EQ(put().status, 200);
  EXPECT_EQ(put().status, 404);
  const HttpResponse bad = put();
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(BodyOf(bad)["errors"][0]["column"], 20);
}

TEST(AdminRoutesTest, RunPathsMustHaveEverySegment) {
  StrictMock<MockMockControl> control;
  const AdminService admin(control);
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/fixtures/dzd_a/j/runs/")).status, 404);
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/fixtures/dzd_a/j/runs")).status, 404);
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/fixtures/dzd_a/j/runs/r/x")).status, 404);
  EXPECT_EQ(admin.Handle(Request("GET", "/_mock/fixtures/dzd_a/j/runs/r")).status, 405);
}

}  // namespace
}  // namespace datazone_mock
