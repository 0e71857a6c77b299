#pragma once

#include <cstdint>
#include <optional>

namespace datazone_mock {

// How a scenario bends one page of ListJobRuns into a shape real services send and paginators
// mishandle (README, "Paginators under stress"). Each shape depends only on the request, never
// on how often it came, so fetching the same token again gives the same page.
struct PageShape {
  // At most this many items, even when maxResults allows more, with a nextToken whenever runs
  // remain; 0 makes an empty page that still carries a nextToken.
  std::optional<std::uint32_t> limit;
  // When the page would be the last and holds runs, it still carries a nextToken, whose page is
  // empty and has none.
  bool trailing_empty = false;
  // The nextToken answered is the request's own (a request without one is answered as usual).
  bool repeat_token = false;

  bool operator==(const PageShape&) const = default;
};

}  // namespace datazone_mock
