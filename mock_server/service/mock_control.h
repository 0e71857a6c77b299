#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/data_clock.h"
#include "core/diagnostic.h"
#include "core/result.h"
#include "faults/fault_engine.h"
#include "journal/journal.h"
#include "journal/verify.h"
#include "service/coverage.h"
#include "store/store.h"

namespace datazone_mock {

// Why PUT of one run failed: the domain or job does not exist (404), or the body is not a run
// of that id (400, with the problems located in the body).
struct PutRunProblem {
  bool not_found = false;
  std::string message;
  Diagnostics problems;
};

// One job of the shared store, for the console's data view.
struct JobSummary {
  std::string domain;
  std::string job;
  std::string job_type;
  std::size_t runs = 0;  // as the data clock stands
};

struct AddedScenario {
  std::string name;
  bool replaced = false;  // one of that name was there before
};

struct HealthInfo {
  std::string version;
  double uptime_seconds = 0;
  Store::Counts counts;
  std::vector<std::string> active_scenarios;
  bool last_reload_ok = true;
  std::string last_reload_error;  // diagnostics of the last failed reload
};

// Everything a test author can do to a running mock. The admin API is a thin HTTP router over
// this interface, and an embedding C++ test calls the same methods directly.
// Implementations are thread-safe.
class MockControl {
 public:
  virtual ~MockControl() = default;

  virtual HealthInfo Health() const = 0;

  // The data clock (README, "Runs that change"): where it stands, and moving it. It never moves
  // backwards: such a change fails and leaves it as it was.
  virtual DataClock::State ClockState() const = 0;
  virtual Result<DataClock::State, std::string> AdvanceClock(std::int64_t duration_ms) = 0;
  virtual Result<DataClock::State, std::string> SetClock(TimestampMs at) = 0;
  virtual DataClock::State FreezeClock(bool frozen) = 0;

  // Scenarios, in the global namespace or, given an access key id, in that caller's (README,
  // "Sharing one mock"): its own activation, counters and run-time scenarios.
  virtual std::vector<ScenarioStatus> Scenarios(const CallerKey& caller = {}) const = 0;
  virtual std::vector<std::string> ActiveScenarios(const CallerKey& caller = {}) const = 0;
  virtual Result<std::vector<std::string>, std::string> ActivateScenarios(
      const std::vector<std::string>& names, const CallerKey& caller = {}) = 0;
  virtual void ResetScenarios(const CallerKey& caller = {}) = 0;
  // A scenario in the scenario schema (YAML or JSON), validated like a file (diagnostics name
  // the file "request"); added, or replacing one of its name (true).
  virtual Result<AddedScenario, Diagnostics> AddScenario(std::string_view scenario_text,
                                                         const CallerKey& caller = {}) = 0;
  virtual Result<bool, FaultEngine::RemoveProblem> RemoveScenario(std::string_view name,
                                                                  const CallerKey& caller = {}) = 0;

  virtual std::vector<JournalEntry> Requests(const JournalFilter& filter) const = 0;
  // One request, by journal id or by the x-amzn-RequestId it was answered with; a request still
  // held by a delay is found too (in_flight).
  virtual std::optional<JournalEntry> Request(std::string_view id) const = 0;
  // Requests held by an injected delay right now.
  virtual std::vector<JournalEntry> InFlight() const = 0;
  virtual void ClearRequests() = 0;
  // How many journal entries match `where`, against `expected`, with near misses.
  virtual VerifyResult Verify(const RequestPattern& where,
                              const CountExpectation& expected) const = 0;
  virtual CoverageReport Coverage() const = 0;

  // Adds domains, jobs and runs written in the fixture schema (YAML or JSON); all or nothing.
  // Diagnostics name the file "request". With an access key id, only that caller sees them, on
  // top of the shared data; the counts are then of what that caller sees.
  virtual Result<Store::Counts, Diagnostics> Seed(std::string_view fixture_text,
                                                  const CallerKey& caller = {}) = 0;
  virtual void ClearData() = 0;
  // Every job of the shared store, in order, with its run count.
  virtual std::vector<JobSummary> Jobs() const = 0;
  // One run of one job, atomically (a listing sees it before or after, never half): removed
  // (false when the domain, job or run does not exist), or added or replaced by a run in the
  // fixture schema, YAML or JSON, whose runId is `run_id` (true: it was added).
  virtual bool DeleteRun(std::string_view domain_id, std::string_view job_id,
                         std::string_view run_id) = 0;
  virtual Result<bool, PutRunProblem> PutRun(std::string_view domain_id, std::string_view job_id,
                                             std::string_view run_id,
                                             std::string_view run_text) = 0;

  // Re-reads the fixture and scenario files; on failure the old data keeps serving.
  virtual Result<Store::Counts, std::string> Reload() = 0;
  // The clock back to its start, reload, then clear the journal, counters and buckets, drop
  // every caller's namespace and the scenarios added at run time, and restore the start-up
  // scenarios.
  virtual Result<Store::Counts, std::string> Reset() = 0;
  // Drops one caller's seeded runs, activation, counters, buckets, run-time scenarios and
  // journal entries; nothing of anyone else's.
  virtual void ResetCaller(const std::string& caller) = 0;

  virtual std::string Metrics() const = 0;
};

}  // namespace datazone_mock
