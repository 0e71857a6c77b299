#include "server/remote_commands.h"

#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/text.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

constexpr const char* kDefaultUrl = "http://127.0.0.1:8484";

struct Connection {
  std::string url;
  std::optional<std::string> admin_token;
};

// An admin call's JSON answer, or why there is none.
struct Answer {
  int status = 0;
  json body;
  std::string problem;  // set when the call failed outright
};

Answer Call(const Connection& connection, const std::string& method, const std::string& path,
            const std::string& body = {}) {
  httplib::Client client(connection.url);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  httplib::Headers headers;
  if (connection.admin_token) {
    headers.emplace("Authorization", "Bearer " + *connection.admin_token);
  }
  const httplib::Result result = method == "POST"
                                     ? client.Post(path, headers, body, "application/json")
                                     : client.Get(path, headers);
  Answer answer;
  if (!result) {
    answer.problem = "cannot reach " + connection.url + " (" + httplib::to_string(result.error()) +
                     "); is datazone-mock running there?";
    return answer;
  }
  answer.status = result->status;
  answer.body = json::parse(result->body, nullptr, false);
  if (answer.body.is_discarded()) {
    answer.problem = connection.url + path + " did not answer JSON (status " +
                     std::to_string(result->status) + ")";
  } else if (result->status >= 400 && result->status != 404) {
    answer.problem =
        answer.body.value("message", std::string("HTTP ") + std::to_string(result->status));
  }
  return answer;
}

std::string Text(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// "GET /v2/...?a=b" of a journal entry.
std::string RequestLine(const json& entry) {
  std::string line = Text(entry["method"]) + " " + Text(entry["path"]);
  std::string query;
  for (const auto& [name, value] : entry["query"].items()) {
    query += (query.empty() ? "?" : "&") + name + "=" + Text(value);
  }
  return line + query;
}

std::string Outcome(const json& entry) {
  std::string outcome = Text(entry["status"]);
  if (!entry["errorType"].is_null()) outcome += " " + Text(entry["errorType"]);
  if (!entry["scenario"].is_null()) {
    outcome += " (scenario " + Text(entry["scenario"]);
    if (!entry["rule"].is_null()) outcome += " rule " + Text(entry["rule"]);
    outcome += ")";
  }
  return outcome;
}

void PrintEntry(const json& entry, std::FILE* out) {
  std::fprintf(out, "request %s  %s\n", Text(entry["id"]).c_str(), RequestLine(entry).c_str());
  std::fprintf(out, "  caller %s, %s, %s ms, %s\n",
               entry["accessKeyId"].get<std::string>().empty() ? "(unsigned)"
                                                               : Text(entry["accessKeyId"]).c_str(),
               Text(entry["state"]).c_str(), Text(entry["latencyMs"]).c_str(),
               Text(entry["time"]).c_str());
  std::fprintf(out, "  answer %s, x-amzn-RequestId %s\n", Outcome(entry).c_str(),
               Text(entry["requestId"]).c_str());
  if (!entry["reason"].is_null()) std::fprintf(out, "  reason %s\n", Text(entry["reason"]).c_str());
  const json& trace = entry["trace"];
  if (trace.empty()) {
    std::fprintf(out, "  (no trace: the mock runs with --trace off)\n");
    return;
  }
  std::fprintf(out, "  why:\n");
  int number = 0;
  for (const json& step : trace) {
    std::fprintf(out, "  %2d. %-15s %-12s %s\n", ++number, Text(step["step"]).c_str(),
                 Text(step["outcome"]).c_str(), Text(step["detail"]).c_str());
  }
}

int Explain(const Connection& connection, const std::vector<std::string>& rest, std::FILE* out,
            std::FILE* err) {
  if (rest.size() > 1) {
    std::fprintf(err, "datazone-mock explain: give one request id (or last)\n");
    return 2;
  }
  const std::string id = rest.empty() ? "last" : rest.front();
  json entry;
  if (id == "last") {
    const Answer answer = Call(connection, "GET", "/_mock/requests");
    if (!answer.problem.empty()) {
      std::fprintf(err, "datazone-mock explain: %s\n", answer.problem.c_str());
      return 2;
    }
    const json& requests = answer.body["requests"];
    if (requests.empty()) {
      std::fprintf(err, "datazone-mock explain: the journal is empty\n");
      return 2;
    }
    entry = requests.back();
  } else {
    const Answer answer = Call(connection, "GET", "/_mock/requests/" + id);
    if (!answer.problem.empty() || answer.status == 404) {
      std::fprintf(
          err, "datazone-mock explain: %s\n",
          answer.problem.empty() ? Text(answer.body["message"]).c_str() : answer.problem.c_str());
      return 2;
    }
    entry = answer.body;
  }
  PrintEntry(entry, out);
  return 0;
}

int Verify(const Connection& connection, const std::vector<std::string>& rest, std::FILE* out,
           std::FILE* err) {
  json where = json::object();
  json body = json::object();
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& arg = rest[i];
    if (i + 1 >= rest.size()) {
      std::fprintf(err, "datazone-mock verify: %s needs a value\n", arg.c_str());
      return 2;
    }
    const std::string& value = rest[++i];
    if (arg == "--where") {
      const std::size_t equals = value.find('=');
      if (equals == std::string::npos || equals == 0) {
        std::fprintf(err, "datazone-mock verify: --where takes NAME=VALUE, not '%s'\n",
                     value.c_str());
        return 2;
      }
      const std::string name = value.substr(0, equals);
      const std::string text = value.substr(equals + 1);
      if (name.rfind("query.", 0) == 0) {
        where["query"][name.substr(6)] = text;
      } else if (name == "status" || name == "rule") {
        const auto number = ParseNumber<int>(text);
        if (!number) {
          std::fprintf(err, "datazone-mock verify: %s must be a whole number\n", name.c_str());
          return 2;
        }
        where[name] = *number;
      } else {
        where[name] = text;  // the mock refuses a member it does not know, by name
      }
    } else if (arg == "--count" || arg == "--at-least" || arg == "--at-most") {
      const auto number = ParseNumber<std::uint64_t>(value);
      if (!number) {
        std::fprintf(err, "datazone-mock verify: %s takes a whole number\n", arg.c_str());
        return 2;
      }
      body[arg == "--count" ? "count" : arg == "--at-least" ? "atLeast" : "atMost"] = *number;
    } else {
      std::fprintf(err, "datazone-mock verify: unknown argument '%s'\n", arg.c_str());
      return 2;
    }
  }
  body["where"] = where;
  const Answer answer = Call(connection, "POST", "/_mock/verify", body.dump());
  if (!answer.problem.empty()) {
    std::fprintf(err, "datazone-mock verify: %s\n", answer.problem.c_str());
    return 2;
  }
  const json& result = answer.body;
  const auto expected = result["expected"].items().begin();
  const std::string wanted = (expected.key() == "count"     ? "exactly "
                              : expected.key() == "atLeast" ? "at least "
                                                            : "at most ") +
                             Text(expected.value());
  const bool ok = result["ok"].get<bool>();
  std::fprintf(out, "%s: %s matching request(s), expected %s\n", ok ? "ok" : "FAILED",
               Text(result["count"]).c_str(), wanted.c_str());
  if (!ok && !result["nearMisses"].empty()) {
    std::fprintf(out, "near misses:\n");
    for (const json& miss : result["nearMisses"]) {
      std::string differs;
      for (const json& name : miss["differs"]) {
        differs += (differs.empty() ? "" : ", ") + Text(name);
      }
      const json& request = miss["request"];
      std::fprintf(out, "  #%s %s -> %s by %s; differs in: %s\n", Text(request["id"]).c_str(),
                   RequestLine(request).c_str(), Outcome(request).c_str(),
                   Text(request["accessKeyId"]).c_str(), differs.c_str());
    }
  }
  return ok ? 0 : 1;
}

void PrintCounts(std::FILE* out, const char* title, const json& counts) {
  std::fprintf(out, "%s:", title);
  if (counts.empty()) std::fprintf(out, " none");
  for (const auto& [name, count] : counts.items()) {
    std::fprintf(out, " %s=%s", name.c_str(), Text(count).c_str());
  }
  std::fprintf(out, "\n");
}

int Coverage(const Connection& connection, const std::vector<std::string>& rest, std::FILE* out,
             std::FILE* err) {
  const bool as_json = rest.size() == 1 && rest.front() == "--json";
  if (!rest.empty() && !as_json) {
    std::fprintf(err, "datazone-mock coverage: unknown argument '%s'\n", rest.front().c_str());
    return 2;
  }
  const Answer answer = Call(connection, "GET", "/_mock/coverage");
  if (!answer.problem.empty()) {
    std::fprintf(err, "datazone-mock coverage: %s\n", answer.problem.c_str());
    return 2;
  }
  const json& report = answer.body;
  if (as_json) {
    std::fprintf(out, "%s\n", report.dump(2).c_str());
    return 0;
  }
  const json& input = report["input"];
  std::fprintf(out, "ListJobRuns requests: %s\n", Text(report["requests"]).c_str());
  PrintCounts(out, "members sent", input["membersSent"]);
  PrintCounts(out, "status filters", input["status"]);
  PrintCounts(out, "sort orders", input["sortOrder"]);
  const json& max = input["maxResults"];
  std::fprintf(out, "maxResults: min=%s max=%s default=%s refused=%s\n", Text(max["min"]).c_str(),
               Text(max["max"]).c_str(), Text(max["default"]).c_str(),
               Text(max["refused"]).c_str());
  PrintCounts(out, "nextToken", input["nextToken"]);
  PrintCounts(out, "answers", report["answers"]);
  std::fprintf(out, "scenario rules (decided):\n");
  for (const json& rule : report["rules"]) {
    std::fprintf(out, "  %-28s rule %-3s %8s%s\n", Text(rule["scenario"]).c_str(),
                 Text(rule["rule"]).c_str(), Text(rule["decided"]).c_str(),
                 rule["active"].get<bool>() ? "  (active)" : "");
  }
  std::fprintf(out, "jobs (deepest page):\n");
  for (const json& job : report["jobs"]) {
    std::fprintf(out, "  %-24s %-28s %s\n", Text(job["domain"]).c_str(), Text(job["job"]).c_str(),
                 job["deepestPage"].is_null() ? "never listed" : Text(job["deepestPage"]).c_str());
  }
  return 0;
}

}  // namespace

bool IsRemoteCommand(const std::vector<std::string>& args) {
  return !args.empty() &&
         (args.front() == "explain" || args.front() == "verify" || args.front() == "coverage");
}

int RunRemoteCommand(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  const std::string command = args.front();
  Connection connection;
  const char* url = std::getenv("DATAZONE_MOCK_URL");
  connection.url = url && *url ? url : kDefaultUrl;
  std::vector<std::string> rest;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--url" || args[i] == "--admin-token") {
      if (i + 1 >= args.size()) {
        std::fprintf(err, "datazone-mock %s: %s needs a value\n", command.c_str(), args[i].c_str());
        return 2;
      }
      (args[i] == "--url" ? connection.url : connection.admin_token.emplace()) = args[i + 1];
      ++i;
    } else {
      rest.push_back(args[i]);
    }
  }
  while (!connection.url.empty() && connection.url.back() == '/') connection.url.pop_back();
  if (command == "explain") return Explain(connection, rest, out, err);
  if (command == "verify") return Verify(connection, rest, out, err);
  return Coverage(connection, rest, out, err);
}

}  // namespace datazone_mock
