#include "store/store_builder.h"

#include <map>
#include <string_view>
#include <unordered_map>

namespace datazone_mock {
namespace {

struct PendingJob {
  JobType type = JobType::kLineage;
  const SourceLocation* defined_at = nullptr;
  std::vector<JobRun> runs;
};

void Report(Diagnostics& problems, const SourceLocation& at, std::string message) {
  if (problems.size() < kMaxDiagnostics) {
    problems.push_back(Diagnostic{at.file, at.line, at.column, std::move(message)});
  }
}

// Appends a job's generated runs; one that takes an explicit run's id is an error.
void AddGeneratedRuns(
    const JobSpec& job,
    const std::unordered_map<std::string_view, const SourceLocation*>& explicit_ids,
    std::vector<JobRun>& runs, Diagnostics& problems, LoadProgress* progress) {
  std::vector<JobRun> generated = GenerateRuns(*job.generate, progress);
  runs.reserve(runs.size() + generated.size());
  for (JobRun& run : generated) {
    if (const auto clash = explicit_ids.find(run.run_id); clash != explicit_ids.end()) {
      Report(problems, job.generate_location,
             "generated runId '" + run.run_id + "' in job '" + job.id + "' is also defined at " +
                 clash->second->ToString());
      continue;
    }
    runs.push_back(std::move(run));
  }
}

}  // namespace

Result<Store, Diagnostics> BuildStore(const std::vector<FixtureDocument>& documents,
                                      LoadProgress* progress) {
  Diagnostics problems;
  // domain id -> job id -> job, kept apart from the Store until every run is known, so that
  // each job's index is sorted once.
  std::map<std::string, std::map<std::string, PendingJob>> pending;
  // domain id -> its access list and where it was given (at most one place).
  std::map<std::string, const DomainSpec*> access_lists;
  for (const FixtureDocument& document : documents) {
    for (const DomainSpec& domain : document.domains) {
      auto& jobs = pending[domain.id];
      if (domain.allowed_access_key_ids) {
        auto [first, fresh] = access_lists.emplace(domain.id, &domain);
        if (!fresh) {
          Report(problems, domain.allowed_location,
                 "allowedAccessKeyIds of domain '" + domain.id + "' is already given at " +
                     first->second->allowed_location.ToString());
        }
      }
      for (const JobSpec& job : domain.jobs) {
        auto [it, inserted] = jobs.try_emplace(job.id);
        PendingJob& target = it->second;
        if (!inserted) {
          Report(problems, job.location,
                 "job '" + job.id + "' in domain '" + domain.id + "' is already defined at " +
                     target.defined_at->ToString());
          continue;
        }
        target.type = job.type;
        target.defined_at = &job.location;
        std::unordered_map<std::string_view, const SourceLocation*> run_ids;
        run_ids.reserve(job.runs.size());
        target.runs.reserve(job.runs.size());
        for (const RunSpec& run : job.runs) {
          auto [seen, fresh] = run_ids.try_emplace(run.run.run_id, &run.location);
          if (!fresh) {
            Report(problems, run.location,
                   "duplicate runId '" + run.run.run_id + "' in job '" + job.id +
                       "' (first defined at " + seen->second->ToString() + ")");
            continue;
          }
          target.runs.push_back(run.run);
        }
        if (job.generate) AddGeneratedRuns(job, run_ids, target.runs, problems, progress);
      }
    }
  }
  if (!problems.empty()) return problems;

  Store store;
  for (auto& [domain_id, jobs] : pending) {
    Domain& domain = store.domains[domain_id];
    domain.id = domain_id;
    if (const auto access = access_lists.find(domain_id); access != access_lists.end()) {
      domain.allowed_access_key_ids = access->second->allowed_access_key_ids;
    }
    for (auto& [job_id, job] : jobs) {
      domain.jobs.emplace(job_id, Job{job_id, job.type, JobRunIndex(std::move(job.runs))});
    }
  }
  return store;
}

Result<Store, Diagnostics> MergeIntoStore(const Store& base, const FixtureDocument& document) {
  Diagnostics problems;
  Store store = base;  // cheap: every job's runs are shared until rebuilt below
  for (const DomainSpec& spec : document.domains) {
    auto [domain_it, new_domain] = store.domains.try_emplace(spec.id);
    Domain& domain = domain_it->second;
    domain.id = spec.id;
    if (spec.allowed_access_key_ids) {
      if (!new_domain && domain.allowed_access_key_ids) {
        Report(problems, spec.allowed_location,
               "domain '" + spec.id + "' already has allowedAccessKeyIds");
      } else {
        domain.allowed_access_key_ids = spec.allowed_access_key_ids;
      }
    }
    for (const JobSpec& job_spec : spec.jobs) {
      auto [job_it, new_job] = domain.jobs.try_emplace(job_spec.id);
      Job& job = job_it->second;
      if (new_job) {
        job.id = job_spec.id;
        job.type = job_spec.type;
      }
      std::unordered_map<std::string_view, const SourceLocation*> seeded;
      std::unordered_map<std::string_view, bool> existing;
      existing.reserve(job.runs.size());
      for (const JobRun& run : job.runs.runs()) existing.emplace(run.run_id, true);
      std::vector<JobRun> runs = job.runs.runs();
      for (const RunSpec& run : job_spec.runs) {
        if (existing.count(run.run.run_id) > 0) {
          Report(problems, run.location,
                 "runId '" + run.run.run_id + "' already exists in job '" + job_spec.id + "'");
          continue;
        }
        auto [seen, fresh] = seeded.try_emplace(run.run.run_id, &run.location);
        if (!fresh) {
          Report(problems, run.location,
                 "duplicate runId '" + run.run.run_id + "' in job '" + job_spec.id +
                     "' (first defined at " + seen->second->ToString() + ")");
          continue;
        }
        runs.push_back(run.run);
      }
      if (job_spec.generate) {
        for (JobRun& run : GenerateRuns(*job_spec.generate)) {
          if (existing.count(run.run_id) > 0 || seeded.count(run.run_id) > 0) {
            Report(
                problems, job_spec.generate_location,
                "generated runId '" + run.run_id + "' already exists in job '" + job_spec.id + "'");
            break;
          }
          runs.push_back(std::move(run));
        }
      }
      if (problems.empty()) job.runs = JobRunIndex(std::move(runs));
    }
  }
  if (!problems.empty()) return problems;
  return store;
}

}  // namespace datazone_mock
