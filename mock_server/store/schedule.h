#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/job_run.h"
#include "model/lifecycle.h"
#include "store/job_run_index.h"  // PageQuery

namespace datazone_mock {

// `schedule:` of a fixture job (README, "Runs that change"): a run at each tick from `start`,
// `every_ms` apart, up to the data clock's now, each following `lifecycle`.
// Preconditions, which the fixture parser checks: every_ms > 0; the lifecycle's kind is kAfter
// (afterCalls makes no sense for a stream of runs) with increasing `after_ms`; `outcomes` holds
// terminal statuses, weights of at most 1,000,000, and is empty when the lifecycle is. Schedule's
// constructor throws std::invalid_argument for the first two and an empty lifecycle with
// outcomes; the rest it does not rely on.
struct ScheduleSpec {
  TimestampMs start = 0;                           // the first tick: run 1's createdAt
  std::int64_t every_ms = 60000;                   // > 0
  std::uint64_t seed = 0;                          // for the outcome draws only
  JobRunStatus status = JobRunStatus::kScheduled;  // each run's status before its first step
  Lifecycle lifecycle;
  // Terminal statuses with weights, replacing the status of the lifecycle's last step; empty:
  // the last step's own status. Weights of 0 are never drawn; all of them 0 is as if empty.
  std::vector<std::pair<JobRunStatus, std::uint64_t>> outcomes;

  bool operator==(const ScheduleSpec&) const = default;
};

// A schedule that would make more runs than this by the current time is a load error; past
// it (the clock moved on after loading), the schedule stops at this many.
inline constexpr std::uint64_t kMaxScheduledRuns = 10'000'000;

// "sched-0000001": "sched-" and the index from 1, zero-padded to 7 digits (more past 9,999,999).
// The runs' order comes from createdAt, which grows with the index, never from the id.
std::string ScheduledRunId(std::uint64_t index);

// The runs of a schedule as they stand at any instant, made on demand: a run's fields follow
// from its index and the spec alone, so nothing is stored per run except, with `outcomes`, the
// drawn outcome (one byte a run, drawn a block of runs at a time on first use).
//
// Run `i` (from 1): runId ScheduledRunId(i), createdAt start + (i-1) x every, runMode
// SCHEDULED, createdBy "svc-scheduler", then the lifecycle's steps reached at `now` applied by
// RunAtStep, step k reached at createdAt + steps[k].after_ms. A run whose first status is not
// SCHEDULED started at createdAt; one whose first status is terminal (it then has no lifecycle)
// also ended at createdAt, as a finished run always has an endTime.
// With `outcomes`, the last step's status is the run's outcome, drawn with the weights from
// (seed, index) alone: the same spec gives the same runs whatever the clock or the order of
// requests. The last step's error shows only on a run whose drawn outcome is FAILED (a SUCCESS
// with an error message would be nonsense; earlier steps' errors show as written).
//
// At one instant a run's status depends on its age alone, and age falls as the index grows, so
// the runs that reached k steps form one index range, computed arithmetically: a page costs
// O(steps + page), plus, for a status filter on drawn outcomes, a search of the outcome blocks
// from the position (see Block), which does not grow with the job either: at most one check per
// block (153 at the limit) for an outcome too rare to fill the page.
//
// Thread-safe: every member function may be called from any number of threads at once. The
// outcome blocks are built lazily and published with a compare-and-swap (a thread that loses the
// race frees its copy and uses the winner's); once published they never change.
class Schedule {
 public:
  explicit Schedule(ScheduleSpec spec);
  ~Schedule();
  Schedule(const Schedule&) = delete;
  Schedule& operator=(const Schedule&) = delete;

  const ScheduleSpec& spec() const { return spec_; }

  // The runs made by `now` (createdAt <= now), at most kMaxScheduledRuns.
  std::uint64_t CountAt(TimestampMs now) const;

  // Run `index` (1 to kMaxScheduledRuns) as it stands at `now`; whether it exists by then is
  // CountAt's business.
  JobRun RunAt(std::uint64_t index, TimestampMs now) const;

  // Up to query.limit runs existing at `now` whose status at `now` is query.status (any when
  // absent), strictly past query.after in query.order's direction: JobRunIndex::Seek's
  // semantics. `after` may be any position, a schedule run's or another source's (a page merges
  // several). Sets *has_more when another matching run follows the last one returned.
  std::vector<JobRun> Seek(const PageQuery& query, TimestampMs now, bool* has_more) const;

  // Runs existing at `now` whose status at `now` is `status` (any when absent). A count of a
  // drawn outcome reads every outcome block up to the oldest finished run (built once, then
  // O(runs / 65,536)).
  std::uint64_t CountMatching(std::optional<JobRunStatus> status, TimestampMs now) const;

  // Bytes held by the outcome blocks built so far (0 without outcomes): about one a run.
  std::size_t OutcomeBytes() const;

 private:
  static constexpr std::uint64_t kBlockRuns = 65'536;
  static constexpr std::uint64_t kMaxBlocks = (kMaxScheduledRuns + kBlockRuns - 1) / kBlockRuns;
  static constexpr std::size_t kStatusCount = kAllJobRunStatuses.size();

  // A status fewer than 1 in kSparseShare runs of a block drew is "sparse" there.
  static constexpr std::uint64_t kSparseShare = 64;

  // The drawn outcomes of runs [first, first + kBlockRuns), one status byte each; how many runs
  // of the block drew each status (a search skips a block without a match); and, for a sparse
  // status, its offsets in the block, ascending. A page of a rare outcome then reads a few
  // offsets per block instead of 64 KiB of bytes, and a common one finds a match within
  // kSparseShare bytes on average: either way the cost of a page does not grow with the job.
  struct Block {
    std::array<std::uint8_t, kBlockRuns> outcomes;
    std::array<std::uint32_t, kStatusCount> counts;
    std::array<std::vector<std::uint16_t>, kStatusCount> sparse;  // empty: dense or absent
    std::size_t bytes = 0;                                        // held in all, for OutcomeBytes
  };

  // A range of run indexes [first, last] that match a query: all of them, or (by_outcome) those
  // whose drawn outcome is `status`.
  struct Segment {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    bool by_outcome = false;
    JobRunStatus status = JobRunStatus::kScheduled;
  };

  bool Draws() const { return total_weight_ > 0; }
  JobRunStatus Draw(std::uint64_t index) const;
  const Block& BlockAt(std::uint64_t block) const;
  TimestampMs CreatedAt(std::uint64_t index) const;
  // Runs whose createdAt <= `time`, at most `cap`.
  std::uint64_t TicksBy(TimestampMs time, std::uint64_t cap) const;
  // The matching index ranges at `now`, in increasing index order.
  std::vector<Segment> Segments(std::optional<JobRunStatus> status, TimestampMs now) const;
  // Calls visit(index) for each matching index from `from` on in `order`'s direction (both
  // ends inclusive, `from` may be past either end) until visit returns false.
  template <class Visit>
  void Walk(const std::vector<Segment>& segments, std::uint64_t from, SortOrder order,
            Visit&& visit) const;

  ScheduleSpec spec_;
  std::uint64_t total_weight_ = 0;
  std::array<std::uint64_t, kStatusCount> weight_of_{};  // outcome weight by status
  // The lifecycle a run follows when it drew each status: the last step's status replaced, its
  // error kept for FAILED only. Filled for the statuses `outcomes` can draw.
  std::array<Lifecycle, kStatusCount> lifecycle_for_{};
  // Lazily built blocks; null until first used. A cache behind a const interface: the values
  // are fixed by the spec, only whether they were computed yet changes.
  mutable std::array<std::atomic<const Block*>, kMaxBlocks> blocks_{};
};

}  // namespace datazone_mock
