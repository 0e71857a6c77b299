#include "model/lifecycle.h"

namespace datazone_mock {

bool IsTerminal(JobRunStatus status) {
  switch (status) {
    case JobRunStatus::kScheduled:
    case JobRunStatus::kInProgress:
      return false;
    case JobRunStatus::kSuccess:
    case JobRunStatus::kPartiallySucceeded:
    case JobRunStatus::kFailed:
    case JobRunStatus::kAborted:
    case JobRunStatus::kTimedOut:
    case JobRunStatus::kCanceled:
      return true;
  }
  return false;
}

std::size_t StepsReached(const Lifecycle& lifecycle, TimestampMs created_at, TimestampMs now,
                         std::uint64_t calls) {
  std::size_t reached = 0;
  for (const LifecycleStep& step : lifecycle.steps) {
    const bool happened = lifecycle.kind == Lifecycle::Kind::kAfter
                              ? now - created_at >= step.after_ms
                              : calls >= step.after_calls;
    if (!happened) break;
    ++reached;
  }
  return reached;
}

}  // namespace datazone_mock
