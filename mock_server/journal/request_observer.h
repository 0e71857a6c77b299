#pragma once

#include "journal/journal.h"

namespace datazone_mock {

// Told about every AWS call once it is answered (admin calls excluded), on the worker thread
// that answered it, so implementations must be thread-safe. One virtual method, so a test can
// EXPECT_CALL on it with GoogleMock.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void OnRequest(const JournalEntry& entry) = 0;
};

}  // namespace datazone_mock
