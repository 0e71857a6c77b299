#include "store/live_run.h"

#include <memory>
#include <utility>

namespace datazone_mock {

const JobRun* LiveRunStates::Find(std::size_t reached) const {
  if (reached == 0 || reached > states_.size()) return nullptr;
  return states_.Find(reached - 1);
}

const JobRun* LiveRunStates::Keep(std::size_t reached, JobRun run) {
  if (reached == 0 || reached > states_.size()) return nullptr;
  // Another request may have kept an equal run first: that one is returned.
  return states_.Keep(reached - 1, std::make_unique<const JobRun>(std::move(run)));
}

LiveRun MakeLiveRun(const JobRun& run, const Lifecycle& lifecycle) {
  const std::size_t steps = lifecycle.steps.size();
  std::shared_ptr<std::atomic<TimestampMs>[]> slots(new std::atomic<TimestampMs>[steps]());
  return LiveRun{run, std::make_shared<const Lifecycle>(lifecycle), std::move(slots),
                 std::make_shared<LiveRunStates>(steps)};
}

}  // namespace datazone_mock
