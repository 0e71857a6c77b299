#include "service/admin_json.h"

#include <chrono>

#include "core/time_format.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

json DescribeRule(const Rule& rule, const RuleStats& stats) {
  json when = json::object();
  if (rule.when.domain) when["domain"] = *rule.when.domain;
  if (rule.when.job) when["job"] = *rule.when.job;
  if (rule.when.access_key_id) when["accessKeyId"] = *rule.when.access_key_id;
  if (rule.when.status) when["status"] = *rule.when.status;
  if (rule.when.page) when["page"] = ToString(*rule.when.page);
  if (rule.when.token) {
    when["token"] = *rule.when.token == TokenCondition::kPresent ? "present" : "absent";
  }
  if (rule.when.calls) when["calls"] = ToString(*rule.when.calls);
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
  if (const auto& page = rule.respond.page) {
    json shape = json::object();
    if (page->limit) shape["limit"] = *page->limit;
    if (page->trailing_empty) shape["trailingEmpty"] = true;
    if (page->repeat_token) shape["repeatToken"] = true;
    respond["page"] = shape;
  }
  return json{{"when", when},
              {"respond", respond},
              {"matched", stats.matched},
              {"decided", stats.decided},
              {"source", rule.location.ToString()}};
}

}  // namespace

HttpResponse AdminJson(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

HttpResponse AdminMessage(int status, std::string_view message) {
  return AdminJson(status, json{{"message", message}});
}

json DescribeScenarioStatus(const ScenarioStatus& status) {
  const Scenario& scenario = *status.scenario;
  json rules = json::array();
  for (std::size_t i = 0; i < scenario.rules.size(); ++i) {
    rules.push_back(DescribeRule(scenario.rules[i], status.rules[i]));
  }
  json entry{{"name", scenario.name},   {"description", scenario.description},
             {"active", status.active}, {"file", scenario.file},
             {"rules", rules},          {"throttled", status.throttled}};
  entry["addedAtRunTime"] = status.added_at_run_time;
  if (scenario.rate_limit) {
    entry["rateLimit"] = {{"perSecond", scenario.rate_limit->per_second},
                          {"burst", scenario.rate_limit->burst},
                          {"scope", std::string(ToString(scenario.rate_limit->scope))}};
  }
  return entry;
}

json DescribeCounts(const Store::Counts& counts) {
  return json{{"domains", counts.domains}, {"jobs", counts.jobs}, {"runs", counts.runs}};
}

json DescribeJournalEntry(const JournalEntry& entry) {
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
  out["rule"] = entry.rule == kNoRule ? json(nullptr) : json(entry.rule);
  out["errorType"] = entry.error_type.empty() ? json(nullptr) : json(entry.error_type);
  out["reason"] = entry.reason.empty() ? json(nullptr) : json(entry.reason);
  out["page"] = entry.page == 0 ? json(nullptr) : json(entry.page);
  out["state"] = entry.in_flight ? "in-flight" : entry.delivered ? "answered" : "not delivered";
  json trace = json::array();
  for (const TraceStep& step : entry.trace) {
    trace.push_back(json{{"step", step.step}, {"outcome", step.outcome}, {"detail", step.detail}});
  }
  out["trace"] = std::move(trace);
  return out;
}

json DescribeVerifyResult(const VerifyResult& result) {
  json expected = json::object();
  const char* kind = result.expected.kind == CountExpectation::Kind::kExactly   ? "count"
                     : result.expected.kind == CountExpectation::Kind::kAtLeast ? "atLeast"
                                                                                : "atMost";
  expected[kind] = result.expected.count;
  json misses = json::array();
  for (const NearMiss& miss : result.near_misses) {
    json request = DescribeJournalEntry(miss.entry);
    request.erase("trace");  // the near miss says what differs; the trace is one call away
    misses.push_back(json{{"request", std::move(request)}, {"differs", miss.differs}});
  }
  return json{
      {"ok", result.ok}, {"count", result.count}, {"expected", expected}, {"nearMisses", misses}};
}

json DescribeCoverage(const CoverageReport& report) {
  json rules = json::array();
  for (const auto& rule : report.rules) {
    rules.push_back(json{{"scenario", rule.scenario},
                         {"rule", rule.rule},
                         {"active", rule.active},
                         {"decided", rule.decided}});
  }
  json jobs = json::array();
  json never = json::array();
  for (const auto& job : report.jobs) {
    jobs.push_back(
        json{{"domain", job.domain},
             {"job", job.job},
             {"deepestPage", job.deepest_page == 0 ? json(nullptr) : json(job.deepest_page)}});
    if (job.deepest_page == 0) never.push_back(json{{"domain", job.domain}, {"job", job.job}});
  }
  const auto& max = report.max_results;
  return json{{"requests", report.requests},
              {"input",
               {{"membersSent", report.members_sent},
                {"status", report.status_filters},
                {"sortOrder", report.sort_orders},
                {"maxResults",
                 {{"min", max.min ? json(*max.min) : json(nullptr)},
                  {"max", max.max ? json(*max.max) : json(nullptr)},
                  {"default", max.defaulted},
                  {"refused", max.refused}}},
                {"nextToken",
                 {{"without", report.tokens.without},
                  {"with", report.tokens.with},
                  {"refused", report.tokens.refused}}}}},
              {"answers", report.answers},
              {"rules", rules},
              {"jobs", jobs},
              {"jobsNeverListed", never}};
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

}  // namespace datazone_mock
