#pragma once

// GoogleTest helpers for tests that run datazone-mock in-process. Header-only, so the library
// itself does not depend on GoogleTest.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datazone_mock.h"

namespace datazone_mock::testing {

// EXPECT_CALL(observer, OnRequest(...)) on what the client sent.
class MockRequestObserver : public RequestObserver {
 public:
  MOCK_METHOD(void, OnRequest, (const JournalEntry& entry), (override));
};

// A fresh mock for every test: started on a free port before the test, stopped after it.
// Override MockOptions() to load other fixtures or activate scenarios.
class DataZoneMockTest : public ::testing::Test {
 protected:
  virtual Options MockOptions() const { return EmbeddedOptions(); }

  void SetUp() override {
    auto server = StartServer(MockOptions());
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  Server& mock() { return *server_; }

 private:
  std::unique_ptr<Server> server_;
};

}  // namespace datazone_mock::testing
