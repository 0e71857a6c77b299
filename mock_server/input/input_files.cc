#include "input/input_files.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace datazone_mock {
namespace fs = std::filesystem;

Result<std::string, Diagnostics> ReadInputFile(const fs::path& path) {
  const std::string name = path.string();
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return Diagnostics{{name, 1, 1, "cannot read file: " + error.message()}};
  if (size > kMaxInputFileBytes) {
    return Diagnostics{{name, 1, 1, "file is larger than the 64 MiB limit"}};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
    return Diagnostics{{name, 1, 1, "cannot read file"}};
  }
  return text;
}

Result<std::vector<fs::path>, Diagnostics> ExpandYamlPaths(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(path, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        // Hidden entries are skipped, folders with all they hold: a Kubernetes ConfigMap mount
        // keeps a second copy of every file under `..<timestamp>/`, and editors and version
        // control keep theirs under dot-names too.
        if (it->path().filename().string().rfind('.', 0) == 0) {
          if (it->is_directory(error)) it.disable_recursion_pending();
          continue;
        }
        const auto extension = it->path().extension();
        if (it->is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
          found.push_back(it->path());
        }
      }
      if (error)
        return Diagnostics{{path.string(), 1, 1, "cannot read directory: " + error.message()}};
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      return Diagnostics{{path.string(), 1, 1, "no such file or directory"}};
    }
  }
  return files;
}

std::optional<Diagnostic> FindControlCharacter(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", byte);
      return Diagnostic{file, line, column,
                        std::string("control character ") + code +
                            " is not allowed (write it as an escape in a double-quoted string)"};
    }
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;  // bytes, as every diagnostic of a file counts columns
    }
  }
  return std::nullopt;
}

std::optional<Diagnostic> FindInvalidUtf8(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (byte < 0x80) {
      length = 1;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF, as strict decoders do.
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid && length > 1) {
      valid = code_point >= kMinForLength[length] && code_point <= 0x10FFFF &&
              (code_point < 0xD800 || code_point > 0xDFFF);
    }
    if (!valid) {
      return Diagnostic{file, line, column, "invalid UTF-8 byte sequence"};
    }
    // Columns count bytes, as yaml-cpp's marks do, so every diagnostic of a file agrees.
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      column += static_cast<int>(length);
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace datazone_mock
