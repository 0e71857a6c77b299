#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/job_run.h"
#include "store/load_progress.h"

namespace datazone_mock {

inline constexpr std::uint64_t kMaxGeneratedRuns = 10'000'000;

// `generate:` of a fixture job: `count` runs, `every` apart from `start`, statuses drawn with
// the given weights from a generator seeded with `seed` (the same spec always gives the same
// runs).
struct GenerateSpec {
  std::uint64_t count = 0;
  std::uint64_t seed = 0;
  TimestampMs start = 0;
  std::int64_t every_ms = 1000;
  std::vector<std::pair<JobRunStatus, std::uint64_t>> weights;  // default: all SUCCESS

  bool operator==(const GenerateSpec&) const = default;
};

// "30s", "500ms", "5m", "1h" as milliseconds (more than 0).
std::optional<std::int64_t> ParseInterval(std::string_view text);

// The runs of a spec. Run ids are "gen-" and the index from 1, zero-padded to 7 digits, so
// ids sort like their creation times. runMode SCHEDULED, createdBy "svc-generator", startTime
// a few seconds after createdAt; finished runs have an endTime, and failed ones an error.
// `progress`, if given, hears of the runs as they are made (kLoadProgressRunStep at a time).
std::vector<JobRun> GenerateRuns(const GenerateSpec& spec, LoadProgress* progress = nullptr);

std::string GeneratedRunId(std::uint64_t index);  // index from 1

}  // namespace datazone_mock
