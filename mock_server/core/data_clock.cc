#include "core/data_clock.h"

namespace datazone_mock {

DataClock::DataClock(std::shared_ptr<const Clock> source, Start start)
    : source_(std::move(source)) {
  start_packed_ = start.frozen ? Pack(true, start.at.value_or(RealNow())) : Pack(false, 0);
  packed_.store(start_packed_);
}

TimestampMs DataClock::RealNow() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(source_->Now().time_since_epoch())
      .count();
}

TimestampMs DataClock::NowFrom(std::int64_t packed) const {
  // Arithmetic shift and the low bit: exact for negative values too.
  const bool frozen = (packed & 1) != 0;
  const std::int64_t value = (packed - (frozen ? 1 : 0)) / 2;
  return frozen ? value : RealNow() + value;
}

TimestampMs DataClock::Now() const { return NowFrom(packed_.load(std::memory_order_acquire)); }

DataClock::State DataClock::Get() const {
  const std::int64_t packed = packed_.load(std::memory_order_acquire);
  return State{NowFrom(packed), (packed & 1) != 0};
}

Result<DataClock::State, std::string> DataClock::Advance(std::int64_t duration_ms) {
  if (duration_ms < 0) return std::string("the clock only moves forward");
  std::lock_guard lock(change_mutex_);
  const State state = Get();
  return Store(state.now + duration_ms, state.frozen);
}

Result<DataClock::State, std::string> DataClock::Set(TimestampMs at) {
  std::lock_guard lock(change_mutex_);
  return Store(at, Get().frozen);
}

Result<DataClock::State, std::string> DataClock::Store(TimestampMs at, bool frozen) {
  const TimestampMs now = Now();
  if (at < now) {
    return "the clock only moves forward: " + FormatRfc3339(at) + " is before its now, " +
           FormatRfc3339(now);
  }
  packed_.store(frozen ? Pack(true, at) : Pack(false, at - RealNow()), std::memory_order_release);
  return Get();
}

DataClock::State DataClock::Freeze(bool frozen) {
  std::lock_guard lock(change_mutex_);
  const State state = Get();
  if (state.frozen != frozen) {
    packed_.store(frozen ? Pack(true, state.now) : Pack(false, state.now - RealNow()),
                  std::memory_order_release);
  }
  return Get();
}

DataClock::State DataClock::Reset() {
  std::lock_guard lock(change_mutex_);
  packed_.store(start_packed_, std::memory_order_release);
  return Get();
}

}  // namespace datazone_mock
