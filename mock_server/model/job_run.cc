#include "model/job_run.h"

namespace datazone_mock {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> ParseByName(std::string_view text, const std::array<Enum, N>& all) {
  for (Enum value : all) {
    if (ToString(value) == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(JobRunStatus status) {
  switch (status) {
    case JobRunStatus::kScheduled:
      return "SCHEDULED";
    case JobRunStatus::kInProgress:
      return "IN_PROGRESS";
    case JobRunStatus::kSuccess:
      return "SUCCESS";
    case JobRunStatus::kPartiallySucceeded:
      return "PARTIALLY_SUCCEEDED";
    case JobRunStatus::kFailed:
      return "FAILED";
    case JobRunStatus::kAborted:
      return "ABORTED";
    case JobRunStatus::kTimedOut:
      return "TIMED_OUT";
    case JobRunStatus::kCanceled:
      return "CANCELED";
  }
  return "";
}

std::string_view ToString(JobRunMode mode) {
  switch (mode) {
    case JobRunMode::kScheduled:
      return "SCHEDULED";
    case JobRunMode::kOnDemand:
      return "ON_DEMAND";
  }
  return "";
}

std::string_view ToString(JobType type) {
  switch (type) {
    case JobType::kLineage:
      return "LINEAGE";
  }
  return "";
}

std::string_view ToString(SortOrder order) {
  switch (order) {
    case SortOrder::kAscending:
      return "ASCENDING";
    case SortOrder::kDescending:
      return "DESCENDING";
  }
  return "";
}

std::optional<JobRunStatus> ParseJobRunStatus(std::string_view text) {
  return ParseByName(text, kAllJobRunStatuses);
}
std::optional<JobRunMode> ParseJobRunMode(std::string_view text) {
  return ParseByName(text, kAllJobRunModes);
}
std::optional<JobType> ParseJobType(std::string_view text) {
  return ParseByName(text, kAllJobTypes);
}
std::optional<SortOrder> ParseSortOrder(std::string_view text) {
  return ParseByName(text, kAllSortOrders);
}

}  // namespace datazone_mock
