#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace datazone_mock {

// Told how loading fixtures goes, so that a front end can show counts and a rate while large
// files are read or large jobs generated. The loaders take it as an optional pointer (nullptr:
// nobody is told). Calls come from the loading thread, twice per file and once per
// kLoadProgressRunStep generated runs, so an implementation may take a clock reading and write
// a line in each without slowing the load, and need not be thread-safe.
class LoadProgress {
 public:
  virtual ~LoadProgress() = default;

  // A fixture file of `bytes` bytes was read and is about to be parsed.
  virtual void OnFileRead(const std::filesystem::path& file, std::uintmax_t bytes) = 0;

  // `added` more runs are known: a file's explicit runs once it parsed, or generated runs.
  virtual void OnRuns(std::size_t added) = 0;
};

// Generated runs are reported in steps of this many (and the remainder at the end of a job):
// often enough for a smooth display, rarely enough to cost nothing per run.
inline constexpr std::size_t kLoadProgressRunStep = 65'536;

}  // namespace datazone_mock
