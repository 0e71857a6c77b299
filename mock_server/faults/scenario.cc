#include "faults/scenario.h"

#include "core/text.h"

namespace datazone_mock {
namespace {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::uint64_t scale = 0;
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    scale = 1;
    text.remove_suffix(2);
  } else if (text.size() > 1 && text.back() == 's') {
    scale = 1000;
    text.remove_suffix(1);
  } else {
    return std::nullopt;
  }
  const auto value = ParseNumber<std::uint64_t>(text);
  // An hour is far beyond any useful delay, and keeps the arithmetic far from overflow.
  if (!value || *value * scale > 3'600'000) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(*value * scale));
}

}  // namespace

bool CallsCondition::Matches(std::uint64_t call) const {
  switch (kind) {
    case Kind::kExact:
      return call == first;
    case Kind::kRange:
      return call >= first && call <= last;
    case Kind::kFrom:
      return call >= first;
    case Kind::kEvery:
      return call % every == 0;
  }
  return false;
}

std::string ToString(const CallsCondition& calls) {
  switch (calls.kind) {
    case CallsCondition::Kind::kExact:
      return std::to_string(calls.first);
    case CallsCondition::Kind::kRange:
      return std::to_string(calls.first) + "-" + std::to_string(calls.last);
    case CallsCondition::Kind::kFrom:
      return std::to_string(calls.first) + "-";
    case CallsCondition::Kind::kEvery:
      return "every " + std::to_string(calls.every);
  }
  return {};
}

std::optional<CallsCondition> ParseCallsCondition(std::string_view text) {
  CallsCondition calls;
  if (text.rfind("every ", 0) == 0) {
    const auto every = ParseNumber<std::uint64_t>(text.substr(6));
    if (!every || *every == 0) return std::nullopt;
    calls.kind = CallsCondition::Kind::kEvery;
    calls.every = *every;
    return calls;
  }
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    const auto exact = ParseNumber<std::uint64_t>(text);
    if (!exact || *exact == 0) return std::nullopt;
    calls.first = *exact;
    return calls;
  }
  const auto first = ParseNumber<std::uint64_t>(text.substr(0, dash));
  if (!first || *first == 0) return std::nullopt;
  calls.first = *first;
  if (dash + 1 == text.size()) {
    calls.kind = CallsCondition::Kind::kFrom;
    return calls;
  }
  const auto last = ParseNumber<std::uint64_t>(text.substr(dash + 1));
  if (!last || *last < *first) return std::nullopt;
  calls.kind = CallsCondition::Kind::kRange;
  calls.last = *last;
  return calls;
}

std::optional<DelaySpec> ParseDelay(std::string_view text) {
  // "100ms-900ms": a range; a single duration has no '-' (durations are never negative).
  const std::size_t dash = text.find('-');
  const auto min = ParseDuration(text.substr(0, dash));
  if (!min) return std::nullopt;
  if (dash == std::string_view::npos) return DelaySpec{*min, *min};
  const auto max = ParseDuration(text.substr(dash + 1));
  if (!max || *max < *min) return std::nullopt;
  return DelaySpec{*min, *max};
}

std::optional<TransportFault> ParseTransportFault(std::string_view text) {
  for (const TransportFault fault :
       {TransportFault::kReset, TransportFault::kClose, TransportFault::kEmpty,
        TransportFault::kMalformedJson, TransportFault::kTruncate}) {
    if (ToString(fault) == text) return fault;
  }
  return std::nullopt;
}

std::string_view ToString(TransportFault fault) {
  switch (fault) {
    case TransportFault::kReset:
      return "reset";
    case TransportFault::kClose:
      return "close";
    case TransportFault::kEmpty:
      return "empty";
    case TransportFault::kMalformedJson:
      return "malformed-json";
    case TransportFault::kTruncate:
      return "truncate";
    case TransportFault::kNone:
      return "none";
  }
  return "";
}

std::string_view ToString(RateLimitScope scope) {
  switch (scope) {
    case RateLimitScope::kGlobal:
      return "global";
    case RateLimitScope::kAccessKeyId:
      return "accessKeyId";
    case RateLimitScope::kDomain:
      return "domain";
  }
  return "";
}

}  // namespace datazone_mock
