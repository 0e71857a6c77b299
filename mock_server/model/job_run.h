#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time_format.h"  // TimestampMs

namespace datazone_mock {

// The JobRunStatus enum of the service model, in model order (the order messages list them).
enum class JobRunStatus : std::uint8_t {
  kScheduled,
  kInProgress,
  kSuccess,
  kPartiallySucceeded,
  kFailed,
  kAborted,
  kTimedOut,
  kCanceled,
};
inline constexpr std::array kAllJobRunStatuses = {
    JobRunStatus::kScheduled,          JobRunStatus::kInProgress, JobRunStatus::kSuccess,
    JobRunStatus::kPartiallySucceeded, JobRunStatus::kFailed,     JobRunStatus::kAborted,
    JobRunStatus::kTimedOut,           JobRunStatus::kCanceled};

enum class JobRunMode : std::uint8_t { kScheduled, kOnDemand };
inline constexpr std::array kAllJobRunModes = {JobRunMode::kScheduled, JobRunMode::kOnDemand};

enum class JobType : std::uint8_t { kLineage };
inline constexpr std::array kAllJobTypes = {JobType::kLineage};

enum class SortOrder : std::uint8_t { kAscending, kDescending };
inline constexpr std::array kAllSortOrders = {SortOrder::kAscending, SortOrder::kDescending};

std::string_view ToString(JobRunStatus status);
std::string_view ToString(JobRunMode mode);
std::string_view ToString(JobType type);
std::string_view ToString(SortOrder order);

// Exact, case-sensitive parses: AWS rejects `success` for SUCCESS.
std::optional<JobRunStatus> ParseJobRunStatus(std::string_view text);
std::optional<JobRunMode> ParseJobRunMode(std::string_view text);
std::optional<JobType> ParseJobType(std::string_view text);
std::optional<SortOrder> ParseSortOrder(std::string_view text);

// "[A, B, C]": an enum's values in model order, as AWS prints them in validation messages.
template <class Enum, std::size_t N>
std::string EnumValueSet(const std::array<Enum, N>& all) {
  std::string out = "[";
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += ", ";
    out += ToString(all[i]);
  }
  out += "]";
  return out;
}

// One run of a job. The job's domain id, job id and job type are stored with the job, not here.
struct JobRun {
  std::string run_id;
  JobRunStatus status = JobRunStatus::kScheduled;
  TimestampMs created_at = 0;
  std::optional<JobRunMode> run_mode;
  std::optional<std::string> created_by;
  std::optional<TimestampMs> start_time;
  std::optional<TimestampMs> end_time;
  std::optional<std::string> error_message;  // JobRunError.message; present iff error is

  bool operator==(const JobRun&) const = default;
};

// The total order of runs: (createdAt, runId), runIds compared byte-wise (docs/wire.md).
struct RunPosition {
  TimestampMs created_at = 0;
  std::string run_id;

  bool operator==(const RunPosition&) const = default;
};

inline bool RunBefore(TimestampMs a_time, std::string_view a_id, TimestampMs b_time,
                      std::string_view b_id) {
  if (a_time != b_time) return a_time < b_time;
  return a_id < b_id;  // std::string_view compares with char_traits: byte-wise, unsigned
}

}  // namespace datazone_mock
