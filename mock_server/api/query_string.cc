#include "api/query_string.h"

#include "core/text.h"

namespace datazone_mock {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

TargetParts SplitTarget(std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

void AppendPercentEncoded(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      out += '%';
      AppendHexByte(out, static_cast<unsigned char>(c), /*upper_case=*/true);
    }
  }
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendPercentEncoded(out, text);
  return out;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

QueryParams QueryParams::Parse(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    // A malformed escape is kept as sent: the value then fails its constraint like any other.
    params.entries_.emplace_back(PercentDecode(raw_name, true).value_or(std::string(raw_name)),
                                 PercentDecode(raw_value, true).value_or(std::string(raw_value)));
  }
  return params;
}

const std::string* QueryParams::Find(std::string_view name) const {
  for (const auto& [key, value] : entries_) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace datazone_mock
