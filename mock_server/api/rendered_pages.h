#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/list_job_runs.h"
#include "core/slot_memo.h"

namespace datazone_mock {

// The JSON of recently answered pages' items, kept for the next request that lists the very
// same runs: SDK paginators and test suites ask for the same pages again and again, and
// rendering 50 runs is the largest part of an answer's own work (bench/README.md).
//
// An entry names the store it was rendered from (held weakly, so that its address cannot be
// taken by another store while the entry lives), the job, and every run on the page in order:
// a stored run by its address (stored runs never change, nor do a lifecycle run's kept states:
// store/live_run.h), a run made for the request (a schedule's, as it stands now) by its value. A
// new store (reload, seed, a run changed) never matches an old entry, nor does a run that has moved
// on. Bounded: a few dozen pages of at most 64 KiB each. Thread-safe.
class RenderedPages {
 public:
  // The body for `output` (as SerializeListJobRunsOutput), reusing the items' rendering when the
  // same page was rendered before.
  std::string Body(const ListJobRunsOutput& output);

 private:
  struct Entry {
    std::weak_ptr<const Store> store;
    const Job* job = nullptr;
    std::vector<const JobRun*> items;  // nullptr: the next of `evaluated`
    std::vector<JobRun> evaluated;
    std::shared_ptr<const std::string> rendered;  // {"items":[...]
  };
  static constexpr std::size_t kMaxRenderedBytes = 64 * 1024;

  static Entry KeyOf(const ListJobRunsOutput& output);
  static bool Matches(const Entry& entry, const ListJobRunsOutput& output);

  SlotMemo<Entry, 64> slots_;
};

}  // namespace datazone_mock
