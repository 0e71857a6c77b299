#pragma once

#include <string_view>

namespace datazone_mock {

// The service model's patterns, printed exactly as AWS prints them in validation messages.
inline constexpr std::string_view kDomainIdentifierPattern = "dzd[-_][a-zA-Z0-9_-]{1,36}";
inline constexpr std::string_view kJobIdentifierPattern = "[a-zA-Z0-9_-]{1,36}";

// Full matches of the patterns above, without std::regex (this runs on every request).
bool IsValidDomainIdentifier(std::string_view id);
bool IsValidJobIdentifier(std::string_view id);

// A runId: 1..256 characters, none of them a control character (docs/decisions.md).
inline constexpr std::size_t kMaxRunIdLength = 256;
bool IsValidRunId(std::string_view id);

}  // namespace datazone_mock
