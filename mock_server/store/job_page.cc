#include "store/job_page.h"

#include <algorithm>

namespace datazone_mock {
namespace {

// True when `a` comes before `b` in `order`.
bool Precedes(const JobRun& a, const JobRun& b, SortOrder order) {
  return order == SortOrder::kAscending ? RunBefore(a.created_at, a.run_id, b.created_at, b.run_id)
                                        : RunBefore(b.created_at, b.run_id, a.created_at, a.run_id);
}

// True when `run` lies past the keyset position `after` in `order`.
bool IsAfter(const JobRun& run, const std::optional<RunPosition>& after, SortOrder order) {
  if (!after) return true;
  return order == SortOrder::kAscending
             ? RunBefore(after->created_at, after->run_id, run.created_at, run.run_id)
             : RunBefore(run.created_at, run.run_id, after->created_at, after->run_id);
}

}  // namespace

JobRun EvaluateLiveRun(const LiveRun& live, TimestampMs now, std::uint64_t listings) {
  const Lifecycle& lifecycle = *live.lifecycle;
  const std::size_t reached = StepsReached(lifecycle, live.run.created_at, now, listings);
  const auto reached_at = [&](std::size_t step) -> TimestampMs {
    if (lifecycle.kind == Lifecycle::Kind::kAfter) {
      return live.run.created_at + lifecycle.steps[step].after_ms;
    }
    // The first request to see the step fixes its instant; a concurrent one that lost the race
    // reads the winner's.
    std::atomic<TimestampMs>& slot = live.reached_at[static_cast<std::ptrdiff_t>(step)];
    TimestampMs expected = 0;
    if (slot.compare_exchange_strong(expected, now)) return now;
    return expected;
  };
  return RunAtStep(live.run, lifecycle, reached, reached_at);
}

JobPage SeekJob(const Job& job, const PageQuery& query, TimestampMs now, std::uint64_t listings) {
  JobPage page;
  Page fixed = job.runs.Seek(query);
  if (!job.Changes()) {
    page.items = std::move(fixed.items);
    page.has_more = fixed.has_more;
    return page;
  }

  // The changing runs that match, in order, at most one more than a page.
  std::vector<JobRun> live;
  if (job.live) {
    for (const LiveRun& run : *job.live) {
      JobRun now_run = EvaluateLiveRun(run, now, listings);
      if (query.status && now_run.status != *query.status) continue;
      if (!IsAfter(now_run, query.after, query.order)) continue;
      live.push_back(std::move(now_run));
    }
    std::sort(live.begin(), live.end(),
              [&](const JobRun& a, const JobRun& b) { return Precedes(a, b, query.order); });
  }
  bool scheduled_more = false;
  std::vector<JobRun> scheduled;
  if (job.schedule) scheduled = job.schedule->Seek(query, now, &scheduled_more);

  // The evaluated runs must not move once pointed at.
  page.evaluated.reserve(live.size() + scheduled.size());
  std::size_t next_fixed = 0;
  std::size_t next_live = 0;
  std::size_t next_scheduled = 0;
  while (page.items.size() < query.limit) {
    const JobRun* best = nullptr;
    int source = -1;
    if (next_fixed < fixed.items.size()) {
      best = fixed.items[next_fixed];
      source = 0;
    }
    if (next_live < live.size() && (!best || Precedes(live[next_live], *best, query.order))) {
      best = &live[next_live];
      source = 1;
    }
    if (next_scheduled < scheduled.size() &&
        (!best || Precedes(scheduled[next_scheduled], *best, query.order))) {
      best = &scheduled[next_scheduled];
      source = 2;
    }
    if (!best) break;
    if (source == 0) {
      page.items.push_back(best);
      ++next_fixed;
    } else {
      page.evaluated.push_back(source == 1 ? std::move(live[next_live++])
                                           : std::move(scheduled[next_scheduled++]));
      page.items.push_back(&page.evaluated.back());
    }
  }
  page.has_more = next_fixed < fixed.items.size() || fixed.has_more || next_live < live.size() ||
                  next_scheduled < scheduled.size() || scheduled_more;
  return page;
}

}  // namespace datazone_mock
