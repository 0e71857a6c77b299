#include "server/request_log.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "api/json_writer.h"
#include "core/time_format.h"

namespace datazone_mock {

std::string LoggedTarget(std::string_view target) {
  std::string logged;
  std::size_t start = target.find('?');
  if (start == std::string_view::npos) return std::string(target);
  logged.assign(target.substr(0, ++start));
  while (start <= target.size()) {
    std::size_t end = target.find('&', start);
    if (end == std::string_view::npos) end = target.size();
    const std::string_view parameter = target.substr(start, end - start);
    if (parameter.rfind("nextToken=", 0) == 0 && parameter.size() > 10) {
      logged += "nextToken=(hidden)";
    } else {
      logged += parameter;
    }
    if (end < target.size()) logged += '&';
    start = end + 1;
  }
  return logged;
}

std::string FormatRequestLogLine(LogFormat format, std::chrono::system_clock::time_point time,
                                 const HttpRequest& request, const HttpResponse& response,
                                 std::chrono::microseconds latency) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  // Milliseconds with three decimals, from whole microseconds (no floating point, no printf:
  // one line per request).
  char latency_ms[32];
  {
    const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0));
    char* end = std::to_chars(latency_ms, latency_ms + 24, micros / 1000).ptr;
    const auto fraction = static_cast<unsigned>(micros % 1000);
    *end++ = '.';
    *end++ = static_cast<char>('0' + fraction / 100);
    *end++ = static_cast<char>('0' + fraction / 10 % 10);
    *end++ = static_cast<char>('0' + fraction % 10);
    *end = '\0';
  }
  const std::string_view request_id = response.Header("x-amzn-RequestId");
  std::string line;
  if (format == LogFormat::kJson) {
    // Every line has the same fields in the same order, so log tools can index them; absent
    // values are null. `reason` is the one exception: it is added only when an error has one.
    const auto append_or_null = [&line](std::string_view value) {
      if (value.empty()) {
        line += "null";
      } else {
        AppendJsonString(line, value);
      }
    };
    line = "{\"time\":";
    AppendJsonString(line, FormatRfc3339(ms));
    line += ",\"level\":";
    AppendJsonString(line, response.status >= 500   ? "error"
                           : response.status >= 400 ? "warn"
                                                    : "info");
    line += ",\"requestId\":";
    append_or_null(request_id);
    line += ",\"method\":";
    AppendJsonString(line, request.method);
    line += ",\"path\":";
    AppendJsonString(line, LoggedTarget(request.target));
    line += ",\"status\":" + std::to_string(response.status);
    line += ",\"errorType\":";
    append_or_null(response.error_type);
    line += ",\"accessKeyId\":";
    append_or_null(response.caller);
    if (!response.reason.empty()) {
      line += ",\"reason\":";
      AppendJsonString(line, response.reason);
    }
    line += ",\"latency_ms\":";
    line += latency_ms;
    line += "}\n";
    return line;
  }
  line.reserve(128 + request.target.size() + response.reason.size());
  line = FormatRfc3339(ms);
  line += ' ';
  line += request.method;
  line += ' ';
  line += LoggedTarget(request.target);
  line += ' ';
  line += std::to_string(response.status);
  line += ' ';
  line += response.error_type.empty() ? std::string_view("-") : response.error_type;
  line += ' ';
  line += latency_ms;
  line += "ms ";
  line += request_id;
  if (!response.reason.empty()) {
    line += " (";
    line += response.reason;
    line += ')';
  }
  line += '\n';
  return line;
}

}  // namespace datazone_mock
