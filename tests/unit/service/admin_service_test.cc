#include "service/admin_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

using testing::NiceMock;
using testing::Return;

class MockMockControl : public MockControl {
 public:
  MOCK_METHOD(HealthInfo, Health, (), (const, override));
  MOCK_METHOD(std::vector<ScenarioStatus>, Scenarios, (), (const, override));
  MOCK_METHOD(std::vector<std::string>, ActiveScenarios, (), (const, override));
  MOCK_METHOD((Result<std::vector<std::string>, std::string>), ActivateScenarios,
              (const std::vector<std::string>&), (override));
  MOCK_METHOD(void, ResetScenarios, (), (override));
  MOCK_METHOD(std::vector<JournalEntry>, Requests, (const JournalFilter&), (const, override));
  MOCK_METHOD(void, ClearRequests, (), (override));
  MOCK_METHOD((Result<Store::Counts, Diagnostics>), Seed, (std::string_view), (override));
  MOCK_METHOD(void, ClearData, (), (override));
  MOCK_METHOD((Result<Store::Counts, std::string>), Reload, (), (override));
  MOCK_METHOD((Result<Store::Counts, std::string>), Reset, (), (override));
  MOCK_METHOD(std::string, Metrics, (), (const, override));
};

HttpRequest Request(std::string method, std::string target, std::string authorization = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
  return request;
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
  // Health checks stay open (decisions.md).
  EXPECT_EQ(admin.Handle(Request("GET", "/_mock/health")).status, 200);
}

TEST(AdminServiceTest, TheRightTokenIsLetThrough) {
  NiceMock<MockMockControl> control;
  EXPECT_CALL(control, ClearRequests());
  const AdminService admin(control, "s3cret");
  EXPECT_EQ(admin.Handle(Request("DELETE", "/_mock/requests", "Bearer s3cret")).status, 200);
}

}  // namespace
}  // namespace datazone_mock
