#include "service/admin_service.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>

#include "api/query_string.h"
#include "core/text.h"
#include "core/time_format.h"
#include "service/admin_json.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

// What a route accepts as its body. Anything else is refused before the handler runs, so a
// handler never has to guess at input it does not know.
enum class Body {
  kNone,        // no body (an empty one is the same)
  kJsonObject,  // a JSON object with only the route's declared members
  kDocument,    // a document in one of the file schemas (YAML or JSON), checked by the control
};

// One admin call, already checked against its route's declaration.
struct AdminCall {
  const HttpRequest& request;
  std::map<std::string, std::string, std::less<>> query;  // declared parameters that were sent
  json body;                                              // Body::kJsonObject only
  std::map<std::string, std::string, std::less<>> path;   // {name} segments of the route

  const std::string* Query(std::string_view name) const {
    const auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  }
};

using Handler = HttpResponse (*)(MockControl& control, const AdminCall& call);

// One admin route: how it is called and what it takes. The table below is the admin API.
struct AdminRoute {
  std::string_view method;
  std::string_view path;  // segments; "{name}" matches one segment, percent-decoded
  std::initializer_list<std::string_view> query;  // the query parameters it takes
  Body body;
  std::initializer_list<std::string_view> members;  // Body::kJsonObject: the members it takes
  Handler handler;
};

// The namespace a call names with ?accessKeyId= (README, "Sharing one mock"): none for the
// global one. An empty key names nobody and is refused.
Result<CallerKey, HttpResponse> CallerOf(const AdminCall& call) {
  const std::string* key = call.Query("accessKeyId");
  if (!key) return CallerKey{};
  if (key->empty()) return AdminMessage(400, "accessKeyId must not be empty; nothing was changed");
  return CallerKey{*key};
}

HttpResponse Health(MockControl& control, const AdminCall&) {
  const HealthInfo health = control.Health();
  json body{{"status", health.last_reload_ok ? "ok" : "degraded"},
            {"version", health.version},
            {"uptimeSeconds", health.uptime_seconds},
            {"domains", health.counts.domains},
            {"jobs", health.counts.jobs},
            {"runs", health.counts.runs},
            {"activeScenarios", health.active_scenarios},
            {"lastReload", {{"ok", health.last_reload_ok}}}};
  if (!health.last_reload_ok) body["lastReload"]["error"] = health.last_reload_error;
  return AdminJson(200, body);
}

HttpResponse ListScenarios(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  json scenarios = json::array();
  for (const ScenarioStatus& status : control.Scenarios(caller.value())) {
    scenarios.push_back(DescribeScenarioStatus(status));
  }
  return AdminJson(
      200, json{{"active", control.ActiveScenarios(caller.value())}, {"scenarios", scenarios}});
}

HttpResponse ActivateScenarios(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  const auto active = call.body.find("active");
  if (active == call.body.end() || !active->is_array()) {
    return AdminMessage(400, R"(Expected a JSON body {"active": ["name", ...]})");
  }
  std::vector<std::string> names;
  for (const json& name : *active) {
    if (!name.is_string()) return AdminMessage(400, "Scenario names must be strings");
    names.push_back(name.get<std::string>());
  }
  auto activated = control.ActivateScenarios(names, caller.value());
  if (!activated.ok()) return AdminMessage(400, activated.error());
  return AdminJson(200, json{{"active", activated.value()}});
}

HttpResponse ResetScenarios(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  control.ResetScenarios(caller.value());
  return AdminJson(200, json{{"active", control.ActiveScenarios(caller.value())}});
}

HttpResponse ListRequests(MockControl& control, const AdminCall& call) {
  JournalFilter filter;
  if (const std::string* key = call.Query("accessKeyId")) filter.access_key_id = *key;
  if (const std::string* type = call.Query("errorType")) filter.error_type = *type;
  if (const std::string* status = call.Query("status")) {
    const auto number = ParseNumber<int>(*status);
    if (!number || *number < 100 || *number > 599) {
      return AdminMessage(400, "status must be an HTTP status code");
    }
    filter.status = *number;
  }
  if (const std::string* since = call.Query("since")) {
    const auto number = ParseNumber<std::uint64_t>(*since);
    if (!number) return AdminMessage(400, "since must be a request id");
    filter.since = *number;
  }
  // Written entry by entry: a whole JSON document of a full journal would take about 15 times
  // the size of its text, and the allocator keeps such peaks.
  HttpResponse response = AdminJson(200, json::object());
  response.body = "{\"inFlight\":[";
  bool first_waiting = true;
  for (const JournalEntry& waiting : control.InFlight()) {
    if (filter.access_key_id && waiting.access_key_id != *filter.access_key_id) continue;
    if (!first_waiting) response.body += ',';
    first_waiting = false;
    response.body +=
        DescribeJournalEntry(waiting).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  response.body += "],\"requests\":[";
  bool first = true;
  for (const JournalEntry& entry : control.Requests(filter)) {
    if (!first) response.body += ',';
    first = false;
    response.body +=
        DescribeJournalEntry(entry).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  response.body += "]}";
  return response;
}

HttpResponse ClearRequests(MockControl& control, const AdminCall&) {
  control.ClearRequests();
  return AdminJson(200, json{{"requests", json::array()}});
}

HttpResponse SeedFixtures(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  auto seeded = control.Seed(call.request.body, caller.value());
  if (!seeded.ok()) return AdminJson(400, DescribeDiagnostics(seeded.error()));
  return AdminJson(200, DescribeCounts(seeded.value()));
}

HttpResponse ListJobs(MockControl& control, const AdminCall&) {
  json jobs = json::array();
  for (const JobSummary& job : control.Jobs()) {
    jobs.push_back(json{
        {"domain", job.domain}, {"job", job.job}, {"jobType", job.job_type}, {"runs", job.runs}});
  }
  return AdminJson(200, json{{"jobs", jobs}});
}

HttpResponse ClearFixtures(MockControl& control, const AdminCall&) {
  control.ClearData();
  return AdminJson(200, DescribeCounts(Store::Counts{}));
}

HttpResponse Reset(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  if (caller.value()) {
    control.ResetCaller(*caller.value());
    return AdminJson(200, json{{"reset", *caller.value()}});
  }
  auto reset = control.Reset();
  if (!reset.ok()) return AdminMessage(500, reset.error());
  return AdminJson(200, DescribeCounts(reset.value()));
}

HttpResponse DescribeClock(const DataClock::State& state) {
  return AdminJson(200, json{{"now", FormatRfc3339(state.now)}, {"frozen", state.frozen}});
}

HttpResponse GetClock(MockControl& control, const AdminCall&) {
  return DescribeClock(control.ClockState());
}

// One change per call: {"advance":"90s"}, {"set":"<RFC 3339>"} or {"freeze":true|false}.
HttpResponse ChangeClock(MockControl& control, const AdminCall& call) {
  if (call.body.size() != 1) {
    return AdminMessage(400,
                        R"(Expected one of {"advance":"90s"}, {"set":"2025-07-01T00:05:00Z"}, )"
                        R"({"freeze":true} or {"freeze":false}; the clock is unchanged)");
  }
  // The member as an iterator of the body itself: items() is a proxy that must not outlive
  // the statement that made it.
  const auto member = call.body.begin();
  const std::string key = member.key();
  const json& value = member.value();
  Result<DataClock::State, std::string> changed = std::string();
  if (key == "freeze") {
    if (!value.is_boolean()) return AdminMessage(400, "freeze must be true or false");
    changed = control.FreezeClock(value.get<bool>());
  } else if (!value.is_string()) {
    return AdminMessage(400, key + " must be a string; the clock is unchanged");
  } else if (key == "advance") {
    const auto duration = ParseDurationMs(value.get<std::string>());
    if (!duration) {
      return AdminMessage(400,
                          "advance must be a duration such as 500ms, 90s, 15m, 2h or 1d; "
                          "the clock is unchanged");
    }
    changed = control.AdvanceClock(*duration);
  } else {
    const auto at = ParseTimestamp(value.get<std::string>());
    if (!at) {
      return AdminMessage(400,
                          "set must be an RFC 3339 time such as 2025-07-01T00:05:00Z; the "
                          "clock is unchanged");
    }
    changed = control.SetClock(*at);
  }
  if (!changed.ok()) return AdminMessage(400, changed.error() + "; the clock is unchanged");
  return DescribeClock(changed.value());
}

HttpResponse DeleteRun(MockControl& control, const AdminCall& call) {
  const std::string& domain = call.path.at("domainId");
  const std::string& job = call.path.at("jobId");
  const std::string& run = call.path.at("runId");
  if (!control.DeleteRun(domain, job, run)) {
    return AdminMessage(404, "No run " + run + " in job " + job + " of domain " + domain);
  }
  return AdminJson(200, json{{"deleted", run}});
}

HttpResponse PutRun(MockControl& control, const AdminCall& call) {
  const std::string& run = call.path.at("runId");
  auto put =
      control.PutRun(call.path.at("domainId"), call.path.at("jobId"), run, call.request.body);
  if (!put.ok()) {
    const PutRunProblem& problem = put.error();
    if (problem.not_found) return AdminMessage(404, problem.message);
    if (!problem.problems.empty()) return AdminJson(400, DescribeDiagnostics(problem.problems));
    return AdminMessage(400, problem.message);
  }
  return AdminJson(put.value() ? 201 : 200, json{{put.value() ? "created" : "replaced", run}});
}

HttpResponse Metrics(MockControl& control, const AdminCall&) {
  HttpResponse response;
  response.status = 200;
  response.headers = {{"Content-Type", "text/plain; version=0.0.4"}};
  response.body = control.Metrics();
  return response;
}

HttpResponse GetRequest(MockControl& control, const AdminCall& call) {
  const std::string& id = call.path.at("id");
  const auto entry = control.Request(id);
  if (!entry) {
    return AdminMessage(404, "No request " + id +
                                 " in the journal (a journal id or an x-amzn-RequestId; the "
                                 "journal keeps the last --journal-size requests)");
  }
  return AdminJson(200, DescribeJournalEntry(*entry));
}

// `where` of POST /_mock/verify, member by member; anything else is refused by name.
Result<RequestPattern, std::string> ParseWhere(const json& where) {
  RequestPattern pattern;
  if (!where.is_object()) return std::string("where must be a JSON object");
  for (auto member = where.begin(); member != where.end(); ++member) {
    const std::string& key = member.key();
    const json& value = member.value();
    const auto text = [&](std::optional<std::string>& out) -> std::optional<std::string> {
      if (!value.is_string()) return "where." + key + " must be a string";
      out = value.get<std::string>();
      return std::nullopt;
    };
    const auto number = [&](std::optional<int>& out) -> std::optional<std::string> {
      if (!value.is_number_integer()) return "where." + key + " must be a whole number";
      out = value.get<int>();
      return std::nullopt;
    };
    std::optional<std::string> problem;
    if (key == "accessKeyId") {
      problem = text(pattern.access_key_id);
    } else if (key == "invocationId") {
      problem = text(pattern.invocation_id);
    } else if (key == "status") {
      problem = number(pattern.status);
    } else if (key == "errorType") {
      problem = text(pattern.error_type);
    } else if (key == "domain") {
      problem = text(pattern.domain);
    } else if (key == "job") {
      problem = text(pattern.job);
    } else if (key == "scenario") {
      problem = text(pattern.scenario);
    } else if (key == "rule") {
      problem = number(pattern.rule);
    } else if (key == "query") {
      if (!value.is_object()) return std::string("where.query must be a JSON object");
      for (auto q = value.begin(); q != value.end(); ++q) {
        if (q.value().is_null()) {
          pattern.query.emplace_back(q.key(), std::nullopt);  // must be absent
        } else if (q.value().is_string()) {
          pattern.query.emplace_back(q.key(), q.value().get<std::string>());
        } else {
          return "where.query." + q.key() + " must be a string, or null for absent";
        }
      }
    } else {
      return "where takes no member '" + key +
             "' (it takes: accessKeyId, invocationId, status, errorType, domain, job, query, "
             "scenario, rule)";
    }
    if (problem) return *problem;
  }
  return pattern;
}

HttpResponse VerifyRequests(MockControl& control, const AdminCall& call) {
  RequestPattern pattern;
  if (const auto where = call.body.find("where"); where != call.body.end()) {
    auto parsed = ParseWhere(*where);
    if (!parsed.ok()) return AdminMessage(400, parsed.error());
    pattern = std::move(parsed).value();
  }
  std::optional<CountExpectation> expected;
  for (const auto& [name, kind] :
       {std::pair<const char*, CountExpectation::Kind>{"count", CountExpectation::Kind::kExactly},
        {"atLeast", CountExpectation::Kind::kAtLeast},
        {"atMost", CountExpectation::Kind::kAtMost}}) {
    const auto member = call.body.find(name);
    if (member == call.body.end()) continue;
    if (expected) return AdminMessage(400, "Give one of count, atLeast, atMost");
    if (!member->is_number_unsigned()) {
      return AdminMessage(400, std::string(name) + " must be a whole number, 0 or more");
    }
    expected = CountExpectation{kind, member->get<std::uint64_t>()};
  }
  // Without a count: at least one, what "was it called?" means.
  return AdminJson(
      200, DescribeVerifyResult(control.Verify(pattern, expected.value_or(CountExpectation{}))));
}

HttpResponse Coverage(MockControl& control, const AdminCall&) {
  return AdminJson(200, DescribeCoverage(control.Coverage()));
}

HttpResponse AddScenario(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  auto added = control.AddScenario(call.request.body, caller.value());
  if (!added.ok()) return AdminJson(400, DescribeDiagnostics(added.error()));
  const AddedScenario& scenario = added.value();
  return AdminJson(scenario.replaced ? 200 : 201,
                   json{{scenario.replaced ? "replaced" : "added", scenario.name}});
}

HttpResponse RemoveScenario(MockControl& control, const AdminCall& call) {
  auto caller = CallerOf(call);
  if (!caller.ok()) return std::move(caller).error();
  const std::string& name = call.path.at("name");
  auto removed = control.RemoveScenario(name, caller.value());
  if (!removed.ok()) {
    return AdminMessage(removed.error().not_found ? 404 : 400, removed.error().message);
  }
  return AdminJson(200, json{{"deleted", name}});
}

const AdminRoute kRoutes[] = {
    {"GET", "/_mock/health", {}, Body::kNone, {}, Health},
    {"GET", "/_mock/scenarios", {"accessKeyId"}, Body::kNone, {}, ListScenarios},
    {"POST", "/_mock/scenarios", {"accessKeyId"}, Body::kDocument, {}, AddScenario},
    {"DELETE", "/_mock/scenarios/{name}", {"accessKeyId"}, Body::kNone, {}, RemoveScenario},
    {"PUT",
     "/_mock/scenarios/active",
     {"accessKeyId"},
     Body::kJsonObject,
     {"active"},
     ActivateScenarios},
    {"POST", "/_mock/scenarios/reset", {"accessKeyId"}, Body::kNone, {}, ResetScenarios},
    {"GET",
     "/_mock/requests",
     {"accessKeyId", "errorType", "status", "since"},
     Body::kNone,
     {},
     ListRequests},
    {"GET", "/_mock/requests/{id}", {}, Body::kNone, {}, GetRequest},
    {"DELETE", "/_mock/requests", {}, Body::kNone, {}, ClearRequests},
    {"POST",
     "/_mock/verify",
     {},
     Body::kJsonObject,
     {"where", "count", "atLeast", "atMost"},
     VerifyRequests},
    {"GET", "/_mock/coverage", {}, Body::kNone, {}, Coverage},
    {"POST", "/_mock/fixtures", {"accessKeyId"}, Body::kDocument, {}, SeedFixtures},
    {"GET", "/_mock/fixtures", {}, Body::kNone, {}, ListJobs},
    {"DELETE", "/_mock/fixtures", {}, Body::kNone, {}, ClearFixtures},
    {"DELETE", "/_mock/fixtures/{domainId}/{jobId}/runs/{runId}", {}, Body::kNone, {}, DeleteRun},
    {"PUT", "/_mock/fixtures/{domainId}/{jobId}/runs/{runId}", {}, Body::kDocument, {}, PutRun},
    {"POST", "/_mock/reset", {"accessKeyId"}, Body::kNone, {}, Reset},
    {"GET", "/_mock/metrics", {}, Body::kNone, {}, Metrics},
    {"GET", "/_mock/clock", {}, Body::kNone, {}, GetClock},
    {"POST", "/_mock/clock", {}, Body::kJsonObject, {"advance", "set", "freeze"}, ChangeClock},
};

std::string JoinNames(std::initializer_list<std::string_view> names) {
  if (names.size() == 0) return "none";
  std::string out;
  for (const std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// The {name} segments of `path` when it has the route's shape, or nullopt.
std::optional<std::map<std::string, std::string, std::less<>>> MatchPath(std::string_view pattern,
                                                                         std::string_view path) {
  std::map<std::string, std::string, std::less<>> params;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return std::nullopt;
    const std::size_t pattern_end = pattern.find('/', 1);
    const std::size_t path_end = path.find('/', 1);
    std::string_view want = pattern.substr(0, pattern_end);
    const std::string_view got = path.substr(0, path_end);
    if (want.size() > 2 && want.substr(0, 2) == "/{" && want.back() == '}') {
      const auto decoded = PercentDecode(got.substr(1), false);
      if (got.size() < 2 || !decoded || decoded->empty()) return std::nullopt;
      want.remove_prefix(2);
      want.remove_suffix(1);
      params.emplace(std::string(want), *decoded);
    } else if (want != got) {
      return std::nullopt;
    }
    pattern =
        pattern_end == std::string_view::npos ? std::string_view() : pattern.substr(pattern_end);
    path = path_end == std::string_view::npos ? std::string_view() : path.substr(path_end);
  }
  return params;
}

std::string RouteName(const AdminRoute& route) {
  return std::string(route.method) + " " + std::string(route.path);
}

// Checks the call against the route's declaration: every query parameter and body member must
// be one the route takes, given once. A refusal names what was not understood, and the handler
// (so the mock's state) is never reached.
Result<AdminCall, HttpResponse> CheckCall(const AdminRoute& route, const HttpRequest& request,
                                          std::string_view raw_query) {
  AdminCall call{request, {}, json(), {}};
  const QueryParams params = QueryParams::Parse(raw_query);
  for (const auto& [name, value] : params.entries()) {
    if (std::find(route.query.begin(), route.query.end(), name) == route.query.end()) {
      return AdminMessage(400, RouteName(route) + " takes no query parameter '" + name +
                                   "' (it takes: " + JoinNames(route.query) +
                                   "); nothing was changed");
    }
    if (!call.query.emplace(name, value).second) {
      return AdminMessage(400, "The query parameter '" + name + "' was given more than once; " +
                                   "nothing was changed");
    }
  }
  const bool blank_body = std::all_of(request.body.begin(), request.body.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  switch (route.body) {
    case Body::kNone:
      if (!blank_body) {
        return AdminMessage(400, RouteName(route) + " takes no body; nothing was changed");
      }
      break;
    case Body::kDocument:
      break;
    case Body::kJsonObject: {
      call.body = json::parse(request.body, nullptr, false);
      if (call.body.is_discarded() || !call.body.is_object()) {
        return AdminMessage(400, RouteName(route) + " takes a JSON object with the members: " +
                                     JoinNames(route.members) + "; nothing was changed");
      }
      for (const auto& member : call.body.items()) {
        if (std::find(route.members.begin(), route.members.end(), member.key()) ==
            route.members.end()) {
          return AdminMessage(400, RouteName(route) + " takes no member '" + member.key() +
                                       "' (it takes: " + JoinNames(route.members) +
                                       "); nothing was changed");
        }
      }
      break;
    }
  }
  return call;
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

  // Health checks stay open (docs/decisions.md, "Admin vs auth"); everything else, unknown
  // routes included, needs the token: a refusal must not tell what exists.
  if (!(path == "/_mock/health" && method == "GET") && !Authorized(request)) {
    HttpResponse denied = AdminMessage(401,
                                       "The admin API needs the header 'Authorization: Bearer "
                                       "<token>' with the token given by --admin-token.");
    denied.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"datazone-mock\"");
    return denied;
  }

  std::string allowed;  // the methods `path` takes, when it is a route but not for `method`
  for (const AdminRoute& route : kRoutes) {
    auto params = MatchPath(route.path, path);
    if (!params) continue;
    if (route.method != method) {
      if (!allowed.empty()) allowed += ", ";
      allowed += route.method;
      continue;
    }
    auto call = CheckCall(route, request, parts.query);
    if (!call.ok()) return std::move(call).error();
    call.value().path = std::move(*params);
    return route.handler(control_, call.value());
  }
  if (!allowed.empty()) {
    HttpResponse response =
        AdminMessage(405, std::string(path) + " takes " + allowed + ", not " + std::string(method));
    response.headers.emplace_back("Allow", allowed);
    response.error_type = "MethodNotAllowed";
    return response;
  }
  HttpResponse response =
      AdminMessage(404, "No admin route " + std::string(method) + " " + std::string(path));
  response.error_type = "UnknownAdminRoute";
  return response;
}

}  // namespace datazone_mock
