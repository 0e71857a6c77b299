#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/http_message.h"
#include "server/options.h"

namespace datazone_mock {

// The target as the request log shows it: a nextToken's value becomes "(hidden)". A token is a
// bearer of position, and in record mode the upstream's, which the logs must not carry.
std::string LoggedTarget(std::string_view target);

// One line per answered request: time, method, target, status, error type, latency (and the
// request id). Text for people, JSON for log tools.
std::string FormatRequestLogLine(LogFormat format, std::chrono::system_clock::time_point time,
                                 const HttpRequest& request, const HttpResponse& response,
                                 std::chrono::microseconds latency);

// Writes lines to a stdio stream's file descriptor. Thread-safe: each line is one write(2),
// which the kernel keeps whole for lines this short, and no user-space lock is taken (a lock
// held by a preempted worker would stall every other worker behind it).
class RequestLog {
 public:
  RequestLog(LogFormat format, std::FILE* out) : format_(format), out_(out) {}

  void Write(const HttpRequest& request, const HttpResponse& response,
             std::chrono::microseconds latency) const {
    const std::string line =
        FormatRequestLogLine(format_, std::chrono::system_clock::now(), request, response, latency);
    const int fd = ::fileno(out_);
    for (std::size_t written = 0; written < line.size();) {
      const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
      if (n <= 0) return;  // a closed or full log never stops the server
      written += static_cast<std::size_t>(n);
    }
  }

 private:
  LogFormat format_;
  std::FILE* out_;
};

}  // namespace datazone_mock
