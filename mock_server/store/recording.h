#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/job_run.h"
#include "store/fixture.h"

namespace datazone_mock {

// Members a recording may replace with placeholders (--redact).
inline constexpr std::string_view kRedactableMembers[] = {"createdBy", "error"};

// Runs seen through an upstream, kept in the fixture schema's terms so that they can be written
// out as a fixture file that `datazone-mock check` accepts and a server serves back (the record
// mode). Merged by (domain, job, runId): a run seen again, on a page
// fetched twice or after it changed, replaces the earlier sighting, so nothing is duplicated.
// Not thread-safe: its owner serialises access.
class Recording {
 public:
  // `redact`: members of kRedactableMembers whose values become stable placeholders
  // ("createdBy-1", "createdBy-2", ... in order of first appearance: the same value always gets
  // the same placeholder in one recording). An unknown member is refused.
  static Result<Recording, std::string> Create(std::vector<std::string> redact = {});

  // Adds one page of one job's runs.
  void Add(std::string_view domain_id, std::string_view job_id, JobType job_type,
           const std::vector<JobRun>& runs);

  // Takes in a file an earlier recording wrote (record mode resumed): its runs as they are,
  // its placeholders ("createdBy-3") kept and numbered on; a value of a redacted member that is
  // not a placeholder gets one now. Refuses what record never writes (lifecycles, generated or
  // scheduled runs, allowedAccessKeyIds), naming the file.
  Result<bool, std::string> Resume(const FixtureDocument& document);

  std::size_t run_count() const;

  // The fixture document: domains and jobs in name order, each job's runs in (createdAt, runId)
  // order, times in RFC 3339 with milliseconds, every string double-quoted.
  std::string ToYaml() const;

 private:
  Recording() = default;
  std::string Placeholder(std::string_view member, const std::string& value);
  bool Redacts(std::string_view member) const;

  struct Job {
    JobType type = JobType::kLineage;
    std::map<std::string, JobRun, std::less<>> runs;  // by runId
  };
  std::map<std::string, std::map<std::string, Job, std::less<>>, std::less<>> domains_;
  std::vector<std::string> redact_;
  // Per redacted member: value -> placeholder.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> placeholders_;
};

}  // namespace datazone_mock
