// Fuzzes the scenario loader with YAML bytes (faults/scenario_loader.h). The loader must never
// crash and must either accept the file or explain why not; an accepted scenario is then
// activated in a FaultEngine and applied to requests through the MockService, as when a user
// passes --scenarios and --scenario.
//
// Properties checked beyond "no crash, no sanitizer report, no input over the time limit":
// - a refused file gets diagnostics as fixture files do (CheckDiagnostics);
// - an accepted scenario holds only values the engine can use (statuses, ranges, limits) and
//   activates by its name;
// - every response the service then gives is AWS-shaped, with valid JSON unless the rule asked
//   for a malformed body.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/page_token.h"
#include "core/http_message.h"
#include "faults/fault_engine.h"
#include "faults/scenario.h"
#include "faults/scenario_loader.h"
#include "fuzz_support.h"
#include "service/mock_service.h"

namespace datazone_mock::fuzz {
namespace {

constexpr const char* kFile = "fuzz.yaml";
constexpr const char* kDefaultName = "fuzz";

void CheckScenario(const Scenario& scenario) {
  FUZZ_CHECK(!scenario.name.empty(), "a scenario without a name cannot be activated");
  for (const Rule& rule : scenario.rules) {
    const std::string where = rule.location.ToString();
    if (rule.respond.error) {
      FUZZ_CHECK(!rule.respond.error->type.empty(), where);
      FUZZ_CHECK(rule.respond.error->http_status >= 100 && rule.respond.error->http_status <= 599,
                 where);
    }
    if (rule.respond.delay) {
      FUZZ_CHECK(rule.respond.delay->min.count() >= 0, where);
      FUZZ_CHECK(rule.respond.delay->min <= rule.respond.delay->max, where);
    }
    if (rule.when.probability) {
      FUZZ_CHECK(*rule.when.probability >= 0 && *rule.when.probability <= 1, where);
    }
    if (rule.when.calls) {
      const CallsCondition& calls = *rule.when.calls;
      FUZZ_CHECK(calls.first >= 1 && calls.every >= 1, where);
      FUZZ_CHECK(calls.kind != CallsCondition::Kind::kRange || calls.first <= calls.last, where);
    }
  }
  if (scenario.rate_limit) {
    FUZZ_CHECK(scenario.rate_limit->per_second > 0, scenario.name);
    FUZZ_CHECK(scenario.rate_limit->burst >= 1, scenario.name);
  }
}

// The requests each accepted scenario is tried on: matching and not matching the globs a
// scenario is likely to name, signed and unsigned, with and without a status filter.
struct TrialRequest {
  std::string_view target;
  std::string_view access_key_id;
};
constexpr std::array<TrialRequest, 6> kTrials = {{
    {"/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=2", ""},
    {"/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?status=FAILED", "AKIDTHROTTLED"},
    {"/v2/domains/dzd-analytics_02/jobs/weekly-rollup/runs", "AKIDEXAMPLE"},
    {"/v2/domains/dzd_nope/jobs/x/runs?status=bogus", ""},
    {"/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=2", "AKIDEXAMPLE"},
    {"/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?nextToken=unreadable", ""},
}};

HttpRequest MakeRequest(const TrialRequest& trial) {
  HttpRequest request{"GET", std::string(trial.target), {}, ""};
  if (!trial.access_key_id.empty()) {
    // Authentication is off: only the access key id of the header is read.
    request.headers.emplace_back("authorization",
                                 "AWS4-HMAC-SHA256 Credential=" + std::string(trial.access_key_id) +
                                     "/20251129/us-east-1/datazone/aws4_request, "
                                     "SignedHeaders=host, Signature=0");
  }
  return request;
}

void CheckResponse(const HttpResponse& response, std::string_view target) {
  const std::string context = "target: " + std::string(target) + "\nbody: " + response.body;
  FUZZ_CHECK(response.status >= 100 && response.status <= 599, context);
  // A transport fault replaces the answer on the wire; its body is not the client's to read.
  if (response.transport_fault != TransportFault::kNone) return;
  FUZZ_CHECK(!response.Header("x-amzn-RequestId").empty(), context);
  FUZZ_CHECK(!response.Header("Date").empty(), context);
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  FUZZ_CHECK(!body.is_discarded() && body.is_object(), context);
  if (response.error_type.empty()) {
    FUZZ_CHECK(body.contains("items"), context);
  } else {
    FUZZ_CHECK(body.contains("message") && body.at("message").is_string(), context);
    FUZZ_CHECK(!response.Header("x-amzn-ErrorType").empty(), context);
  }
}

void ApplyScenario(Scenario scenario) {
  const std::string name = scenario.name;
  std::vector<Scenario> scenarios;
  scenarios.push_back(std::move(scenario));
  const auto clock = std::make_shared<FakeClock>();
  const auto random = std::make_shared<SequenceRandomSource>();
  auto engine = std::make_shared<FaultEngine>(std::move(scenarios), clock, random);
  const auto activated = engine->Activate({name});
  FUZZ_CHECK(activated.ok(), activated.error());

  MockServiceParts parts;
  parts.store = std::make_shared<StoreSnapshot>(DemoStore());
  parts.tokens = std::make_shared<PageTokenCodec>("fuzz-token-secret");
  parts.clock = clock;
  parts.random = random;
  parts.faults = engine;
  const MockService service(std::move(parts));
  // Twice round, so that `calls` conditions past the first few requests are reached too.
  for (int round = 0; round < 2; ++round) {
    for (const TrialRequest& trial : kTrials) {
      HttpResponse response = service.Handle(MakeRequest(trial));
      CheckResponse(response, trial.target);
      // Follow the first trial's tokens for two more pages, so page and token conditions and
      // page shapes are reached past page 1.
      if (&trial != &kTrials[0]) continue;
      for (int page = 2; page <= 3 && response.status == 200; ++page) {
        const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
        if (body.is_discarded() || !body.contains("nextToken")) break;
        const std::string next =
            std::string(trial.target) + "&nextToken=" + body.at("nextToken").get<std::string>();
        response = service.Handle(MakeRequest(TrialRequest{next, trial.access_key_id}));
        CheckResponse(response, next);
      }
    }
  }
  (void)engine->Status();
  engine->Reset();
}

void FuzzScenario(std::string_view text) {
  auto parsed = ParseScenario(text, kFile, kDefaultName);
  if (!parsed.ok()) {
    CheckDiagnostics(parsed.error(), text, kFile);
    return;
  }
  CheckScenario(parsed.value());
  ApplyScenario(std::move(parsed).value());
}

}  // namespace
}  // namespace datazone_mock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  datazone_mock::fuzz::FuzzScenario(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
