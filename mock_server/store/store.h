#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/job_run.h"
#include "model/lifecycle.h"
#include "store/job_run_index.h"
#include "store/live_run.h"
#include "store/schedule.h"

namespace datazone_mock {

struct Job {
  std::string id;
  JobType type = JobType::kLineage;
  JobRunIndex runs;  // the runs that never change
  // Runs with a lifecycle and the schedule's runs are evaluated at each request's instant; a
  // job with neither is served from `runs` alone.
  std::shared_ptr<const std::vector<LiveRun>> live = nullptr;  // in (createdAt, runId) order
  std::shared_ptr<const Schedule> schedule = nullptr;
  // Successful listings of this job since load or reset: what afterCalls steps count. Shared by
  // the stores that seeding builds from this one.
  std::shared_ptr<std::atomic<std::uint64_t>> listings =
      std::make_shared<std::atomic<std::uint64_t>>(0);

  bool Changes() const { return (live && !live->empty()) || schedule; }
  // Runs served at `now`: the schedule's grow with the clock.
  std::size_t RunCount(TimestampMs now) const {
    return runs.size() + (live ? live->size() : 0) +
           (schedule ? static_cast<std::size_t>(schedule->CountAt(now)) : 0);
  }
};

struct Domain {
  std::string id;
  std::map<std::string, Job, std::less<>> jobs;
  // Callers (SigV4 access key ids) allowed to list this domain; absent: everyone.
  std::optional<std::vector<std::string>> allowed_access_key_ids;

  bool Allows(std::string_view access_key_id) const {
    if (!allowed_access_key_ids) return true;
    for (const std::string& allowed : *allowed_access_key_ids) {
      if (allowed == access_key_id) return true;
    }
    return false;
  }
};

// Every domain, job and run the mock serves. Built once (from fixtures) and then only read:
// a change builds a new Store and swaps it in through StoreSnapshot.
struct Store {
  std::map<std::string, Domain, std::less<>> domains;

  const Domain* FindDomain(std::string_view id) const {
    const auto it = domains.find(id);
    return it == domains.end() ? nullptr : &it->second;
  }

  struct Counts {
    std::size_t domains = 0;
    std::size_t jobs = 0;
    std::size_t runs = 0;
  };
  // `now`: the data clock's reading, for the runs schedules have made by then.
  Counts Count(TimestampMs now = 0) const {
    Counts counts;
    counts.domains = domains.size();
    for (const auto& [domain_id, domain] : domains) {
      counts.jobs += domain.jobs.size();
      for (const auto& [job_id, job] : domain.jobs) counts.runs += job.RunCount(now);
    }
    return counts;
  }
};

inline const Job* FindJob(const Domain& domain, std::string_view id) {
  const auto it = domain.jobs.find(id);
  return it == domain.jobs.end() ? nullptr : &it->second;
}

}  // namespace datazone_mock
