#include "journal/verify.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

JournalEntry Entry(std::uint64_t id, std::string key, int status, std::string query = {},
                   std::string job = "nightly-lineage") {
  JournalEntry entry;
  entry.id = id;
  entry.method = "GET";
  entry.path = "/v2/domains/dzd_demo01/jobs/" + job + "/runs";
  entry.query = std::move(query);
  entry.access_key_id = std::move(key);
  entry.status = status;
  if (status == 429) entry.error_type = "ThrottlingException";
  return entry;
}

TEST(VerifyTest, CountsMatchesAgainstEachKindOfExpectation) {
  const std::vector<JournalEntry> journal = {Entry(1, "AKIDA", 429), Entry(2, "AKIDA", 429),
                                             Entry(3, "AKIDA", 200), Entry(4, "AKIDB", 429)};
  RequestPattern throttled_a;
  throttled_a.access_key_id = "AKIDA";
  throttled_a.status = 429;
  using Kind = CountExpectation::Kind;
  EXPECT_TRUE(Verify(journal, throttled_a, {Kind::kExactly, 2}).ok);
  EXPECT_FALSE(Verify(journal, throttled_a, {Kind::kExactly, 3}).ok);
  EXPECT_TRUE(Verify(journal, throttled_a, {Kind::kAtLeast, 1}).ok);
  EXPECT_FALSE(Verify(journal, throttled_a, {Kind::kAtMost, 1}).ok);
  EXPECT_EQ(Verify(journal, throttled_a, {Kind::kAtMost, 1}).count, 2u);
  EXPECT_TRUE(Verify(journal, RequestPattern{}, {Kind::kExactly, 4}).ok);  // no member: all
}

TEST(VerifyTest, NearMissesDifferInTheFewestMembersNewestFirst) {
  const std::vector<JournalEntry> journal = {
      Entry(1, "AKIDB", 200, "status=FAILED"),   // differs in accessKeyId, status
      Entry(2, "AKIDA", 200, "status=FAILED"),   // differs in status
      Entry(3, "AKIDB", 429, "status=FAILED"),   // differs in accessKeyId
      Entry(4, "AKIDA", 429, "status=SUCCESS"),  // differs in query.status
  };
  RequestPattern pattern;
  pattern.access_key_id = "AKIDA";
  pattern.status = 429;
  pattern.query = {{"status", "FAILED"}};
  const VerifyResult result = Verify(journal, pattern, {CountExpectation::Kind::kExactly, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.count, 0u);
  ASSERT_EQ(result.near_misses.size(), 4u);
  EXPECT_EQ(result.near_misses[0].entry.id, 4u);
  EXPECT_EQ(result.near_misses[0].differs, std::vector<std::string>{"query.status"});
  EXPECT_EQ(result.near_misses[1].entry.id, 3u);
  EXPECT_EQ(result.near_misses[1].differs, std::vector<std::string>{"accessKeyId"});
  EXPECT_EQ(result.near_misses[2].entry.id, 2u);
  EXPECT_EQ(result.near_misses[3].differs, (std::vector<std::string>{"accessKeyId", "status"}));
}

TEST(VerifyTest, AtMostFiveNearMissesAndNoneWhenItHolds) {
  std::vector<JournalEntry> journal;
  for (std::uint64_t id = 1; id <= 9; ++id) journal.push_back(Entry(id, "AKIDB", 200));
  RequestPattern pattern;
  pattern.access_key_id = "AKIDA";
  EXPECT_EQ(Verify(journal, pattern, {CountExpectation::Kind::kAtLeast, 1}).near_misses.size(),
            kMaxNearMisses);
  EXPECT_TRUE(Verify(journal, pattern, {CountExpectation::Kind::kExactly, 0}).near_misses.empty());
}

TEST(VerifyTest, DomainJobAndAbsentQueryMembers) {
  const std::vector<JournalEntry> journal = {Entry(1, "", 200, "maxResults=2", "other-job"),
                                             Entry(2, "", 200, "nextToken=abc")};
  RequestPattern pattern;
  pattern.domain = "dzd_demo01";
  pattern.job = "nightly-lineage";
  pattern.query = {{"nextToken", std::nullopt}};  // must be absent
  const VerifyResult result = Verify(journal, pattern, {CountExpectation::Kind::kAtLeast, 1});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(Differences(pattern, journal[0]), std::vector<std::string>{"job"});
  EXPECT_EQ(Differences(pattern, journal[1]), std::vector<std::string>{"query.nextToken"});
}

}  // namespace
}  // namespace datazone_mock
