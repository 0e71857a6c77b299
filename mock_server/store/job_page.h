#pragma once

#include <cstdint>
#include <vector>

#include "model/job_run.h"
#include "store/job_run_index.h"
#include "store/store.h"

namespace datazone_mock {

// One page of a job's runs as they stand at one instant (README, "Runs that change"): the runs
// that never change (the job's index), the runs with a lifecycle and the schedule's runs,
// merged in (createdAt, runId) order. The status filter, the order and every item are evaluated
// at the same `now` and the same count of earlier listings, so a page never mixes two moments.
struct JobPage {
  // Into the job's index, a run's kept lifecycle state (LiveRunStates), or `evaluated`: all but
  // the last live as long as the store.
  std::vector<const JobRun*> items;
  bool has_more = false;
  std::vector<JobRun> evaluated;  // the schedule's runs, made for this page; moving it keeps them
};

// `listings`: successful listings of the job before this one (what afterCalls steps count).
// The cost is the index's O(log n + page), the schedule's, and O(live runs) for runs with a
// lifecycle (written one by one in fixtures, so few).
JobPage SeekJob(const Job& job, const PageQuery& query, TimestampMs now, std::uint64_t listings);

// A run with a lifecycle as it stands at `now` after `listings` listings. Records when each of
// its afterCalls steps first happened (so startTime and endTime stay put on later requests), and
// keeps the state it made for the next request.
JobRun EvaluateLiveRun(const LiveRun& live, TimestampMs now, std::uint64_t listings);

}  // namespace datazone_mock
