#include "core/once_slots.h"

#include <gtest/gtest.h>

#include <memory>

namespace datazone_mock {
namespace {

TEST(OnceSlotsTest, TheFirstKeptStaysAndALaterOneIsFreed) {
  OnceSlots<std::shared_ptr<int>> slots(2);
  EXPECT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots.Find(0), nullptr);
  auto first = std::make_shared<int>(1);
  auto second = std::make_shared<int>(2);
  std::shared_ptr<int>* kept = slots.Keep(0, std::make_unique<std::shared_ptr<int>>(first));
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(slots.Find(0), kept);
  EXPECT_EQ(slots.Keep(0, std::make_unique<std::shared_ptr<int>>(second)), kept);
  EXPECT_EQ(**slots.Find(0), 1);
  EXPECT_EQ(second.use_count(), 1);  // the later one was freed
  EXPECT_EQ(first.use_count(), 2);   // the kept one is held
  EXPECT_EQ(slots.Find(1), nullptr);
}

TEST(OnceSlotsTest, WhatIsKeptIsFreedWithTheSlots) {
  auto value = std::make_shared<int>(7);
  {
    OnceSlots<std::shared_ptr<int>> slots(1);
    slots.Keep(0, std::make_unique<std::shared_ptr<int>>(value));
    EXPECT_EQ(value.use_count(), 2);
  }
  EXPECT_EQ(value.use_count(), 1);
}

}  // namespace
}  // namespace datazone_mock
