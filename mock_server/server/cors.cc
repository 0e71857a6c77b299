#include "server/cors.h"

#include <algorithm>

namespace datazone_mock {
namespace {

// What the JavaScript SDK v3 sends (and signs) on a ListJobRuns call.
constexpr std::string_view kAllowedHeaders =
    "authorization, content-type, x-amz-date, x-amz-content-sha256, x-amz-security-token, "
    "x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request";
// What the SDK must read off an answer: the request id, the error type, the clock (for skew).
constexpr std::string_view kExposedHeaders = "x-amzn-RequestId, x-amzn-ErrorType, Date";
// Ten minutes: long enough that a paginating page preflights once, short enough to notice a
// restart with other origins (Chromium caps it at two hours anyway).
constexpr std::string_view kMaxAgeSeconds = "600";

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

std::optional<std::string> CorsPolicy::AllowedOrigin(std::string_view origin) const {
  if (origin.empty() || !enabled()) return std::nullopt;
  if (any_) return std::string("*");
  if (std::find(origins_.begin(), origins_.end(), origin) == origins_.end()) return std::nullopt;
  return std::string(origin);
}

std::optional<HttpResponse> CorsPolicy::Preflight(const HttpRequest& request) const {
  if (!enabled() || request.method != "OPTIONS" || request.Header("origin").empty() ||
      request.Header("access-control-request-method").empty()) {
    return std::nullopt;
  }
  HttpResponse response;
  response.preflight = true;
  const auto allowed = AllowedOrigin(request.Header("origin"));
  if (!allowed) {
    response.status = 403;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = R"({"message":"This origin is not one of --cors"})";
    response.reason =
        "CORS preflight from an origin not allowed: " + std::string(request.Header("origin"));
    return response;
  }
  response.status = 204;
  response.headers = {{"Access-Control-Allow-Origin", *allowed},
                      {"Access-Control-Allow-Methods", "GET, OPTIONS"},
                      {"Access-Control-Allow-Headers", std::string(kAllowedHeaders)},
                      {"Access-Control-Max-Age", std::string(kMaxAgeSeconds)}};
  if (!any_) response.headers.emplace_back("Vary", "Origin");
  return response;
}

void CorsPolicy::Decorate(const HttpRequest& request, HttpResponse& response) const {
  const auto allowed = AllowedOrigin(request.Header("origin"));
  if (!allowed) return;
  response.headers.emplace_back("Access-Control-Allow-Origin", *allowed);
  response.headers.emplace_back("Access-Control-Expose-Headers", std::string(kExposedHeaders));
  if (!any_) response.headers.emplace_back("Vary", "Origin");
}

}  // namespace datazone_mock
