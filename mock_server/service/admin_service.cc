#include "service/admin_service.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "api/list_job_runs_request.h"
#include "api/query_string.h"
#include "model/timestamp.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

HttpResponse Json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  // Replace, not throw, on invalid UTF-8: journal entries echo what clients sent.
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

HttpResponse Message(int status, const std::string& message) {
  return Json(status, json{{"message", message}});
}

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

json DescribeCounts(const Store::Counts& counts) {
  return json{{"domains", counts.domains}, {"jobs", counts.jobs}, {"runs", counts.runs}};
}

json DescribeEntry(const JournalEntry& entry) {
  json query = json::object();
  for (const auto& [name, value] : DecodedQuery(entry)) {
    if (!query.contains(name)) query[name] = value;  // the first wins, as for the service
  }
  json out{{"id", entry.id},
           {"time", FormatRfc3339(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      entry.time.time_since_epoch())
                                      .count())},
           {"method", entry.method},
           {"path", entry.path},
           {"query", query},
           {"accessKeyId", entry.access_key_id},
           {"invocationId", entry.invocation_id},
           {"attempt", entry.attempt},
           {"status", entry.status},
           {"requestId", entry.request_id},
           {"latencyMs", static_cast<double>(entry.latency.count()) / 1000.0}};
  out["scenario"] = entry.scenario.empty() ? json(nullptr) : json(entry.scenario);
  out["rule"] = entry.rule == 0 ? json(nullptr) : json(entry.rule);
  out["errorType"] = entry.error_type.empty() ? json(nullptr) : json(entry.error_type);
  out["reason"] = entry.reason.empty() ? json(nullptr) : json(entry.reason);
  return out;
}

json DescribeDiagnostics(const Diagnostics& diagnostics) {
  json errors = json::array();
  std::string message;
  for (const Diagnostic& d : diagnostics) {
    errors.push_back(json{{"line", d.line}, {"column", d.column}, {"message", d.message}});
    if (!message.empty()) message += '\n';
    message += d.ToString();
  }
  return json{{"message", message}, {"errors", errors}};
}

}  // namespace

bool IsAdminTarget(std::string_view target) { return target.rfind(kAdminPrefix, 0) == 0; }

bool AdminService::Authorized(const HttpRequest& request) const {
  if (!token_) return true;
  constexpr std::string_view kScheme = "Bearer ";
  const std::string_view header = request.Header("authorization");
  if (header.size() != kScheme.size() + token_->size() || header.rfind(kScheme, 0) != 0) {
    return false;
  }
  // Compared in constant time: the answer's timing must not reveal how much of a guess matched.
  return CRYPTO_memcmp(header.data() + kScheme.size(), token_->data(), token_->size()) == 0;
}

HttpResponse AdminService::Handle(const HttpRequest& request) const {
  const TargetParts parts = SplitTarget(request.target);
  const std::string_view path = parts.path;
  const std::string_view method = request.method;

  if (!(path == "/_mock/health" && method == "GET") && !Authorized(request)) {
    HttpResponse denied = Message(401,
                                  "The admin API needs the header 'Authorization: Bearer "
                                  "<token>' with the token given by --admin-token.");
    denied.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"datazone-mock\"");
    return denied;
  }

  if (path == "/_mock/health" && method == "GET") {
    const HealthInfo health = control_.Health();
    json body{{"status", health.last_reload_ok ? "ok" : "degraded"},
              {"version", health.version},
              {"uptimeSeconds", health.uptime_seconds},
              {"domains", health.counts.domains},
              {"jobs", health.counts.jobs},
              {"runs", health.counts.runs},
              {"activeScenarios", health.active_scenarios},
              {"lastReload", {{"ok", health.last_reload_ok}}}};
    if (!health.last_reload_ok) body["lastReload"]["error"] = health.last_reload_error;
    return Json(200, body);
  }
  if (path == "/_mock/scenarios" && method == "GET") {
    json scenarios = json::array();
    for (const ScenarioStatus& status : control_.Scenarios()) {
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
    return Json(200, json{{"active", control_.ActiveScenarios()}, {"scenarios", scenarios}});
  }
  if (path == "/_mock/scenarios/active" && method == "PUT") {
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("active") ||
        !body["active"].is_array()) {
      return Message(400, R"(Expected a JSON body {"active": ["name", ...]})");
    }
    std::vector<std::string> names;
    for (const json& name : body["active"]) {
      if (!name.is_string()) return Message(400, "Scenario names must be strings");
      names.push_back(name.get<std::string>());
    }
    auto activated = control_.ActivateScenarios(names);
    if (!activated.ok()) return Message(400, activated.error());
    return Json(200, json{{"active", activated.value()}});
  }
  if (path == "/_mock/scenarios/reset" && method == "POST") {
    control_.ResetScenarios();
    return Json(200, json{{"active", control_.ActiveScenarios()}});
  }
  if (path == "/_mock/requests" && method == "GET") {
    JournalFilter filter;
    const QueryParams query = QueryParams::Parse(parts.query);
    if (const std::string* key = query.Find("accessKeyId")) filter.access_key_id = *key;
    if (const std::string* type = query.Find("errorType")) filter.error_type = *type;
    if (const std::string* status = query.Find("status")) {
      const auto number = ParseInt32(*status);
      if (!number) return Message(400, "status must be an HTTP status code");
      filter.status = *number;
    }
    if (const std::string* since = query.Find("since")) {
      const auto number = ParseInt32(*since);
      if (!number || *number < 0) return Message(400, "since must be a request id");
      filter.since = static_cast<std::uint64_t>(*number);
    }
    // Written entry by entry: a whole JSON document of a full journal would take about 15
    // times the size of its text, and the allocator keeps such peaks.
    HttpResponse response = Json(200, json::object());
    response.body = "{\"requests\":[";
    bool first = true;
    for (const JournalEntry& entry : control_.Requests(filter)) {
      if (!first) response.body += ',';
      first = false;
      response.body += DescribeEntry(entry).dump(-1, ' ', false, json::error_handler_t::replace);
    }
    response.body += "]}";
    return response;
  }
  if (path == "/_mock/requests" && method == "DELETE") {
    control_.ClearRequests();
    return Json(200, json{{"requests", json::array()}});
  }
  if (path == "/_mock/fixtures" && method == "POST") {
    auto seeded = control_.Seed(request.body);
    if (!seeded.ok()) return Json(400, DescribeDiagnostics(seeded.error()));
    return Json(200, DescribeCounts(seeded.value()));
  }
  if (path == "/_mock/fixtures" && method == "DELETE") {
    control_.ClearData();
    return Json(200, DescribeCounts(Store::Counts{}));
  }
  if (path == "/_mock/reset" && method == "POST") {
    auto reset = control_.Reset();
    if (!reset.ok()) return Message(500, reset.error());
    return Json(200, DescribeCounts(reset.value()));
  }
  if (path == "/_mock/metrics" && method == "GET") {
    HttpResponse response;
    response.status = 200;
    response.headers = {{"Content-Type", "text/plain; version=0.0.4"}};
    response.body = control_.Metrics();
    return response;
  }
  HttpResponse response =
      Message(404, "No admin route " + std::string(method) + " " + std::string(path));
  response.error_type = "UnknownAdminRoute";
  return response;
}

}  // namespace datazone_mock
