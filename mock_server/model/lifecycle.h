#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/job_run.h"

namespace datazone_mock {

// How a run changes after it is loaded (README, "Runs that change"): a list of later steps,
// each a status reached at a time after the run's createdAt (`after`) or once its job has been
// listed a number of times (`afterCalls`). A run uses one kind, in increasing order; its own
// `status` is the status before the first step.
struct LifecycleStep {
  JobRunStatus status = JobRunStatus::kScheduled;
  std::int64_t after_ms = 0;      // Lifecycle::Kind::kAfter: since createdAt
  std::uint64_t after_calls = 0;  // Lifecycle::Kind::kAfterCalls: successful listings of the job
  std::optional<std::string> error_message;  // JobRunError.message, shown from this step on

  bool operator==(const LifecycleStep&) const = default;
};

struct Lifecycle {
  enum class Kind : std::uint8_t { kAfter, kAfterCalls };
  Kind kind = Kind::kAfter;
  std::vector<LifecycleStep> steps;  // strictly increasing `after_ms` or `after_calls`

  bool operator==(const Lifecycle&) const = default;
};

// SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, CANCELED: a run stays there.
bool IsTerminal(JobRunStatus status);

// How many steps of `lifecycle` have happened to a run created at `created_at`, at `now` and
// after `calls` listings of its job.
std::size_t StepsReached(const Lifecycle& lifecycle, TimestampMs created_at, TimestampMs now,
                         std::uint64_t calls);

// `run` as it stands once `steps_reached` steps of `lifecycle` have happened, step k at
// `reached_at(k)` (an instant; for afterCalls steps, when the mock first saw that call count).
// Leaving SCHEDULED sets startTime to that instant and reaching a terminal status sets endTime,
// unless the fixture gave them; a step's error shows from that step on.
template <class ReachedAt>
JobRun RunAtStep(const JobRun& run, const Lifecycle& lifecycle, std::size_t steps_reached,
                 const ReachedAt& reached_at) {
  JobRun out = run;
  for (std::size_t k = 0; k < steps_reached && k < lifecycle.steps.size(); ++k) {
    const LifecycleStep& step = lifecycle.steps[k];
    const JobRunStatus before = out.status;
    out.status = step.status;
    if (before == JobRunStatus::kScheduled && step.status != JobRunStatus::kScheduled &&
        !run.start_time && !out.start_time) {
      out.start_time = reached_at(k);
    }
    if (IsTerminal(step.status) && !run.end_time && !out.end_time) out.end_time = reached_at(k);
    if (step.error_message) out.error_message = step.error_message;
  }
  return out;
}

}  // namespace datazone_mock
