#include "store/store_snapshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "support/builders.h"

namespace datazone_mock {
namespace {

std::shared_ptr<const Store> StoreWithDomain(const std::string& domain) {
  return MakeStore(domain, "job-1", MakeRuns(2));
}

TEST(StoreSnapshotTest, GetReturnsTheStoreGiven) {
  const auto store = StoreWithDomain("dzd_one");
  StoreSnapshot snapshot(store);
  EXPECT_EQ(snapshot.Get(), store);
  EXPECT_EQ(snapshot.Get(), store);  // the remembered path gives the same store
}

TEST(StoreSnapshotTest, ReplaceIsSeenAtOnceByTheSameThread) {
  StoreSnapshot snapshot(StoreWithDomain("dzd_one"));
  ASSERT_NE(snapshot.Get()->FindDomain("dzd_one"), nullptr);  // remembered by this thread
  const auto replacement = StoreWithDomain("dzd_two");
  snapshot.Replace(replacement);
  EXPECT_EQ(snapshot.Get(), replacement);
}

TEST(StoreSnapshotTest, ReplaceIsSeenByAThreadThatReadBefore) {
  StoreSnapshot snapshot(StoreWithDomain("dzd_one"));
  std::shared_ptr<const Store> first;
  std::shared_ptr<const Store> second;
  const auto replacement = StoreWithDomain("dzd_two");
  std::thread reader([&] {
    first = snapshot.Get();
    // The other thread replaces only after this one has read, so the read is remembered.
  });
  reader.join();
  snapshot.Replace(replacement);
  std::thread later([&] { second = snapshot.Get(); });
  later.join();
  EXPECT_NE(first, replacement);
  EXPECT_EQ(second, replacement);
}

TEST(StoreSnapshotTest, TwoSnapshotsOnOneThreadNeverMixUp) {
  const auto one = StoreWithDomain("dzd_one");
  const auto two = StoreWithDomain("dzd_two");
  StoreSnapshot first(one);
  StoreSnapshot second(two);
  EXPECT_EQ(first.Get(), one);
  EXPECT_EQ(second.Get(), two);
  EXPECT_EQ(first.Get(), one);
}

TEST(StoreSnapshotTest, AReplacedStoreIsFreedEvenIfAThreadReadIt) {
  auto old_store = StoreWithDomain("dzd_one");
  const std::weak_ptr<const Store> watch = old_store;
  StoreSnapshot snapshot(std::move(old_store));
  (void)snapshot.Get();  // this thread now remembers the old store
  snapshot.Replace(StoreWithDomain("dzd_two"));
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace datazone_mock
