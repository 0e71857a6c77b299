#include "service/admin_service.h"

#include <nlohmann/json.hpp>

#include "api/json_writer.h"
#include "api/query_string.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

json DescribeCalls(const CallsCondition& calls) {
  switch (calls.kind) {
    case CallsCondition::Kind::kExact:
      return std::to_string(calls.first);
    case CallsCondition::Kind::kRange:
      return std::to_string(calls.first) + "-" + std::to_string(calls.last);
    case CallsCondition::Kind::kFrom:
      return std::to_string(calls.first) + "-";
    case CallsCondition::Kind::kEvery:
      return "every " + std::to_string(calls.every);
  }
  return nullptr;
}

json DescribeRule(const Rule& rule, const RuleStats& stats) {
  json when = json::object();
  if (rule.when.domain) when["domain"] = *rule.when.domain;
  if (rule.when.job) when["job"] = *rule.when.job;
  if (rule.when.access_key_id) when["accessKeyId"] = *rule.when.access_key_id;
  if (rule.when.status) when["status"] = *rule.when.status;
  if (rule.when.calls) when["calls"] = DescribeCalls(*rule.when.calls);
  if (rule.when.probability) when["probability"] = *rule.when.probability;
  json respond = json::object();
  if (rule.respond.error) {
    respond["error"] = rule.respond.error->type;
    respond["status"] = rule.respond.error->http_status;
    respond["message"] = rule.respond.error->message;
  }
  if (rule.respond.delay) {
    respond["delayMs"] = {rule.respond.delay->min.count(), rule.respond.delay->max.count()};
  }
  if (rule.respond.fault) respond["fault"] = std::string(ToString(*rule.respond.fault));
  return json{{"when", when},
              {"respond", respond},
              {"matched", stats.matched},
              {"decided", stats.decided},
              {"source", rule.location.ToString()}};
}

}  // namespace

bool IsAdminTarget(std::string_view target) { return target.rfind(kAdminPrefix, 0) == 0; }

AdminService::AdminService(const MockService& service, std::vector<std::string> startup_scenarios,
                           std::string version)
    : service_(service),
      startup_scenarios_(std::move(startup_scenarios)),
      version_(std::move(version)),
      started_(service.clock().Monotonic()) {}

HttpResponse AdminService::Json(int status, const std::string& body) const {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = body;
  return response;
}

HttpResponse AdminService::Handle(const HttpRequest& request) const {
  const std::string_view path = SplitTarget(request.target).path;
  const std::string_view method = request.method;
  if (path == "/_mock/health" && method == "GET") return Health();
  if (path == "/_mock/scenarios" && method == "GET") return Scenarios();
  if (path == "/_mock/scenarios/active" && method == "PUT") return SetActive(request.body);
  if (path == "/_mock/scenarios/reset" && method == "POST") {
    if (service_.faults()) service_.faults()->Reset();
    return Scenarios();
  }
  HttpResponse response =
      Json(404, JsonMessageBody("No admin route " + std::string(method) + " " + std::string(path)));
  response.error_type = "UnknownAdminRoute";
  return response;
}

HttpResponse AdminService::Health() const {
  const auto counts = service_.store().Get()->Count();
  const auto uptime = std::chrono::duration<double>(service_.clock().Monotonic() - started_);
  json body{{"status", "ok"},
            {"version", version_},
            {"uptimeSeconds", uptime.count()},
            {"domains", counts.domains},
            {"jobs", counts.jobs},
            {"runs", counts.runs},
            {"activeScenarios",
             service_.faults() ? service_.faults()->ActiveNames() : std::vector<std::string>{}}};
  return Json(200, body.dump());
}

HttpResponse AdminService::Scenarios() const {
  json scenarios = json::array();
  std::vector<std::string> active;
  if (FaultEngine* faults = service_.faults()) {
    active = faults->ActiveNames();
    for (const ScenarioStatus& status : faults->Status()) {
      const Scenario& scenario = *status.scenario;
      json rules = json::array();
      for (std::size_t i = 0; i < scenario.rules.size(); ++i) {
        rules.push_back(DescribeRule(scenario.rules[i], status.rules[i]));
      }
      json entry{{"name", scenario.name},   {"description", scenario.description},
                 {"active", status.active}, {"file", scenario.file},
                 {"rules", rules},          {"throttled", status.throttled}};
      if (scenario.rate_limit) {
        entry["rateLimit"] = {{"perSecond", scenario.rate_limit->per_second},
                              {"burst", scenario.rate_limit->burst},
                              {"scope", std::string(ToString(scenario.rate_limit->scope))}};
      }
      scenarios.push_back(std::move(entry));
    }
  }
  return Json(200, json{{"active", active}, {"scenarios", scenarios}}.dump(
                       -1, ' ', false, json::error_handler_t::replace));
}

HttpResponse AdminService::SetActive(const std::string& body) const {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("active") ||
      !parsed["active"].is_array()) {
    return Json(400, JsonMessageBody(R"(Expected a JSON body {"active": ["name", ...]})"));
  }
  std::vector<std::string> names;
  for (const json& name : parsed["active"]) {
    if (!name.is_string()) {
      return Json(400, JsonMessageBody("Scenario names must be strings"));
    }
    names.push_back(name.get<std::string>());
  }
  if (!service_.faults()) return Json(400, JsonMessageBody("No scenarios are loaded"));
  auto activated = service_.faults()->Activate(names);
  if (!activated.ok()) return Json(400, JsonMessageBody(activated.error()));
  return Json(200, json{{"active", activated.value()}}.dump());
}

}  // namespace datazone_mock
