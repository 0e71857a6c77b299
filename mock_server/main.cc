// datazone-mock: parses flags, starts the server, stops on SIGINT/SIGTERM. All logic lives in
// the library; this file only wires it to the process.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include "server/mock_server.h"
#include "server/options.h"

int main(int argc, char** argv) {
  using namespace datazone_mock;

  auto options = ParseOptions(std::vector<std::string>(argv + 1, argv + argc), ProcessEnvironment);
  if (!options.ok()) {
    std::fprintf(stderr, "datazone-mock: %s\n", options.error().c_str());
    return 2;
  }
  if (options.value().help) {
    std::fputs(HelpText().c_str(), stdout);
    return 0;
  }
  if (options.value().version) {
    std::printf("datazone-mock %s\n", kVersion);
    return 0;
  }
  if (options.value().list_scenarios) {
    auto scenarios = LoadScenarios(options.value());
    if (!scenarios.ok()) {
      std::fprintf(stderr, "datazone-mock: cannot load scenarios:\n%s",
                   FormatDiagnostics(scenarios.error()).c_str());
      return 2;
    }
    for (const Scenario& scenario : scenarios.value()) {
      std::printf("%-24s %s\n", scenario.name.c_str(), scenario.description.c_str());
    }
    return 0;
  }

  // Signals are taken by one thread with sigwait, not by a handler: stopping the server is not
  // async-signal-safe. Block them before any other thread exists so all threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = MockServer::Create(options.value());
  if (!server.ok()) {
    std::fprintf(stderr, "datazone-mock: cannot start:\n%s", server.error().message.c_str());
    return server.error().exit_code;
  }
  MockServer& mock = *server.value();
  std::printf("datazone-mock listening on %s\n", mock.endpoint().c_str());
  std::fflush(stdout);

  std::atomic<bool> signalled{false};
  std::thread signal_waiter([&mock, &signalled, signals] {
    for (;;) {
      int signal = 0;
      sigwait(&signals, &signal);
      if (signal == SIGHUP) {
        (void)mock.Reload();  // logged either way; a broken file leaves the old data serving
        continue;
      }
      signalled = true;
      mock.Stop();
      return;
    }
  });
  mock.Run();
  // If serving ended without a signal (the listening socket failed), wake the waiter.
  const bool by_signal = signalled;
  if (!by_signal) pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  return by_signal ? 0 : 1;
}
