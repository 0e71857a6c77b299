#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/page_shape.h"
#include "core/aws_error.h"
#include "core/http_message.h"
#include "input/source_location.h"

namespace datazone_mock {

// `calls:` of a rule: which of the requests reaching it (1-based) it applies to.
struct CallsCondition {
  enum class Kind { kExact, kRange, kFrom, kEvery };
  Kind kind = Kind::kExact;
  std::uint64_t first = 1;  // kExact, kRange, kFrom
  std::uint64_t last = 1;   // kRange
  std::uint64_t every = 1;  // kEvery: the every-th, 2*every-th, ...

  bool Matches(std::uint64_t call) const;
  bool operator==(const CallsCondition&) const = default;
};

// "3", "1-2", "4-", "every 3"; nullopt when the text is none of these.
std::optional<CallsCondition> ParseCallsCondition(std::string_view text);
// The inverse: "3", "1-2", "4-", "every 3".
std::string ToString(const CallsCondition& calls);

// `token:` of a rule: whether the request carries a nextToken.
enum class TokenCondition { kPresent, kAbsent };

// A fixed delay or a uniform range, in milliseconds.
struct DelaySpec {
  std::chrono::milliseconds min{0};
  std::chrono::milliseconds max{0};
  bool operator==(const DelaySpec&) const = default;
};

// "250ms", "2s", "100ms-900ms"; nullopt otherwise.
std::optional<DelaySpec> ParseDelay(std::string_view text);

// The `fault:` names of TransportFault.
std::optional<TransportFault> ParseTransportFault(std::string_view text);
std::string_view ToString(TransportFault fault);

struct RuleCondition {
  std::optional<std::string> domain;         // exact or glob with '*'
  std::optional<std::string> job;            // exact or glob with '*'
  std::optional<std::string> access_key_id;  // exact or glob with '*'
  std::optional<std::string> status;         // the request's status filter, exactly
  // `page:`: the request's page number (1 without a nextToken, else one more than the page
  // its token was issued on), in the grammar of `calls`. A token that cannot be read has no
  // page number, so a `page:` condition never holds for it.
  std::optional<CallsCondition> page;
  std::optional<TokenCondition> token;
  std::optional<CallsCondition> calls;
  std::optional<double> probability;  // 0..1, drawn after `calls` holds

  bool operator==(const RuleCondition&) const = default;
};

struct RuleResponse {
  std::optional<AwsError> error;  // type, status and message resolved at load time
  std::optional<DelaySpec> delay;
  std::optional<TransportFault> fault;
  std::optional<PageShape> page;  // never with error or fault (the loader refuses that)

  bool operator==(const RuleResponse&) const = default;
};

struct Rule {
  RuleCondition when;
  RuleResponse respond;
  SourceLocation location;
};

enum class RateLimitScope { kGlobal, kAccessKeyId, kDomain };
std::string_view ToString(RateLimitScope scope);

// A token bucket: `burst` tokens, refilled at `per_second`; a bucket starts full.
struct RateLimit {
  double per_second = 1;
  double burst = 1;
  RateLimitScope scope = RateLimitScope::kGlobal;
};

// A named set of fault rules, loaded from YAML (scenarios/).
struct Scenario {
  std::string name;
  std::string description;
  std::vector<Rule> rules;
  std::optional<RateLimit> rate_limit;
  std::string file;  // where it was loaded from
};

}  // namespace datazone_mock
