#include "core/slot_memo.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace datazone_mock {
namespace {

struct Named {
  std::string key;
  std::shared_ptr<int> value;
};

// The value kept under `key`'s slot if the slot holds `key`, else nullptr.
template <std::size_t kSlots>
std::shared_ptr<int> Lookup(const SlotMemo<Named, kSlots>& memo, std::size_t hash,
                            const std::string& key) {
  return memo.Read(hash, [&](const Named& entry) {
    return entry.key == key ? entry.value : std::shared_ptr<int>();
  });
}

TEST(SlotMemoTest, AnEntryIsFoundInItsSlotUntilANewerOneTakesIt) {
  SlotMemo<Named, 4> memo;
  EXPECT_EQ(Lookup(memo, 1, "a"), nullptr);
  memo.Keep(1, Named{"a", std::make_shared<int>(1)});
  memo.Keep(2, Named{"b", std::make_shared<int>(2)});
  ASSERT_NE(Lookup(memo, 1, "a"), nullptr);
  EXPECT_EQ(*Lookup(memo, 1, "a"), 1);
  EXPECT_EQ(*Lookup(memo, 2, "b"), 2);
  // Hash 5 picks slot 1 of 4: "c" replaces "a" there and leaves "b" alone.
  memo.Keep(5, Named{"c", std::make_shared<int>(3)});
  EXPECT_EQ(Lookup(memo, 1, "a"), nullptr);
  EXPECT_EQ(*Lookup(memo, 1, "c"), 3);
  EXPECT_EQ(*Lookup(memo, 2, "b"), 2);
}

TEST(SlotMemoTest, AReplacedEntryIsReleased) {
  SlotMemo<Named, 2> memo;
  auto value = std::make_shared<int>(7);
  memo.Keep(0, Named{"a", value});
  EXPECT_EQ(value.use_count(), 2);
  memo.Keep(0, Named{"b", std::make_shared<int>(8)});
  EXPECT_EQ(value.use_count(), 1);
}

}  // namespace
}  // namespace datazone_mock
