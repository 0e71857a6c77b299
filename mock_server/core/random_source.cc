#include "core/random_source.h"

#include <openssl/rand.h>

#include <random>
#include <stdexcept>

#include "core/text.h"

namespace datazone_mock {

std::uint64_t SystemRandomSource::NextU64() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  return engine();
}

std::string MakeRequestId(RandomSource& random) {
  std::uint64_t high = random.NextU64();
  std::uint64_t low = random.NextU64();
  // Version 4 and the RFC 4122 variant, so the id looks like every other AWS request id.
  high = (high & ~std::uint64_t{0xF000}) | 0x4000;
  low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);
  std::string id;
  id.reserve(36);
  for (int i = 60; i >= 0; i -= 4) {
    if (i == 28 || i == 12) id += '-';
    id += kLowerHexDigits[(high >> i) & 0xF];
  }
  id += '-';
  for (int i = 60; i >= 0; i -= 4) {
    if (i == 44) id += '-';
    id += kLowerHexDigits[(low >> i) & 0xF];
  }
  return id;
}

std::string SecureRandomBytes(std::size_t size) {
  std::string bytes(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(size)) != 1) {
    // Without a secure source no secret can be made; this is a broken machine, not bad input.
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return bytes;
}

}  // namespace datazone_mock
