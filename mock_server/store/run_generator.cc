#include "store/run_generator.h"

#include <cstdio>
#include <random>

#include "core/text.h"

namespace datazone_mock {

std::optional<std::int64_t> ParseInterval(std::string_view text) {
  std::int64_t scale = 0;
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    scale = 1;
    text.remove_suffix(2);
  } else if (!text.empty() && text.back() == 's') {
    scale = 1000;
  } else if (!text.empty() && text.back() == 'm') {
    scale = 60'000;
  } else if (!text.empty() && text.back() == 'h') {
    scale = 3'600'000;
  } else {
    return std::nullopt;
  }
  if (scale != 1) text.remove_suffix(1);
  const auto value = ParseNumber<std::int64_t>(text);
  // A year between runs is plenty, and keeps start + count * every far from overflow.
  if (!value || *value <= 0 || *value > 31'536'000'000 / scale) return std::nullopt;
  return *value * scale;
}

std::string GeneratedRunId(std::uint64_t index) {
  char id[32];
  std::snprintf(id, sizeof id, "gen-%07llu", static_cast<unsigned long long>(index));
  return id;
}

std::vector<JobRun> GenerateRuns(const GenerateSpec& spec, LoadProgress* progress) {
  std::mt19937_64 random(spec.seed);
  std::uint64_t total_weight = 0;
  for (const auto& [status, weight] : spec.weights) total_weight += weight;

  std::vector<JobRun> runs;
  runs.reserve(spec.count);
  for (std::uint64_t i = 0; i < spec.count; ++i) {
    JobRun run;
    run.run_id = GeneratedRunId(i + 1);
    run.created_at = spec.start + static_cast<std::int64_t>(i) * spec.every_ms;
    run.status = JobRunStatus::kSuccess;
    if (total_weight > 0) {
      std::uint64_t pick = random() % total_weight;
      for (const auto& [status, weight] : spec.weights) {
        if (pick < weight) {
          run.status = status;
          break;
        }
        pick -= weight;
      }
    }
    run.run_mode = JobRunMode::kScheduled;
    run.created_by = "svc-generator";
    if (run.status != JobRunStatus::kScheduled) {
      run.start_time = run.created_at + static_cast<std::int64_t>(random() % 30'000);
      if (run.status != JobRunStatus::kInProgress) {
        run.end_time = *run.start_time + 1000 + static_cast<std::int64_t>(random() % 3'600'000);
      }
    }
    if (run.status == JobRunStatus::kFailed || run.status == JobRunStatus::kTimedOut) {
      run.error_message = "Generated failure";
    }
    runs.push_back(std::move(run));
    if (progress && runs.size() % kLoadProgressRunStep == 0) progress->OnRuns(kLoadProgressRunStep);
  }
  if (progress && runs.size() % kLoadProgressRunStep != 0) {
    progress->OnRuns(runs.size() % kLoadProgressRunStep);
  }
  return runs;
}

}  // namespace datazone_mock
