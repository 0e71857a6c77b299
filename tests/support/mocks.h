#pragma once

// GoogleMock doubles of the injected interfaces, for tests that script them call by call.

#include <gmock/gmock.h>

#include <cstdint>

#include "core/random_source.h"
#include "service/record_mode.h"

namespace datazone_mock {

class MockRandomSource : public RandomSource {
 public:
  MOCK_METHOD(std::uint64_t, NextU64, (), (override));
};

class MockUpstreamClient : public UpstreamClient {
 public:
  MOCK_METHOD(HttpResponse, Forward, (std::string_view target), (const, override));
};

class MockRunRecorder : public RunRecorder {
 public:
  MOCK_METHOD((Result<RecordedPage, std::string>), Record,
              (std::string_view domain_id, std::string_view job_id, const UpstreamPage& page),
              (override));
};

}  // namespace datazone_mock
