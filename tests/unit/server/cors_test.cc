#include "server/cors.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

HttpRequest From(std::string origin, std::string method = "GET", bool preflight = false) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";
  if (!origin.empty()) request.headers.emplace_back("origin", std::move(origin));
  if (preflight) request.headers.emplace_back("access-control-request-method", "GET");
  return request;
}

TEST(CorsPolicyTest, OffChangesNothing) {
  const CorsPolicy off({});
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(off.Preflight(From("http://localhost:3000", "OPTIONS", true)), std::nullopt);
  HttpResponse response;
  off.Decorate(From("http://localhost:3000"), response);
  EXPECT_TRUE(response.headers.empty());
}

TEST(CorsPolicyTest, PreflightOfAnAllowedOriginCoversWhatTheJsSdkSends) {
  const CorsPolicy cors({"http://localhost:3000", "https://app.example"});
  const auto preflight = cors.Preflight(From("https://app.example", "OPTIONS", true));
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_TRUE(preflight->preflight);  // never journaled
  EXPECT_EQ(preflight->Header("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(preflight->Header("Access-Control-Allow-Methods"), "GET, OPTIONS");
  for (const char* header :
       {"authorization", "content-type", "x-amz-date", "x-amz-content-sha256",
        "x-amz-security-token", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request"}) {
    EXPECT_NE(preflight->Header("Access-Control-Allow-Headers").find(header), std::string::npos)
        << header;
  }
  EXPECT_EQ(preflight->Header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(preflight->Header("Vary"), "Origin");
}

TEST(CorsPolicyTest, ADisallowedOriginGetsNoCorsHeaders) {
  const CorsPolicy cors({"http://localhost:3000"});
  const auto preflight = cors.Preflight(From("http://evil.example", "OPTIONS", true));
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 403);
  EXPECT_EQ(preflight->Header("Access-Control-Allow-Origin"), "");
  HttpResponse response;
  cors.Decorate(From("http://evil.example"), response);
  EXPECT_TRUE(response.headers.empty());
}

TEST(CorsPolicyTest, EveryAnswerToAnAllowedOriginExposesTheAwsHeaders) {
  const CorsPolicy any({"*"});
  HttpResponse error;
  error.status = 429;
  any.Decorate(From("http://anything.example"), error);
  EXPECT_EQ(error.Header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(error.Header("Access-Control-Expose-Headers"),
            "x-amzn-RequestId, x-amzn-ErrorType, Date");
  EXPECT_EQ(error.Header("Vary"), "");  // the same for every origin
  // Not a preflight: an OPTIONS without Access-Control-Request-Method, or no Origin.
  EXPECT_EQ(any.Preflight(From("http://a.example", "OPTIONS", false)), std::nullopt);
  EXPECT_EQ(any.Preflight(From("", "OPTIONS", true)), std::nullopt);
  HttpResponse same_origin;
  any.Decorate(From(""), same_origin);
  EXPECT_TRUE(same_origin.headers.empty());
}

}  // namespace
}  // namespace datazone_mock
