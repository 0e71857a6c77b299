#pragma once

#include <string>
#include <string_view>

#include "core/text.h"

namespace datazone_mock {

// Appends `text` as a JSON string literal (quotes included). The hot path writes responses by
// hand rather than through a JSON DOM; this is the one place that knows JSON's escaping.
// Input is UTF-8 (fixtures are checked); bytes are copied as they are except the escapes JSON
// requires.
inline void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  // Copy runs of plain bytes at once: this is on the hot path of every page.
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.data() + plain_from, i - plain_from);
    plain_from = i + 1;
    switch (byte) {
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
        out += "\\u00";
        AppendHexByte(out, byte);
    }
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
}

// {"message":"..."}: the body of every AWS JSON error (lower-case key, docs/wire.md).
inline std::string JsonMessageBody(std::string_view message) {
  std::string body = "{\"message\":";
  AppendJsonString(body, message);
  body += '}';
  return body;
}

}  // namespace datazone_mock
