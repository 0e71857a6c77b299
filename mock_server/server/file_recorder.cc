#include "server/file_recorder.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <system_error>

#include "core/diagnostic.h"
#include "store/fixture.h"

namespace datazone_mock {
namespace {

// Each job's runs of one page, for Recording::Add.
struct PageJob {
  JobType type = JobType::kLineage;
  std::vector<JobRun> runs;
};
using PageJobs = std::map<std::pair<std::string, std::string>, PageJob>;

// The page's runs by job, and the listed job even without runs (the API's one job type).
PageJobs ByJob(std::string_view domain_id, std::string_view job_id, const UpstreamPage& page) {
  PageJobs jobs;
  jobs[{std::string(domain_id), std::string(job_id)}].type = JobType::kLineage;
  for (const UpstreamPage::Item& item : page.items) {
    PageJob& job = jobs[{item.domain_id, item.job_id}];
    job.type = item.job_type;
    job.runs.push_back(item.run);
  }
  return jobs;
}

void AddAll(Recording& recording, const PageJobs& jobs) {
  for (const auto& [key, job] : jobs) recording.Add(key.first, key.second, job.type, job.runs);
}

std::string SystemError(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

Result<std::unique_ptr<FileRecorder>, std::string> FileRecorder::Open(
    std::filesystem::path path, std::vector<std::string> redact, KeepFn keep) {
  auto recording = Recording::Create(std::move(redact));
  if (!recording.ok()) return std::move(recording).error();
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    auto earlier = LoadFixtureFile(path);
    if (!earlier.ok()) {
      return "--out " + path.string() + " exists and is not a fixture file:\n" +
             FormatDiagnostics(earlier.error());
    }
    if (auto resumed = recording.value().Resume(earlier.value()); !resumed.ok()) {
      return std::move(resumed).error();
    }
  }
  return std::unique_ptr<FileRecorder>(
      new FileRecorder(std::move(path), std::move(recording).value(), std::move(keep)));
}

Result<RecordedPage, std::string> FileRecorder::Record(std::string_view domain_id,
                                                       std::string_view job_id,
                                                       const UpstreamPage& page) {
  const PageJobs jobs = ByJob(domain_id, job_id, page);
  std::lock_guard lock(mutex_);
  if (keep_) {
    // The store serves what the upstream answered; only the file is redacted.
    auto unredacted = Recording::Create();
    AddAll(unredacted.value(), jobs);
    auto kept = keep_(domain_id, job_id, unredacted.value().ToYaml());
    if (!kept.ok()) return kept.error();
  }
  AddAll(recording_, jobs);
  if (auto written = Write(); !written.ok()) return std::move(written).error();
  return RecordedPage{std::to_string(page.items.size()) + " runs, " +
                      std::to_string(recording_.run_count()) + " in " + path_.filename().string()};
}

Result<bool, std::string> FileRecorder::Write() const {
  std::filesystem::path temporary = path_;
  temporary += ".part";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) return SystemError("cannot write", temporary);
  const std::string text = recording_.ToYaml();
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size() &&
                       std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const std::string problem = written ? std::string() : SystemError("cannot write", temporary);
  if (std::fclose(file) != 0 && written) return SystemError("cannot write", temporary);
  if (!written) return problem;
  if (std::rename(temporary.c_str(), path_.c_str()) != 0) {
    return SystemError("cannot replace", path_);
  }
  return true;
}

}  // namespace datazone_mock
