#pragma once

#include <optional>
#include <string_view>

namespace datazone_mock {

// How the mock treats a request's signature (`--auth`).
enum class AuthMode {
  kOff,       // anyone may call; the access key id, if any, still names the caller
  kRequired,  // a well-formed Authorization header must be present; it is not verified
  kVerify,    // the signature must verify against a known credential
};

// "off", "required", "verify": the words of `--auth`.
constexpr std::string_view ToString(AuthMode mode) {
  switch (mode) {
    case AuthMode::kOff:
      return "off";
    case AuthMode::kRequired:
      return "required";
    case AuthMode::kVerify:
      return "verify";
  }
  return "off";
}

// The inverse of ToString.
constexpr std::optional<AuthMode> ParseAuthMode(std::string_view text) {
  for (const AuthMode mode : {AuthMode::kOff, AuthMode::kRequired, AuthMode::kVerify}) {
    if (ToString(mode) == text) return mode;
  }
  return std::nullopt;
}

}  // namespace datazone_mock
