// datazone-mock: parses flags, starts the server, stops on SIGINT/SIGTERM. All logic lives in
// the library; this file only wires it to the process.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "check/file_check.h"
#include "server/mock_server.h"
#include "server/options.h"
#include "server/progress_reporter.h"
#include "server/remote_commands.h"

namespace {
constexpr std::chrono::seconds kDrainTimeout{5};
}  // namespace

int main(int argc, char** argv) {
  using namespace datazone_mock;

  const std::vector<std::string> args(argv + 1, argv + argc);
  if (IsRemoteCommand(args)) return RunRemoteCommand(args, stdout, stderr);
  auto options = ParseOptions(args, ProcessEnvironment);
  if (!options.ok()) {
    std::fprintf(stderr, "datazone-mock: %s\n", options.error().c_str());
    return 2;
  }
  if (options.value().check_paths) {
    return RunCheck(*options.value().check_paths, stdout, stderr);
  }
  if (options.value().help) {
    std::fputs(HelpText().c_str(), stdout);
    return 0;
  }
  if (options.value().version) {
    std::printf("datazone-mock %s\n", kVersion);
    return 0;
  }
  if (options.value().print_config) {
    std::fputs(ConfigYaml(options.value()).c_str(), stdout);
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

  // Fixture loading shows progress on a terminal, and one summary line after start-up.
  TerminalProgress progress(stderr, IsTerminal(stderr), std::make_shared<SystemClock>());
  auto server = MockServer::Create(options.value(), stderr, nullptr, nullptr, &progress);
  progress.Finish();  // ends the progress line before any diagnostic or log line
  if (!server.ok()) {
    std::fprintf(stderr, "datazone-mock: cannot start:\n%s", server.error().message.c_str());
    return server.error().exit_code;
  }
  MockServer& mock = *server.value();
  std::printf("datazone-mock listening on %s\n", mock.endpoint().c_str());
  std::fflush(stdout);
  // On stderr: stdout's first line stays the endpoint, for scripts. Not among JSON log lines,
  // where a line of text would break the tools that read them.
  if (options.value().log_format == LogFormat::kText) {
    if (options.value().record) {
      std::fprintf(stderr, "datazone-mock: recording from %s into %s\n",
                   options.value().upstream->c_str(), options.value().out->c_str());
    } else {
      progress.PrintSummary(mock.Health().counts);
    }
    if (options.value().record_missing) {
      std::fprintf(stderr, "datazone-mock: fetching what the fixtures lack from %s into %s\n",
                   options.value().upstream->c_str(), options.value().out->c_str());
    }
  }
  if (auto warning = ExposureWarning(options.value())) {
    std::fprintf(stderr, "datazone-mock: warning: %s\n", warning->c_str());
  }

  std::atomic<bool> signalled{false};
  std::mutex stopped_mutex;
  std::condition_variable stopped_changed;
  bool stopped = false;  // guarded by stopped_mutex
  std::thread signal_waiter([&, signals] {
    for (;;) {
      int signal = 0;
      sigwait(&signals, &signal);
      if (signal == SIGHUP) {
        (void)mock.Reload();  // logged either way; a broken file leaves the old data serving
        continue;
      }
      signalled = true;
      mock.Stop();
      // Requests in flight get at most kDrainTimeout to finish (docs/decisions.md); one held
      // longer, e.g. by an injected delay, must not keep the process from exiting.
      std::unique_lock lock(stopped_mutex);
      if (!stopped_changed.wait_for(lock, kDrainTimeout, [&] { return stopped; })) {
        std::fprintf(stderr, "datazone-mock: requests still in flight after %lld s; exiting\n",
                     static_cast<long long>(kDrainTimeout.count()));
        std::fflush(stderr);
        std::_Exit(0);
      }
      return;
    }
  });
  mock.Run();
  {
    std::lock_guard lock(stopped_mutex);
    stopped = true;
  }
  stopped_changed.notify_all();
  // If serving ended without a signal (the listening socket failed), wake the waiter.
  const bool by_signal = signalled;
  if (!by_signal) pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  return by_signal ? 0 : 1;
}
