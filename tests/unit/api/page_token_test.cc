#include "api/page_token.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "api/list_job_runs_request.h"

namespace datazone_mock {
namespace {

constexpr std::int64_t kNow = 1764374400;
constexpr std::string_view kTampered =
    "signature mismatch: tampered with or signed with another secret";

PageTokenClaims SampleClaims() {
  return PageTokenClaims{"dzd_demo01",
                         "nightly-lineage",
                         JobRunStatus::kFailed,
                         SortOrder::kAscending,
                         RunPosition{1752644436666, "run-0042"},
                         kNow,
                         7};
}

void PutBigEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

// The record of SampleClaims(), written from the layout in docs/architecture.md ("Page
// tokens"), so that a change of layout shows here as well as in the code.
std::string SampleRecord() {
  std::string record;
  record += '\x00';  // ASCENDING
  record += '\x05';  // 1 + FAILED's place in the model's list of statuses
  PutBigEndian(record, 7, 4);
  PutBigEndian(record, 1752644436666, 8);
  PutBigEndian(record, kNow, 8);
  PutBigEndian(record, 8, 2);
  record += "run-0042";
  PutBigEndian(record, 10, 1);
  record += "dzd_demo01";
  PutBigEndian(record, 15, 1);
  record += "nightly-lineage";
  return record;
}

std::size_t CommonPrefix(std::string_view a, std::string_view b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first -
                                  a.begin());
}

TEST(PageTokenTest, RoundTrips) {
  const PageTokenCodec codec("secret");
  const PageTokenClaims claims = SampleClaims();
  const auto decoded = codec.Decode(codec.Encode(claims), kNow);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded.value(), claims);

  PageTokenClaims no_status = claims;
  no_status.status.reset();
  no_status.sort_order = SortOrder::kDescending;
  no_status.after->created_at = -5;  // before 1970 is a valid position too
  const auto decoded_no_status = codec.Decode(codec.Encode(no_status), kNow);
  ASSERT_TRUE(decoded_no_status.ok());
  EXPECT_EQ(decoded_no_status.value(), no_status);
}

TEST(PageTokenTest, RoundTripsATokenWithoutAPosition) {
  // An empty first page's token leads to the listing's start: it has no run to seek after.
  const PageTokenCodec codec("secret");
  for (const SortOrder order : {SortOrder::kAscending, SortOrder::kDescending}) {
    PageTokenClaims claims = SampleClaims();
    claims.after.reset();
    claims.sort_order = order;
    claims.page = 1;
    const auto decoded = codec.Decode(codec.Encode(claims), kNow);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(decoded.value(), claims);
    EXPECT_EQ(decoded.value().after, std::nullopt);
  }
  // Distinct from the token of a position with zero and empty fields.
  PageTokenClaims none = SampleClaims();
  none.after.reset();
  PageTokenClaims zero = none;
  zero.after = RunPosition{0, ""};
  EXPECT_NE(codec.Encode(none), codec.Encode(zero));
}

TEST(PageTokenTest, CarriesItsPageNumber) {
  const PageTokenCodec codec("secret");
  for (const std::uint32_t page : {1u, 2u, 3u, 256u, 65'537u, 0xFFFF'FFFFu}) {
    PageTokenClaims claims = SampleClaims();
    claims.page = page;
    const auto decoded = codec.Decode(codec.Encode(claims), kNow);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(decoded.value().page, page);
  }
  // Callers that do not count pages yet issue tokens for page 1.
  EXPECT_EQ(PageTokenClaims{}.page, 1u);
}

TEST(PageTokenTest, RoundTripsTheLongestValuesTheRecordHolds) {
  const PageTokenCodec codec("secret");
  PageTokenClaims claims = SampleClaims();
  claims.domain_identifier.assign(kMaxTokenIdentifierBytes, 'd');
  claims.job_identifier.assign(kMaxTokenIdentifierBytes, 'j');
  claims.after->run_id.assign(kMaxTokenRunIdBytes, 'r');
  claims.page = std::numeric_limits<std::uint32_t>::max();
  const std::string token = codec.Encode(claims);
  const auto decoded = codec.Decode(token, kNow);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded.value(), claims);
  // The model allows 8192 characters; the record's limits keep every token far below.
  EXPECT_EQ(token.size(), 2119u);
  EXPECT_LT(token.size(), kMaxNextTokenLength);
}

TEST(PageTokenTest, RoomForEveryRunIdValidationAllows) {
  // 256 characters of four UTF-8 bytes each: the longest runId a fixture may hold.
  std::string run_id;
  for (std::size_t i = 0; i < kMaxRunIdLength; ++i) run_id += "\xF0\x9F\x98\x80";
  ASSERT_TRUE(IsValidRunId(run_id));
  EXPECT_EQ(run_id.size(), kMaxTokenRunIdBytes);
  const PageTokenCodec codec("secret");
  PageTokenClaims claims = SampleClaims();
  claims.after->run_id = run_id;
  const auto decoded = codec.Decode(codec.Encode(claims), kNow);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded.value(), claims);
}

TEST(PageTokenTest, SameClaimsAndSecretGiveTheSameTokenInEveryProcess) {
  // What restarts and replicas with one --token-secret rely on: no randomness, no state.
  const PageTokenCodec codec("secret");
  const PageTokenCodec replica("secret");
  const std::string token = codec.Encode(SampleClaims());
  EXPECT_EQ(codec.Encode(SampleClaims()), token);
  EXPECT_EQ(replica.Encode(SampleClaims()), token);
  const auto decoded = replica.Decode(token, kNow);
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded.value(), SampleClaims());
  // And across builds: a change here is a change of format, which needs a new version byte.
  // The value was checked against an independent implementation of the documented format
  // (Python: RFC 5869 HKDF by hand, `cryptography`'s AESGCM).
  EXPECT_EQ(
      token,
      "Amj8Rpk2GkeyvKBWdpcfW1p1EpiVLligCDfgWBSiF-loeX742SR8qvn0PmpC_PQvony-eH6cNIyMDXatMACFzcMW7"
      "sW4yVRn5x4ExL-bgjrT56OMwiKmZA");
}

// Tokens sealed lately are kept by record; many records share few slots, and each must still
// get its own token, the same as a codec that never sealed anything before gives.
TEST(PageTokenTest, TokensKeptForReuseAreAlwaysTheirOwnRecords) {
  const PageTokenCodec codec("secret");
  std::vector<std::string> first_round;
  for (std::uint32_t page = 1; page <= 500; ++page) {
    PageTokenClaims claims = SampleClaims();
    claims.page = page;
    first_round.push_back(codec.Encode(claims));
  }
  for (std::uint32_t page = 500; page >= 1; --page) {
    PageTokenClaims claims = SampleClaims();
    claims.page = page;
    const PageTokenCodec fresh("secret");
    const std::string token = codec.Encode(claims);
    EXPECT_EQ(token, first_round[page - 1]);
    EXPECT_EQ(token, fresh.Encode(claims));
    const auto decoded = codec.Decode(token, kNow);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(decoded.value().page, page);
  }
}

TEST(PageTokenTest, SealsTheDocumentedRecord) {
  const PageTokenCodec codec("secret");
  EXPECT_EQ(codec.SealRecord(SampleRecord()), codec.Encode(SampleClaims()));
}

TEST(PageTokenTest, DoesNotRevealWhatItHolds) {
  const PageTokenCodec codec("secret");
  const std::vector<std::string> domains = {"dzd_demo01", "dzd-0123456789abcdef", "dzd_zzzzzzzz"};
  const std::vector<std::string> jobs = {"nightly-lineage", "job_with_a_long_name_0123456789",
                                         "weekly"};
  const std::vector<std::string> runs = {"run-0042", "run-\xC3\xA9t\xC3\xA9-00000001",
                                         std::string(300, 'r')};
  for (const std::string& domain : domains) {
    for (const std::string& job : jobs) {
      for (const std::string& run : runs) {
        PageTokenClaims claims = SampleClaims();
        claims.domain_identifier = domain;
        claims.job_identifier = job;
        claims.after->run_id = run;
        const std::string token = codec.Encode(claims);
        const std::string bytes = *Base64UrlDecode(token);
        for (const std::string& value : {domain, job, run}) {
          EXPECT_EQ(bytes.find(value), std::string::npos) << value;
          EXPECT_EQ(token.find(value), std::string::npos) << value;
          EXPECT_EQ(token.find(Base64UrlEncode(value).substr(0, 8)), std::string::npos) << value;
        }
      }
    }
  }
}

TEST(PageTokenTest, TokensDifferingInOnePlaceDifferThroughout) {
  // The nonce depends on the whole record, so a change anywhere changes every block: tokens of
  // one listing share no more than the version byte, and nothing shows which part changed.
  const PageTokenCodec codec("secret");
  PageTokenClaims a = SampleClaims();
  for (const auto& change : std::vector<void (*)(PageTokenClaims&)>{
           [](PageTokenClaims& c) { c.after->run_id = "run-0043"; },
           [](PageTokenClaims& c) { c.after->created_at += 1; },
           [](PageTokenClaims& c) { c.page += 1; },
           [](PageTokenClaims& c) { c.issued_at_seconds += 1; }}) {
    PageTokenClaims b = a;
    change(b);
    const std::string x = *Base64UrlDecode(codec.Encode(a));
    const std::string y = *Base64UrlDecode(codec.Encode(b));
    ASSERT_EQ(x.size(), y.size());
    EXPECT_LE(CommonPrefix(x, y), 2u);  // the version byte, and a nonce byte by chance
    std::size_t same = 0;
    for (std::size_t i = 1; i < x.size(); ++i) same += x[i] == y[i] ? 1 : 0;
    EXPECT_LT(same, x.size() / 8) << "bytes in common";
  }
}

TEST(PageTokenTest, UsesOnlyUrlSafeCharacters) {
  const PageTokenCodec codec("secret");
  PageTokenClaims claims = SampleClaims();
  for (int i = 0; i < 64; ++i) {
    claims.after->run_id = "run/+=?&" + std::to_string(i);
    const std::string token = codec.Encode(claims);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
  }
}

TEST(PageTokenTest, DifferentPositionsGiveDifferentTokens) {
  const PageTokenCodec codec("secret");
  PageTokenClaims a = SampleClaims();
  PageTokenClaims b = a;
  b.after->run_id = "run-0043";
  EXPECT_NE(codec.Encode(a), codec.Encode(b));
}

TEST(PageTokenTest, RejectsEveryTamperedByte) {
  const PageTokenCodec codec("secret");
  const std::string token = codec.Encode(SampleClaims());
  const std::string bytes = *Base64UrlDecode(token);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (const int flip : {0x01, 0x80, 0xFF}) {
      std::string tampered = bytes;
      tampered[i] = static_cast<char>(static_cast<unsigned char>(tampered[i]) ^ flip);
      const auto result = codec.Decode(Base64UrlEncode(tampered), kNow);
      ASSERT_FALSE(result.ok()) << "byte " << i << " flip " << flip;
      // Byte 0 is the format version, read before the key is used.
      EXPECT_EQ(result.error(), i == 0 ? "unknown version" : kTampered) << "byte " << i;
    }
  }
}

TEST(PageTokenTest, RejectsEveryChangedCharacterAndEveryTruncation) {
  const PageTokenCodec codec("secret");
  const std::string token = codec.Encode(SampleClaims());
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(codec.Decode(changed, kNow).ok()) << "position " << i;
    EXPECT_FALSE(codec.Decode(token.substr(0, i), kNow).ok()) << "prefix " << i;
  }
  EXPECT_FALSE(codec.Decode(token + "A", kNow).ok());
  EXPECT_FALSE(codec.Decode(token + "AA", kNow).ok());
}

TEST(PageTokenTest, RejectsAnotherSecret) {
  const std::string token = PageTokenCodec("secret").Encode(SampleClaims());
  const auto result = PageTokenCodec("other").Decode(token, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), kTampered);
}

TEST(PageTokenTest, RejectsGarbage) {
  const PageTokenCodec codec("secret");
  EXPECT_EQ(codec.Decode("not a token!", kNow).error(), "not base64url");
  EXPECT_EQ(codec.Decode("abc=", kNow).error(), "not base64url");
  EXPECT_EQ(codec.Decode("a", kNow).error(), "not base64url");
  EXPECT_EQ(codec.Decode("AAAA", kNow).error(), "too short");
  // Version, nonce and tag with nothing sealed (29 bytes): too short as well.
  EXPECT_EQ(codec.Decode(Base64UrlEncode("\x02" + std::string(28, 'x')), kNow).error(),
            "too short");
  EXPECT_EQ(codec.Decode(std::string(100, 'A'), kNow).error(), "unknown version");
  EXPECT_EQ(codec.Decode(Base64UrlEncode("\x02" + std::string(80, 'x')), kNow).error(), kTampered);
  // Longer than any token Encode makes.
  EXPECT_EQ(codec.Decode(Base64UrlEncode("\x02" + std::string(2000, 'x')), kNow).error(),
            "too long");
}

TEST(PageTokenTest, RefusesTokensOfTheFormerFormat) {
  // SampleClaims() as version 1 encoded it with the secret "secret": the plain record (version
  // byte 1 first), readable after base64 decoding, then its HMAC-SHA256.
  const PageTokenCodec codec("secret");
  const std::string v1 =
      "AQAFAAABmBG_wroAAAAAaSo3gAAIcnVuLTAwNDIKZHpkX2RlbW8wMQ9uaWdodGx5LWxpbmVhZ2VIycjefBq0qnDJTWt_"
      "mkxrAFesHMkNT0jTy0E3doTCcA";
  ASSERT_NE(Base64UrlDecode(v1)->find("nightly-lineage"), std::string::npos);
  EXPECT_EQ(codec.Decode(v1, kNow).error(), "unknown version");
}

TEST(PageTokenTest, RefusesMalformedRecordsEvenUnderTheKey) {
  // Encode never makes these; SealRecord puts them behind a valid tag, so only the record
  // parser can refuse them.
  const PageTokenCodec codec("secret");
  const std::string good = SampleRecord();
  ASSERT_TRUE(codec.Decode(codec.SealRecord(good), kNow).ok());
  std::vector<std::pair<std::string, std::string>> cases = {
      {"one byte", "x"},
      {"cut short", good.substr(0, good.size() - 1)},
      {"a byte too many", good + "x"},
      {"unknown flag", "\x04" + good.substr(1)},
      // Without a position (flag 2) the position's fields must be zero and empty.
      {"no position but a runId", "\x02" + good.substr(1)},
      {"status 9", good.substr(0, 1) + "\x09" + good.substr(2)},
      {"page 0", good.substr(0, 2) + std::string(4, '\0') + good.substr(6)},
  };
  std::string long_run;
  long_run += good.substr(0, 22);
  PutBigEndian(long_run, kMaxTokenRunIdBytes + 1, 2);
  long_run += std::string(kMaxTokenRunIdBytes + 1, 'r');
  long_run += good.substr(22 + 2 + 8);
  cases.emplace_back("runId over the limit", long_run);
  for (const auto& [name, record] : cases) {
    const auto result = codec.Decode(codec.SealRecord(record), kNow);
    ASSERT_FALSE(result.ok()) << name;
    EXPECT_EQ(result.error(), "malformed record") << name;
  }
}

TEST(PageTokenTest, ExpiresOnlyWithATtl) {
  const PageTokenCodec forever("secret");
  const PageTokenCodec minute("secret", std::chrono::seconds(60));
  const std::string token = forever.Encode(SampleClaims());
  EXPECT_TRUE(forever.Decode(token, kNow + 10'000'000).ok());
  EXPECT_TRUE(minute.Decode(token, kNow + 60).ok());
  const auto expired = minute.Decode(token, kNow + 61);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error(), "expired");
}

TEST(PageTokenTest, AnyIssueTimeIsCheckedWithoutOverflow) {
  // Found by fuzzing: an issue time near the bottom of int64 overflowed `now - issued_at` (UB),
  // which in practice made an ancient token look fresh. Only a token signed with the secret can
  // carry such a time, but the check must hold for every value the format can hold.
  const PageTokenCodec codec("secret", std::chrono::seconds(60));
  PageTokenClaims ancient = SampleClaims();
  ancient.issued_at_seconds = std::numeric_limits<std::int64_t>::min() + 1;
  const auto expired = codec.Decode(codec.Encode(ancient), kNow);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error(), "expired");

  PageTokenClaims future = SampleClaims();
  future.issued_at_seconds = std::numeric_limits<std::int64_t>::max();
  EXPECT_TRUE(codec.Decode(codec.Encode(future), kNow).ok());
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int length = 0; length < 12; ++length) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes);
    bytes += static_cast<char>(0xF0 + length);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("hello"), "aGVsbG8");
}

TEST(Base64UrlTest, DecodesOnlyTheCanonicalForm) {
  EXPECT_EQ(Base64UrlDecode("aGVsbG8"), "hello");
  EXPECT_EQ(Base64UrlDecode("aGVsbG9"), std::nullopt);  // non-zero padding bits
  EXPECT_EQ(Base64UrlDecode("aGVsbG8="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("aGVs+G8"), std::nullopt);
}

}  // namespace
}  // namespace datazone_mock
