#include "server/request_log.h"

#include <gtest/gtest.h>

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
            "2025-11-29T00:00:00.123Z GET /v2/domains/d/jobs/j/runs?nextToken=x 400 "
            "ValidationException 1.250ms req-1 (not base64url)\n");
  HttpResponse ok;
  ok.headers = {{"x-amzn-RequestId", "req-2"}};
  EXPECT_EQ(
      FormatRequestLogLine(LogFormat::kText, kTime, request, ok, std::chrono::microseconds(7)),
      "2025-11-29T00:00:00.123Z GET /v2/domains/d/jobs/j/runs?nextToken=x 200 - 0.007ms "
      "req-2\n");
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

TEST(RequestLogTest, JsonLinesAlwaysCarryTheSameFields) {
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
  EXPECT_NE(
      FormatRequestLogLine(LogFormat::kJson, kTime, request, failed, std::chrono::microseconds(7))
          .find(R"("level":"error","requestId":null,)"),
      std::string::npos);
}

}  // namespace
}  // namespace datazone_mock
