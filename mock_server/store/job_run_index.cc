#include "store/job_run_index.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace datazone_mock {
namespace {

bool Before(const JobRun& a, const JobRun& b) {
  return RunBefore(a.created_at, a.run_id, b.created_at, b.run_id);
}

// Pages through any ascending random-access sequence of runs; `at(i)` returns the i-th run.
// Used for the whole job and for each status list alike.
template <class At>
Page SeekIn(std::size_t size, At at, const PageQuery& query) {
  const auto is_before_position = [&](std::size_t i) {
    const JobRun& run = at(i);
    return RunBefore(run.created_at, run.run_id, query.after->created_at, query.after->run_id);
  };
  const auto is_after_position = [&](std::size_t i) {
    const JobRun& run = at(i);
    return RunBefore(query.after->created_at, query.after->run_id, run.created_at, run.run_id);
  };
  // partition_point over indices [0, size): the first index for which `pred` is false.
  const auto partition_point = [size](auto pred) {
    std::size_t low = 0;
    std::size_t high = size;
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      if (pred(mid)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  };

  Page page;
  if (query.order == SortOrder::kAscending) {
    const std::size_t begin =
        query.after ? partition_point([&](std::size_t i) { return !is_after_position(i); }) : 0;
    const std::size_t end = begin + std::min(query.limit, size - begin);
    page.items.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) page.items.push_back(&at(i));
    page.has_more = end < size;
  } else {
    const std::size_t end = query.after ? partition_point(is_before_position) : size;
    const std::size_t begin = end - std::min(query.limit, end);
    page.items.reserve(end - begin);
    for (std::size_t i = end; i > begin; --i) page.items.push_back(&at(i - 1));
    page.has_more = begin > 0;
  }
  return page;
}

}  // namespace

JobRunIndex::JobRunIndex() : data_(std::make_shared<const Data>()) {}

JobRunIndex::JobRunIndex(std::vector<JobRun> runs) {
  if (runs.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("a job holds at most 2^32-1 runs");
  }
  auto data = std::make_shared<Data>();
  data->runs = std::move(runs);
  std::sort(data->runs.begin(), data->runs.end(), Before);
  for (std::size_t i = 0; i < data->runs.size(); ++i) {
    data->by_status[static_cast<std::size_t>(data->runs[i].status)].push_back(
        static_cast<std::uint32_t>(i));
  }
  data_ = std::move(data);
}

Page JobRunIndex::Seek(const PageQuery& query) const {
  const std::vector<JobRun>& runs = data_->runs;
  if (!query.status) {
    return SeekIn(
        runs.size(), [&runs](std::size_t i) -> const JobRun& { return runs[i]; }, query);
  }
  const std::vector<std::uint32_t>& positions =
      data_->by_status[static_cast<std::size_t>(*query.status)];
  return SeekIn(
      positions.size(),
      [&runs, &positions](std::size_t i) -> const JobRun& { return runs[positions[i]]; }, query);
}

}  // namespace datazone_mock
