#pragma once

#include <algorithm>
#include <chrono>

namespace datazone_mock {

// A token bucket: holds up to `burst` tokens, gains `per_second` per second, starts full.
// Time is passed in (from the injected Clock) so tests control it. Not thread-safe: the
// FaultEngine guards its buckets.
class TokenBucket {
 public:
  TokenBucket(double per_second, double burst, std::chrono::steady_clock::time_point now)
      : per_second_(per_second), burst_(burst), tokens_(burst), updated_(now) {}

  // Takes one token if there is one.
  bool TryTake(std::chrono::steady_clock::time_point now) {
    if (now > updated_) {
      const double elapsed = std::chrono::duration<double>(now - updated_).count();
      tokens_ = std::min(burst_, tokens_ + elapsed * per_second_);
      updated_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double per_second_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point updated_;
};

}  // namespace datazone_mock
