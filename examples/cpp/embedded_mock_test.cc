// A GoogleTest suite that runs datazone-mock in-process: seed data per test, inject a fault,
// assert on what the client sent. The client here is cpp-httplib standing in for an SDK; with
// the AWS SDK for C++ set `ClientConfiguration::endpointOverride = mock().endpoint()`.
#include <datazone_mock_gtest.h>
#include <httplib.h>

namespace {

using datazone_mock::JournalEntry;
using datazone_mock::testing::DataZoneMockTest;
using datazone_mock::testing::MockRequestObserver;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::HasSubstr;

class EmbeddedMockTest : public DataZoneMockTest {
 protected:
  httplib::Result List(const std::string& query = "") {
    httplib::Client client("127.0.0.1", mock().port());
    return client.Get("/v2/domains/dzd_seed01/jobs/import/runs" + query,
                      {{"amz-sdk-invocation-id", "inv-1"}, {"amz-sdk-request", "attempt=1"}});
  }
};

TEST_F(EmbeddedMockTest, SeededRunsAreListed) {
  const auto seeded = mock().Seed(R"(
domains:
  dzd_seed01:
    jobs:
      import:
        runs:
          - {runId: r1, status: SUCCESS, createdAt: 2025-01-01T00:00:00Z}
          - {runId: r2, status: FAILED, createdAt: 2025-01-02T00:00:00Z, error: {message: boom}}
)");
  ASSERT_TRUE(seeded.ok());
  const auto result = List("?sortOrder=ASCENDING");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_THAT(result->body, HasSubstr(R"("runId":"r1")"));
  EXPECT_LT(result->body.find(R"("runId":"r1")"), result->body.find(R"("runId":"r2")"));
}

TEST_F(EmbeddedMockTest, ObserverSeesEveryCall) {
  ASSERT_TRUE(mock().Seed("domains: {dzd_seed01: {jobs: {import: {runs: []}}}}").ok());
  MockRequestObserver observer;
  mock().SetObserver(&observer);
  EXPECT_CALL(observer,
              OnRequest(AllOf(Field(&JournalEntry::path, "/v2/domains/dzd_seed01/jobs/import/runs"),
                              Field(&JournalEntry::invocation_id, "inv-1"),
                              Field(&JournalEntry::attempt, 1), Field(&JournalEntry::status, 200))))
      .Times(1);
  ASSERT_TRUE(List());
  mock().SetObserver(nullptr);
}

TEST_F(EmbeddedMockTest, ScenariosAndTheJournal) {
  ASSERT_TRUE(mock().Seed("domains: {dzd_seed01: {jobs: {import: {runs: []}}}}").ok());
  ASSERT_TRUE(mock().ActivateScenarios({"throttle-then-succeed"}).ok());
  EXPECT_EQ(List()->status, 429);
  EXPECT_EQ(List()->status, 429);
  EXPECT_EQ(List()->status, 200);
  const auto calls = mock().Requests();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].error_type, "ThrottlingException");
  EXPECT_EQ(calls[0].scenario, "throttle-then-succeed");
  EXPECT_EQ(calls[0].rule, 1);
  EXPECT_EQ(calls[2].status, 200);
  EXPECT_EQ(calls[2].scenario, "");  // the rule counted it, but only calls 1-2 are throttled
}

}  // namespace
