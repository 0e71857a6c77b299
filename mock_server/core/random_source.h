#pragma once

#include <cstdint>
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

// A request id in the form AWS uses (a version-4 UUID).
std::string MakeRequestId(RandomSource& random);

// `size` bytes from a cryptographically secure source (OpenSSL), for secrets.
std::string SecureRandomBytes(std::size_t size);

}  // namespace datazone_mock
