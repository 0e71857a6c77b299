// Fuzzes nextToken decoding and verification (api/page_token.h) three ways with each input:
// 1. the input as a token a client sent: Decode must refuse it cleanly or, if it verifies,
//    give claims that encode back to exactly the same token (decoding is canonical);
// 2. the input as the record inside a token, sealed with the secret as the codec seals it
//    (SealRecord), so that the record parser behind the GCM tag is reached too (random bytes
//    never carry a valid tag): the same two outcomes;
// 3. the input as a source of claims: Encode then Decode gives back the same claims, the token
//    uses only URL-safe characters and stays within the model's 8192, and another secret never
//    opens it.
// Base64url is checked on the side: encode-decode is the identity, decode is canonical.

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "api/list_job_runs_request.h"
#include "api/page_token.h"
#include "fuzz_support.h"

namespace datazone_mock::fuzz {
namespace {

constexpr std::string_view kSecret = "fuzz-token-secret";

const PageTokenCodec& Codec() {
  static const PageTokenCodec codec{std::string(kSecret)};
  return codec;
}

// The same secret with --token-ttl: the expiry check sees every issue time a record can hold.
const PageTokenCodec& CodecWithTtl() {
  static const PageTokenCodec codec{std::string(kSecret), std::chrono::seconds(3600)};
  return codec;
}

bool IsUrlSafe(std::string_view token) {
  return token.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
             "-_") == std::string_view::npos;
}

// Outcome 1 and 2: refused with a reason, or verified and canonical.
void CheckDecode(std::string_view token) {
  const auto decoded = Codec().Decode(token, kFuzzNowSeconds);
  if (!decoded.ok()) {
    FUZZ_CHECK(!decoded.error().empty(), token);
    return;
  }
  FUZZ_CHECK(Codec().Encode(decoded.value()) == token, token);

  // With a TTL the token is refused only as expired, never for anything else.
  const auto with_ttl = CodecWithTtl().Decode(token, kFuzzNowSeconds);
  FUZZ_CHECK(with_ttl.ok() || with_ttl.error() == "expired", with_ttl.error());
}

void CheckBase64Url(std::string_view bytes) {
  const std::string encoded = Base64UrlEncode(bytes);
  FUZZ_CHECK(IsUrlSafe(encoded), encoded);
  const auto round_trip = Base64UrlDecode(encoded);
  FUZZ_CHECK(round_trip && *round_trip == bytes, encoded);
  // Canonical: whatever decodes encodes back to the very same text.
  if (const auto decoded = Base64UrlDecode(bytes)) {
    FUZZ_CHECK(Base64UrlEncode(*decoded) == bytes, bytes);
  }
}

// Outcome 3.
void CheckRoundTrip(std::string_view data) {
  FuzzedDataProvider provider(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  PageTokenClaims claims;
  claims.sort_order = provider.PickValueInArray(kAllSortOrders);
  if (provider.ConsumeBool()) claims.status = provider.PickValueInArray(kAllJobRunStatuses);
  const bool has_position = provider.ConsumeBool();
  const auto created_at = provider.ConsumeIntegral<TimestampMs>();
  claims.issued_at_seconds = provider.ConsumeIntegral<std::int64_t>();
  claims.page =
      provider.ConsumeIntegralInRange<std::uint32_t>(1, std::numeric_limits<std::uint32_t>::max());
  claims.domain_identifier = provider.ConsumeRandomLengthString(kMaxTokenIdentifierBytes);
  claims.job_identifier = provider.ConsumeRandomLengthString(kMaxTokenIdentifierBytes);
  std::string run_id = provider.ConsumeRemainingBytesAsString();
  if (run_id.size() > kMaxTokenRunIdBytes) run_id.resize(kMaxTokenRunIdBytes);
  // An empty first page's token has no position at all.
  if (has_position) claims.after = RunPosition{created_at, std::move(run_id)};

  const std::string token = Codec().Encode(claims);
  FUZZ_CHECK(IsUrlSafe(token), token);
  FUZZ_CHECK(token.size() < kMaxNextTokenLength, token);
  const auto decoded = Codec().Decode(token, kFuzzNowSeconds);
  FUZZ_CHECK(decoded.ok(), decoded.error());
  FUZZ_CHECK(decoded.value() == claims, token);

  // Another secret never verifies it.
  static const PageTokenCodec other_codec{"another-secret"};
  FUZZ_CHECK(!other_codec.Decode(token, kFuzzNowSeconds).ok(), token);
}

}  // namespace
}  // namespace datazone_mock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datazone_mock::fuzz;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckDecode(input);
  CheckDecode(Codec().SealRecord(input));
  CheckBase64Url(input);
  CheckRoundTrip(input);
  return 0;
}
