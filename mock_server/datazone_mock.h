#pragma once

// The embedding API: start datazone-mock inside a C++ program or test, on a free port, in
// milliseconds.
//
//   auto server = datazone_mock::StartServer();          // 127.0.0.1, a free port
//   sdk_config.endpointOverride = server.value()->endpoint();
//   server.value()->Seed("domains: {...}");               // the fixture schema, YAML or JSON
//   server.value()->ActivateScenarios({"throttle-then-succeed"});
//   auto calls = server.value()->Requests();             // the journal
//   server.value()->AdvanceClock(5 * 60 * 1000);          // runs that change: 5 minutes on
//                                                         // (start with options.clock frozen)

#include <memory>
#include <utility>

#include "journal/journal.h"
#include "journal/request_observer.h"
#include "server/mock_server.h"
#include "server/options.h"

namespace datazone_mock {

using Server = MockServer;

// Options for an in-process server: 127.0.0.1, a free port, the bundled demo data.
inline Options EmbeddedOptions() {
  Options options;
  options.port = 0;
  return options;
}

// Creates a server and starts it on a background thread. `log`: request lines (default none).
inline Result<std::unique_ptr<Server>, StartupError> StartServer(
    const Options& options = EmbeddedOptions(), std::FILE* log = nullptr) {
  auto server = Server::Create(options, log);
  if (server.ok()) server.value()->Start();
  return server;
}

}  // namespace datazone_mock
