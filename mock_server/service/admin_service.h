#pragma once

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
  explicit AdminService(MockControl& control) : control_(control) {}

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  MockControl& control_;
};

}  // namespace datazone_mock
