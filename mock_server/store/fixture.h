#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "input/input_files.h"
#include "input/source_location.h"
#include "model/job_run.h"
#include "model/lifecycle.h"
#include "store/load_progress.h"
#include "store/run_generator.h"
#include "store/schedule.h"

namespace datazone_mock {

// A fixture file as written: domains, jobs and runs with their locations, not yet merged.
struct RunSpec {
  JobRun run;
  SourceLocation location;
  std::optional<Lifecycle> lifecycle;  // how the run changes after load; none: it never does
};

struct JobSpec {
  std::string id;
  JobType type = JobType::kLineage;
  std::vector<RunSpec> runs;
  SourceLocation location;
  std::optional<GenerateSpec> generate;  // runs made at load time (large data, small files)
  SourceLocation generate_location;
  std::optional<ScheduleSpec> schedule;  // runs made as the data clock passes each tick
  SourceLocation schedule_location;
};

struct DomainSpec {
  std::string id;
  std::vector<JobSpec> jobs;
  SourceLocation location;
  std::optional<std::vector<std::string>> allowed_access_key_ids;
  SourceLocation allowed_location;  // where allowedAccessKeyIds was given
};

struct FixtureDocument {
  std::string file;
  std::vector<DomainSpec> domains;
};

// Fixture text as far as it could be read: every domain, job and run that had no problem of its
// own, and the problems found (up to kMaxDiagnostics, in file order). What was read still
// counts: merged with the rest, it shows a repeated runId or job in the same pass as the file's
// other problems, rather than after they are fixed.
struct FixtureReading {
  FixtureDocument document;
  Diagnostics problems;
};

// Parses a fixture document (YAML, or JSON: input/json_document.h). `file` names the source in
// diagnostics. Relative times (`now`, `now-90m`) are resolved against `now`, the data clock's
// reading when the data is loaded.
FixtureReading ReadFixture(std::string_view text, const std::string& file, TimestampMs now = 0);

// One run in the fixture schema (a mapping with runId, status, createdAt, ...), the body of
// PUT /_mock/fixtures/{domainId}/{jobId}/runs/{runId}.
Result<RunSpec, Diagnostics> ParseRunDocument(std::string_view text, const std::string& file,
                                              TimestampMs now = 0);

// ReadFixture, all or nothing: the document when there was no problem.
Result<FixtureDocument, Diagnostics> ParseFixture(std::string_view text, const std::string& file,
                                                  TimestampMs now = 0);

// Reads and parses one file, as far as it can be read. `progress`, if given, hears of the file
// read and of its explicit runs once it parsed without a problem.
FixtureReading ReadFixtureFile(const std::filesystem::path& path, LoadProgress* progress = nullptr,
                               TimestampMs now = 0);

// ReadFixtureFile, all or nothing.
Result<FixtureDocument, Diagnostics> LoadFixtureFile(const std::filesystem::path& path,
                                                     LoadProgress* progress = nullptr,
                                                     TimestampMs now = 0);

// Fixture files and directories (their *.yaml and *.yml files, recursively, in name order) as
// far as they could be read: the documents, and every problem of every file.
struct FixtureLoad {
  std::vector<FixtureDocument> documents;
  Diagnostics problems;
};
FixtureLoad ReadFixturePaths(const std::vector<std::filesystem::path>& paths,
                             LoadProgress* progress = nullptr, TimestampMs now = 0);

// ReadFixturePaths, all or nothing.
Result<std::vector<FixtureDocument>, Diagnostics> LoadFixturePaths(
    const std::vector<std::filesystem::path>& paths, LoadProgress* progress = nullptr,
    TimestampMs now = 0);

}  // namespace datazone_mock
