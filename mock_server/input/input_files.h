#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"

namespace datazone_mock {

// Reading the files people write (fixtures, scenarios, credentials): limits, UTF-8 checks and
// directory walks, the same for every loader.

// Limits on input files (docs/decisions.md, "Input file limits"), so that no file can exhaust
// memory.
inline constexpr std::size_t kMaxInputFileBytes = 64u << 20;
inline constexpr std::size_t kMaxScalarBytes = 1u << 20;
inline constexpr std::size_t kMaxDiagnostics = 20;

// Reads a whole file, refusing one over kMaxInputFileBytes.
Result<std::string, Diagnostics> ReadInputFile(const std::filesystem::path& path);

// The YAML files named by `paths`: files as given, directories walked in name order (their
// *.yaml and *.yml files, recursively, hidden files and folders left out).
Result<std::vector<std::filesystem::path>, Diagnostics> ExpandYamlPaths(
    const std::vector<std::filesystem::path>& paths);

// The first byte that is not part of valid UTF-8, as a 1-based line and column, if any.
std::optional<Diagnostic> FindInvalidUtf8(std::string_view text, const std::string& file);

// The first control character other than tab, line feed and carriage return, if any. Neither
// YAML nor JSON allows them raw, and a parser that meets one may read what follows wrongly
// (yaml-cpp turned a NUL and the letter after it into a byte that is not UTF-8).
std::optional<Diagnostic> FindControlCharacter(std::string_view text, const std::string& file);

}  // namespace datazone_mock
