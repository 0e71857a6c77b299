#include "api/http_date.h"

#include <ctime>

namespace datazone_mock {

std::string FormatHttpDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  // strftime's %a and %b follow the C locale, which the process never changes.
  const std::size_t length =
      std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(buffer, length);
}

}  // namespace datazone_mock
