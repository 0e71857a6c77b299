#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "support/temp_dir.h"

namespace datazone_mock {

// A fresh directory per test (tests/support/temp_dir.h), removed with everything in it at the
// end, and the check tests' shorthands for it.
class TempDirTest : public testing::Test {
 protected:
  // Writes `text` to `relative` under the directory (parents created); returns its path.
  std::filesystem::path Write(const std::filesystem::path& relative, std::string_view text) {
    return dir_.Write(relative, text);
  }

  // The path of `relative` under the directory, as diagnostics spell it.
  std::string P(const std::filesystem::path& relative) const { return (dir_ / relative).string(); }

  TempDir dir_{"datazone-mock-check-test-"};
};

// Each diagnostic as "file:line:col: message": failures print readably, and tests state all four.
inline std::vector<std::string> Texts(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.ToString());
  return out;
}

// Everything written to a tmpfile() stream so far.
inline std::string Contents(std::FILE* stream) {
  std::fflush(stream);
  std::rewind(stream);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, stream)) > 0;) {
    text.append(buffer, n);
  }
  return text;
}

}  // namespace datazone_mock
