#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "model/job_run.h"
#include "store/load_progress.h"
#include "store/run_generator.h"

namespace datazone_mock {

// Where something was written in an input file (1-based line and column).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  bool operator==(const SourceLocation&) const = default;
};

// A fixture file as written: domains, jobs and runs with their locations, not yet merged.
struct RunSpec {
  JobRun run;
  SourceLocation location;
};

struct JobSpec {
  std::string id;
  JobType type = JobType::kLineage;
  std::vector<RunSpec> runs;
  SourceLocation location;
  std::optional<GenerateSpec> generate;  // runs made at load time (large data, small files)
  SourceLocation generate_location;
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

// Limits on input files (decisions.md), so that no file can exhaust memory.
inline constexpr std::size_t kMaxInputFileBytes = 64u << 20;
inline constexpr std::size_t kMaxScalarBytes = 1u << 20;
inline constexpr std::size_t kMaxDiagnostics = 20;

// Parses fixture YAML. `file` names the source in diagnostics. Reports every problem found (up
// to kMaxDiagnostics), in file order.
Result<FixtureDocument, Diagnostics> ParseFixture(std::string_view text, const std::string& file);

// Reads and parses one file. `progress`, if given, hears of the file read and of its explicit
// runs once it parsed.
Result<FixtureDocument, Diagnostics> LoadFixtureFile(const std::filesystem::path& path,
                                                     LoadProgress* progress = nullptr);

// Reads files and directories (their *.yaml and *.yml files, recursively, in name order).
// `progress`, if given, hears of each file read and of its explicit runs once it parsed.
Result<std::vector<FixtureDocument>, Diagnostics> LoadFixturePaths(
    const std::vector<std::filesystem::path>& paths, LoadProgress* progress = nullptr);

// Reads a whole file, refusing one over kMaxInputFileBytes. Shared by every file loader.
Result<std::string, Diagnostics> ReadInputFile(const std::filesystem::path& path);

// The YAML files named by `paths`: files as given, directories walked in name order.
Result<std::vector<std::filesystem::path>, Diagnostics> ExpandYamlPaths(
    const std::vector<std::filesystem::path>& paths);

// The first byte that is not part of valid UTF-8, as a 1-based line and column, if any.
std::optional<Diagnostic> FindInvalidUtf8(std::string_view text, const std::string& file);

}  // namespace datazone_mock
