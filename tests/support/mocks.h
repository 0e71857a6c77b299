#pragma once

// GoogleMock doubles of the injected interfaces, for tests that script them call by call.

#include <gmock/gmock.h>

#include <cstdint>

#include "core/random_source.h"

namespace datazone_mock {

class MockRandomSource : public RandomSource {
 public:
  MOCK_METHOD(std::uint64_t, NextU64, (), (override));
};

}  // namespace datazone_mock
