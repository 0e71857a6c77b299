#include "api/list_job_runs_request.h"

#include <array>
#include <cstdint>
#include <vector>

#include "api/aws_errors.h"
#include "model/identifiers.h"

namespace datazone_mock {
namespace {

std::string DecodeLabel(std::string_view raw) {
  // A malformed escape stays as sent; '%' then fails the pattern check like any bad value.
  return PercentDecode(raw, /*plus_is_space=*/false).value_or(std::string(raw));
}

std::string Violation(std::string_view member, std::string_view constraint) {
  return "Value at '" + std::string(member) +
         "' failed to satisfy constraint: " + std::string(constraint);
}

}  // namespace

std::optional<ListJobRunsCall> RouteListJobRuns(std::string_view method, std::string_view target) {
  if (method != "GET") return std::nullopt;
  const TargetParts parts = SplitTarget(target);
  // "/v2/domains/{d}/jobs/{j}/runs" has exactly seven '/'-separated segments, the first empty.
  std::array<std::string_view, 7> segments;
  std::string_view rest = parts.path;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::size_t slash = rest.find('/');
    if (i + 1 < segments.size()) {
      if (slash == std::string_view::npos) return std::nullopt;
      segments[i] = rest.substr(0, slash);
      rest = rest.substr(slash + 1);
    } else {
      if (slash != std::string_view::npos) return std::nullopt;
      segments[i] = rest;
    }
  }
  if (!segments[0].empty() || segments[1] != "v2" || segments[2] != "domains" ||
      segments[4] != "jobs" || segments[6] != "runs") {
    return std::nullopt;
  }
  return ListJobRunsCall{DecodeLabel(segments[3]), DecodeLabel(segments[5]),
                         QueryParams::Parse(parts.query)};
}

std::optional<int> ParseInt32(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  if (pos == text.size()) return std::nullopt;
  std::int64_t value = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > std::int64_t{1} << 31) return std::nullopt;  // past any 32-bit value
  }
  if (negative) value = -value;
  if (value < INT32_MIN || value > INT32_MAX) return std::nullopt;
  return static_cast<int>(value);
}

Result<ListJobRunsInput, AwsError> ValidateListJobRuns(const ListJobRunsCall& call) {
  ListJobRunsInput input;
  input.domain_identifier = call.domain_identifier;
  input.job_identifier = call.job_identifier;

  // A non-integer maxResults fails deserialization, before any constraint is looked at.
  const std::string* max_results = call.query.Find("maxResults");
  if (max_results) {
    const auto parsed = ParseInt32(*max_results);
    if (!parsed) return SerializationError("maxResults");
    input.max_results = *parsed;
  }

  std::vector<std::string> violations;
  if (!IsValidDomainIdentifier(call.domain_identifier)) {
    violations.push_back(
        Violation("domainIdentifier", "Member must satisfy regular expression pattern: " +
                                          std::string(kDomainIdentifierPattern)));
  }
  if (!IsValidJobIdentifier(call.job_identifier)) {
    violations.push_back(Violation(
        "jobIdentifier",
        "Member must satisfy regular expression pattern: " + std::string(kJobIdentifierPattern)));
  }
  if (const std::string* status = call.query.Find("status")) {
    input.status = ParseJobRunStatus(*status);
    if (!input.status) {
      violations.push_back(Violation(
          "status", "Member must satisfy enum value set: " + EnumValueSet(kAllJobRunStatuses)));
    }
  }
  if (const std::string* sort_order = call.query.Find("sortOrder")) {
    const auto parsed = ParseSortOrder(*sort_order);
    if (parsed) {
      input.sort_order = *parsed;
    } else {
      violations.push_back(Violation(
          "sortOrder", "Member must satisfy enum value set: " + EnumValueSet(kAllSortOrders)));
    }
  }
  if (const std::string* next_token = call.query.Find("nextToken")) {
    if (next_token->empty()) {
      violations.push_back(
          Violation("nextToken", "Member must have length greater than or equal to 1"));
    } else if (next_token->size() > kMaxNextTokenLength) {
      violations.push_back(
          Violation("nextToken", "Member must have length less than or equal to 8192"));
    } else {
      input.next_token = *next_token;
    }
  }
  if (max_results) {
    if (input.max_results < kMinMaxResults) {
      violations.push_back(
          Violation("maxResults", "Member must have value greater than or equal to 1"));
    } else if (input.max_results > kMaxMaxResults) {
      violations.push_back(
          Violation("maxResults", "Member must have value less than or equal to 50"));
    }
  }

  if (violations.empty()) return input;
  std::string message = std::to_string(violations.size()) +
                        (violations.size() == 1 ? " validation error" : " validation errors") +
                        " detected: ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i > 0) message += "; ";
    message += violations[i];
  }
  return ValidationError(std::move(message));
}

}  // namespace datazone_mock
