#pragma once

#include <string>
#include <string_view>

namespace datazone_mock {

// Appends `text` as a JSON string literal (quotes included). The hot path writes responses by
// hand rather than through a JSON DOM; this is the one place that knows JSON's escaping.
// Input is UTF-8 (fixtures are checked); bytes are copied as they are except the escapes JSON
// requires.
inline void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// {"message":"..."}: the body of every AWS JSON error (lower-case key, wire.md).
inline std::string JsonMessageBody(std::string_view message) {
  std::string body = "{\"message\":";
  AppendJsonString(body, message);
  body += '}';
  return body;
}

}  // namespace datazone_mock
