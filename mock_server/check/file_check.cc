#include "check/file_check.h"

#include <chrono>
#include <map>
#include <set>
#include <system_error>
#include <utility>

#include "check/file_kind.h"
#include "core/human_units.h"
#include "faults/scenario_loader.h"
#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

namespace fs = std::filesystem;

void Append(Diagnostics& to, Diagnostics from) {
  for (Diagnostic& d : from) to.push_back(std::move(d));
}

// Checks path after path and file after file, then what lies between the files. Problems
// therefore come in the order of the command line, each file's own in file order. One per
// command; not thread-safe.
class Checker {
 public:
  explicit Checker(TimestampMs now) : now_(now) {}

  // Unlike start-up, which stops at the first bad path, every bad path is reported and the
  // others still checked. A file named twice (say, by its directory and by itself) is checked
  // once: read twice, its jobs would seem defined twice.
  void CheckPath(const fs::path& path) {
    auto files = ExpandYamlPaths({path});
    if (!files.ok()) {
      file_order_.push_back(path.string());
      return Append(report_.problems, std::move(files).error());
    }
    std::error_code error;
    if (files.value().empty() && fs::is_directory(path, error)) {
      // Named on purpose, yet nothing to check: most likely the wrong directory.
      report_.problems.push_back(
          Diagnostic{path.string(), 1, 1, "no *.yaml or *.yml file in directory"});
      return;
    }
    for (const fs::path& file : files.value()) {
      fs::path identity = fs::weakly_canonical(file, error);
      if (error) identity = file;
      if (seen_.insert(std::move(identity)).second) CheckFile(file);
    }
  }

  CheckReport Finish() && {
    if (!report_.fixture_files.empty()) {
      // Even with a broken file the others are merged: a job they define twice is news too.
      auto store = BuildStore(fixtures_);
      if (!store.ok()) {
        Append(report_.problems, std::move(store).error());
      } else if (all_fixtures_parsed_) {
        report_.fixture_counts = store.value().Count(now_);
      }
    }
    // The merge's findings join the files they are about.
    SortInFileOrder(report_.problems, file_order_, kMaxDiagnostics);
    return std::move(report_);
  }

 private:
  void CheckFile(const fs::path& path) {
    ++report_.files;
    const std::string file = path.string();
    file_order_.push_back(file);
    auto text = ReadInputFile(path);
    if (!text.ok()) return Unrecognized(file, std::move(text).error());
    auto kind = SniffFileKind(text.value(), file);
    if (!kind.ok()) return Unrecognized(file, std::move(kind).error());
    switch (kind.value()) {
      case FileKind::kFixture:
        return CheckFixture(file, text.value());
      case FileKind::kScenario:
        return CheckScenario(file, text.value());
      case FileKind::kNeither:
        return Unrecognized(file, {Diagnostic{file, 1, 1,
                                              "neither a fixture (top-level `domains`) nor a "
                                              "scenario (`rules` or `rateLimit`)"}});
    }
  }

  void CheckFixture(const std::string& file, const std::string& text) {
    report_.fixture_files.push_back(file);
    // What could be read joins the merge even when the file has problems: a repeated runId is
    // then reported with them, in one pass.
    FixtureReading reading = ReadFixture(text, file, now_);
    if (!reading.problems.empty()) all_fixtures_parsed_ = false;
    Append(report_.problems, std::move(reading.problems));
    fixtures_.push_back(std::move(reading.document));
  }

  void CheckScenario(const std::string& file, const std::string& text) {
    auto scenario = ParseScenario(text, file, ScenarioNameOf(file));
    if (!scenario.ok()) {
      report_.scenario_files.push_back(CheckedScenario{file, ""});
      return Append(report_.problems, std::move(scenario).error());
    }
    const std::string& name = scenario.value().name;
    report_.scenario_files.push_back(CheckedScenario{file, name});
    // Worded as start-up words it (LoadScenarioPaths), so that both read the same.
    const auto [first, fresh] = scenario_names_.emplace(name, file);
    if (!fresh) {
      report_.problems.push_back(
          Diagnostic{file, 1, 1, "scenario '" + name + "' is already defined in " + first->second});
    }
  }

  // Neither kind, or not readable far enough to tell.
  void Unrecognized(const std::string& file, Diagnostics problems) {
    report_.unrecognized_files.push_back(file);
    Append(report_.problems, std::move(problems));
  }

  TimestampMs now_;
  CheckReport report_;
  std::vector<std::string> file_order_;  // the files (and bad paths) in the order checked
  std::set<fs::path> seen_;              // canonical paths of the files checked so far
  std::vector<FixtureDocument> fixtures_;
  bool all_fixtures_parsed_ = true;
  std::map<std::string, std::string> scenario_names_;  // name -> the first file that gave it
};

}  // namespace

CheckReport CheckFiles(const std::vector<fs::path>& paths, TimestampMs now) {
  Checker checker(now);
  for (const fs::path& path : paths) checker.CheckPath(path);
  return std::move(checker).Finish();
}

std::string CheckSummary(const CheckReport& report) {
  std::string out = "checked " + CountOf(report.files, "file") + ": ";
  out += CountOf(report.fixture_files.size(), "fixture file");
  if (report.fixture_counts) {
    out += " (" + CountOf(report.fixture_counts->domains, "domain") + ", " +
           CountOf(report.fixture_counts->jobs, "job") + ", " +
           CountOf(report.fixture_counts->runs, "run") + ")";
  }
  out += ", " + CountOf(report.scenario_files.size(), "scenario file");
  std::string names;
  for (const CheckedScenario& scenario : report.scenario_files) {
    if (scenario.name.empty()) continue;
    if (!names.empty()) names += ", ";
    names += scenario.name;
  }
  if (!names.empty()) out += " (" + names + ")";
  if (!report.unrecognized_files.empty()) {
    out += ", " + CountOf(report.unrecognized_files.size(), "unrecognized file");
  }
  out += "; ";
  out += report.problems.empty() ? "no problems" : CountOf(report.problems.size(), "problem");
  return out;
}

int RunCheck(const std::vector<std::string>& paths, std::FILE* out, std::FILE* err) {
  const TimestampMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  const CheckReport report = CheckFiles(std::vector<fs::path>(paths.begin(), paths.end()), now);
  for (const Diagnostic& problem : report.problems) {
    std::fprintf(err, "%s\n", problem.ToString().c_str());
  }
  // The problems before the verdict, also when both streams end up in one terminal or log.
  std::fflush(err);
  std::fprintf(out, "%s\n", CheckSummary(report).c_str());
  std::fflush(out);
  return report.ok() ? 0 : 2;
}

}  // namespace datazone_mock
