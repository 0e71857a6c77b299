#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "core/time_format.h"

namespace datazone_mock {

// The clock the data lives by (README, "Runs that change"): relative fixture times, lifecycles
// and schedules read it. Tests control it: it follows real time or stands frozen, and moves
// forward when told. SigV4 date checks and the Date header stay on the real Clock, because SDKs
// sign with their host's clock.
//
// Thread-safe. Now() is one atomic load, so every request can read it; changes are serialised.
class DataClock {
 public:
  struct State {
    TimestampMs now = 0;
    bool frozen = false;
  };

  // How it starts, and what Reset() returns to: following `source` (real time), or frozen at
  // an instant.
  struct Start {
    bool frozen = false;
    std::optional<TimestampMs> at;  // frozen only: where (default: the real time at creation)
  };

  DataClock(std::shared_ptr<const Clock> source, Start start);

  TimestampMs Now() const;
  State Get() const;

  // Each fails, leaving the clock as it was, when it would move the clock backwards.
  Result<State, std::string> Advance(std::int64_t duration_ms);
  Result<State, std::string> Set(TimestampMs at);
  // Stops the clock where it stands, or lets it run on from there.
  State Freeze(bool frozen);
  // Back to how it started (a frozen start goes back to its first instant).
  State Reset();

 private:
  // One word, so that Now() never sees half a change: the low bit says frozen; the rest is the
  // frozen instant, or the offset from real time when running.
  static std::int64_t Pack(bool frozen, std::int64_t value) { return value * 2 + (frozen ? 1 : 0); }
  TimestampMs NowFrom(std::int64_t packed) const;
  Result<State, std::string> Store(TimestampMs at, bool frozen);  // change_mutex_ held
  TimestampMs RealNow() const;

  std::shared_ptr<const Clock> source_;
  std::int64_t start_packed_ = 0;
  std::atomic<std::int64_t> packed_{0};
  std::mutex change_mutex_;  // one change at a time: each reads the state it replaces
};

}  // namespace datazone_mock
