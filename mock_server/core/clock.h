#pragma once

#include <chrono>
#include <thread>

namespace datazone_mock {

// The source of time. Injected so that tests can run on a fake clock that moves only when told.
// Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time: response Date headers, token issue times, SigV4 date checks.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time: latencies and rate limits.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
  // Waits: injected delays. A fake clock just moves forward.
  virtual void SleepFor(std::chrono::milliseconds duration) const = 0;
};

// The real clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::now();
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace datazone_mock
