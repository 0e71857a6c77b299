#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_mode.h"
#include "auth/credentials.h"
#include "core/aws_error.h"
#include "core/http_message.h"
#include "core/result.h"
#include "core/time_format.h"

namespace datazone_mock {

// AWS Signature Version 4 as the SDKs sign DataZone requests, checked the way docs/wire.md's
// "Authentication and common errors" answers. Every function here is pure (no state), so
// thread-safe, and never throws: a request is untrusted input of any size.

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
// docs/decisions.md: X-Amz-Date more than 5 minutes from server time is refused.
inline constexpr std::chrono::seconds kMaxClockSkew{300};

// What an Authorization header says:
//   AWS4-HMAC-SHA256 Credential=<id>/<yyyyMMdd>/<region>/<service>/aws4_request,
//   SignedHeaders=host;x-amz-date, Signature=<64 hex digits>
// A part that is absent or unreadable is flagged missing and left empty: another algorithm, a
// Credential that is not five non-empty '/'-separated parts ending in aws4_request, an empty
// SignedHeaders entry, an empty Signature. A parameter given twice: the first counts.
struct SigV4Authorization {
  std::string access_key_id;
  std::string date;  // yyyyMMdd of the credential scope, as sent
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lower-cased, in the order listed
  std::string signature;
  bool missing_credential = true;
  bool missing_signed_headers = true;
  bool missing_signature = true;

  bool Complete() const {
    return !missing_credential && !missing_signed_headers && !missing_signature;
  }
  // "<date>/<region>/<service>/aws4_request"
  std::string CredentialScope() const;

  bool operator==(const SigV4Authorization&) const = default;
};

SigV4Authorization ParseAuthorization(std::string_view header_value);

// The access key id named by an Authorization header's Credential=, or "" (unsigned or
// unreadable). Never fails: callers are told apart by it even when auth is off.
std::string AccessKeyIdOf(const HttpRequest& request);

// X-Amz-Date's form is read and written by ParseAmzDate and FormatAmzDate (core/time_format.h,
// with the other time formats).

// When the request says it was signed, in epoch seconds: X-Amz-Date (yyyyMMdd'T'HHmmss'Z') if
// present, else Date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", or the X-Amz-Date form).
// nullopt when the deciding header is absent or unreadable.
std::optional<std::int64_t> SigningTime(const HttpRequest& request);

// The IncompleteSignatureException message listing only the missing parts, in docs/wire.md's order,
// separated by a space (docs/decisions.md).
std::string IncompleteSignatureMessage(bool missing_credential, bool missing_signature,
                                       bool missing_signed_headers, bool missing_date);

// --- The signature, step by step (exposed for tests and the fuzzer) ----------------------------

// The raw (still percent-encoded) path as botocore canonicalizes it for non-S3 services: empty
// and "." segments dropped (".." kept, as botocore keeps it), then every segment percent-encoded
// again, so "%2F" becomes "%252F". Leading and trailing '/' are kept; an empty path is "/".
std::string CanonicalUri(std::string_view raw_path);

// The raw query with names and values decoded ('+' stays '+'), re-encoded strictly (RFC 3986
// unreserved characters kept, %XX upper-case), sorted by name then value and joined with '&'.
// A pair without '=' has an empty value; empty pairs ("a=1&&b=2") are skipped; a malformed
// escape is kept as sent and then encoded ("%zz" -> "%25zz").
std::string CanonicalQuery(std::string_view raw_query);

// One "name:value\n" line per signed header, names sorted and de-duplicated; values trimmed with
// inner whitespace runs collapsed to one space; a header sent several times has its values
// joined by ',' in the order sent; a signed header the request lacks has an empty value.
std::string CanonicalHeaders(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers);

// The x-amz-content-sha256 header if present (the JS SDK sends it), else the hex SHA-256 of the
// body.
std::string PayloadHash(const HttpRequest& request);

// method \n CanonicalUri \n CanonicalQuery \n CanonicalHeaders \n signed;headers \n payload_hash
std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash);

// "AWS4-HMAC-SHA256\n<amz_date>\n<credential_scope>\n<hex sha256 of canonical_request>"
std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request);

// The 32-byte key: HMAC chain from "AWS4" + secret over date, region, service, "aws4_request".
std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256 of `string_to_sign` under `signing_key`.
std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign);

// All of the above: the signature `request` should carry if signed with `secret_access_key` at
// `amz_date` (yyyyMMdd'T'HHmmss'Z') under the scope and signed headers its header names.
std::string ExpectedSignature(const HttpRequest& request, const SigV4Authorization& authorization,
                              std::string_view amz_date, std::string_view secret_access_key);

std::string Sha256Hex(std::string_view data);

// Signs `request` as an SDK would, for tests and tools: sets x-amz-date (and
// x-amz-security-token when the credential has one), then an Authorization header that signs
// every header the request then carries.
void SignRequest(HttpRequest& request, const Credential& credential,
                 std::chrono::system_clock::time_point when, std::string_view region = "us-east-1",
                 std::string_view service = "datazone");

// --- The check ---------------------------------------------------------------------------------

// Step 1 of docs/wire.md's order of checks. Returns the caller's access key id ("" for an unsigned
// request when `mode` is kOff), or the 403 error docs/wire.md and docs/decisions.md prescribe:
//   kOff      always ok;
//   kRequired no Authorization header: MissingAuthenticationTokenException; one lacking a part
//             (or no readable X-Amz-Date/Date): IncompleteSignatureException;
//   kVerify   as kRequired, then UnrecognizedClientException for an unknown access key or a
//             session token that is absent, different or unexpected; ExpiredTokenException past
//             the credential's expiresAt; InvalidSignatureException for a signing time more than
//             kMaxClockSkew from `now`, then for a signature that does not verify.
Result<std::string, AwsError> Authenticate(const HttpRequest& request, AuthMode mode,
                                           const CredentialSet& credentials,
                                           std::chrono::system_clock::time_point now);

}  // namespace datazone_mock
