#include "store/schedule.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>

namespace datazone_mock {
namespace {

// SplitMix64's finaliser: every bit of the input moves every bit of the output, so consecutive
// indexes give unrelated draws.
std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

// `time - duration`, held at the smallest timestamp instead of overflowing.
TimestampMs MinusClamped(TimestampMs time, std::int64_t duration) {
  if (duration > 0 && time < std::numeric_limits<TimestampMs>::min() + duration) {
    return std::numeric_limits<TimestampMs>::min();
  }
  return time - duration;
}

// The last byte equal to `value` in [begin, end), or null. memrchr is a GNU extension; this
// reads eight bytes at a time (a word has a matching byte iff `word ^ pattern` has a zero byte).
const std::uint8_t* FindLast(const std::uint8_t* begin, const std::uint8_t* end,
                             std::uint8_t value) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  const std::uint64_t pattern = kOnes * value;
  while (end - begin >= 8) {
    std::uint64_t word;
    std::memcpy(&word, end - 8, sizeof word);
    const std::uint64_t x = word ^ pattern;
    if (((x - kOnes) & ~x & kHighBits) != 0) break;
    end -= 8;
  }
  while (end != begin) {
    --end;
    if (*end == value) return end;
  }
  return nullptr;
}

std::size_t StatusSlot(JobRunStatus status) { return static_cast<std::size_t>(status); }

}  // namespace

std::string ScheduledRunId(std::uint64_t index) {
  char id[32];
  std::snprintf(id, sizeof id, "sched-%07llu", static_cast<unsigned long long>(index));
  return id;
}

Schedule::Schedule(ScheduleSpec spec) : spec_(std::move(spec)) {
  // The fixture parser refuses all of these; reaching here with one is a bug, not bad input.
  if (spec_.every_ms <= 0) throw std::invalid_argument("a schedule's every must be positive");
  if (!spec_.lifecycle.steps.empty() && spec_.lifecycle.kind != Lifecycle::Kind::kAfter) {
    throw std::invalid_argument("a schedule's lifecycle takes after steps only");
  }
  if (!spec_.outcomes.empty() && spec_.lifecycle.steps.empty()) {
    throw std::invalid_argument("a schedule's outcomes need a lifecycle");
  }
  for (const auto& [status, weight] : spec_.outcomes) {
    total_weight_ += weight;
    weight_of_[StatusSlot(status)] += weight;
    if (weight == 0) continue;
    Lifecycle& drawn = lifecycle_for_[StatusSlot(status)];
    drawn = spec_.lifecycle;
    drawn.steps.back().status = status;
    if (status != JobRunStatus::kFailed) drawn.steps.back().error_message.reset();
  }
}

Schedule::~Schedule() {
  for (auto& block : blocks_) delete block.load(std::memory_order_acquire);
}

std::uint64_t Schedule::TicksBy(TimestampMs time, std::uint64_t cap) const {
  if (time < spec_.start) return 0;
  // Unsigned: the difference of two timestamps may not fit a signed one.
  const std::uint64_t since_start =
      static_cast<std::uint64_t>(time) - static_cast<std::uint64_t>(spec_.start);
  const std::uint64_t ticks = since_start / static_cast<std::uint64_t>(spec_.every_ms) + 1;
  return std::min(ticks, cap);
}

std::uint64_t Schedule::CountAt(TimestampMs now) const { return TicksBy(now, kMaxScheduledRuns); }

JobRunStatus Schedule::Draw(std::uint64_t index) const {
  std::uint64_t pick = Mix64(spec_.seed ^ Mix64(index)) % total_weight_;
  for (const auto& [status, weight] : spec_.outcomes) {
    if (pick < weight) return status;
    pick -= weight;
  }
  return spec_.outcomes.back().first;  // unreachable: pick < total_weight_
}

const Schedule::Block& Schedule::BlockAt(std::uint64_t block) const {
  std::atomic<const Block*>& published = blocks_[block];
  if (const Block* built = published.load(std::memory_order_acquire)) return *built;
  auto made = std::unique_ptr<Block>(new Block);  // no value-initialisation: filled below
  made->counts.fill(0);
  const std::uint64_t first = block * kBlockRuns + 1;
  for (std::uint64_t i = 0; i < kBlockRuns; ++i) {
    const JobRunStatus outcome = Draw(first + i);
    made->outcomes[i] = static_cast<std::uint8_t>(outcome);
    ++made->counts[StatusSlot(outcome)];
  }
  made->bytes = sizeof(Block);
  std::array<bool, kStatusCount> sparse{};
  bool any_sparse = false;
  for (std::size_t slot = 0; slot < kStatusCount; ++slot) {
    const std::uint32_t count = made->counts[slot];
    if (count == 0 || count >= kBlockRuns / kSparseShare) continue;
    sparse[slot] = any_sparse = true;
    made->sparse[slot].reserve(count);
    made->bytes += count * sizeof(std::uint16_t);
  }
  if (any_sparse) {
    for (std::uint64_t i = 0; i < kBlockRuns; ++i) {
      const std::uint8_t outcome = made->outcomes[i];
      if (sparse[outcome]) made->sparse[outcome].push_back(static_cast<std::uint16_t>(i));
    }
  }
  const Block* expected = nullptr;
  if (published.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
    return *made.release();
  }
  return *expected;  // another thread published the same values first
}

std::size_t Schedule::OutcomeBytes() const {
  std::size_t bytes = 0;
  for (const auto& block : blocks_) {
    if (const Block* built = block.load(std::memory_order_acquire)) bytes += built->bytes;
  }
  return bytes;
}

TimestampMs Schedule::CreatedAt(std::uint64_t index) const {
  // Unsigned, then back: defined for any index, and exact for those CountAt allows.
  return static_cast<TimestampMs>(static_cast<std::uint64_t>(spec_.start) +
                                  (index - 1) * static_cast<std::uint64_t>(spec_.every_ms));
}

JobRun Schedule::RunAt(std::uint64_t index, TimestampMs now) const {
  JobRun run;
  run.run_id = ScheduledRunId(index);
  run.created_at = CreatedAt(index);
  run.status = spec_.status;
  run.run_mode = JobRunMode::kScheduled;
  run.created_by = "svc-scheduler";
  if (run.status != JobRunStatus::kScheduled) run.start_time = run.created_at;
  if (IsTerminal(run.status)) run.end_time = run.created_at;
  const Lifecycle& lifecycle = Draws() ? lifecycle_for_[StatusSlot(Draw(index))] : spec_.lifecycle;
  const std::size_t reached = StepsReached(lifecycle, run.created_at, now, 0);
  const TimestampMs created_at = run.created_at;
  return RunAtStep(run, lifecycle, reached,
                   [&](std::size_t step) { return created_at + lifecycle.steps[step].after_ms; });
}

std::vector<Schedule::Segment> Schedule::Segments(std::optional<JobRunStatus> status,
                                                  TimestampMs now) const {
  const std::vector<LifecycleStep>& steps = spec_.lifecycle.steps;
  // reached_by[k]: runs that reached at least k steps at `now`, i.e. runs 1..reached_by[k]
  // (older runs are further along). A step counts only once the steps before it have, as in
  // StepsReached, hence the running minimum.
  std::vector<std::uint64_t> reached_by(steps.size() + 2, 0);
  reached_by[0] = CountAt(now);
  for (std::size_t k = 1; k <= steps.size(); ++k) {
    reached_by[k] = std::min(reached_by[k - 1],
                             TicksBy(MinusClamped(now, steps[k - 1].after_ms), kMaxScheduledRuns));
  }
  // reached_by[steps.size() + 1] stays 0: no run reached more steps than there are.

  std::vector<Segment> segments;
  // The run band that reached exactly k steps is (reached_by[k + 1], reached_by[k]]; the most
  // advanced band holds the oldest runs, so bands come in increasing index order from k = all.
  for (std::size_t k = steps.size() + 1; k-- > 0;) {
    const std::uint64_t first = reached_by[k + 1] + 1;
    const std::uint64_t last = reached_by[k];
    if (first > last) continue;
    Segment segment{first, last, false, JobRunStatus::kScheduled};
    if (k == steps.size() && Draws()) {
      if (status) {
        if (weight_of_[StatusSlot(*status)] == 0) continue;
        segment.by_outcome = true;
        segment.status = *status;
      }
    } else {
      const JobRunStatus band_status = k == 0 ? spec_.status : steps[k - 1].status;
      if (status && band_status != *status) continue;
    }
    if (!segment.by_outcome && !segments.empty() && !segments.back().by_outcome &&
        segments.back().last + 1 == first) {
      segments.back().last = last;
    } else {
      segments.push_back(segment);
    }
  }
  return segments;
}

template <class Visit>
void Schedule::Walk(const std::vector<Segment>& segments, std::uint64_t from, SortOrder order,
                    Visit&& visit) const {
  if (order == SortOrder::kAscending) {
    for (const Segment& segment : segments) {
      if (segment.last < from) continue;
      std::uint64_t i = std::max(segment.first, from);
      if (!segment.by_outcome) {
        for (; i <= segment.last; ++i) {
          if (!visit(i)) return;
        }
        continue;
      }
      const std::size_t slot = StatusSlot(segment.status);
      while (i <= segment.last) {
        const std::uint64_t block_first = (i - 1) / kBlockRuns * kBlockRuns + 1;
        const std::uint64_t end = std::min(segment.last, block_first + kBlockRuns - 1);
        const Block& block = BlockAt((i - 1) / kBlockRuns);
        const std::vector<std::uint16_t>& offsets = block.sparse[slot];
        if (!offsets.empty()) {
          for (auto at = std::lower_bound(offsets.begin(), offsets.end(), i - block_first);
               at != offsets.end() && *at <= end - block_first; ++at) {
            if (!visit(block_first + *at)) return;
          }
        } else if (block.counts[slot] > 0) {
          const std::uint8_t* base = block.outcomes.data();
          const std::uint8_t* stop = base + (end - block_first + 1);
          for (const std::uint8_t* at = base + (i - block_first); at < stop; ++at) {
            at = static_cast<const std::uint8_t*>(
                std::memchr(at, static_cast<int>(slot), static_cast<std::size_t>(stop - at)));
            if (!at) break;
            if (!visit(block_first + static_cast<std::uint64_t>(at - base))) return;
          }
        }
        i = end + 1;
      }
    }
    return;
  }
  for (auto segment = segments.rbegin(); segment != segments.rend(); ++segment) {
    if (segment->first > from) continue;
    std::uint64_t i = std::min(segment->last, from);
    if (!segment->by_outcome) {
      for (; i >= segment->first; --i) {
        if (!visit(i)) return;
      }
      continue;
    }
    const std::size_t slot = StatusSlot(segment->status);
    while (i >= segment->first) {
      const std::uint64_t block_first = (i - 1) / kBlockRuns * kBlockRuns + 1;
      const std::uint64_t begin = std::max(segment->first, block_first);
      const Block& block = BlockAt((i - 1) / kBlockRuns);
      const std::vector<std::uint16_t>& offsets = block.sparse[slot];
      if (!offsets.empty()) {
        auto at = std::upper_bound(offsets.begin(), offsets.end(), i - block_first);
        while (at != offsets.begin() && *(at - 1) >= begin - block_first) {
          --at;
          if (!visit(block_first + *at)) return;
        }
      } else if (block.counts[slot] > 0) {
        const std::uint8_t* base = block.outcomes.data();
        const std::uint8_t* start = base + (begin - block_first);
        const std::uint8_t* end = base + (i - block_first + 1);
        while (const std::uint8_t* at = FindLast(start, end, static_cast<std::uint8_t>(slot))) {
          if (!visit(block_first + static_cast<std::uint64_t>(at - base))) return;
          end = at;
        }
      }
      i = begin - 1;  // segment->first >= 1, so this ends the loop without wrapping
    }
  }
}

std::vector<JobRun> Schedule::Seek(const PageQuery& query, TimestampMs now, bool* has_more) const {
  *has_more = false;
  std::vector<JobRun> runs;
  const std::uint64_t count = CountAt(now);
  if (count == 0) return runs;

  // Where to start, in index terms: run i sits at (createdAt(i), ScheduledRunId(i)), and
  // createdAt grows with i, so only the run on the tick at or before the position's createdAt
  // needs its id compared (the position may be another source's run on that very tick).
  std::uint64_t from = query.order == SortOrder::kAscending ? 1 : count;
  if (query.after) {
    const RunPosition& after = *query.after;
    const std::uint64_t on_or_before = TicksBy(after.created_at, kMaxScheduledRuns + 1);
    if (query.order == SortOrder::kAscending) {
      from = on_or_before + 1;
      if (on_or_before >= 1 && on_or_before <= count) {
        if (RunBefore(after.created_at, after.run_id, CreatedAt(on_or_before),
                      ScheduledRunId(on_or_before))) {
          from = on_or_before;
        }
      }
    } else {
      from = std::min(on_or_before, count);
      if (on_or_before >= 1 && on_or_before <= count) {
        if (!RunBefore(CreatedAt(on_or_before), ScheduledRunId(on_or_before), after.created_at,
                       after.run_id)) {
          from = on_or_before - 1;
        }
      }
    }
  }

  std::vector<std::uint64_t> indexes;
  indexes.reserve(std::min<std::uint64_t>({query.limit, count, 1024}));  // a page is small
  Walk(Segments(query.status, now), from, query.order, [&](std::uint64_t index) {
    if (indexes.size() < query.limit) {
      indexes.push_back(index);
      return true;
    }
    *has_more = true;
    return false;
  });
  runs.reserve(indexes.size());
  for (const std::uint64_t index : indexes) runs.push_back(RunAt(index, now));
  return runs;
}

std::uint64_t Schedule::CountMatching(std::optional<JobRunStatus> status, TimestampMs now) const {
  std::uint64_t matching = 0;
  for (const Segment& segment : Segments(status, now)) {
    if (!segment.by_outcome) {
      matching += segment.last - segment.first + 1;
      continue;
    }
    for (std::uint64_t i = segment.first; i <= segment.last;) {
      const std::uint64_t block_first = (i - 1) / kBlockRuns * kBlockRuns + 1;
      const std::uint64_t end = std::min(segment.last, block_first + kBlockRuns - 1);
      const Block& block = BlockAt((i - 1) / kBlockRuns);
      if (i == block_first && end == block_first + kBlockRuns - 1) {
        matching += block.counts[StatusSlot(segment.status)];
      } else {
        const std::uint8_t* base = block.outcomes.data();
        matching += static_cast<std::uint64_t>(
            std::count(base + (i - block_first), base + (end - block_first + 1),
                       static_cast<std::uint8_t>(segment.status)));
      }
      i = end + 1;
    }
  }
  return matching;
}

}  // namespace datazone_mock
