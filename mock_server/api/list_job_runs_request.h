#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/query_string.h"
#include "core/aws_error.h"
#include "core/result.h"
#include "model/job_run.h"

namespace datazone_mock {

inline constexpr int kDefaultMaxResults = 50;
inline constexpr int kMinMaxResults = 1;
inline constexpr int kMaxMaxResults = 50;
inline constexpr std::size_t kMaxNextTokenLength = 8192;

// A request that matched the ListJobRuns route: labels decoded, nothing validated yet.
struct ListJobRunsCall {
  std::string domain_identifier;
  std::string job_identifier;
  QueryParams query;
};

// Matches `GET /v2/domains/{domainIdentifier}/jobs/{jobIdentifier}/runs` on the raw target:
// the path is split on '/' first and each label percent-decoded after, so an encoded '/' stays
// inside its label (docs/wire.md). nullopt for any other path or method.
std::optional<ListJobRunsCall> RouteListJobRuns(std::string_view method, std::string_view target);

// A request that satisfies every constraint, defaults applied.
struct ListJobRunsInput {
  std::string domain_identifier;
  std::string job_identifier;
  std::optional<JobRunStatus> status;
  SortOrder sort_order = SortOrder::kDescending;
  std::optional<std::string> next_token;
  int max_results = kDefaultMaxResults;

  bool operator==(const ListJobRunsInput&) const = default;
};

// Checks the call as AWS does (docs/wire.md): a maxResults that is not an integer is a
// SerializationException on its own; otherwise every constraint violation is reported in one
// ValidationException, in member order.
Result<ListJobRunsInput, AwsError> ValidateListJobRuns(const ListJobRunsCall& call);

// A maxResults value as AWS reads it: optional sign, decimal digits (leading zeros allowed),
// within a signed 32-bit integer.
std::optional<int> ParseInt32(std::string_view text);

}  // namespace datazone_mock
