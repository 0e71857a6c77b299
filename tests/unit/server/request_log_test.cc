#include "server/request_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace datazone_mock {
namespace {

const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764374400123));

HttpResponse ErrorResponse() {
  HttpResponse response;
  response.status = 400;
  response.headers = {{"x-amzn-RequestId", "req-1"}};
  response.error_type = "ValidationException";
  response.reason = "not base64url";
  return response;
}

TEST(RequestLogTest, TextLineHasMethodPathStatusErrorAndLatency) {
  const HttpRequest request{"GET", "/v2/domains/d/jobs/j/runs?nextToken=x", {}, ""};
  EXPECT_EQ(FormatRequestLogLine(LogFormat::kText, kTime, request, ErrorResponse(),
                                 std::chrono::microseconds(1250)),
            "2025-11-29T00:00:00.123Z GET /v2/domains/d/jobs/j/runs?nextToken=(hidden) 400 "
            "ValidationException 1.250ms req-1 (not base64url)\n");
  HttpResponse ok;
  ok.headers = {{"x-amzn-RequestId", "req-2"}};
  EXPECT_EQ(
      FormatRequestLogLine(LogFormat::kText, kTime, request, ok, std::chrono::microseconds(7)),
      "2025-11-29T00:00:00.123Z GET /v2/domains/d/jobs/j/runs?nextToken=(hidden) 200 - 0.007ms "
      "req-2\n");
}

TEST(RequestLogTest, NoTokenValueReachesTheLog) {
  EXPECT_EQ(LoggedTarget("/r?maxResults=5&nextToken=c2VjcmV0&status=FAILED"),
            "/r?maxResults=5&nextToken=(hidden)&status=FAILED");
  EXPECT_EQ(LoggedTarget("/r?nextToken=a&nextToken=b"), "/r?nextToken=(hidden)&nextToken=(hidden)");
  // An empty token shows as sent (it is refused as empty); other names are not touched.
  EXPECT_EQ(LoggedTarget("/r?nextToken=&xnextToken=1&"), "/r?nextToken=&xnextToken=1&");
  EXPECT_EQ(LoggedTarget("/r"), "/r");
  EXPECT_EQ(LoggedTarget("/r?"), "/r?");
}

TEST(RequestLogTest, JsonLineIsOneObject) {
  const HttpRequest request{"GET", "/a\"b", {}, ""};
  EXPECT_EQ(FormatRequestLogLine(LogFormat::kJson, kTime, request, ErrorResponse(),
                                 std::chrono::microseconds(1250)),
            R"({"time":"2025-11-29T00:00:00.123Z","level":"warn","requestId":"req-1",)"
            R"("method":"GET","path":"/a\"b","status":400,"errorType":"ValidationException",)"
            R"("accessKeyId":null,"reason":"not base64url","latency_ms":1.250})"
            "\n");
}

// The JSON line's contract (README.md, "Request log"): every line has the same nine keys, in the
// same order, whatever was or was not known about the request; an absent requestId, errorType
// or accessKeyId is null, never a missing key or an empty string. "reason" is the one optional
// key: present (before latency_ms) exactly when the response gives one.
const std::vector<std::string> kJsonKeys = {"time",      "level",       "requestId",
                                            "method",    "path",        "status",
                                            "errorType", "accessKeyId", "latency_ms"};

std::string JsonLine(const HttpResponse& response) {
  const HttpRequest request{"GET", "/v2/domains/d/jobs/j/runs", {}, ""};
  return FormatRequestLogLine(LogFormat::kJson, kTime, request, response,
                              std::chrono::microseconds(7));
}

// The line parsed (one object, one trailing newline), keys in the order written.
nlohmann::ordered_json ParseJsonLine(const std::string& line) {
  EXPECT_TRUE(!line.empty() && line.find('\n') == line.size() - 1) << line;
  auto parsed = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(parsed.is_object()) << line;
  return parsed;
}

std::vector<std::string> Keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

struct LogCase {
  std::string name;
  HttpResponse response;
};

std::vector<LogCase> LogCases() {
  std::vector<LogCase> cases;
  HttpResponse ok;  // signed caller, request id
  ok.headers = {{"x-amzn-RequestId", "req-2"}};
  ok.caller = "AKIDEXAMPLE";
  cases.push_back({"ok", ok});
  cases.push_back({"ok, nothing known", HttpResponse{}});
  HttpResponse throttled;
  throttled.status = 429;
  throttled.headers = {{"x-amzn-RequestId", "req-3"}};
  throttled.error_type = "ThrottlingException";
  throttled.caller = "AKIDEXAMPLE";
  cases.push_back({"4xx, no reason", throttled});
  cases.push_back({"4xx with a reason", ErrorResponse()});
  HttpResponse unavailable;
  unavailable.status = 503;
  unavailable.error_type = "ServiceUnavailableException";
  cases.push_back({"5xx, no request id", unavailable});
  HttpResponse explained = unavailable;
  explained.reason = "scenario outage rule 1";
  cases.push_back({"5xx with a reason", explained});
  return cases;
}

TEST(RequestLogTest, JsonLinesAlwaysCarryTheSameFields) {
  // Two lines exactly: a success with everything known, a 5xx with nothing known.
  const HttpRequest request{"GET", "/v2/domains/d/jobs/j/runs", {}, ""};
  HttpResponse ok;
  ok.headers = {{"x-amzn-RequestId", "req-2"}};
  ok.caller = "AKIDEXAMPLE";
  EXPECT_EQ(
      FormatRequestLogLine(LogFormat::kJson, kTime, request, ok, std::chrono::microseconds(7)),
      R"({"time":"2025-11-29T00:00:00.123Z","level":"info","requestId":"req-2","method":"GET",)"
      R"("path":"/v2/domains/d/jobs/j/runs","status":200,"errorType":null,)"
      R"("accessKeyId":"AKIDEXAMPLE","latency_ms":0.007})"
      "\n");
  HttpResponse failed;
  failed.status = 503;
  failed.error_type = "ServiceUnavailableException";
  EXPECT_EQ(
      FormatRequestLogLine(LogFormat::kJson, kTime, request, failed, std::chrono::microseconds(7)),
      R"({"time":"2025-11-29T00:00:00.123Z","level":"error","requestId":null,"method":"GET",)"
      R"("path":"/v2/domains/d/jobs/j/runs","status":503,)"
      R"("errorType":"ServiceUnavailableException","accessKeyId":null,"latency_ms":0.007})"
      "\n");

  // Every kind of line: the same keys in the same order, "reason" only when there is one.
  for (const LogCase& log_case : LogCases()) {
    SCOPED_TRACE(log_case.name);
    const auto line = ParseJsonLine(JsonLine(log_case.response));
    std::vector<std::string> expected = kJsonKeys;
    if (!log_case.response.reason.empty()) expected.insert(expected.end() - 1, "reason");
    EXPECT_EQ(Keys(line), expected);
  }
}

TEST(RequestLogTest, JsonAbsentValuesAreNullAndPresentOnesTyped) {
  for (const LogCase& log_case : LogCases()) {
    SCOPED_TRACE(log_case.name);
    const HttpResponse& response = log_case.response;
    const auto line = ParseJsonLine(JsonLine(response));
    ASSERT_TRUE(line.is_object());
    for (const std::string& key : kJsonKeys) {
      ASSERT_TRUE(line.contains(key)) << "no \"" << key << "\" in " << line.dump();
    }
    const auto string_or_null = [&](const char* key, std::string_view value) {
      if (value.empty()) {
        EXPECT_TRUE(line.at(key).is_null()) << key << ": " << line.at(key);
      } else {
        EXPECT_EQ(line.at(key), std::string(value)) << key;
      }
    };
    string_or_null("requestId", response.Header("x-amzn-RequestId"));
    string_or_null("errorType", response.error_type);
    string_or_null("accessKeyId", response.caller);
    EXPECT_EQ(line.at("time"), "2025-11-29T00:00:00.123Z");
    EXPECT_EQ(line.at("level"), response.status >= 500   ? "error"
                                : response.status >= 400 ? "warn"
                                                         : "info");
    EXPECT_EQ(line.at("method"), "GET");
    EXPECT_EQ(line.at("path"), "/v2/domains/d/jobs/j/runs");
    EXPECT_TRUE(line.at("status").is_number_integer());
    EXPECT_EQ(line.at("status"), response.status);
    EXPECT_TRUE(line.at("latency_ms").is_number());
    EXPECT_DOUBLE_EQ(line.at("latency_ms").get<double>(), 0.007);
    if (!response.reason.empty()) {
      EXPECT_EQ(line.at("reason"), response.reason);
    }
  }
}

}  // namespace
}  // namespace datazone_mock
