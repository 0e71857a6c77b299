#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/job_run.h"
#include "store/store.h"

namespace datazone_mock {

inline JobRun MakeRun(std::string run_id, TimestampMs created_at,
                      JobRunStatus status = JobRunStatus::kSuccess) {
  JobRun run;
  run.run_id = std::move(run_id);
  run.created_at = created_at;
  run.status = status;
  return run;
}

// A store with one domain holding one job.
inline std::shared_ptr<const Store> MakeStore(const std::string& domain_id,
                                              const std::string& job_id, std::vector<JobRun> runs) {
  auto store = std::make_shared<Store>();
  Domain& domain = store->domains[domain_id];
  domain.id = domain_id;
  domain.jobs.emplace(job_id, Job{job_id, JobType::kLineage, JobRunIndex(std::move(runs))});
  return store;
}

// `count` runs, createdAt 1000 s apart, statuses cycling through every JobRunStatus.
inline std::vector<JobRun> MakeRuns(int count, int id_offset = 0) {
  std::vector<JobRun> runs;
  for (int i = 0; i < count; ++i) {
    const int n = i + id_offset;
    char id[16];
    std::snprintf(id, sizeof id, "run-%05d", n);
    runs.push_back(
        MakeRun(id, TimestampMs{1'700'000'000'000} + TimestampMs{n} * 1'000'000,
                kAllJobRunStatuses[static_cast<std::size_t>(n) % kAllJobRunStatuses.size()]));
  }
  return runs;
}

}  // namespace datazone_mock
