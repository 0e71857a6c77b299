#include "api/http_date.h"

#include <ctime>

namespace datazone_mock {

std::string FormatHttpDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  // One formatting per second and thread: every response carries a Date.
  thread_local std::time_t cached_seconds = -1;
  thread_local std::string cached;
  if (seconds == cached_seconds) return cached;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  // strftime's %a and %b follow the C locale, which the process never changes.
  const std::size_t length =
      std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  cached_seconds = seconds;
  cached.assign(buffer, length);
  return cached;
}

}  // namespace datazone_mock
