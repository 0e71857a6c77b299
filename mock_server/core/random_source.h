#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace datazone_mock {

// The source of randomness: request ids, token secrets, probabilistic faults. Injected so that
// tests are deterministic. Implementations must be thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::uint64_t NextU64() = 0;
};

// Fast, unpredictable-enough randomness for request ids; each thread has its own engine seeded
// from std::random_device, so no lock is taken per request. Thread-safe.
class SystemRandomSource final : public RandomSource {
 public:
  std::uint64_t NextU64() override;
};

// A reproducible sequence from a seed (--seed): the same seed gives the same faults.
// Thread-safe: one engine behind a mutex (draws are rare: only probabilistic rules and delay
// ranges take them).
class SeededRandomSource final : public RandomSource {
 public:
  explicit SeededRandomSource(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t NextU64() override {
    std::lock_guard lock(mutex_);
    return engine_();
  }

 private:
  std::mutex mutex_;  // guards engine_
  std::mt19937_64 engine_;
};

// A request id in the form AWS uses (a version-4 UUID).
std::string MakeRequestId(RandomSource& random);

// `size` bytes from a cryptographically secure source (OpenSSL), for secrets.
std::string SecureRandomBytes(std::size_t size);

}  // namespace datazone_mock
