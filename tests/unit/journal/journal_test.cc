#include "journal/journal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "journal/metrics.h"

namespace datazone_mock {
namespace {

using testing::HasSubstr;

JournalEntry Entry(std::string access_key_id, int status, std::string error_type = "") {
  JournalEntry entry;
  entry.access_key_id = std::move(access_key_id);
  entry.status = status;
  entry.error_type = std::move(error_type);
  return entry;
}

std::vector<std::uint64_t> Ids(const std::vector<JournalEntry>& entries) {
  std::vector<std::uint64_t> ids;
  for (const auto& e : entries) ids.push_back(e.id);
  return ids;
}

TEST(JournalTest, NumbersEntriesAndKeepsOnlyTheNewest) {
  Journal journal(3);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(journal.Append(Entry("A", 200)), std::uint64_t(i + 1));
  EXPECT_EQ(journal.size(), 3u);
  EXPECT_EQ(Ids(journal.Query({})), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST(JournalTest, Filters) {
  Journal journal(10);
  journal.Append(Entry("A", 200));
  journal.Append(Entry("B", 429, "ThrottlingException"));
  journal.Append(Entry("A", 429, "ThrottlingException"));
  journal.Append(Entry("A", 400, "ValidationException"));
  JournalFilter by_key;
  by_key.access_key_id = "A";
  EXPECT_EQ(Ids(journal.Query(by_key)), (std::vector<std::uint64_t>{1, 3, 4}));
  JournalFilter by_status;
  by_status.status = 429;
  EXPECT_EQ(Ids(journal.Query(by_status)), (std::vector<std::uint64_t>{2, 3}));
  JournalFilter by_type;
  by_type.error_type = "ValidationException";
  EXPECT_EQ(Ids(journal.Query(by_type)), (std::vector<std::uint64_t>{4}));
  JournalFilter since;
  since.since = 2;
  EXPECT_EQ(Ids(journal.Query(since)), (std::vector<std::uint64_t>{3, 4}));
  JournalFilter both = by_key;
  both.status = 429;
  EXPECT_EQ(Ids(journal.Query(both)), (std::vector<std::uint64_t>{3}));
}

TEST(JournalTest, SinceAnEvictedIdReturnsWhatRemains) {
  Journal journal(2);
  for (int i = 0; i < 5; ++i) journal.Append(Entry("A", 200));
  JournalFilter since;
  since.since = 1;
  EXPECT_EQ(Ids(journal.Query(since)), (std::vector<std::uint64_t>{4, 5}));
}

TEST(JournalTest, ClearKeepsNumbering) {
  Journal journal(5);
  journal.Append(Entry("A", 200));
  journal.Clear();
  EXPECT_TRUE(journal.Query({}).empty());
  EXPECT_EQ(journal.Append(Entry("A", 200)), 2u);
}

TEST(JournalTest, ConcurrentAppendsGetUniqueIdsAndStayBounded) {
  Journal journal(100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) journal.Append(Entry("A", 200));
    });
  }
  for (auto& thread : threads) thread.join();
  const auto entries = journal.Query({});
  ASSERT_EQ(entries.size(), 100u);
  EXPECT_EQ(entries.back().id, 4000u);
  for (std::size_t i = 1; i < entries.size(); ++i) EXPECT_EQ(entries[i].id, entries[i - 1].id + 1);
}

// A reader polling with `since` while writers append must see every id once, in order: an
// entry still being written ends an answer instead of being skipped.
TEST(JournalTest, PollingWithSinceDuringAppendsSeesEveryIdOnceInOrder) {
  Journal journal(1000);
  constexpr std::uint64_t kTotal = 4 * 200;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) journal.Append(Entry("A", 200));
    });
  }
  std::vector<std::uint64_t> seen;
  JournalFilter poll;
  poll.since = 0;
  while (seen.size() < kTotal) {
    for (const JournalEntry& entry : journal.Query(poll)) {
      seen.push_back(entry.id);
      poll.since = entry.id;
    }
  }
  for (auto& writer : writers) writer.join();
  for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i + 1);
}

TEST(JournalTest, SizeCountsKeptEntriesOnly) {
  Journal journal(3);
  EXPECT_EQ(journal.size(), 0u);
  for (int i = 0; i < 2; ++i) journal.Append(Entry("A", 200));
  EXPECT_EQ(journal.size(), 2u);
  for (int i = 0; i < 5; ++i) journal.Append(Entry("A", 200));
  EXPECT_EQ(journal.size(), 3u);
  journal.Clear();
  EXPECT_EQ(journal.size(), 0u);
  journal.Append(Entry("A", 200));
  EXPECT_EQ(Ids(journal.Query({})), (std::vector<std::uint64_t>{8}));
}

// A ring of several blocks (made as the first write reaches each) wraps like a small one, and
// forgetting a caller reaches every block.
TEST(JournalTest, ARingOfManyBlocksWrapsAndForgetsACallerEverywhere) {
  Journal journal(600);
  for (int i = 0; i < 1000; ++i) journal.Append(Entry(i % 2 == 0 ? "A" : "B", 200));
  auto entries = journal.Query({});
  ASSERT_EQ(entries.size(), 600u);
  EXPECT_EQ(entries.front().id, 401u);
  EXPECT_EQ(entries.back().id, 1000u);
  journal.ClearCaller("A");
  entries = journal.Query({});
  ASSERT_EQ(entries.size(), 300u);
  for (const JournalEntry& entry : entries) EXPECT_EQ(entry.access_key_id, "B");
}

TEST(JournalTest, ZeroCapacityKeepsNothingButCounts) {
  Journal journal(0);
  EXPECT_EQ(journal.Append(Entry("A", 200)), 1u);
  EXPECT_EQ(journal.Append(Entry("A", 200)), 2u);
  EXPECT_TRUE(journal.Query({}).empty());
  EXPECT_EQ(journal.size(), 0u);
}

TEST(AttemptOfTest, ReadsEverySdkForm) {
  EXPECT_EQ(AttemptOf("attempt=1"), 1);
  EXPECT_EQ(AttemptOf("attempt=1; max=3"), 1);
  EXPECT_EQ(AttemptOf("ttl=20261128T234643Z; attempt=2; max=3"), 2);
  EXPECT_EQ(AttemptOf("ttl=x;attempt=11"), 11);
  EXPECT_EQ(AttemptOf(""), 0);
  EXPECT_EQ(AttemptOf("maxattempt=3"), 0);
  EXPECT_EQ(AttemptOf("attempt=x"), 0);
}

TEST(MetricsTest, CountsOutcomesAndLatencies) {
  Metrics metrics;
  metrics.Record("ok", std::chrono::microseconds(80));
  metrics.Record("ok", std::chrono::microseconds(3000));
  metrics.Record("ThrottlingException", std::chrono::microseconds(200));
  metrics.Record("fault:reset", std::chrono::seconds(10));
  const std::string text = metrics.Prometheus(2, 5, 146);
  EXPECT_THAT(text, HasSubstr("datazone_mock_requests_total{outcome=\"ok\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_requests_total{outcome=\"ThrottlingException\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_requests_total{outcome=\"fault:reset\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_bucket{le=\"0.0001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_bucket{le=\"0.00025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_bucket{le=\"5\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_count 4\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_request_duration_seconds_sum 10.003280\n"));
  EXPECT_THAT(text, HasSubstr("datazone_mock_store_runs 146\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE datazone_mock_request_duration_seconds histogram\n"));
}

}  // namespace
}  // namespace datazone_mock
