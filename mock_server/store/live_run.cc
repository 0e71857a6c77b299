#include "store/live_run.h"

#include <utility>

namespace datazone_mock {

LiveRunStates::LiveRunStates(std::size_t steps)
    : steps_(steps), states_(new std::atomic<const JobRun*>[steps]()) {}

LiveRunStates::~LiveRunStates() {
  for (std::size_t i = 0; i < steps_; ++i) delete states_[i].load(std::memory_order_relaxed);
}

const JobRun* LiveRunStates::Find(std::size_t reached) const {
  if (reached == 0 || reached > steps_) return nullptr;
  return states_[reached - 1].load(std::memory_order_acquire);
}

const JobRun* LiveRunStates::Keep(std::size_t reached, JobRun run) {
  if (reached == 0 || reached > steps_) return nullptr;
  auto made = std::make_unique<const JobRun>(std::move(run));
  const JobRun* expected = nullptr;
  if (states_[reached - 1].compare_exchange_strong(expected, made.get(),
                                                   std::memory_order_acq_rel)) {
    return made.release();
  }
  return expected;  // another request kept an equal run first
}

LiveRun MakeLiveRun(const JobRun& run, const Lifecycle& lifecycle) {
  const std::size_t steps = lifecycle.steps.size();
  std::shared_ptr<std::atomic<TimestampMs>[]> slots(new std::atomic<TimestampMs>[steps]());
  return LiveRun{run, std::make_shared<const Lifecycle>(lifecycle), std::move(slots),
                 std::make_shared<LiveRunStates>(steps)};
}

}  // namespace datazone_mock
