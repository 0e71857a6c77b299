#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace datazone_mock {

// Levenshtein distance (insertions, deletions, substitutions of bytes).
std::size_t EditDistance(std::string_view a, std::string_view b);

// Up to `limit` of `candidates` nearest to `name`, nearest first (ties in candidate order), and
// only those close enough to be a slip: within max(2, name.size() / 3) edits. For the "did you
// mean" of an unknown domain or job in a request's explanation.
std::vector<std::string> NearestNames(std::string_view name,
                                      const std::vector<std::string_view>& candidates,
                                      std::size_t limit = 3);

// "did you mean dzd_demo01?", "did you mean a, b or c?"; "" for no names.
std::string DidYouMean(const std::vector<std::string>& names);

}  // namespace datazone_mock
