#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "store/load_progress.h"
#include "store/store.h"

namespace datazone_mock {

// Whether `stream` is a terminal (where a line redrawn with \r reads as progress, not noise).
bool IsTerminal(std::FILE* stream);

// Shows fixture loading to a person: on a terminal, one line redrawn at most ten times a second
// ("loading fixtures: 2 files, 12.4 MB, 640,000 runs (1.2 M runs/s)"), ended by Finish; elsewhere
// (a log file, a CI job) nothing while loading. Either way PrintSummary then writes one line.
// The line first shows after a tenth of a second (quick loads stay quiet), or at once when a
// large file is read. A file's runs count once it is parsed: yaml-cpp parses a file whole.
// Not thread-safe: the loading thread reports, then the same thread finishes and summarises.
class TerminalProgress final : public LoadProgress {
 public:
  // `live`: whether to draw the progress line (IsTerminal(out) in the program; tests choose).
  // Loading is timed from construction.
  TerminalProgress(std::FILE* out, bool live, std::shared_ptr<const Clock> clock);

  void OnFileRead(const std::filesystem::path& file, std::uintmax_t bytes) override;
  void OnRuns(std::size_t added) override;

  // Loading is over (done or failed): stops the time and, if a progress line was drawn,
  // redraws it with the final counts and ends it, so that what follows starts a fresh line.
  void Finish();

  // "loaded 1,000,146 runs in 3 jobs of 2 domains from 2 files (36.1 MB) in 0.93 s"; without
  // "from ..." when no file was read (the bundled fixtures). Counts come from the store, which
  // alone knows jobs and domains; files, bytes and time from what was reported here.
  std::string Summary(const Store::Counts& counts) const;
  // Writes "datazone-mock: " and the summary as one line to `out`.
  void PrintSummary(const Store::Counts& counts) const;

 private:
  // Redraws the line when the last drawing is old enough (or `force`).
  void MaybeDraw(bool force);
  std::chrono::steady_clock::duration Elapsed() const;

  std::FILE* out_;
  bool live_;
  std::shared_ptr<const Clock> clock_;
  std::chrono::steady_clock::time_point start_;
  std::optional<std::chrono::steady_clock::time_point> finished_;
  std::chrono::steady_clock::time_point next_draw_;
  std::size_t files_ = 0;
  std::uintmax_t bytes_ = 0;
  std::size_t runs_ = 0;
  std::size_t drawn_width_ = 0;  // of the line on screen; 0 when none was drawn
};

}  // namespace datazone_mock
