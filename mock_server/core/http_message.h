#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/trace.h"

namespace datazone_mock {

// An HTTP request as the core sees it: no HTTP library types past the server layer.
struct HttpRequest {
  std::string method;
  std::string target;  // raw request target: path and query, still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first value of a header (`name` lower-case), or empty.
  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

// What the client sees instead of an answer (docs/decisions.md, "Scenarios"): a TCP reset or an
// orderly close before any byte, a 200 with no body, a 200 whose body is not JSON, or a 200
// whose body stops short of its Content-Length.
enum class TransportFault { kNone, kReset, kClose, kEmpty, kMalformedJson, kTruncate };

// A scenario rule as users see it in the journal, in error reasons ("scenario slow rule 1") and
// in the admin API: 1-based within its scenario, in file order. Every struct that names a rule
// counts this way, so a number never needs converting on its way to the user.
using RuleNumber = int;
// No rule decided: no scenario did, or a scenario's rate limit did (the journal shows null).
inline constexpr RuleNumber kNoRule = 0;

// What the core answers. `error_type` and `reason` are for the log and the journal.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error_type;  // e.g. "ValidationException"; empty on success
  std::string reason;      // why, when an error is not self-explanatory
  TransportFault transport_fault = TransportFault::kNone;  // the server layer acts on it
  // For the journal: who called and which scenario rule decided.
  std::string caller;
  std::string scenario;
  RuleNumber rule = kNoRule;
  std::uint32_t page = 0;  // the page answered, 1 without a token; 0: none was answered
  // An injected delay held the answer: the server checks the client is still there to take it.
  bool delayed = false;
  bool delivered = true;         // false: the client was gone before the answer was sent
  bool preflight = false;        // a CORS preflight: answered, logged, never journaled
  std::vector<TraceStep> trace;  // why it answered that, when tracing

  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

}  // namespace datazone_mock
