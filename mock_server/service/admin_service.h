#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.h"
#include "service/mock_control.h"

namespace datazone_mock {

inline constexpr std::string_view kAdminPrefix = "/_mock/";

// True for targets under /_mock/: reserved for the admin API, never an AWS call.
bool IsAdminTarget(std::string_view target);

// The admin API: JSON under /_mock/, a thin router over MockControl. Thread-safe as it is.
class AdminService {
 public:
  // `token`: when set, every call but GET /_mock/health needs `Authorization: Bearer <token>`
  // (health checks stay open: docs/decisions.md, "Admin vs auth").
  explicit AdminService(MockControl& control, std::optional<std::string> token = std::nullopt)
      : control_(control), token_(std::move(token)) {}

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  bool Authorized(const HttpRequest& request) const;

  MockControl& control_;
  std::optional<std::string> token_;
};

}  // namespace datazone_mock
