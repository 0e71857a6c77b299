#pragma once

#include <string_view>

namespace datazone_mock {

// What the bytes read so far on a connection hold, as far as the event loop must know to decide
// whether it can answer them itself (docs/architecture.md, "Connections"): a whole request
// head with no body to follow, or anything else (part of a head, or a request with a body),
// which a worker thread reads with a deadline instead.
struct BufferedHead {
  enum class Kind {
    kIncomplete,  // no blank line yet: more bytes must come
    kBodyless,    // a whole head, without Content-Length or Transfer-Encoding
    kWithBody,    // a whole head announcing a body (or one the loop will not judge)
  };
  Kind kind = Kind::kIncomplete;
  std::string_view target;  // the request line's target, when the head is whole
};

// Looks at the start of `bytes` (one request's head, perhaps followed by more). Only the line
// structure and two header names are read; the HTTP parser proper checks everything else.
BufferedHead InspectHead(std::string_view bytes);

}  // namespace datazone_mock
