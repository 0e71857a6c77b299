#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/job_run.h"

namespace datazone_mock {

// What a nextToken says: the query it belongs to and the keyset position of the last run
// returned, so the next page starts right after it whatever was added meanwhile.
struct PageTokenClaims {
  std::string domain_identifier;
  std::string job_identifier;
  std::optional<JobRunStatus> status;
  SortOrder sort_order = SortOrder::kDescending;
  RunPosition after;
  std::int64_t issued_at_seconds = 0;

  bool operator==(const PageTokenClaims&) const = default;
};

// The record's length fields: one byte for each identifier, two for the runId. Validation keeps
// real values far below (identifiers of at most 40 bytes, runIds of at most 256).
inline constexpr std::size_t kMaxTokenIdentifierBytes = 0xFF;
inline constexpr std::size_t kMaxTokenRunIdBytes = 0xFFFF;

// Makes and checks nextTokens: base64url (no padding) of a small binary record followed by its
// HMAC-SHA256 under the secret. Opaque to clients, unforgeable without the secret, and
// position-based, so no token repeats within one listing.
// Immutable after construction: thread-safe.
class PageTokenCodec {
 public:
  // `ttl`: tokens older than this are rejected; none by default (docs/decisions.md).
  explicit PageTokenCodec(std::string secret,
                          std::optional<std::chrono::seconds> ttl = std::nullopt);
  ~PageTokenCodec();
  PageTokenCodec(const PageTokenCodec&) = delete;
  PageTokenCodec& operator=(const PageTokenCodec&) = delete;

  // Requires identifiers of at most kMaxTokenIdentifierBytes and a runId of at most
  // kMaxTokenRunIdBytes (checked in debug builds).
  std::string Encode(const PageTokenClaims& claims) const;

  // The claims of a token made with this secret, or why the token is refused (for the log and
  // the journal; the client only ever sees "The nextToken provided is invalid.").
  Result<PageTokenClaims, std::string> Decode(std::string_view token,
                                              std::int64_t now_seconds) const;

 private:
  std::array<unsigned char, 32> Mac(std::string_view data) const;

  std::optional<std::chrono::seconds> ttl_;
  // HMAC-SHA256 keyed once with the secret; each MAC starts from a copy of it, which saves the
  // key schedule and algorithm look-up on every page. Only ever read after construction.
  struct KeyedMac;
  std::unique_ptr<KeyedMac> keyed_;
};

// base64url without padding, and its strict inverse (rejects other alphabets, padding and
// non-zero trailing bits, so each byte string has exactly one token).
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace datazone_mock
