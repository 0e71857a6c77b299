#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace datazone_mock {

// A fresh directory under the system temp directory per test, removed with everything in it
// at the end.
class TempDirTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("datazone_mock_check_test_" + std::to_string(::getpid()) + "_" +
            info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(std::filesystem::create_directories(dir_)) << dir_;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Writes `text` to `relative` under the directory (parents created); returns its path.
  std::filesystem::path Write(const std::filesystem::path& relative, std::string_view text) {
    const std::filesystem::path path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }

  // The path of `relative` under the directory, as diagnostics spell it.
  std::string P(const std::filesystem::path& relative) const { return (dir_ / relative).string(); }

  std::filesystem::path dir_;
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
