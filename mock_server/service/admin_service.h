#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/http_message.h"
#include "service/mock_service.h"

namespace datazone_mock {

inline constexpr std::string_view kAdminPrefix = "/_mock/";

// True for targets under /_mock/: reserved for the admin API, never an AWS call.
bool IsAdminTarget(std::string_view target);

// The admin API (JSON under /_mock/): health and scenario control. A thin router over the
// MockService and its FaultEngine. Thread-safe as they are.
class AdminService {
 public:
  AdminService(const MockService& service, std::vector<std::string> startup_scenarios,
               std::string version);

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  HttpResponse Json(int status, const std::string& body) const;
  HttpResponse Health() const;
  HttpResponse Scenarios() const;
  HttpResponse SetActive(const std::string& body) const;

  const MockService& service_;
  std::vector<std::string> startup_scenarios_;
  std::string version_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace datazone_mock
