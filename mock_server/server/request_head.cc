#include "server/request_head.h"

#include <cstddef>

namespace datazone_mock {
namespace {

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

BufferedHead InspectHead(std::string_view bytes) {
  BufferedHead head;
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return head;
  const std::string_view lines = bytes.substr(0, end + 2);  // each line with its CRLF

  const std::size_t first_end = lines.find("\r\n");
  const std::string_view request_line = lines.substr(0, first_end);
  const std::size_t target_start = request_line.find(' ');
  const std::size_t target_end = target_start == std::string_view::npos
                                     ? std::string_view::npos
                                     : request_line.find(' ', target_start + 1);
  head.kind = BufferedHead::Kind::kWithBody;
  // A bare LF ends a line for the parser: a head that has one is left to a worker.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == '\n' && (i == 0 || lines[i - 1] != '\r')) return head;
  }
  // A request line the loop cannot split is the parser's to refuse, with its own error.
  if (target_end == std::string_view::npos) return head;
  head.target = request_line.substr(target_start + 1, target_end - target_start - 1);

  for (std::size_t at = first_end + 2; at < lines.size();) {
    const std::size_t line_end = lines.find("\r\n", at);
    const std::string_view line = lines.substr(at, line_end - at);
    // A folded line: obsolete, and rare enough to leave to a worker.
    if (line.starts_with(' ') || line.starts_with('\t')) return head;
    if (StartsWithIgnoringCase(line, "content-length") ||
        StartsWithIgnoringCase(line, "transfer-encoding")) {
      return head;
    }
    at = line_end + 2;
  }
  head.kind = BufferedHead::Kind::kBodyless;
  return head;
}

}  // namespace datazone_mock
