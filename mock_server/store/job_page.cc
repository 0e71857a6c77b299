#include "store/job_page.h"

#include <algorithm>

namespace datazone_mock {
namespace {

// True when `a` comes before `b` in `order`.
bool Precedes(const JobRun& a, const JobRun& b, SortOrder order) {
  return order == SortOrder::kAscending ? RunBefore(a.created_at, a.run_id, b.created_at, b.run_id)
                                        : RunBefore(b.created_at, b.run_id, a.created_at, a.run_id);
}

// The status a run with a lifecycle has once `reached` steps happened.
JobRunStatus StatusAfter(const LiveRun& live, std::size_t reached) {
  return reached == 0 ? live.run.status : live.lifecycle->steps[reached - 1].status;
}

// When afterCalls step `step` happened: the first request to see it fixes its instant; a
// concurrent one that lost the race reads the winner's.
TimestampMs FixReachedAt(const LiveRun& live, std::size_t step, TimestampMs now) {
  std::atomic<TimestampMs>& slot = live.reached_at[static_cast<std::ptrdiff_t>(step)];
  TimestampMs expected = 0;
  if (slot.compare_exchange_strong(expected, now)) return now;
  return expected;
}

// The run as it stands once `reached` steps happened (StepsReached at `now`).
JobRun EvaluateReached(const LiveRun& live, std::size_t reached, TimestampMs now) {
  const Lifecycle& lifecycle = *live.lifecycle;
  return RunAtStep(live.run, lifecycle, reached, [&](std::size_t step) -> TimestampMs {
    if (lifecycle.kind == Lifecycle::Kind::kAfter) {
      return live.run.created_at + lifecycle.steps[step].after_ms;
    }
    return FixReachedAt(live, step, now);
  });
}

// The run as it stands once `reached` steps happened: the fixture's run, or the state kept for
// that step, made by the first listing that needs it.
const JobRun* StateAfter(const LiveRun& live, std::size_t reached, TimestampMs now) {
  if (reached == 0) return &live.run;
  if (const JobRun* kept = live.states->Find(reached)) return kept;
  return live.states->Keep(reached, EvaluateReached(live, reached, now));
}

// The instants of afterCalls steps are fixed by the first listing that reaches them, whether
// or not the run is on its page; EvaluateReached does this for the runs it evaluates.
void NoteStepsReached(const LiveRun& live, TimestampMs now, std::uint64_t listings) {
  if (live.lifecycle->kind != Lifecycle::Kind::kAfterCalls) return;
  const std::size_t reached = StepsReached(*live.lifecycle, live.run.created_at, now, listings);
  for (std::size_t step = 0; step < reached; ++step) FixReachedAt(live, step, now);
}

// The runs with a lifecycle that belong on the page, evaluated at `now`, in the query's order:
// walked from the page's position in `runs` (in (createdAt, runId) order), at most one more
// than a page, so a page costs O(log n + page) unless a status filter skips many.
std::vector<const JobRun*> LiveRunsOnPage(const std::vector<LiveRun>& runs, const PageQuery& query,
                                          TimestampMs now, std::uint64_t listings) {
  std::vector<const JobRun*> page;
  page.reserve(std::min(runs.size(), query.limit + 1));
  const auto before_position = [&](const LiveRun& live) {
    return RunBefore(live.run.created_at, live.run.run_id, query.after->created_at,
                     query.after->run_id);
  };
  const auto at_or_before_position = [&](const LiveRun& live) {
    return !RunBefore(query.after->created_at, query.after->run_id, live.run.created_at,
                      live.run.run_id);
  };
  const auto take = [&](const LiveRun& live) {
    if (page.size() > query.limit) {
      NoteStepsReached(live, now, listings);
      return;
    }
    const std::size_t reached = StepsReached(*live.lifecycle, live.run.created_at, now, listings);
    if (query.status && StatusAfter(live, reached) != *query.status) {
      NoteStepsReached(live, now, listings);
      return;
    }
    page.push_back(StateAfter(live, reached, now));
  };
  if (query.order == SortOrder::kAscending) {
    auto first = runs.begin();
    if (query.after) first = std::partition_point(runs.begin(), runs.end(), at_or_before_position);
    std::for_each(runs.begin(), first,
                  [&](const LiveRun& live) { NoteStepsReached(live, now, listings); });
    std::for_each(first, runs.end(), take);
  } else {
    auto end = runs.end();
    if (query.after) end = std::partition_point(runs.begin(), runs.end(), before_position);
    std::for_each(std::make_reverse_iterator(end), runs.rend(), take);
    std::for_each(end, runs.end(),
                  [&](const LiveRun& live) { NoteStepsReached(live, now, listings); });
  }
  return page;
}

}  // namespace

JobRun EvaluateLiveRun(const LiveRun& live, TimestampMs now, std::uint64_t listings) {
  return *StateAfter(live, StepsReached(*live.lifecycle, live.run.created_at, now, listings), now);
}

JobPage SeekJob(const Job& job, const PageQuery& query, TimestampMs now, std::uint64_t listings) {
  JobPage page;
  Page fixed = job.runs.Seek(query);
  if (!job.Changes()) {
    page.items = std::move(fixed.items);
    page.has_more = fixed.has_more;
    return page;
  }

  // The changing runs that match, in order, at most one more than a page: runs with a lifecycle
  // as their kept states (they stay put with the store), the schedule's made for this request.
  std::vector<const JobRun*> live;
  if (job.live) live = LiveRunsOnPage(*job.live, query, now, listings);
  bool scheduled_more = false;
  std::vector<JobRun> scheduled;
  if (job.schedule) scheduled = job.schedule->Seek(query, now, &scheduled_more);

  // Only runs with a lifecycle (the usual case for such a job): they are the page, in order.
  if (fixed.items.empty() && !fixed.has_more && scheduled.empty() && !scheduled_more) {
    page.has_more = live.size() > query.limit;
    if (page.has_more) live.resize(query.limit);
    page.items = std::move(live);
    return page;
  }

  // The evaluated runs must not move once pointed at.
  page.evaluated.reserve(scheduled.size());
  std::size_t next_fixed = 0;
  std::size_t next_live = 0;
  std::size_t next_scheduled = 0;
  while (page.items.size() < query.limit) {
    enum class Source { kNone, kFixed, kLive, kScheduled } source = Source::kNone;
    const JobRun* best = nullptr;
    if (next_fixed < fixed.items.size()) {
      best = fixed.items[next_fixed];
      source = Source::kFixed;
    }
    if (next_live < live.size() && (!best || Precedes(*live[next_live], *best, query.order))) {
      best = live[next_live];
      source = Source::kLive;
    }
    if (next_scheduled < scheduled.size() &&
        (!best || Precedes(scheduled[next_scheduled], *best, query.order))) {
      page.evaluated.push_back(std::move(scheduled[next_scheduled]));
      best = &page.evaluated.back();
      source = Source::kScheduled;
    }
    if (source == Source::kNone) break;
    if (source == Source::kFixed) ++next_fixed;
    if (source == Source::kLive) ++next_live;
    if (source == Source::kScheduled) ++next_scheduled;
    page.items.push_back(best);
  }
  page.has_more = next_fixed < fixed.items.size() || fixed.has_more || next_live < live.size() ||
                  next_scheduled < scheduled.size() || scheduled_more;
  return page;
}

}  // namespace datazone_mock
