#pragma once

// Deterministic stand-ins for the injected clock and random source, shared by the unit tests and
// the fuzz targets (so no GoogleMock here: the fuzz targets do not link it; see mocks.h).

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/clock.h"
#include "core/random_source.h"

namespace datazone_mock {

// Sat, 29 Nov 2025 00:00:00 GMT: where a FakeClock starts unless told otherwise.
inline constexpr std::int64_t kFakeClockStartSeconds = 1764374400;

// A clock that moves only when told: sleeping (an injected delay) advances it instead of
// waiting, so a test or fuzz input behaves the same however long it really ran. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(
      std::chrono::system_clock::time_point now =
          std::chrono::system_clock::time_point(std::chrono::seconds(kFakeClockStartSeconds)))
      : now_(now.time_since_epoch().count()) {}

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::system_clock::duration(now_.load())));
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    slept_ += duration.count();
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration).count();
  }
  void Advance(std::chrono::system_clock::duration by) { now_ += by.count(); }
  // Total time "slept" through SleepFor, in milliseconds.
  std::int64_t slept_ms() const { return slept_.load(); }

 private:
  mutable std::atomic<std::chrono::system_clock::duration::rep> now_;
  mutable std::atomic<std::int64_t> slept_{0};
};

// Counts upwards from a seed: deterministic request ids. Thread-safe.
class SequenceRandomSource final : public RandomSource {
 public:
  explicit SequenceRandomSource(std::uint64_t start = 1) : next_(start) {}
  std::uint64_t NextU64() override { return next_++; }

 private:
  std::atomic<std::uint64_t> next_;
};

}  // namespace datazone_mock
