#include "faults/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

using testing::ElementsAre;

std::vector<std::string> Messages(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.ToString());
  return out;
}

TEST(ParseScenarioTest, ReadsTheWholeSchema) {
  const auto scenario = ParseScenario(R"(name: throttle-then-succeed
description: First two throttled.
rules:
  - when:
      domain: dzd_demo01
      job: "*"
      accessKeyId: AKIDTHROTTLED
      status: FAILED
      calls: 1-2
      probability: 0.25
    respond:
      error: ThrottlingException
      message: "Rate exceeded"
      status: 430
      delay: 250ms
  - respond:
      fault: reset
rateLimit:
  perSecond: 5
  burst: 10
  scope: accessKeyId
)",
                                      "s.yaml", "s");
  ASSERT_TRUE(scenario.ok()) << FormatDiagnostics(scenario.error());
  const Scenario& s = scenario.value();
  EXPECT_EQ(s.name, "throttle-then-succeed");
  EXPECT_EQ(s.description, "First two throttled.");
  ASSERT_EQ(s.rules.size(), 2u);
  const Rule& first = s.rules[0];
  EXPECT_EQ(first.when.domain, "dzd_demo01");
  EXPECT_EQ(first.when.job, "*");
  EXPECT_EQ(first.when.access_key_id, "AKIDTHROTTLED");
  EXPECT_EQ(first.when.status, "FAILED");
  EXPECT_EQ(first.when.calls, ParseCallsCondition("1-2"));
  EXPECT_EQ(first.when.probability, 0.25);
  ASSERT_TRUE(first.respond.error);
  EXPECT_EQ(first.respond.error->type, "ThrottlingException");
  EXPECT_EQ(first.respond.error->error_type_header, "ThrottlingException");
  EXPECT_EQ(first.respond.error->message, "Rate exceeded");
  EXPECT_EQ(first.respond.error->http_status, 430);
  EXPECT_EQ(first.respond.delay, ParseDelay("250ms"));
  EXPECT_EQ(first.location, (SourceLocation{"s.yaml", 4, 5}));
  EXPECT_EQ(s.rules[1].respond.fault, TransportFault::kReset);
  ASSERT_TRUE(s.rate_limit);
  EXPECT_EQ(s.rate_limit->per_second, 5);
  EXPECT_EQ(s.rate_limit->burst, 10);
  EXPECT_EQ(s.rate_limit->scope, RateLimitScope::kAccessKeyId);
}

TEST(ParseScenarioTest, DefaultsNameAndMessages) {
  const auto scenario = ParseScenario(R"(rules:
  - respond: {error: AccessDeniedException}
  - respond: {error: ValidationException}
  - respond: {error: IncompleteSignatureException}
rateLimit: {perSecond: 3}
)",
                                      "x.yaml", "from-file-name");
  ASSERT_TRUE(scenario.ok()) << FormatDiagnostics(scenario.error());
  EXPECT_EQ(scenario.value().name, "from-file-name");
  const auto& rules = scenario.value().rules;
  EXPECT_EQ(rules[0].respond.error->message,
            "You do not have sufficient access to perform this action.");
  EXPECT_EQ(rules[0].respond.error->http_status, 403);
  EXPECT_EQ(rules[1].respond.error->message,
            "The input fails to satisfy the constraints specified by the AWS service.");
  EXPECT_EQ(rules[1].respond.error->error_type_header,
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/");
  EXPECT_EQ(
      rules[2].respond.error->error_type_header,
      "IncompleteSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");
  EXPECT_EQ(scenario.value().rate_limit->burst, 3);  // one second's worth
  EXPECT_EQ(scenario.value().rate_limit->scope, RateLimitScope::kGlobal);
}

TEST(ParseScenarioTest, ReportsEveryProblemWithItsPlace) {
  const auto scenario = ParseScenario(R"(name: bad
rules:
  - when: {calls: 0, probability: 2, domian: x}
    respond: {error: TeapotException}
  - respond: {error: ThrottlingException, fault: reset}
  - respond: {delay: soon}
  - when: {}
rateLimit: {perSecond: 0, scope: planet}
)",
                                      "bad.yaml", "bad");
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(
      Messages(scenario.error()),
      ElementsAre(
          "bad.yaml:3:19: invalid calls '0': expected N, N-M, N- or \"every N\" (N from 1)",
          "bad.yaml:3:35: invalid probability '2': expected 0 to 1",
          "bad.yaml:3:38: unknown key 'domian' in when (expected one of: domain, job, "
          "accessKeyId, status, page, token, calls, probability)",
          "bad.yaml:4:22: unknown error 'TeapotException': expected one of AccessDeniedException, "
          "InternalServerException, ResourceNotFoundException, ThrottlingException, "
          "UnauthorizedException, ValidationException, MissingAuthenticationTokenException, "
          "IncompleteSignatureException, UnrecognizedClientException, InvalidSignatureException, "
          "ExpiredTokenException, ServiceUnavailableException",
          "bad.yaml:5:14: respond gives both an error and a fault; a rule answers with one",
          "bad.yaml:6:22: invalid delay 'soon': expected a duration such as 250ms or 2s, or a "
          "range such as 100ms-900ms",
          "bad.yaml:7:5: rule is missing required key 'respond'",
          "bad.yaml:8:24: invalid perSecond '0': expected a number above 0",
          "bad.yaml:8:34: invalid scope 'planet': expected one of global, accessKeyId, domain"));
}

TEST(ParseScenarioTest, ReadsPageShapesAndPageConditions) {
  const auto scenario = ParseScenario(R"(rules:
  - when: {page: 3, token: present}
    respond: {page: {limit: 0}, delay: 5ms}
  - when: {page: 2-, token: absent}
    respond:
      page: {trailingEmpty: true, repeatToken: false}
  - when: {page: every 2}
    respond: {page: {repeatToken: true, limit: 50}}
)",
                                      "p.yaml", "p");
  ASSERT_TRUE(scenario.ok()) << FormatDiagnostics(scenario.error());
  const auto& rules = scenario.value().rules;
  EXPECT_EQ(rules[0].when.page, ParseCallsCondition("3"));
  EXPECT_EQ(rules[0].when.token, TokenCondition::kPresent);
  EXPECT_EQ(rules[0].respond.page, PageShape{0});
  EXPECT_EQ(rules[0].respond.delay, ParseDelay("5ms"));
  EXPECT_EQ(rules[1].when.page, ParseCallsCondition("2-"));
  EXPECT_EQ(rules[1].when.token, TokenCondition::kAbsent);
  EXPECT_EQ(rules[1].respond.page, (PageShape{std::nullopt, true, false}));
  EXPECT_EQ(rules[2].respond.page, (PageShape{50, false, true}));
}

TEST(ParseScenarioTest, RefusesBadPageShapesAndConditions) {
  const auto scenario = ParseScenario(R"(rules:
  - when: {page: 0, token: maybe}
    respond: {page: {limit: -1, trailingEmpty: yes}}
  - respond: {page: {limit: 51, pages: 2}}
  - respond: {page: {}}
  - respond: {page: {limit: 2}, error: ThrottlingException}
  - respond: {page: {repeatToken: true}, fault: reset}
  - respond: {page: 3}
)",
                                      "p.yaml", "p");
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(
      Messages(scenario.error()),
      ElementsAre(
          "p.yaml:2:18: invalid page '0': expected N, N-M, N- or \"every N\" (page 1 is the "
          "request without a nextToken)",
          "p.yaml:2:28: invalid token 'maybe': expected present or absent",
          "p.yaml:3:29: invalid limit '-1': expected a whole number from 0 to 50",
          "p.yaml:3:48: invalid trailingEmpty 'yes': expected true or false",
          "p.yaml:4:29: invalid limit '51': expected a whole number from 0 to 50",
          "p.yaml:4:33: unknown key 'pages' in page (expected one of: limit, trailingEmpty, "
          "repeatToken)",
          "p.yaml:5:21: page needs at least one of limit, trailingEmpty, repeatToken",
          "p.yaml:6:14: respond gives a page shape with an error or a fault; a page shape shapes "
          "a successful answer (it may come with a delay)",
          "p.yaml:7:14: respond gives a page shape with an error or a fault; a page shape shapes "
          "a successful answer (it may come with a delay)",
          "p.yaml:8:21: page must be a mapping"));
}

TEST(ParseScenarioTest, ProblemsAreReportedInFileOrder) {
  // Found by fuzzing: the rule's missing `respond`, reported where the rule starts, came after
  // the problem inside the rule.
  const auto scenario =
      ParseScenario("rules:\n  - when: {calls: 4-, probability: 0.25m}\n", "s.yaml", "s");
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(Messages(scenario.error()),
              ElementsAre("s.yaml:2:5: rule is missing required key 'respond'",
                          "s.yaml:2:36: invalid probability '0.25m': expected 0 to 1"));
}

TEST(ParseScenarioTest, SyntaxErrorsHaveLocations) {
  const auto scenario = ParseScenario("rules: [\n  {respond: \n", "broken.yaml", "broken");
  ASSERT_FALSE(scenario.ok());
  ASSERT_EQ(scenario.error().size(), 1u);
  EXPECT_EQ(scenario.error()[0].file, "broken.yaml");
  EXPECT_THAT(scenario.error()[0].message, testing::StartsWith("YAML syntax error: "));
  EXPECT_GE(scenario.error()[0].line, 2);
}

TEST(LoadScenarioPathsTest, BundledScenariosAllLoad) {
  const auto scenarios =
      LoadScenarioPaths({std::filesystem::path(DATAZONE_MOCK_SOURCE_DIR) / "scenarios"});
  ASSERT_TRUE(scenarios.ok()) << FormatDiagnostics(scenarios.error());
  std::vector<std::string> names;
  for (const auto& s : scenarios.value()) {
    names.push_back(s.name);
    EXPECT_FALSE(s.description.empty()) << s.name;
  }
  for (const char* required :
       {"throttle-then-succeed", "always-throttled", "rate-limited", "access-denied",
        "domain-not-found", "flaky-5xx", "slow", "connection-reset", "malformed-json",
        "short-pages", "empty-pages", "trailing-empty-page", "repeat-token", "throttle-page-3"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
  }
}

}  // namespace
}  // namespace datazone_mock
