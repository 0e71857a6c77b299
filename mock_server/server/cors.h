#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.h"

namespace datazone_mock {

// Cross-origin access for browsers (README, "From the browser"): which origins may call the AWS
// route, the answer to their preflight, and the headers every answer then carries so that the
// JavaScript SDK can read errors too. Off (no origins) changes nothing. Immutable: thread-safe.
class CorsPolicy {
 public:
  // `origins`: exact origins ("http://localhost:3000"), or "*" for any.
  explicit CorsPolicy(std::vector<std::string> origins);

  bool enabled() const { return !origins_.empty(); }

  // The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), or
  // nullopt when `request` is not one. A disallowed origin gets 403 without CORS headers.
  std::optional<HttpResponse> Preflight(const HttpRequest& request) const;

  // Adds Access-Control-Allow-Origin and -Expose-Headers when the request's origin is allowed.
  void Decorate(const HttpRequest& request, HttpResponse& response) const;

 private:
  // The Access-Control-Allow-Origin value for `origin`, or nullopt when it is not allowed.
  std::optional<std::string> AllowedOrigin(std::string_view origin) const;

  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace datazone_mock
