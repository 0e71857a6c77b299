#pragma once

// A fresh directory under the system temp directory, removed with everything in it when the
// object goes away (also when the test using it fails). Shared by every test that needs files.

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace datazone_mock {

class TempDir {
 public:
  // `prefix` starts the directory's name; mkdtemp(3) makes the rest unique, so tests running
  // in parallel (ctest -j, several build trees) never share or remove each other's directory.
  explicit TempDir(std::string_view prefix = "datazone-mock-test-") {
    std::string name = (std::filesystem::temp_directory_path() / prefix).string() + "XXXXXX";
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
      throw std::runtime_error("mkdtemp(" + name + "): " + std::strerror(errno));
    }
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;  // nothing to do about a failure here, and no throwing
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // `relative` under the directory.
  std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }

  // Writes `text` (bytes as given) to `relative` under the directory, creating its parent
  // directories; returns the file's path. Throws when the file cannot be written, so a test
  // never goes on with a fixture that is not there.
  std::filesystem::path Write(const std::filesystem::path& relative, std::string_view text) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace datazone_mock
