#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datazone_mock {

// A request target split at the first '?'.
struct TargetParts {
  std::string_view path;
  std::string_view query;
};
TargetParts SplitTarget(std::string_view target);

// Percent-decodes `text`; `plus_is_space` for query strings (form encoding). nullopt when a '%'
// is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Percent-encodes every byte but RFC 3986's unreserved ones (A-Z a-z 0-9 - . _ ~), with
// upper-case hex digits: what SigV4's canonical form and AWS SDKs send.
void AppendPercentEncoded(std::string& out, std::string_view text);
std::string PercentEncode(std::string_view text);

// Query parameters, decoded, in the order sent. A parameter sent twice keeps both entries;
// Find returns the first (docs/wire.md: "the first wins").
class QueryParams {
 public:
  static QueryParams Parse(std::string_view query);

  const std::string* Find(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace datazone_mock
