#include "store/store_snapshot.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <thread>

#include "support/builders.h"

namespace datazone_mock {
namespace {

std::shared_ptr<const Store> StoreWithDomain(const std::string& domain) {
  return MakeStore(domain, "job-1", MakeRuns(2));
}

// Which store a test got, for the failure message (a shared_ptr prints as bytes).
std::string Which(const std::shared_ptr<const Store>& store) {
  if (!store) return "no store";
  for (const char* domain : {"dzd_one", "dzd_two"}) {
    if (store->FindDomain(domain) != nullptr) return std::string("the ") + domain + " store";
  }
  return "another store";
}

TEST(StoreSnapshotTest, GetReturnsTheStoreGiven) {
  const auto store = StoreWithDomain("dzd_one");
  StoreSnapshot snapshot(store);
  EXPECT_EQ(snapshot.Get(), store);
  EXPECT_EQ(snapshot.Get(), store);  // the remembered path gives the same store
}

TEST(StoreSnapshotTest, ReplaceIsSeenAtOnceByTheSameThread) {
  StoreSnapshot snapshot(StoreWithDomain("dzd_one"));
  // Held, so the store this thread remembers is still alive after the Replace(): only the
  // changed generation can tell this thread that it is stale.
  const auto before = snapshot.Get();
  ASSERT_NE(before->FindDomain("dzd_one"), nullptr);
  const auto replacement = StoreWithDomain("dzd_two");
  snapshot.Replace(replacement);
  const auto after = snapshot.Get();
  EXPECT_TRUE(after == replacement) << "got " << Which(after);
}

// One reader thread reads (and so remembers the store), waits while this thread replaces it,
// then reads again: its second read must return the replacement, not the store it remembers.
// The old store is kept alive throughout, so the remembered weak_ptr still locks: a Replace()
// that did not invalidate other threads' memories would hand the old store back.
TEST(StoreSnapshotTest, ReplaceIsSeenByAThreadThatReadBefore) {
  auto original = StoreWithDomain("dzd_one");
  StoreSnapshot snapshot(original);
  const auto replacement = StoreWithDomain("dzd_two");
  std::promise<void> read_once;
  std::promise<void> replaced;
  std::shared_ptr<const Store> first;
  std::shared_ptr<const Store> second;
  std::shared_ptr<const Store> third;
  std::thread reader([&, replaced_done = replaced.get_future()] {
    first = snapshot.Get();
    second = snapshot.Get();  // from this thread's memory
    read_once.set_value();
    replaced_done.wait();
    third = snapshot.Get();
  });
  read_once.get_future().wait();
  snapshot.Replace(replacement);
  replaced.set_value();
  reader.join();
  EXPECT_TRUE(first == original) << "got " << Which(first);
  EXPECT_TRUE(second == original) << "got " << Which(second);
  EXPECT_TRUE(third == replacement) << "got " << Which(third) << " after the Replace()";
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
