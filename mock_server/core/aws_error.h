#pragma once

#include <string>

namespace datazone_mock {

// An error answered the way AWS answers it: HTTP status, the x-amzn-ErrorType header, and a JSON
// body {"message": ...}. `reason` says why, for the log and the journal; it is never sent.
struct AwsError {
  std::string type;               // e.g. "ValidationException"
  int http_status = 400;          // e.g. 400
  std::string error_type_header;  // full x-amzn-ErrorType value, suffix included
  std::string message;            // the client-visible message
  std::string reason;             // internal detail, e.g. "token made with another secret"

  bool operator==(const AwsError&) const = default;
};

}  // namespace datazone_mock
