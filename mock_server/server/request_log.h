#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "core/http_message.h"
#include "server/options.h"

namespace datazone_mock {

// One line per answered request: time, method, target, status, error type, latency (and the
// request id). Text for people, JSON for log tools.
std::string FormatRequestLogLine(LogFormat format, std::chrono::system_clock::time_point time,
                                 const HttpRequest& request, const HttpResponse& response,
                                 std::chrono::microseconds latency);

// Writes lines to a stdio stream. Thread-safe: each line is written by one fwrite call, which
// stdio locks, so lines from concurrent requests never interleave.
class RequestLog {
 public:
  RequestLog(LogFormat format, std::FILE* out) : format_(format), out_(out) {}

  void Write(const HttpRequest& request, const HttpResponse& response,
             std::chrono::microseconds latency) const {
    const std::string line =
        FormatRequestLogLine(format_, std::chrono::system_clock::now(), request, response, latency);
    std::fwrite(line.data(), 1, line.size(), out_);
  }

 private:
  LogFormat format_;
  std::FILE* out_;
};

}  // namespace datazone_mock
