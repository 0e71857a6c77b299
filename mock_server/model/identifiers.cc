#include "model/identifiers.h"

#include <algorithm>

namespace datazone_mock {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsValidJobIdentifier(std::string_view id) {
  return !id.empty() && id.size() <= 36 && std::all_of(id.begin(), id.end(), IsIdChar);
}

bool IsValidDomainIdentifier(std::string_view id) {
  return id.size() >= 5 && id.substr(0, 3) == "dzd" && (id[3] == '-' || id[3] == '_') &&
         IsValidJobIdentifier(id.substr(4));
}

bool IsValidRunId(std::string_view id) {
  // Length in characters (UTF-8 code points): continuation bytes are not counted.
  const auto characters = std::count_if(
      id.begin(), id.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  if (characters == 0 || static_cast<std::size_t>(characters) > kMaxRunIdLength) return false;
  return std::none_of(id.begin(), id.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace datazone_mock
