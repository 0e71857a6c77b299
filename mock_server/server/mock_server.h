#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/random_source.h"
#include "core/result.h"
#include "faults/scenario.h"
#include "server/http_server.h"
#include "server/options.h"
#include "service/admin_service.h"
#include "service/mock_service.h"

namespace datazone_mock {

// The bundled scenarios plus those of `options.scenario_paths` (a same-named one replaces a
// bundled one).
Result<std::vector<Scenario>, Diagnostics> LoadScenarios(const Options& options);

// What can stop a server from starting, and the exit code main gives it.
struct StartupError {
  std::string message;  // diagnostics one per line, or why the port could not be bound
  int exit_code = 2;
};

// A whole datazone-mock: fixtures loaded, service wired, socket bound. main runs one; tests and
// embedding programs start one in-process on port 0.
// Run/Start once; Stop is thread-safe.
class MockServer {
 public:
  // Loads the fixtures of `options` and binds its address. `log`: where request lines go
  // (nullptr: nowhere). `clock`/`random` default to the real ones.
  static Result<std::unique_ptr<MockServer>, StartupError> Create(
      const Options& options, std::FILE* log = stderr, std::shared_ptr<const Clock> clock = nullptr,
      std::shared_ptr<RandomSource> random = nullptr);

  ~MockServer();

  int port() const { return port_; }
  // "http://HOST:PORT", the endpoint_url to give an SDK.
  std::string endpoint() const;

  // Serves on the calling thread until Stop().
  void Run();
  // Serves on a background thread; Stop() (or the destructor) joins it.
  void Start();
  void Stop();

  const MockService& service() const { return *service_; }

 private:
  MockServer() = default;

  Options options_;
  int port_ = 0;
  std::unique_ptr<MockService> service_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<HttpServer> http_;
  std::thread background_;
};

}  // namespace datazone_mock
