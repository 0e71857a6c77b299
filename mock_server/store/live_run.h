#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "core/once_slots.h"
#include "core/time_format.h"  // TimestampMs
#include "model/job_run.h"
#include "model/lifecycle.h"

namespace datazone_mock {

// What a run with a lifecycle looks like after each number of steps, made by the first listing
// that needs it and then kept for the store's life. A state depends only on the fixture's run,
// the lifecycle and the instants of the steps reached: `after` instants follow from createdAt,
// afterCalls instants never change once fixed. Keeping them lets a page point at its runs
// instead of copying 50 of them per request, and lets the page cache match them by address like
// runs that never change (bench/README.md). Thread-safe: two requests that make the same state
// at once make equal runs; the first kept wins.
class LiveRunStates {
 public:
  // For a lifecycle of `steps` steps: states after 1..steps steps (after 0 is the fixture's run).
  explicit LiveRunStates(std::size_t steps) : states_(steps) {}

  // The run after `reached` (1..steps) steps, or nullptr if no listing has made it yet.
  const JobRun* Find(std::size_t reached) const;
  // Keeps `run` as the state after `reached` steps unless one is kept already; returns the kept.
  const JobRun* Keep(std::size_t reached, JobRun run);

 private:
  OnceSlots<const JobRun> states_;  // [reached - 1]
};

// A run whose status changes after load (it has a lifecycle). When each of its afterCalls steps
// happened is learnt while requests are served, so those instants live in shared atomic slots
// (0: not yet), and so do the states made from them: a store rebuilt by seeding shares them, a
// reload or reset starts afresh.
struct LiveRun {
  JobRun run;  // as the fixture wrote it: the status before the first step
  std::shared_ptr<const Lifecycle> lifecycle;
  std::shared_ptr<std::atomic<TimestampMs>[]> reached_at;  // one slot per step
  std::shared_ptr<LiveRunStates> states;
};

LiveRun MakeLiveRun(const JobRun& run, const Lifecycle& lifecycle);

}  // namespace datazone_mock
