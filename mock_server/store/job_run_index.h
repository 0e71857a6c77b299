#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "model/job_run.h"

namespace datazone_mock {

// What a page request asks of one job's runs.
struct PageQuery {
  std::optional<JobRunStatus> status;  // only runs with this status
  SortOrder order = SortOrder::kDescending;
  std::optional<RunPosition> after;  // exclusive keyset position, in `order`'s direction
  std::size_t limit = 50;
};

// A page of runs, pointing into the index it came from (valid while that index lives).
struct Page {
  std::vector<const JobRun*> items;
  bool has_more = false;  // more runs follow the last item in `order`'s direction
};

// The runs of one job, kept in (createdAt, runId) order with one position list per status, so a
// page is found by binary search: O(log n + page size), whatever the job holds.
// Immutable after construction, so any number of threads may read it at once; copies share
// the data, so copying a Store to change one job leaves the others' runs where they are.
class JobRunIndex {
 public:
  JobRunIndex();
  // Takes runs in any order. RunIds must be unique (the fixture builder checks that first).
  explicit JobRunIndex(std::vector<JobRun> runs);

  Page Seek(const PageQuery& query) const;

  std::size_t size() const { return data_->runs.size(); }
  const std::vector<JobRun>& runs() const { return data_->runs; }  // in ascending order

 private:
  struct Data {
    std::vector<JobRun> runs;  // ascending (createdAt, runId)
    // Positions in `runs` of each status's runs, ascending. uint32_t: 4 bytes a run, not 8.
    std::array<std::vector<std::uint32_t>, kAllJobRunStatuses.size()> by_status;
  };
  std::shared_ptr<const Data> data_;
};

}  // namespace datazone_mock
