#include "faults/fault_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "faults/scenario_loader.h"
#include "support/fakes.h"
#include "support/mocks.h"

namespace datazone_mock {
namespace {

using std::chrono::milliseconds;
using testing::Return;

Scenario Parse(const std::string& yaml, const std::string& name) {
  auto scenario = ParseScenario(yaml, name + ".yaml", name);
  EXPECT_TRUE(scenario.ok()) << FormatDiagnostics(scenario.error());
  return scenario.value();
}

class FaultEngineTest : public testing::Test {
 protected:
  std::unique_ptr<FaultEngine> Make(std::vector<Scenario> scenarios,
                                    std::vector<std::string> active) {
    auto engine = std::make_unique<FaultEngine>(std::move(scenarios), clock_, random_);
    EXPECT_TRUE(engine->Activate(active).ok());
    return engine;
  }

  static FaultRequest Request(std::string_view akid = "AKID1", std::string_view domain = "dzd_a1",
                              std::string_view job = "job", const std::string* status = nullptr) {
    return FaultRequest{domain, job, akid, status, false, nullptr};
  }

  // A request for page `page` (1 without a token; none: a token that cannot be read), counting
  // how often the engine asked for the page number.
  FaultRequest PageRequest(std::optional<std::uint32_t> page, bool has_token) {
    FaultRequest request = Request();
    request.has_token = has_token;
    request.page_number = [this, page]() {
      ++page_reads_;
      return page;
    };
    return request;
  }

  int page_reads_ = 0;

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<testing::NiceMock<MockRandomSource>> random_ =
      std::make_shared<testing::NiceMock<MockRandomSource>>();
};

TEST_F(FaultEngineTest, NothingActiveDecidesNothing) {
  FaultEngine engine({Parse("rules: [{respond: {error: AccessDeniedException}}]", "deny")}, clock_,
                     random_);
  EXPECT_EQ(engine.Decide(Request()), std::nullopt);
}

TEST_F(FaultEngineTest, CallsCountsOnlyRequestsMeetingTheOtherConditions) {
  auto engine = Make({Parse(R"(rules:
  - when: {accessKeyId: AKIDTHROTTLED, calls: 1-2}
    respond: {error: ThrottlingException, message: Rate exceeded}
)",
                            "throttle")},
                     {"throttle"});
  // Other callers neither match nor count.
  EXPECT_EQ(engine->Decide(Request("AKIDOTHER")), std::nullopt);
  for (int call = 1; call <= 2; ++call) {
    const auto decision = engine->Decide(Request("AKIDTHROTTLED"));
    ASSERT_TRUE(decision) << call;
    EXPECT_EQ(decision->scenario, "throttle");
    EXPECT_EQ(decision->rule, 1);  // 1-based, as the journal shows it
    EXPECT_EQ(decision->error->type, "ThrottlingException");
    EXPECT_EQ(decision->error->http_status, 429);
    EXPECT_EQ(decision->error->message, "Rate exceeded");
  }
  EXPECT_EQ(engine->Decide(Request("AKIDTHROTTLED")), std::nullopt);
  EXPECT_EQ(engine->Status()[0].rules[0].matched, 3u);
  EXPECT_EQ(engine->Status()[0].rules[0].decided, 2u);

  engine->Reset();
  EXPECT_TRUE(engine->Decide(Request("AKIDTHROTTLED")));
}

TEST_F(FaultEngineTest, EveryNth) {
  auto engine =
      Make({Parse("rules: [{when: {calls: every 3}, respond: {error: InternalServerException}}]",
                  "third")},
           {"third"});
  std::vector<bool> decided;
  for (int i = 0; i < 9; ++i) decided.push_back(engine->Decide(Request()).has_value());
  EXPECT_EQ(decided,
            (std::vector<bool>{false, false, true, false, false, true, false, false, true}));
}

TEST_F(FaultEngineTest, AnEarlierRuleThatDecidesKeepsLaterRulesFromCounting) {
  auto engine = Make({Parse(R"(rules:
  - when: {status: FAILED}
    respond: {error: AccessDeniedException}
  - when: {calls: "1"}
    respond: {error: InternalServerException}
)",
                            "two")},
                     {"two"});
  const std::string failed = "FAILED";
  EXPECT_EQ(engine->Decide(Request("A", "dzd_a1", "job", &failed))->error->type,
            "AccessDeniedException");
  // The second rule was not reached by that request, so this is its first call.
  EXPECT_EQ(engine->Decide(Request())->error->type, "InternalServerException");
  EXPECT_EQ(engine->Decide(Request()), std::nullopt);
}

TEST_F(FaultEngineTest, GlobsOnDomainJobAndCaller) {
  auto engine = Make({Parse(R"(rules:
  - when: {domain: "dzd_prod*", job: "*-lineage", accessKeyId: "AKID*"}
    respond: {error: ResourceNotFoundException}
)",
                            "globs")},
                     {"globs"});
  EXPECT_TRUE(engine->Decide(Request("AKIDX", "dzd_prod7", "nightly-lineage")));
  EXPECT_FALSE(engine->Decide(Request("AKIDX", "dzd_test7", "nightly-lineage")));
  EXPECT_FALSE(engine->Decide(Request("AKIDX", "dzd_prod7", "nightly-sync")));
  EXPECT_FALSE(engine->Decide(Request("", "dzd_prod7", "nightly-lineage")));
}

TEST_F(FaultEngineTest, StarMatchesAnUnsignedCaller) {
  auto engine =
      Make({Parse("rules: [{when: {accessKeyId: \"*\"}, respond: {error: AccessDeniedException}}]",
                  "s")},
           {"s"});
  EXPECT_TRUE(engine->Decide(Request("")));
}

TEST_F(FaultEngineTest, ProbabilityIsDrawnAfterCallsHold) {
  auto engine = Make({Parse(R"(rules:
  - when: {calls: 2-, probability: 0.25}
    respond: {error: InternalServerException}
)",
                            "flaky")},
                     {"flaky"});
  // The first call fails `calls`, so nothing is drawn for it.
  EXPECT_CALL(*random_, NextU64())
      .WillOnce(Return(std::uint64_t{0x3F} << 56))   // 63/256 < 0.25: fault
      .WillOnce(Return(std::uint64_t{0x40} << 56));  // 64/256 = 0.25: no fault
  EXPECT_FALSE(engine->Decide(Request()));
  EXPECT_TRUE(engine->Decide(Request()));
  EXPECT_FALSE(engine->Decide(Request()));
}

TEST_F(FaultEngineTest, DelayRangeIsDrawnUniformly) {
  auto engine = Make({Parse("rules: [{respond: {delay: 100ms-900ms}}]", "slow")}, {"slow"});
  EXPECT_CALL(*random_, NextU64())
      .WillOnce(Return(0))
      .WillOnce(Return(800))
      .WillOnce(Return(801 + 5));
  EXPECT_EQ(engine->Decide(Request())->delay, milliseconds(100));
  EXPECT_EQ(engine->Decide(Request())->delay, milliseconds(900));
  const auto third = engine->Decide(Request());
  EXPECT_EQ(third->delay, milliseconds(105));
  EXPECT_FALSE(third->error);
  EXPECT_FALSE(third->fault);
}

TEST_F(FaultEngineTest, RateLimitPerCallerRefillsWithTheClock) {
  auto engine =
      Make({Parse("rateLimit: {perSecond: 2, burst: 2, scope: accessKeyId}", "rl")}, {"rl"});
  EXPECT_FALSE(engine->Decide(Request("A")));
  EXPECT_FALSE(engine->Decide(Request("A")));
  const auto throttled = engine->Decide(Request("A"));
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->error->type, "ThrottlingException");
  EXPECT_EQ(throttled->rule, kNoRule);         // the rate limit, not a rule
  EXPECT_FALSE(engine->Decide(Request("B")));  // another caller has its own bucket
  clock_->Advance(milliseconds(500));
  EXPECT_FALSE(engine->Decide(Request("A")));
  EXPECT_TRUE(engine->Decide(Request("A")));
  EXPECT_EQ(engine->Status()[0].throttled, 2u);
}

TEST_F(FaultEngineTest, RateLimitComesFirstAndAThrottledRequestCountsForNoRule) {
  auto engine = Make({Parse(R"(rateLimit: {perSecond: 1, burst: 1}
rules:
  - when: {calls: "2"}
    respond: {error: AccessDeniedException}
)",
                            "both")},
                     {"both"});
  EXPECT_FALSE(engine->Decide(Request()));                                   // call 1 of the rule
  EXPECT_EQ(engine->Decide(Request())->error->type, "ThrottlingException");  // counts for no rule
  clock_->Advance(std::chrono::seconds(1));
  EXPECT_EQ(engine->Decide(Request())->error->type, "AccessDeniedException");  // call 2
}

TEST_F(FaultEngineTest, ScenariosAreTriedInActivationOrder) {
  std::vector<Scenario> scenarios = {
      Parse("rules: [{respond: {error: AccessDeniedException}}]", "deny"),
      Parse("rules: [{respond: {error: InternalServerException}}]", "fail")};
  FaultEngine engine(scenarios, clock_, random_);
  ASSERT_TRUE(engine.Activate({"fail", "deny"}).ok());
  EXPECT_EQ(engine.Decide(Request())->scenario, "fail");
  ASSERT_TRUE(engine.Activate({"deny", "fail"}).ok());
  EXPECT_EQ(engine.Decide(Request())->scenario, "deny");
  EXPECT_EQ(engine.ActiveNames(), (std::vector<std::string>{"deny", "fail"}));
}

TEST_F(FaultEngineTest, UnknownNameChangesNothing) {
  FaultEngine engine({Parse("rules: [{respond: {error: AccessDeniedException}}]", "deny"),
                      Parse("rules: [{respond: {fault: reset}}]", "reset")},
                     clock_, random_);
  ASSERT_TRUE(engine.Activate({"deny"}).ok());
  const auto result = engine.Activate({"reset", "nope"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "unknown scenario 'nope'; known scenarios: deny, reset");
  EXPECT_EQ(engine.ActiveNames(), (std::vector<std::string>{"deny"}));
}

TEST_F(FaultEngineTest, CallsRangeMatchesExactlyTwoUnderConcurrency) {
  auto engine =
      Make({Parse("rules: [{when: {calls: 1-2}, respond: {error: ThrottlingException}}]", "two")},
           {"two"});
  std::atomic<int> decided{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (engine->Decide(Request())) ++decided;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(decided.load(), 2);
  EXPECT_EQ(engine->Status()[0].rules[0].matched, 4000u);
}

// A reload keeps a scenario's counters: requests deciding on the scenario as it was before the
// reload must count where the reloaded one reads, or a `calls` rule fires again.
TEST_F(FaultEngineTest, ReloadsDuringRequestsLoseNoCount) {
  const std::string yaml = "rules: [{when: {calls: 1-2}, respond: {error: ThrottlingException}}]";
  const Scenario scenario = Parse(yaml, "two");
  auto engine = Make({scenario}, {"two"});
  std::atomic<bool> done{false};
  std::thread reloader([&] {
    while (!done) engine->ReplaceScenarios({scenario});
  });
  std::atomic<int> decided{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        if (engine->Decide(Request())) ++decided;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  reloader.join();
  EXPECT_EQ(decided.load(), 2);
  EXPECT_EQ(engine->Status()[0].rules[0].matched, 80000u);
  EXPECT_EQ(engine->Status()[0].rules[0].decided, 2u);
}

// ActiveNames, KnownNames and Reset iterate a list that a concurrent Activate or reload
// replaces and frees; each must keep the list it iterates alive. Under ASan or TSan, iterating a
// list owned only by a temporary shared_ptr fails this test.
TEST_F(FaultEngineTest, ListingsStayValidDuringActivationsAndReloads) {
  const Scenario one = Parse("rules: [{respond: {error: ThrottlingException}}]", "one");
  const Scenario two = Parse("rules: [{respond: {error: AccessDeniedException}}]", "two");
  auto engine = Make({one, two}, {"one"});
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; !done; ++i) {
      engine->ReplaceScenarios({one, two});
      EXPECT_TRUE(engine->Activate({i % 2 == 0 ? "two" : "one"}).ok());
    }
  });
  for (int i = 0; i < 2000; ++i) {
    EXPECT_THAT(engine->ActiveNames(),
                testing::AnyOf(testing::ElementsAre("one"), testing::ElementsAre("two")));
    EXPECT_EQ(engine->KnownNames(), "one, two");
    engine->Reset();
  }
  done = true;
  writer.join();
}

TEST_F(FaultEngineTest, PageConditionsHoldOnTheRequestsPageNumber) {
  auto engine = Make({Parse(R"(rules:
  - when: {page: 3}
    respond: {error: ThrottlingException}
  - when: {page: 1-2}
    respond: {page: {limit: 1}}
  - when: {page: 5-}
    respond: {page: {trailingEmpty: true}}
)",
                            "pages")},
                     {"pages"});
  const auto decide = [&](std::optional<std::uint32_t> page) {
    return engine->Decide(PageRequest(page, page != 1u));
  };
  EXPECT_EQ(decide(1)->page, PageShape{1});
  EXPECT_EQ(decide(2)->page, PageShape{1});
  EXPECT_EQ(decide(3)->error->type, "ThrottlingException");
  EXPECT_EQ(decide(4), std::nullopt);
  EXPECT_TRUE(decide(5)->page->trailing_empty);
  EXPECT_TRUE(decide(900)->page->trailing_empty);
  // A token that cannot be read has no page: no page condition holds for it.
  EXPECT_EQ(decide(std::nullopt), std::nullopt);
}

TEST_F(FaultEngineTest, ThrottlePageThreeOnceCountsOnlyPageThree) {
  auto engine = Make({Parse("rules: [{when: {page: 3, calls: 1}, respond: {error: "
                            "ThrottlingException}}]",
                            "page3")},
                     {"page3"});
  EXPECT_EQ(engine->Decide(PageRequest(1, false)), std::nullopt);
  EXPECT_EQ(engine->Decide(PageRequest(2, true)), std::nullopt);
  EXPECT_TRUE(engine->Decide(PageRequest(3, true)));              // throttled once
  EXPECT_EQ(engine->Decide(PageRequest(3, true)), std::nullopt);  // the retry gets through
  EXPECT_EQ(engine->Status()[0].rules[0].matched, 2u);
}

TEST_F(FaultEngineTest, TokenConditionSeesWhetherATokenWasSent) {
  auto engine = Make({Parse(R"(rules:
  - when: {token: present}
    respond: {page: {repeatToken: true}}
  - when: {token: absent}
    respond: {page: {limit: 0}}
)",
                            "tokens")},
                     {"tokens"});
  EXPECT_TRUE(engine->Decide(PageRequest(std::nullopt, true))->page->repeat_token);
  EXPECT_EQ(engine->Decide(PageRequest(1, false))->page, PageShape{0});
  EXPECT_EQ(page_reads_, 0);  // no rule asked for the page number
}

TEST_F(FaultEngineTest, ReadsThePageNumberOnlyWhenARuleAsksAndOnlyOnce) {
  auto engine = Make({Parse(R"(rules:
  - when: {job: other}
    respond: {error: AccessDeniedException}
  - when: {page: 2}
    respond: {delay: 10ms}
  - when: {page: 3-}
    respond: {delay: 20ms}
)",
                            "lazy")},
                     {"lazy"});
  EXPECT_EQ(engine->Decide(PageRequest(4, true))->delay, milliseconds(20));
  EXPECT_EQ(page_reads_, 1);
  FaultRequest other = PageRequest(4, true);
  other.job = "other";
  EXPECT_TRUE(engine->Decide(other)->error);
  EXPECT_EQ(page_reads_, 1);  // the first rule decided before any page condition was reached
}

TEST_F(FaultEngineTest, ACallersActivationCountsForItAloneAndComesFirst) {
  auto engine = Make(
      {Parse("rules: [{when: {calls: 1-2}, respond: {error: ThrottlingException}}]", "throttle"),
       Parse("rules: [{respond: {error: AccessDeniedException}}]", "deny")},
      {"deny"});
  ASSERT_TRUE(engine->Activate({"throttle"}, std::string("AKIDA")).ok());
  ASSERT_TRUE(engine->Activate({"throttle"}, std::string("AKIDB")).ok());
  // Each caller gets its own first two calls; the global "deny" comes after its own rules.
  for (const char* key : {"AKIDA", "AKIDB"}) {
    for (int call = 1; call <= 2; ++call) {
      EXPECT_EQ(engine->Decide(Request(key))->error->type, "ThrottlingException") << key;
    }
    EXPECT_EQ(engine->Decide(Request(key))->error->type, "AccessDeniedException") << key;
  }
  EXPECT_EQ(engine->Decide(Request("AKIDC"))->error->type, "AccessDeniedException");
  EXPECT_EQ(engine->ActiveNames(std::string("AKIDA")), std::vector<std::string>{"throttle"});
  EXPECT_EQ(engine->ActiveNames(), std::vector<std::string>{"deny"});
  // The global view's counters are the global activation's: "throttle" never ran there.
  EXPECT_EQ(engine->Status()[0].rules[0].matched, 0u);
  EXPECT_EQ(engine->Status(std::string("AKIDA"))[0].rules[0].decided, 2u);

  engine->ResetCaller("AKIDA");
  EXPECT_EQ(engine->Decide(Request("AKIDA"))->error->type, "ThrottlingException");
  EXPECT_EQ(engine->Decide(Request("AKIDB"))->error->type, "AccessDeniedException");
  engine->DropCaller("AKIDA");
  EXPECT_TRUE(engine->ActiveNames(std::string("AKIDA")).empty());
  EXPECT_EQ(engine->Decide(Request("AKIDA"))->error->type, "AccessDeniedException");
}

TEST_F(FaultEngineTest, ScenariosAddedAtRunTimeAreOwnedAndRemovable) {
  auto engine = Make({Parse("rules: [{respond: {delay: 5ms}}]", "slowish")}, {});
  // A caller's own scenario: only it can activate it.
  EXPECT_FALSE(engine->AddScenario(
      Parse("rules: [{respond: {error: InternalServerException}}]", "mine"), std::string("AKIDA")));
  EXPECT_TRUE(engine->Activate({"mine"}, std::string("AKIDA")).ok());
  EXPECT_FALSE(engine->Activate({"mine"}).ok());
  EXPECT_FALSE(engine->Activate({"mine"}, std::string("AKIDB")).ok());
  EXPECT_EQ(engine->Decide(Request("AKIDA"))->error->type, "InternalServerException");
  // Replacing it changes what its activation answers.
  EXPECT_TRUE(engine->AddScenario(Parse("rules: [{respond: {error: ThrottlingException}}]", "mine"),
                                  std::string("AKIDA")));
  EXPECT_EQ(engine->Decide(Request("AKIDA"))->error->type, "ThrottlingException");
  ASSERT_TRUE(engine->RemoveScenario("mine", std::string("AKIDA")).ok());
  EXPECT_EQ(engine->Decide(Request("AKIDA")), std::nullopt);

  // Global ones: a file scenario cannot be removed; a run-time one survives a reload.
  const auto file = engine->RemoveScenario("slowish");
  ASSERT_FALSE(file.ok());
  EXPECT_FALSE(file.error().not_found);
  EXPECT_TRUE(engine->RemoveScenario("nothing").error().not_found);
  engine->AddScenario(Parse("rules: [{respond: {error: AccessDeniedException}}]", "global-one"));
  engine->ReplaceScenarios({Parse("rules: [{respond: {delay: 7ms}}]", "slowish")});
  ASSERT_TRUE(engine->Activate({"global-one"}).ok());
  EXPECT_EQ(engine->Decide(Request())->error->type, "AccessDeniedException");
  engine->DropRunTimeState();
  EXPECT_TRUE(engine->ActiveNames().empty());
  EXPECT_FALSE(engine->Activate({"global-one"}).ok());
}

// The HTTP layer keeps requests off its event loops exactly while an answer may be delayed.
TEST_F(FaultEngineTest, MayDelayFollowsWhatIsActiveInEveryNamespace) {
  auto engine = Make({Parse("rules: [{respond: {delay: 5ms}}]", "slow"),
                      Parse("rules: [{respond: {error: ThrottlingException}}]", "throttle")},
                     {});
  EXPECT_FALSE(engine->MayDelay());  // loaded, not active
  ASSERT_TRUE(engine->Activate({"throttle"}).ok());
  EXPECT_FALSE(engine->MayDelay());
  ASSERT_TRUE(engine->Activate({"throttle", "slow"}).ok());
  EXPECT_TRUE(engine->MayDelay());
  ASSERT_TRUE(engine->Activate({}).ok());
  EXPECT_FALSE(engine->MayDelay());

  // One caller's activation counts too, until it is dropped.
  ASSERT_TRUE(engine->Activate({"slow"}, std::string("AKIDA")).ok());
  EXPECT_TRUE(engine->MayDelay());
  engine->DropCaller("AKIDA");
  EXPECT_FALSE(engine->MayDelay());

  // An active scenario replaced at run time: its new rules decide.
  ASSERT_TRUE(engine->Activate({"throttle"}).ok());
  engine->AddScenario(Parse("rules: [{respond: {delay: 1s}}]", "throttle"));
  EXPECT_TRUE(engine->MayDelay());
  engine->AddScenario(Parse("rules: [{respond: {error: ThrottlingException}}]", "throttle"));
  EXPECT_FALSE(engine->MayDelay());
  // A reload that gives the active scenario a delay.
  engine->ReplaceScenarios({Parse("rules: [{respond: {delay: 5ms}}]", "slow")});
  ASSERT_TRUE(engine->Activate({"slow"}).ok());
  EXPECT_TRUE(engine->MayDelay());
  engine->ReplaceScenarios({Parse("rules: [{respond: {error: ThrottlingException}}]", "slow")});
  EXPECT_FALSE(engine->MayDelay());
}

TEST_F(FaultEngineTest, TraceSaysWhyEachRuleHeldOrNot) {
  auto engine = Make({Parse(R"(rules:
  - when: {accessKeyId: AKIDX*}
    respond: {error: AccessDeniedException}
  - when: {calls: 2}
    respond: {error: ThrottlingException}
  - respond: {delay: 10ms}
)",
                            "mixed")},
                     {"mixed"});
  Trace trace;
  const auto decision = engine->Decide(Request("AKID1"), &trace);
  ASSERT_TRUE(decision);
  EXPECT_EQ(trace.steps(),
            (std::vector<TraceStep>{
                {"scenario", "skipped", "mixed rule 1: accessKeyId AKID1 does not match AKIDX*"},
                {"scenario", "skipped", "mixed rule 2: calls 1 not in 2"},
                {"scenario", "decided", "mixed rule 3: delay 10ms"}}));
  Trace none;
  FaultEngine idle({}, clock_, random_);
  EXPECT_EQ(idle.Decide(Request(), &none), std::nullopt);
  EXPECT_EQ(none.steps(), (std::vector<TraceStep>{{"scenarios", "none active", ""}}));
}

}  // namespace
}  // namespace datazone_mock
