#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "store/store.h"

namespace datazone_mock {

// A scenario file `check` read, and the name its scenario goes by.
struct CheckedScenario {
  std::string file;
  std::string name;  // empty when the file has problems

  bool operator==(const CheckedScenario&) const = default;
};

// What `datazone-mock check PATH...` found.
struct CheckReport {
  // Every problem, worded as start-up words it, in the order of the paths and their files:
  // each bad path, each file's own problems (up to kMaxDiagnostics, in file order), a scenario
  // name used again (at the second file); then fixture problems between files (a job defined
  // twice), which only merging all of them shows.
  Diagnostics problems;
  std::size_t files = 0;  // YAML files looked at, each once however often it was named
  std::vector<std::string> fixture_files;
  // Domains, jobs and runs (generated ones included) of all fixture files served together;
  // unset when a fixture file has problems, as the server would then serve nothing.
  std::optional<Store::Counts> fixture_counts;
  std::vector<CheckedScenario> scenario_files;
  // Neither fixture nor scenario, or unreadable: each is also one of `problems`.
  std::vector<std::string> unrecognized_files;

  bool ok() const { return problems.empty(); }
};

// Checks files and directories (their *.yaml and *.yml files, recursively, in name order),
// telling fixture from scenario files by content (docs/decisions.md, "Configuration"). The fixture
// files are built into one store, as `--fixtures` with all of them would, so that a job defined
// in two files is reported with both places. Problems that are not about one file's content:
// a path that does not exist, a directory with no YAML file in it, a file that is neither a
// fixture nor a scenario, two scenario files with one name.
// `now`: what relative times (`now-1d`) in fixtures mean; RunCheck gives the real time, as a
// server started with `--clock real` would.
CheckReport CheckFiles(const std::vector<std::filesystem::path>& paths, TimestampMs now = 0);

// "checked 3 files: 2 fixture files (1 domain, 3 jobs, 146 runs), 1 scenario file
// (throttle-storm); no problems" (or "; 4 problems").
std::string CheckSummary(const CheckReport& report);

// The `check` command: the problems to `err`, one "file:line:col: message" line each, then the
// summary line to `out`. Returns the exit code: 0 without problems, 2 with.
int RunCheck(const std::vector<std::string>& paths, std::FILE* out, std::FILE* err);

}  // namespace datazone_mock
