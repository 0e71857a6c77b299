// Fuzzes SigV4 (auth/sigv4.h): the Authorization header parser, the canonical request, the
// signing-time headers and Authenticate in every mode.
//
// An input is a request written out as text, the way the corpus files read:
//   METHOD TARGET\n
//   name:value\n          (one per header; the value is every byte after the first ':')
//   \n
//   body
// Names are lower-cased, as the server layer hands them over. The whole input is also given to
// ParseAuthorization as it is, so a bare header value is a useful input too.
//
// Properties checked beyond "no crash, no sanitizer report":
// - a parsed Authorization header is as complete as it says (no empty part, lower-case names);
// - an X-Amz-Date written by FormatAmzDate reads back as the same time;
// - Authenticate answers ok or a 403 of a known type, and accepts a signature exactly when it is
//   the ExpectedSignature;
// - a request signed with SignRequest (any method, target, headers and body a server can
//   receive) verifies with Authenticate.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/http_message.h"
#include "fuzz_support.h"

namespace datazone_mock::fuzz {
namespace {

// The key pairs of the unit tests, so that their vectors verify when they reach the check.
const CredentialSet& Credentials() {
  static const CredentialSet credentials = [] {
    CredentialSet set;
    for (const Credential& credential :
         {Credential{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", std::nullopt,
                     std::nullopt},
          Credential{"ASIAEXAMPLE", "sessionsecret", "FQoGZXIvYXdzE//tok+en/with=slash",
                     std::nullopt},
          Credential{"x", "y", std::nullopt, std::nullopt}}) {
      set.emplace(credential.access_key_id, credential);
    }
    return set;
  }();
  return credentials;
}

constexpr std::int64_t kLatestClockSeconds = 9'000'000'000;
constexpr std::int64_t kEarliestClockSeconds = -kLatestClockSeconds;

std::chrono::system_clock::time_point At(std::int64_t epoch_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads the text form described at the top of this file.
HttpRequest ParseRequestText(std::string_view text) {
  HttpRequest request;
  std::size_t line_end = text.find('\n');
  const std::string_view request_line = text.substr(0, line_end);
  const std::size_t space = request_line.find(' ');
  request.method = std::string(request_line.substr(0, space));
  if (space != std::string_view::npos) request.target = std::string(request_line.substr(space + 1));
  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + 1;
    line_end = text.find('\n', start);
    const std::string_view line = text.substr(start, line_end - start);
    if (line.empty()) {
      if (line_end != std::string_view::npos) request.body = std::string(text.substr(line_end + 1));
      break;
    }
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(
        Lower(line.substr(0, colon)),
        colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
  }
  return request;
}

// RFC 9110 token characters: what a header name can be once a server has accepted it.
bool IsHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) return false;
  }
  return true;
}

void CheckParsedAuthorization(const SigV4Authorization& authorization, std::string_view header) {
  if (!authorization.missing_credential) {
    for (const std::string* part : {&authorization.access_key_id, &authorization.date,
                                    &authorization.region, &authorization.service}) {
      FUZZ_CHECK(!part->empty() && part->find('/') == std::string::npos, header);
    }
  } else {
    FUZZ_CHECK(authorization.access_key_id.empty(), header);
  }
  if (!authorization.missing_signed_headers) {
    FUZZ_CHECK(!authorization.signed_headers.empty(), header);
    for (const std::string& name : authorization.signed_headers) {
      FUZZ_CHECK(!name.empty() && Lower(name) == name, header);
    }
  }
  FUZZ_CHECK(authorization.missing_signature == authorization.signature.empty(), header);
}

void CheckAuthenticate(const HttpRequest& request, std::int64_t now_seconds) {
  constexpr std::array<std::string_view, 6> kAuthErrors = {
      "MissingAuthenticationTokenException", "IncompleteSignatureException",
      "UnrecognizedClientException",         "ExpiredTokenException",
      "InvalidSignatureException",           "AccessDeniedException"};
  for (const AuthMode mode : {AuthMode::kOff, AuthMode::kRequired, AuthMode::kVerify}) {
    const auto result = Authenticate(request, mode, Credentials(), At(now_seconds));
    if (result.ok()) {
      FUZZ_CHECK(result.value() == AccessKeyIdOf(request), result.value());
      continue;
    }
    FUZZ_CHECK(mode != AuthMode::kOff, result.error().type);
    FUZZ_CHECK(result.error().http_status == 403, result.error().type);
    bool known = false;
    for (const std::string_view type : kAuthErrors) known = known || result.error().type == type;
    FUZZ_CHECK(known, result.error().type);
    FUZZ_CHECK(!result.error().message.empty(), result.error().type);
  }

  // kVerify accepts a signature exactly when it is the one ExpectedSignature computes (given
  // that every check before the signature passes: fixed by the credential and the time).
  const SigV4Authorization authorization = ParseAuthorization(request.Header("authorization"));
  const std::optional<std::int64_t> signed_at = SigningTime(request);
  const auto credential = Credentials().find(authorization.access_key_id);
  if (!authorization.Complete() || !signed_at || credential == Credentials().end()) return;
  const auto verified = Authenticate(request, AuthMode::kVerify, Credentials(), At(now_seconds));
  if (verified.ok() || verified.error().type == "InvalidSignatureException") {
    const bool in_time = *signed_at >= now_seconds - kMaxClockSkew.count() &&
                         *signed_at <= now_seconds + kMaxClockSkew.count();
    const std::string expected = ExpectedSignature(
        request, authorization, FormatAmzDate(*signed_at), credential->second.secret_access_key);
    FUZZ_CHECK(verified.ok() == (in_time && expected == authorization.signature),
               verified.ok() ? "accepted" : verified.error().reason);
  }
}

// What SignRequest signs, Authenticate accepts.
void CheckSignThenVerify(HttpRequest request, std::size_t seed) {
  for (const auto& [name, value] : request.headers) {
    if (!IsHeaderName(name)) return;
  }
  auto credential = Credentials().begin();
  std::advance(credential, static_cast<std::ptrdiff_t>(seed % Credentials().size()));
  SignRequest(request, credential->second, At(kFuzzNowSeconds));
  const SigV4Authorization authorization = ParseAuthorization(request.Header("authorization"));
  FUZZ_CHECK(authorization.Complete(), request.Header("authorization"));
  const auto verified =
      Authenticate(request, AuthMode::kVerify, Credentials(), At(kFuzzNowSeconds));
  FUZZ_CHECK(verified.ok(), verified.error().reason);
  FUZZ_CHECK(verified.value() == credential->first, verified.value());
}

void FuzzSigV4(std::string_view text) {
  CheckParsedAuthorization(ParseAuthorization(text), text);

  const HttpRequest request = ParseRequestText(text);
  const std::string_view header = request.Header("authorization");
  CheckParsedAuthorization(ParseAuthorization(header), header);
  (void)AccessKeyIdOf(request);
  (void)PayloadHash(request);

  const std::optional<std::int64_t> signed_at = SigningTime(request);
  if (signed_at) {
    const HttpRequest dated{"GET", "/", {{"x-amz-date", FormatAmzDate(*signed_at)}}, ""};
    FUZZ_CHECK(SigningTime(dated) == signed_at, FormatAmzDate(*signed_at));
    // A server clock at the signing time, when system_clock (nanoseconds in 64 bits, so years
    // 1678 to 2261) can show it: the signature itself is then checked.
    if (*signed_at > kEarliestClockSeconds && *signed_at < kLatestClockSeconds) {
      CheckAuthenticate(request, *signed_at);
    }
  }
  CheckAuthenticate(request, kFuzzNowSeconds);
  CheckSignThenVerify(request, text.size());
}

}  // namespace
}  // namespace datazone_mock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  datazone_mock::fuzz::FuzzSigV4(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
