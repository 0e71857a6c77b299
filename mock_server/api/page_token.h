#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/identifiers.h"
#include "model/job_run.h"

namespace datazone_mock {

// What a nextToken says: the query it belongs to and the keyset position of the last run
// returned, so the next page starts right after it whatever was added meanwhile.
struct PageTokenClaims {
  std::string domain_identifier;
  std::string job_identifier;
  std::optional<JobRunStatus> status;
  SortOrder sort_order = SortOrder::kDescending;
  // The keyset position of the last run returned; none for an empty first page (a scenario's
  // `page: {limit: 0}`), whose token leads to the listing's start.
  std::optional<RunPosition> after;
  std::int64_t issued_at_seconds = 0;
  // The number of the page the token was issued on (1 or more): the request without a
  // nextToken is page 1, and a token issued on page n leads to page n + 1. Counting the page it
  // was issued on makes every value from 1 up a real one and the default true of every first
  // page's token.
  std::uint32_t page = 1;

  bool operator==(const PageTokenClaims&) const = default;
};

// The page a token issued on page `issued_on` leads to. Saturating: a valid token at the top
// must not wrap to page 0.
inline std::uint32_t PageAfter(std::uint32_t issued_on) {
  return issued_on == UINT32_MAX ? issued_on : issued_on + 1;
}

// The record's limits: one length byte for each identifier, and for the runId room for
// kMaxRunIdLength characters of UTF-8. Validation keeps identifiers far below (at most 40
// bytes). At these limits a token has 2119 characters, well within the model's 8192.
inline constexpr std::size_t kMaxTokenIdentifierBytes = 0xFF;
inline constexpr std::size_t kMaxTokenRunIdBytes = 4 * kMaxRunIdLength;

// Makes and checks nextTokens: base64url (no padding) of a format version byte, a nonce and a
// small binary record sealed with AES-256-GCM (docs/architecture.md, "Page tokens"). Opaque to
// clients (they cannot read, let alone depend on, what it holds), unforgeable without the
// secret, deterministic (the same claims and secret give the same token, in every process), and
// position-based, so no token repeats within one listing.
// Immutable after construction: thread-safe.
class PageTokenCodec {
 public:
  // Derives the keys from `secret` (throws std::runtime_error if OpenSSL cannot).
  // `ttl`: tokens older than this are rejected; none by default (docs/decisions.md).
  explicit PageTokenCodec(std::string secret,
                          std::optional<std::chrono::seconds> ttl = std::nullopt);
  ~PageTokenCodec();
  PageTokenCodec(const PageTokenCodec&) = delete;
  PageTokenCodec& operator=(const PageTokenCodec&) = delete;

  // Requires identifiers of at most kMaxTokenIdentifierBytes, a runId of at most
  // kMaxTokenRunIdBytes and a page of at least 1 (checked in debug builds).
  std::string Encode(const PageTokenClaims& claims) const;

  // The claims of a token made with this secret, or why the token is refused (for the log and
  // the journal; the client only ever sees "The nextToken provided is invalid.").
  Result<PageTokenClaims, std::string> Decode(std::string_view token,
                                              std::int64_t now_seconds) const;

  // The token for any record: Encode is SealRecord of the claims' record. Public so that tests
  // and the fuzzer can reach the record parser behind the tag with records Encode never makes.
  std::string SealRecord(std::string_view record) const;

 private:
  std::optional<std::chrono::seconds> ttl_;
  // Tokens sealed lately, by record. Sealing is deterministic (the nonce comes from the record),
  // so a record sealed again gives the very same token: paginators asking for one page many
  // times within a second (a token's issue time is in whole seconds) get it without the HMAC,
  // the AES-GCM and the base64 (bench/README.md, "What each change bought").
  struct RecentTokens;
  std::unique_ptr<RecentTokens> recent_;
  // The keys, derived once, as OpenSSL contexts keyed in the constructor; each token starts from
  // a copy of them, which saves the key schedules and algorithm look-ups on every page. Only
  // ever read after construction.
  struct Keys;
  std::unique_ptr<Keys> keys_;
};

// base64url without padding, and its strict inverse (rejects other alphabets, padding and
// non-zero trailing bits, so each byte string has exactly one token).
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace datazone_mock
