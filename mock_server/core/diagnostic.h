#pragma once

#include <string>
#include <vector>

namespace datazone_mock {

// A problem in an input file, located by 1-based line and column.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "file:line:col: message", the form editors and CI logs understand.
  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }

  bool operator==(const Diagnostic&) const = default;
};

using Diagnostics = std::vector<Diagnostic>;

// Joins diagnostics one per line.
inline std::string FormatDiagnostics(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += d.ToString();
    out += '\n';
  }
  return out;
}

}  // namespace datazone_mock
