#pragma once

#include <string>

namespace datazone_mock {

// Where something was written in an input file (1-based line and column, columns in bytes, as
// every diagnostic of the project counts them).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  bool operator==(const SourceLocation&) const = default;
};

}  // namespace datazone_mock
