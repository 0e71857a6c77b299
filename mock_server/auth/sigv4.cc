#include "auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <climits>
#include <map>
#include <utility>

#include "api/aws_errors.h"
#include "api/query_string.h"
#include "core/text.h"
#include "core/time_format.h"

namespace datazone_mock {
namespace {

constexpr std::string_view kScopeTerminator = "aws4_request";
// A reason quotes untrusted text; it is for a log line, so it is kept short.
constexpr std::size_t kMaxQuotedBytes = 200;
constexpr std::size_t kMaxCanonicalRequestInReason = 4096;

// RFC 7230 optional whitespace plus the characters botocore's str.split() and JS's /\s+/ also
// treat as whitespace when they trim header values.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Every part between `separator`s, empty ones included ("a;;b" has three).
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string Quote(std::string_view text) {
  if (text.size() > kMaxQuotedBytes) {
    return "'" + std::string(text.substr(0, kMaxQuotedBytes)) + "...'";
  }
  return "'" + std::string(text) + "'";
}

// RFC 3986 unreserved characters: the only bytes SigV4 leaves unencoded.
// OpenSSL treats a null key or data pointer specially (HMAC: "reuse the previous key"), and an
// empty string_view may have one: always hand it a real address.
const unsigned char* Bytes(std::string_view text) {
  static constexpr unsigned char kEmpty[1] = {0};
  return text.data() == nullptr ? kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

// Raw HMAC-SHA256, or "" if OpenSSL fails (the signature then simply does not match).
std::string HmacSha256(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), Bytes(key), static_cast<int>(key.size()), Bytes(data), data.size(), out,
           &length) == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(Bytes(a), Bytes(b), a.size()) == 0;
}

// A header value with the ends trimmed and inner whitespace runs collapsed to one space
// (SigV4's Trimall, as botocore and the JS SDK apply it).
void AppendTrimAll(std::string& out, std::string_view value) {
  value = Trim(value);
  bool in_space = false;
  for (const char c : value) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out += ' ';
    in_space = false;
    out += c;
  }
}

// Signed header names lower-cased, sorted and de-duplicated: the order of SignedHeaders and of
// the canonical headers, as every SDK builds them.
std::vector<std::string> NormalizedNames(const std::vector<std::string>& signed_headers) {
  std::vector<std::string> names;
  names.reserve(signed_headers.size());
  for (const std::string& name : signed_headers) names.push_back(Lower(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string Join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// A canonical request on one log line.
std::string EscapeNewlines(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, kMaxCanonicalRequestInReason)) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  if (text.size() > kMaxCanonicalRequestInReason) out += "...";
  return out;
}

AwsError AuthError(std::string_view type, std::string reason) {
  // Every authentication type is in ErrorByType's table; the fallback only keeps this total.
  AwsError error =
      ErrorByType(type).value_or(AwsError{std::string(type), 403, std::string(type), "", ""});
  error.reason = std::move(reason);
  return error;
}

std::string IncompleteReason(const SigV4Authorization& authorization, bool missing_date,
                             std::string_view header) {
  std::vector<std::string> missing;
  if (authorization.missing_credential) missing.emplace_back("Credential");
  if (authorization.missing_signature) missing.emplace_back("Signature");
  if (authorization.missing_signed_headers) missing.emplace_back("SignedHeaders");
  if (missing_date) missing.emplace_back("a readable X-Amz-Date or Date header");
  std::string reason = "incomplete signature, missing or unreadable: ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) reason += ", ";
    reason += missing[i];
  }
  return reason + "; Authorization: " + Quote(header);
}

}  // namespace

std::string SigV4Authorization::CredentialScope() const {
  return date + "/" + region + "/" + service + "/" + std::string(kScopeTerminator);
}

SigV4Authorization ParseAuthorization(std::string_view header_value) {
  SigV4Authorization result;
  const std::string_view text = Trim(header_value);
  const std::size_t space = text.find_first_of(" \t");
  if (space == std::string_view::npos || text.substr(0, space) != kSigV4Algorithm) return result;
  bool seen_credential = false;
  bool seen_signed_headers = false;
  bool seen_signature = false;
  for (const std::string_view part : Split(text.substr(space + 1), ',')) {
    const std::size_t equals = part.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = Trim(part.substr(0, equals));
    const std::string_view value = Trim(part.substr(equals + 1));
    if (name == "Credential" && !seen_credential) {
      seen_credential = true;
      const auto scope = Split(value, '/');
      const bool readable =
          scope.size() == 5 && scope[4] == kScopeTerminator &&
          std::none_of(scope.begin(), scope.end(), [](std::string_view s) { return s.empty(); });
      if (readable) {
        result.access_key_id = std::string(scope[0]);
        result.date = std::string(scope[1]);
        result.region = std::string(scope[2]);
        result.service = std::string(scope[3]);
        result.missing_credential = false;
      }
    } else if (name == "SignedHeaders" && !seen_signed_headers) {
      seen_signed_headers = true;
      const auto names = Split(value, ';');
      const bool readable =
          std::none_of(names.begin(), names.end(), [](std::string_view s) { return s.empty(); });
      if (readable) {
        for (const std::string_view header : names) result.signed_headers.push_back(Lower(header));
        result.missing_signed_headers = false;
      }
    } else if (name == "Signature" && !seen_signature) {
      seen_signature = true;
      if (!value.empty()) {
        result.signature = std::string(value);
        result.missing_signature = false;
      }
    }
  }
  return result;
}

std::string AccessKeyIdOf(const HttpRequest& request) {
  return ParseAuthorization(request.Header("authorization")).access_key_id;
}

std::optional<std::int64_t> SigningTime(const HttpRequest& request) {
  // X-Amz-Date decides when present, even if unreadable: botocore and the JS SDK always send it,
  // so a bad one is a signing bug, not a cue to fall back.
  // Surrounding whitespace is not part of a header value (RFC 9110), as canonical headers agree.
  const std::string_view amz_date = Trim(request.Header("x-amz-date"));
  if (!amz_date.empty()) return ParseAmzDate(amz_date);
  const std::string_view date = Trim(request.Header("date"));
  if (date.empty()) return std::nullopt;
  if (auto time = ParseImfFixdate(date)) return time;
  return ParseAmzDate(date);
}

std::string IncompleteSignatureMessage(bool missing_credential, bool missing_signature,
                                       bool missing_signed_headers, bool missing_date) {
  std::vector<std::string_view> parts;
  if (missing_credential) parts.push_back("Authorization header requires 'Credential' parameter.");
  if (missing_signature) parts.push_back("Authorization header requires 'Signature' parameter.");
  if (missing_signed_headers) {
    parts.push_back("Authorization header requires 'SignedHeaders' parameter.");
  }
  if (missing_date) {
    parts.push_back(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  std::string message;
  for (const std::string_view part : parts) {
    if (!message.empty()) message += ' ';
    message += part;
  }
  return message;
}

std::string CanonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) return "/";
  std::string out;
  out.reserve(raw_path.size() + raw_path.size() / 2);
  if (raw_path.front() == '/') out += '/';
  bool any_segment = false;
  for (const std::string_view segment : Split(raw_path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (any_segment) out += '/';
    AppendPercentEncoded(out, segment);
    any_segment = true;
  }
  if (any_segment && raw_path.back() == '/') out += '/';
  return out;
}

std::string CanonicalQuery(std::string_view raw_query) {
  if (raw_query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string_view pair : Split(raw_query, '&')) {
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    pairs.emplace_back(
        PercentEncode(PercentDecode(raw_name, false).value_or(std::string(raw_name))),
        PercentEncode(PercentDecode(raw_value, false).value_or(std::string(raw_value))));
  }
  // Sorted after encoding, as SigV4 specifies (and botocore does): byte order of the encoded
  // names, then of the encoded values.
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string CanonicalHeaders(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers) {
  // One pass over the request's headers, so that a long SignedHeaders list stays cheap.
  std::map<std::string, std::vector<std::string_view>, std::less<>> values;
  for (const auto& [name, value] : request.headers) values[Lower(name)].push_back(value);
  std::string out;
  for (const std::string& name : NormalizedNames(signed_headers)) {
    out += name;
    out += ':';
    if (const auto found = values.find(name); found != values.end()) {
      bool first = true;
      for (const std::string_view value : found->second) {
        if (!first) out += ',';
        first = false;
        AppendTrimAll(out, value);
      }
    }
    out += '\n';
  }
  return out;
}

std::string PayloadHash(const HttpRequest& request) {
  const std::string_view declared = request.Header("x-amz-content-sha256");
  if (!declared.empty()) return std::string(declared);
  return Sha256Hex(request.body);
}

std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash) {
  const TargetParts parts = SplitTarget(request.target);
  std::string out = request.method;
  out += '\n';
  out += CanonicalUri(parts.path);
  out += '\n';
  out += CanonicalQuery(parts.query);
  out += '\n';
  out += CanonicalHeaders(request, signed_headers);
  out += '\n';
  out += Join(NormalizedNames(signed_headers), ';');
  out += '\n';
  out += payload_hash;
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request) {
  std::string out(kSigV4Algorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += credential_scope;
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, kScopeTerminator);
}

std::string SignatureHex(std::string_view signing_key, std::string_view string_to_sign) {
  const std::string mac = HmacSha256(signing_key, string_to_sign);
  return LowerHex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

std::string ExpectedSignature(const HttpRequest& request, const SigV4Authorization& authorization,
                              std::string_view amz_date, std::string_view secret_access_key) {
  const std::string canonical_request =
      CanonicalRequest(request, authorization.signed_headers, PayloadHash(request));
  return SignatureHex(SigningKey(secret_access_key, authorization.date, authorization.region,
                                 authorization.service),
                      StringToSign(amz_date, authorization.CredentialScope(), canonical_request));
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(Bytes(data), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return {};
  return LowerHex(digest, length);
}

void SignRequest(HttpRequest& request, const Credential& credential,
                 std::chrono::system_clock::time_point when, std::string_view region,
                 std::string_view service) {
  std::erase_if(request.headers, [](const auto& header) {
    const std::string name = Lower(header.first);
    return name == "authorization" || name == "x-amz-date" || name == "x-amz-security-token";
  });
  const std::string amz_date =
      FormatAmzDate(std::chrono::floor<std::chrono::seconds>(when).time_since_epoch().count());
  request.headers.emplace_back("x-amz-date", amz_date);
  if (credential.session_token) {
    request.headers.emplace_back("x-amz-security-token", *credential.session_token);
  }
  SigV4Authorization authorization;
  authorization.access_key_id = credential.access_key_id;
  authorization.date = amz_date.substr(0, 8);
  authorization.region = std::string(region);
  authorization.service = std::string(service);
  for (const auto& [name, value] : request.headers) authorization.signed_headers.push_back(name);
  authorization.signed_headers = NormalizedNames(authorization.signed_headers);
  const std::string signature =
      ExpectedSignature(request, authorization, amz_date, credential.secret_access_key);
  request.headers.emplace_back(
      "authorization", std::string(kSigV4Algorithm) + " Credential=" + credential.access_key_id +
                           "/" + authorization.CredentialScope() + ", SignedHeaders=" +
                           Join(authorization.signed_headers, ';') + ", Signature=" + signature);
}

Result<std::string, AwsError> Authenticate(const HttpRequest& request, AuthMode mode,
                                           const CredentialSet& credentials,
                                           std::chrono::system_clock::time_point now) {
  if (mode == AuthMode::kOff) return AccessKeyIdOf(request);

  // An empty Authorization header carries no more than an absent one.
  const std::string_view header = request.Header("authorization");
  if (Trim(header).empty()) {
    return AuthError("MissingAuthenticationTokenException", "no Authorization header");
  }
  const SigV4Authorization authorization = ParseAuthorization(header);
  const std::optional<std::int64_t> signed_at = SigningTime(request);
  if (!authorization.Complete() || !signed_at) {
    AwsError error = AuthError("IncompleteSignatureException",
                               IncompleteReason(authorization, !signed_at, header));
    error.message = IncompleteSignatureMessage(authorization.missing_credential,
                                               authorization.missing_signature,
                                               authorization.missing_signed_headers, !signed_at);
    return error;
  }
  if (mode == AuthMode::kRequired) return authorization.access_key_id;

  const auto found = credentials.find(authorization.access_key_id);
  if (found == credentials.end()) {
    return AuthError("UnrecognizedClientException",
                     "unknown access key id " + Quote(authorization.access_key_id));
  }
  const Credential& credential = found->second;

  // AWS answers a missing, wrong or superfluous session token alike: the token is invalid.
  const std::string_view token = request.Header("x-amz-security-token");
  if (credential.session_token) {
    if (token.empty()) {
      return AuthError(
          "UnrecognizedClientException",
          "no X-Amz-Security-Token for temporary credential " + Quote(credential.access_key_id));
    }
    if (!ConstantTimeEquals(token, *credential.session_token)) {
      return AuthError(
          "UnrecognizedClientException",
          "X-Amz-Security-Token is not the session token of " + Quote(credential.access_key_id));
    }
  } else if (!token.empty()) {
    return AuthError(
        "UnrecognizedClientException",
        "X-Amz-Security-Token sent for long-term credential " + Quote(credential.access_key_id));
  }

  // Valid until, not including, expiresAt: the instant a token expires it is no longer good.
  const std::int64_t now_ms =
      std::chrono::floor<std::chrono::milliseconds>(now).time_since_epoch().count();
  if (credential.expires_at && now_ms >= *credential.expires_at) {
    return AuthError("ExpiredTokenException", "credential " + Quote(credential.access_key_id) +
                                                  " expired at " +
                                                  FormatRfc3339(*credential.expires_at));
  }

  // Whole seconds, as X-Amz-Date has them, so that the limit printed is the limit applied.
  const std::int64_t now_s =
      std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  const std::int64_t skew = kMaxClockSkew.count();
  if (*signed_at < now_s - skew) {
    AwsError error = AuthError("InvalidSignatureException", "signing time too far in the past");
    error.message = "Signature expired: " + FormatAmzDate(*signed_at) + " is now earlier than " +
                    FormatAmzDate(now_s - skew) + " (" + FormatAmzDate(now_s) + " - 5 min.)";
    return error;
  }
  if (*signed_at > now_s + skew) {
    AwsError error = AuthError("InvalidSignatureException", "signing time too far in the future");
    error.message = "Signature not yet current: " + FormatAmzDate(*signed_at) +
                    " is still later than " + FormatAmzDate(now_s + skew) + " (" +
                    FormatAmzDate(now_s) + " + 5 min.)";
    return error;
  }

  const std::string canonical_request =
      CanonicalRequest(request, authorization.signed_headers, PayloadHash(request));
  const std::string expected = SignatureHex(
      SigningKey(credential.secret_access_key, authorization.date, authorization.region,
                 authorization.service),
      StringToSign(FormatAmzDate(*signed_at), authorization.CredentialScope(), canonical_request));
  if (!ConstantTimeEquals(expected, authorization.signature)) {
    // AWS shows the canonical request it computed; the log does the same, for whoever debugs a
    // hand-written signer.
    return AuthError("InvalidSignatureException",
                     "signature mismatch for " + Quote(credential.access_key_id) +
                         "; canonical request: " + EscapeNewlines(canonical_request));
  }
  return authorization.access_key_id;
}

}  // namespace datazone_mock
