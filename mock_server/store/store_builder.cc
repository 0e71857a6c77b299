#include "store/store_builder.h"

#include <atomic>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace datazone_mock {
namespace {

void Report(Diagnostics& problems, const SourceLocation& at, std::string message) {
  if (problems.size() < kMaxDiagnostics) {
    problems.push_back(Diagnostic{at.file, at.line, at.column, std::move(message)});
  }
}

// Where each runId of a job was given: a place in a document, or nullptr for a run the store
// merged into already holds (a served store keeps no places). Keys point into the documents and
// the base store, which outlive the merge.
using RunOrigins = std::unordered_map<std::string_view, const SourceLocation*>;

// A job as the merge leaves it: kept apart from the Store until every document is merged, so
// that each job's index is sorted once.
struct PendingJob {
  JobType type = JobType::kLineage;
  const SourceLocation* defined_at = nullptr;  // the document that defined it in this merge
  std::vector<JobRun> runs;                    // the base store's, then the documents'
  std::vector<LiveRun> live;                   // runs with a lifecycle, likewise
  std::shared_ptr<const Schedule> schedule;
  std::shared_ptr<std::atomic<std::uint64_t>> listings;  // the served job's, if it is served
};

// A job's runs with a lifecycle, in (createdAt, runId) order: neither changes with the
// lifecycle, so SeekJob walks them from the page's position without sorting per request.
std::shared_ptr<const std::vector<LiveRun>> InRunOrder(std::vector<LiveRun> live) {
  std::sort(live.begin(), live.end(), [](const LiveRun& a, const LiveRun& b) {
    return RunBefore(a.run.created_at, a.run.run_id, b.run.created_at, b.run.run_id);
  });
  return std::make_shared<const std::vector<LiveRun>>(std::move(live));
}

struct PendingDomain {
  const Domain* served = nullptr;               // the domain in the base store, if any
  const DomainSpec* access_given_by = nullptr;  // the document that gave allowedAccessKeyIds
  std::map<std::string, PendingJob> jobs;       // only the jobs the documents define
};

// The one set of rules by which fixture documents join a store: files at start-up and reload
// (BuildStore, into an empty store) and seeding (MergeIntoStore, into the served store).
//   - A domain may appear in any number of documents and in the store: its jobs merge.
//   - Its allowedAccessKeyIds are given once: by one document, or already by the store.
//   - A job is defined by one document. If the store already holds it, that document's runs
//     join it (docs/decisions.md, "Seeding": files may not split a job, a seed may add runs); the
//     job keeps its type.
//   - A runId, explicit or generated, is unique within its job, the store's runs included.
// Every problem is reported (up to kMaxDiagnostics), in document order, naming the other place
// when it is in a document. Not thread-safe: one merge, one thread.
class StoreMerger {
 public:
  StoreMerger(const Store& base, LoadProgress* progress) : base_(base), progress_(progress) {}

  void Add(const FixtureDocument& document) {
    for (const DomainSpec& domain : document.domains) AddDomain(domain);
  }

  // The base store with every document merged, or every problem found. Jobs no document
  // touched are shared with the base, not copied.
  Result<Store, Diagnostics> Finish() {
    if (!problems_.empty()) return std::move(problems_);
    Store store = base_;
    for (auto& [domain_id, pending] : pending_) {
      Domain& domain = store.domains[domain_id];
      domain.id = domain_id;
      if (pending.access_given_by) {
        domain.allowed_access_key_ids = pending.access_given_by->allowed_access_key_ids;
      }
      for (auto& [job_id, job] : pending.jobs) {
        Job built{job_id, job.type, JobRunIndex(std::move(job.runs)), nullptr, job.schedule};
        if (!job.live.empty()) {
          built.live = InRunOrder(std::move(job.live));
        }
        if (job.listings) built.listings = std::move(job.listings);
        domain.jobs.insert_or_assign(job_id, std::move(built));
      }
    }
    return store;
  }

 private:
  void AddDomain(const DomainSpec& spec) {
    auto [it, fresh] = pending_.try_emplace(spec.id);
    PendingDomain& domain = it->second;
    if (fresh) domain.served = base_.FindDomain(spec.id);
    if (spec.allowed_access_key_ids) {
      if (domain.access_given_by) {
        Report(problems_, spec.allowed_location,
               "allowedAccessKeyIds of domain '" + spec.id + "' is already given at " +
                   domain.access_given_by->allowed_location.ToString());
      } else if (domain.served && domain.served->allowed_access_key_ids) {
        Report(problems_, spec.allowed_location,
               "domain '" + spec.id + "' already has allowedAccessKeyIds");
      } else {
        domain.access_given_by = &spec;
      }
    }
    for (const JobSpec& job : spec.jobs) AddJob(spec, domain, job);
  }

  void AddJob(const DomainSpec& domain_spec, PendingDomain& domain, const JobSpec& spec) {
    auto [it, fresh] = domain.jobs.try_emplace(spec.id);
    PendingJob& job = it->second;
    if (!fresh) {
      Report(problems_, spec.location,
             "job '" + spec.id + "' in domain '" + domain_spec.id + "' is already defined at " +
                 job.defined_at->ToString());
      return;
    }
    job.type = spec.type;
    job.defined_at = &spec.location;
    RunOrigins origins;
    job.schedule = spec.schedule ? std::make_shared<const Schedule>(*spec.schedule) : nullptr;
    if (const Job* served = domain.served ? FindJob(*domain.served, spec.id) : nullptr) {
      job.type = served->type;
      job.runs = served->runs.runs();
      if (served->live) job.live = *served->live;
      job.listings = served->listings;
      if (served->schedule && spec.schedule) {
        Report(problems_, spec.schedule_location,
               "job '" + spec.id + "' in domain '" + domain_spec.id + "' already has a schedule");
      }
      if (served->schedule) job.schedule = served->schedule;
      origins.reserve(job.runs.size() + job.live.size() + spec.runs.size());
      for (const JobRun& run : served->runs.runs()) origins.emplace(run.run_id, nullptr);
      if (served->live) {
        for (const LiveRun& run : *served->live) origins.emplace(run.run.run_id, nullptr);
      }
    } else {
      origins.reserve(spec.runs.size());
    }

    job.runs.reserve(job.runs.size() + spec.runs.size());
    for (const RunSpec& run : spec.runs) {
      const auto [seen, first] = origins.try_emplace(run.run.run_id, &run.location);
      if (first) {
        if (run.lifecycle && !run.lifecycle->steps.empty()) {
          job.live.push_back(MakeLiveRun(run.run, *run.lifecycle));
        } else {
          job.runs.push_back(run.run);
        }
      } else if (seen->second == nullptr) {
        Report(problems_, run.location,
               "runId '" + run.run.run_id + "' already exists in job '" + spec.id + "'");
      } else {
        Report(problems_, run.location,
               "duplicate runId '" + run.run.run_id + "' in job '" + spec.id +
                   "' (first defined at " + seen->second->ToString() + ")");
      }
    }

    if (!spec.generate) return;
    // Generated ids are unique among themselves by construction; only the others are looked up
    // (and a million generated ids are not added to `origins`).
    std::vector<JobRun> generated = GenerateRuns(*spec.generate, progress_);
    job.runs.reserve(job.runs.size() + generated.size());
    for (JobRun& run : generated) {
      const auto clash = origins.find(run.run_id);
      if (clash == origins.end()) {
        job.runs.push_back(std::move(run));
      } else if (clash->second == nullptr) {
        Report(problems_, spec.generate_location,
               "generated runId '" + run.run_id + "' already exists in job '" + spec.id + "'");
      } else {
        Report(problems_, spec.generate_location,
               "generated runId '" + run.run_id + "' in job '" + spec.id + "' is also defined at " +
                   clash->second->ToString());
      }
    }
  }

  const Store& base_;
  LoadProgress* progress_;
  std::map<std::string, PendingDomain> pending_;
  Diagnostics problems_;
};

}  // namespace

std::optional<Store> WithRun(const Store& base, std::string_view domain_id, std::string_view job_id,
                             std::string_view run_id, const std::optional<RunSpec>& run) {
  const Domain* domain = base.FindDomain(domain_id);
  const Job* job = domain ? FindJob(*domain, job_id) : nullptr;
  if (!job) return std::nullopt;
  std::vector<JobRun> fixed;
  fixed.reserve(job->runs.size() + 1);
  bool found = false;
  for (const JobRun& existing : job->runs.runs()) {
    if (existing.run_id == run_id) {
      found = true;
    } else {
      fixed.push_back(existing);
    }
  }
  std::vector<LiveRun> live;
  if (job->live) {
    for (const LiveRun& existing : *job->live) {
      if (existing.run.run_id == run_id) {
        found = true;
      } else {
        live.push_back(existing);
      }
    }
  }
  if (!found && !run) return std::nullopt;
  if (run) {
    if (run->lifecycle && !run->lifecycle->steps.empty()) {
      live.push_back(MakeLiveRun(run->run, *run->lifecycle));
    } else {
      fixed.push_back(run->run);
    }
  }
  Job changed{job->id, job->type,     JobRunIndex(std::move(fixed)),
              nullptr, job->schedule, job->listings};
  if (!live.empty()) changed.live = InRunOrder(std::move(live));
  Store store = base;
  store.domains.at(std::string(domain_id))
      .jobs.insert_or_assign(std::string(job_id), std::move(changed));
  return store;
}

Result<Store, Diagnostics> BuildStore(const std::vector<FixtureDocument>& documents,
                                      LoadProgress* progress) {
  const Store empty;
  StoreMerger merger(empty, progress);
  for (const FixtureDocument& document : documents) merger.Add(document);
  return merger.Finish();
}

Result<Store, Diagnostics> MergeIntoStore(const Store& base, const FixtureDocument& document) {
  StoreMerger merger(base, nullptr);
  merger.Add(document);
  return merger.Finish();
}

}  // namespace datazone_mock
