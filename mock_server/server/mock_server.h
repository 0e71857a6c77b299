#pragma once

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/random_source.h"
#include "core/result.h"
#include "faults/scenario.h"
#include "journal/journal.h"
#include "journal/metrics.h"
#include "journal/request_observer.h"
#include "server/cors.h"
#include "server/http_server.h"
#include "server/options.h"
#include "service/admin_service.h"
#include "service/mock_control.h"
#include "service/mock_service.h"
#include "store/load_progress.h"

namespace datazone_mock {

// The bundled scenarios plus those of `options.scenario_paths` (a same-named one replaces a
// bundled one).
Result<std::vector<Scenario>, Diagnostics> LoadScenarios(const Options& options);

// The store of `options.fixtures`, or of the bundled demo fixtures when none are given.
// `progress`, if given, hears how loading goes (TerminalProgress in main).
// Relative times in the files resolve against `now`, the data clock's reading.
Result<Store, Diagnostics> LoadStore(const Options& options, LoadProgress* progress = nullptr,
                                     TimestampMs now = 0);

// What can stop a server from starting, and the exit code main gives it.
struct StartupError {
  std::string message;  // diagnostics one per line, or why the port could not be bound
  int exit_code = 2;
};

// A whole datazone-mock: fixtures loaded, service wired, socket bound. main runs one; C++ tests
// start one in-process on port 0 and drive it through the MockControl methods (the same ones
// the admin API calls). Run/Start once; everything else is thread-safe.
class MockServer final : public MockControl {
 public:
  // Loads the fixtures and scenarios of `options` and binds its address. `log`: where request
  // lines go (nullptr: nowhere). `clock`/`random` default to the real ones.
  static Result<std::unique_ptr<MockServer>, StartupError> Create(
      const Options& options, std::FILE* log = stderr, std::shared_ptr<const Clock> clock = nullptr,
      std::shared_ptr<RandomSource> random = nullptr, LoadProgress* progress = nullptr);

  ~MockServer() override;

  int port() const { return port_; }
  // "http://HOST:PORT", the endpoint_url to give an SDK.
  std::string endpoint() const;

  // Serves on the calling thread until Stop().
  void Run();
  // Serves on a background thread; Stop() (or the destructor) joins it.
  void Start();
  void Stop();

  // Sees every AWS call once answered; nullptr to stop. Not owned: it must outlive its use.
  void SetObserver(RequestObserver* observer);

  // MockControl: what the admin API offers.
  HealthInfo Health() const override;
  DataClock::State ClockState() const override;
  Result<DataClock::State, std::string> AdvanceClock(std::int64_t duration_ms) override;
  Result<DataClock::State, std::string> SetClock(TimestampMs at) override;
  DataClock::State FreezeClock(bool frozen) override;
  std::vector<ScenarioStatus> Scenarios(const CallerKey& caller = {}) const override;
  std::vector<std::string> ActiveScenarios(const CallerKey& caller = {}) const override;
  Result<std::vector<std::string>, std::string> ActivateScenarios(
      const std::vector<std::string>& names, const CallerKey& caller = {}) override;
  void ResetScenarios(const CallerKey& caller = {}) override;
  Result<AddedScenario, Diagnostics> AddScenario(std::string_view scenario_text,
                                                 const CallerKey& caller = {}) override;
  Result<bool, FaultEngine::RemoveProblem> RemoveScenario(std::string_view name,
                                                          const CallerKey& caller = {}) override;
  std::vector<JournalEntry> Requests(const JournalFilter& filter = {}) const override;
  std::optional<JournalEntry> Request(std::string_view id) const override;
  std::vector<JournalEntry> InFlight() const override;
  void ClearRequests() override;
  VerifyResult Verify(const RequestPattern& where, const CountExpectation& expected) const override;
  CoverageReport Coverage() const override;
  Result<Store::Counts, Diagnostics> Seed(std::string_view fixture_text,
                                          const CallerKey& caller = {}) override;
  void ClearData() override;
  std::vector<JobSummary> Jobs() const override;
  bool DeleteRun(std::string_view domain_id, std::string_view job_id,
                 std::string_view run_id) override;
  Result<bool, PutRunProblem> PutRun(std::string_view domain_id, std::string_view job_id,
                                     std::string_view run_id, std::string_view run_text) override;
  Result<Store::Counts, std::string> Reload() override;
  Result<Store::Counts, std::string> Reset() override;
  void ResetCaller(const std::string& caller) override;
  std::string Metrics() const override;

  const MockService& service() const { return *service_; }

 private:
  MockServer() = default;

  // Journal, metrics, observer and log for one answered request.
  void Record(const HttpRequest& request, const HttpResponse& response,
              std::chrono::microseconds latency);
  // Polls the watched files and reloads when one changes, until Stop().
  void Watch();
  std::string WatchedFilesSignature() const;

  Options options_;
  int port_ = 0;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<DataClock> data_clock_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<MockService> service_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<CorsPolicy> cors_;
  std::shared_ptr<InFlightRequests> in_flight_;
  datazone_mock::Metrics metrics_;
  std::FILE* log_ = nullptr;
  std::atomic<RequestObserver*> observer_{nullptr};

  std::mutex data_mutex_;  // serialises seeding, clearing and reloading (each swaps the store)
  mutable std::mutex reload_status_mutex_;  // guards last_reload_error_
  std::string last_reload_error_;           // empty: the last reload worked

  std::atomic<bool> stopping_{false};
  std::thread background_;
  std::thread watcher_;
};

}  // namespace datazone_mock
