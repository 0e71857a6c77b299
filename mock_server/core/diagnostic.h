#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
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

// Orders problems by the place of their file in `files` (files not named there last), then by
// line and column, and keeps the first `per_file` of each file: one file's problems together,
// in the order a person reads them, whichever step found them.
inline void SortInFileOrder(Diagnostics& diagnostics, const std::vector<std::string>& files,
                            std::size_t per_file) {
  const auto place = [&](const Diagnostic& d) {
    return static_cast<std::size_t>(std::find(files.begin(), files.end(), d.file) - files.begin());
  };
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        return std::tuple(place(a), a.line, a.column) < std::tuple(place(b), b.line, b.column);
      });
  Diagnostics kept;
  std::size_t in_file = 0;
  for (Diagnostic& d : diagnostics) {
    in_file = !kept.empty() && kept.back().file == d.file ? in_file + 1 : 0;
    if (in_file < per_file) kept.push_back(std::move(d));
  }
  diagnostics = std::move(kept);
}

}  // namespace datazone_mock
