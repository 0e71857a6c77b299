#include "store/fixture.h"

#include <cstdint>

#include "core/text.h"
#include "core/time_format.h"
#include "input/yaml_reader.h"
#include "model/identifiers.h"

namespace datazone_mock {
namespace {

// Turns a parsed YAML tree into a FixtureDocument, reporting every schema violation.
class FixtureParser {
 public:
  FixtureParser(YamlReader& reader, TimestampMs now) : reader_(reader), now_(now) {}

  FixtureDocument Parse(const YamlNode& root) {
    FixtureDocument document;
    document.file = reader_.file();
    if (!root.IsDefined() || root.IsNull()) return document;  // an empty file defines nothing
    reader_.ForEachMember(root, "the fixture file", {"domains"},
                          [&](const std::string&, const YamlNode&, const YamlNode& domains) {
                            ParseDomains(domains, document);
                          });
    return document;
  }

 private:
  void ParseDomains(const YamlNode& domains, FixtureDocument& document) {
    if (domains.IsNull()) return;
    reader_.ForEachMember(domains, "domains", {},
                          [&](const std::string& id, const YamlNode& key, const YamlNode& value) {
                            if (!IsValidDomainIdentifier(id)) {
                              reader_.Error(key, "invalid domainIdentifier " + Quoted(id) +
                                                     ": must match " +
                                                     std::string(kDomainIdentifierPattern));
                              return;
                            }
                            DomainSpec domain;
                            domain.id = id;
                            domain.location = reader_.Location(key);
                            ParseDomain(value, domain);
                            document.domains.push_back(std::move(domain));
                          });
  }

  void ParseDomain(const YamlNode& node, DomainSpec& domain) {
    if (node.IsNull()) return;  // a domain with no jobs yet
    reader_.ForEachMember(
        node, "domain", {"jobs", "allowedAccessKeyIds"},
        [&](const std::string& key, const YamlNode& key_node, const YamlNode& value) {
          if (key == "allowedAccessKeyIds") {
            domain.allowed_location = reader_.Location(key_node);
            domain.allowed_access_key_ids = ParseAccessKeyIds(value);
          } else if (!value.IsNull()) {
            ParseJobs(value, domain);
          }
        });
  }

  std::vector<std::string> ParseAccessKeyIds(const YamlNode& node) {
    std::vector<std::string> ids;
    if (node.IsNull()) return ids;  // nobody may list the domain
    if (!node.IsSequence()) {
      reader_.Error(node, "allowedAccessKeyIds must be a list");
      return ids;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (auto id = reader_.Scalar(node[i], "an access key id")) ids.push_back(std::move(*id));
    }
    return ids;
  }

  void ParseJobs(const YamlNode& jobs, DomainSpec& domain) {
    reader_.ForEachMember(
        jobs, "jobs", {}, [&](const std::string& id, const YamlNode& key, const YamlNode& value) {
          if (!IsValidJobIdentifier(id)) {
            reader_.Error(key, "invalid jobIdentifier " + Quoted(id) + ": must match " +
                                   std::string(kJobIdentifierPattern));
            return;
          }
          JobSpec job;
          job.id = id;
          job.location = reader_.Location(key);
          ParseJob(value, job);
          domain.jobs.push_back(std::move(job));
        });
  }

  void ParseJob(const YamlNode& node, JobSpec& job) {
    if (node.IsNull()) return;  // a job with no runs
    reader_.ForEachMember(
        node, "job", {"jobType", "runs", "generate", "schedule"},
        [&](const std::string& key, const YamlNode& key_node, const YamlNode& value) {
          if (key == "generate") {
            job.generate_location = reader_.Location(key_node);
            job.generate = ParseGenerate(value);
          } else if (key == "schedule") {
            job.schedule_location = reader_.Location(key_node);
            job.schedule = ParseSchedule(value);
          } else if (key == "jobType") {
            if (auto type = ParseEnum(value, "jobType", ParseJobType, kAllJobTypes))
              job.type = *type;
          } else if (key == "runs" && !value.IsNull()) {
            if (!value.IsSequence()) {
              reader_.Error(value, "runs must be a list");
              return;
            }
            job.runs.reserve(value.size());
            for (const YamlNode& item : value.items()) {
              if (reader_.Full()) break;
              if (auto run = ParseRun(item)) job.runs.push_back(std::move(*run));
            }
          }
        });
  }

  std::optional<GenerateSpec> ParseGenerate(const YamlNode& node) {
    const std::size_t errors_before = reader_.ErrorCount();
    GenerateSpec spec;
    reader_.RequireMembers(node, "generate", {"count", "start", "every"});
    reader_.ForEachMember(
        node, "generate", {"count", "seed", "start", "every", "statuses"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          if (key == "statuses") {
            reader_.ForEachMember(
                value, "statuses", {},
                [&](const std::string& name, const YamlNode& status_key, const YamlNode& weight) {
                  const auto status = ParseJobRunStatus(name);
                  if (!status) {
                    reader_.Error(status_key, "invalid status " + Quoted(name) +
                                                  ": expected one of " +
                                                  EnumValueSet(kAllJobRunStatuses));
                    return;
                  }
                  const auto number = Count(weight, "a status weight", 1'000'000);
                  if (number) spec.weights.emplace_back(*status, *number);
                });
            return;
          }
          auto text = reader_.Scalar(value, key);
          if (!text) return;
          if (key == "count") {
            spec.count = Count(value, "count", kMaxGeneratedRuns).value_or(0);
          } else if (key == "seed") {
            spec.seed = Count(value, "seed", UINT64_MAX).value_or(0);
          } else if (key == "start") {
            spec.start = Timestamp(value, "start").value_or(0);
          } else if (key == "every") {
            const auto every = ParseInterval(*text);
            if (!every) {
              reader_.Error(value, "invalid every " + Quoted(*text) +
                                       ": expected an interval such as 30s, 500ms, 5m or 1h");
            }
            spec.every_ms = every.value_or(1000);
          }
        });
    if (reader_.ErrorCount() != errors_before) return std::nullopt;
    return spec;
  }

  // `lifecycle:` of a run (or of a schedule's runs), checked in one pass: each step a status
  // and one trigger, one kind of trigger for the whole list, in increasing order, nothing after
  // a terminal status. `initial` is the status before the first step.
  std::optional<Lifecycle> ParseLifecycle(const YamlNode& node, JobRunStatus initial,
                                          bool for_schedule) {
    const std::size_t errors_before = reader_.ErrorCount();
    if (!node.IsSequence()) {
      reader_.Error(node, "lifecycle must be a list of steps such as {status: SUCCESS, after: 5m}");
      return std::nullopt;
    }
    Lifecycle lifecycle;
    std::optional<Lifecycle::Kind> kind;
    std::optional<JobRunStatus> ended_by;  // the terminal status a step reached, if one did
    for (const YamlNode& item : node.items()) {
      if (reader_.Full()) break;
      LifecycleStep step;
      std::optional<Lifecycle::Kind> step_kind;
      std::optional<YamlNode> trigger;
      reader_.RequireMembers(item, "lifecycle step", {"status"});
      const bool is_map = reader_.ForEachMember(
          item, "lifecycle step", {"status", "after", "afterCalls", "error"},
          [&](const std::string& key, const YamlNode&, const YamlNode& value) {
            if (key == "status") {
              step.status = ParseEnum(value, "status", ParseJobRunStatus, kAllJobRunStatuses)
                                .value_or(JobRunStatus::kScheduled);
            } else if (key == "error") {
              step.error_message = ParseRunError(value);
            } else if (step_kind) {
              reader_.Error(value, "a lifecycle step takes one of after and afterCalls, not both");
            } else if (key == "after") {
              step_kind = Lifecycle::Kind::kAfter;
              trigger = value;
              const auto text = reader_.Scalar(value, "after");
              const auto duration = text ? ParseDurationMs(*text) : std::nullopt;
              if (text && !duration) {
                reader_.Error(value, "invalid after " + Quoted(*text) +
                                         ": expected a duration such as 90s, 5m, 2h or 1d");
              }
              step.after_ms = duration.value_or(0);
            } else {
              step_kind = Lifecycle::Kind::kAfterCalls;
              trigger = value;
              step.after_calls = Count(value, "afterCalls", 1'000'000'000).value_or(0);
            }
          });
      if (!is_map) continue;
      if (!step_kind) {
        reader_.Error(item, "a lifecycle step needs after (a duration) or afterCalls (a count)");
        continue;
      }
      if (for_schedule && *step_kind == Lifecycle::Kind::kAfterCalls) {
        reader_.Error(*trigger, "a schedule's lifecycle takes after steps only");
        continue;
      }
      if (kind && *kind != *step_kind) {
        reader_.Error(*trigger,
                      "a lifecycle uses one kind of step: after (durations) or afterCalls "
                      "(counts), not both");
        continue;
      }
      kind = step_kind;
      if (!lifecycle.steps.empty()) {
        const LifecycleStep& last = lifecycle.steps.back();
        const bool later = *kind == Lifecycle::Kind::kAfter ? step.after_ms > last.after_ms
                                                            : step.after_calls > last.after_calls;
        if (!later) {
          reader_.Error(*trigger,
                        "lifecycle steps must come in increasing order: this one is "
                        "not later than the step before it");
        }
      }
      if (ended_by) {
        reader_.Error(item, "a lifecycle step after " + std::string(ToString(*ended_by)) +
                                ", a terminal status, can never happen");
      } else if (IsTerminal(step.status)) {
        ended_by = step.status;
      }
      lifecycle.steps.push_back(std::move(step));
    }
    if (IsTerminal(initial) && !lifecycle.steps.empty()) {
      reader_.Error(node, "a run whose status is " + std::string(ToString(initial)) +
                              ", a terminal status, has no lifecycle");
    }
    lifecycle.kind = kind.value_or(Lifecycle::Kind::kAfter);
    if (reader_.ErrorCount() != errors_before) return std::nullopt;
    return lifecycle;
  }

  // `schedule:` of a job: a run at each tick from `start`, `every` apart, up to the clock's now.
  std::optional<ScheduleSpec> ParseSchedule(const YamlNode& node) {
    const std::size_t errors_before = reader_.ErrorCount();
    ScheduleSpec spec;
    reader_.RequireMembers(node, "schedule", {"every", "start"});
    std::optional<YamlNode> lifecycle_node;
    std::optional<YamlNode> outcomes_node;
    reader_.ForEachMember(
        node, "schedule", {"every", "start", "seed", "status", "lifecycle", "outcomes"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
          if (key == "lifecycle") {
            lifecycle_node = value;
          } else if (key == "outcomes") {
            outcomes_node = value;
          } else if (key == "status") {
            spec.status = ParseEnum(value, "status", ParseJobRunStatus, kAllJobRunStatuses)
                              .value_or(JobRunStatus::kScheduled);
          } else if (key == "seed") {
            spec.seed = Count(value, "seed", UINT64_MAX).value_or(0);
          } else if (key == "start") {
            spec.start = Timestamp(value, "start").value_or(0);
          } else if (key == "every") {
            const auto text = reader_.Scalar(value, "every");
            const auto every = text ? ParseDurationMs(*text) : std::nullopt;
            if (text && (!every || *every <= 0)) {
              reader_.Error(value, "invalid every " + Quoted(*text) +
                                       ": expected an interval such as 30s, 15m, 1h or 1d");
            }
            spec.every_ms = every.value_or(60'000);
            if (spec.every_ms <= 0) spec.every_ms = 60'000;
          }
        });
    if (lifecycle_node) {
      if (auto lifecycle = ParseLifecycle(*lifecycle_node, spec.status, /*for_schedule=*/true)) {
        spec.lifecycle = std::move(*lifecycle);
      }
    }
    if (outcomes_node) {
      reader_.ForEachMember(
          *outcomes_node, "outcomes", {},
          [&](const std::string& name, const YamlNode& status_key, const YamlNode& weight) {
            const auto status = ParseJobRunStatus(name);
            if (!status || !IsTerminal(*status)) {
              reader_.Error(status_key, "invalid outcome " + Quoted(name) +
                                            ": expected a terminal status (SUCCESS, "
                                            "PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, "
                                            "CANCELED)");
              return;
            }
            const auto number = Count(weight, "an outcome weight", 1'000'000);
            if (number) spec.outcomes.emplace_back(*status, *number);
          });
      if (!lifecycle_node) {
        reader_.Error(*outcomes_node,
                      "outcomes replace the status of the lifecycle's last step: give a lifecycle");
      }
    }
    if (reader_.ErrorCount() == errors_before && spec.start <= now_) {
      const auto runs = static_cast<std::uint64_t>((now_ - spec.start) / spec.every_ms) + 1;
      if (runs > kMaxScheduledRuns) {
        reader_.Error(node, "this schedule makes " + std::to_string(runs) +
                                " runs by now, more than the limit of 10,000,000");
      }
    }
    if (reader_.ErrorCount() != errors_before) return std::nullopt;
    return spec;
  }

  // A whole number from 0 to `max`, reported as `what` when it is not one.
  std::optional<std::uint64_t> Count(const YamlNode& node, std::string_view what,
                                     std::uint64_t max) {
    const auto text = reader_.Scalar(node, what);
    if (!text) return std::nullopt;
    const auto value = ParseNumber<std::uint64_t>(*text);
    if (!value || *value > max) {
      reader_.Error(node, "invalid " + std::string(what) + " " + Quoted(*text) +
                              ": expected a whole number from 0 to " + std::to_string(max));
      return std::nullopt;
    }
    return value;
  }

  // A run with any problem is reported and left out.
 public:
  std::optional<RunSpec> ParseRun(const YamlNode& node) {
    const std::size_t errors_before = reader_.ErrorCount();
    RunSpec spec;
    spec.location = reader_.Location(node);
    JobRun& run = spec.run;
    std::optional<YamlNode> lifecycle_node;
    std::optional<YamlNode> lifecycle_key;
    // Missing members are reported at the run's start, so before its members' problems.
    reader_.RequireMembers(node, "run", {"runId", "status", "createdAt"});
    const bool is_map = reader_.ForEachMember(
        node, "run",
        {"runId", "status", "createdAt", "runMode", "createdBy", "startTime", "endTime", "error",
         "lifecycle"},
        [&](const std::string& key, const YamlNode& key_node, const YamlNode& value) {
          if (key == "runId") {
            auto id = reader_.Scalar(value, "runId");
            if (id && !IsValidRunId(*id)) {
              reader_.Error(value, "invalid runId " + Quoted(*id) +
                                       ": must be 1 to 256 characters with no control characters");
            }
            if (id) run.run_id = std::move(*id);
          } else if (key == "status") {
            run.status = ParseEnum(value, "status", ParseJobRunStatus, kAllJobRunStatuses)
                             .value_or(JobRunStatus::kScheduled);
          } else if (key == "createdAt") {
            run.created_at = Timestamp(value, "createdAt").value_or(0);
          } else if (key == "runMode") {
            run.run_mode = ParseEnum(value, "runMode", ParseJobRunMode, kAllJobRunModes);
          } else if (key == "createdBy") {
            run.created_by = reader_.Scalar(value, "createdBy");
          } else if (key == "startTime") {
            run.start_time = Timestamp(value, "startTime");
          } else if (key == "endTime") {
            run.end_time = Timestamp(value, "endTime");
          } else if (key == "error") {
            run.error_message = ParseRunError(value);
          } else if (key == "lifecycle") {
            lifecycle_node = value;
            lifecycle_key = key_node;
          }
        });
    // Read last: its checks need the run's own status, wherever the key stands.
    if (lifecycle_key) {
      spec.lifecycle = ParseLifecycle(*lifecycle_node, run.status, /*for_schedule=*/false);
    }
    if (reader_.ErrorCount() != errors_before || !is_map) return std::nullopt;
    return spec;
  }

 private:
  std::optional<std::string> ParseRunError(const YamlNode& node) {
    reader_.RequireMembers(node, "error", {"message"});
    std::optional<std::string> message;
    reader_.ForEachMember(node, "error", {"message"},
                          [&](const std::string&, const YamlNode&, const YamlNode& value) {
                            message = reader_.Scalar(value, "error.message");
                          });
    return message;
  }

  template <class E, std::size_t N>
  std::optional<E> ParseEnum(const YamlNode& node, std::string_view what,
                             std::optional<E> (*parse)(std::string_view),
                             const std::array<E, N>& all) {
    const auto text = reader_.Scalar(node, what);
    if (!text) return std::nullopt;
    auto value = parse(*text);
    if (!value) {
      reader_.Error(node, "invalid " + std::string(what) + " " + Quoted(*text) +
                              ": expected one of " + EnumValueSet(all));
    }
    return value;
  }

  std::optional<TimestampMs> Timestamp(const YamlNode& node, std::string_view what) {
    const auto text = reader_.Scalar(node, what);
    if (!text) return std::nullopt;
    auto value =
        text->rfind("now", 0) == 0 ? ParseRelativeTime(*text, now_) : ParseTimestamp(*text);
    if (!value) {
      reader_.Error(node, "invalid " + std::string(what) + " " + Quoted(*text) +
                              ": expected an RFC 3339 timestamp such as 2025-06-01T02:00:00Z, "
                              "epoch seconds, or a time relative to the clock such as now-90m");
    }
    return value;
  }

  YamlReader& reader_;
  TimestampMs now_;  // what `now` in a relative time means
};

// Explicit runs only: generated ones are reported as they are made.
std::size_t CountRuns(const FixtureDocument& document) {
  std::size_t runs = 0;
  for (const DomainSpec& domain : document.domains) {
    for (const JobSpec& job : domain.jobs) runs += job.runs.size();
  }
  return runs;
}

}  // namespace

FixtureReading ReadFixture(std::string_view text, const std::string& file, TimestampMs now) {
  YamlReader reader(file);
  FixtureReading reading;
  reading.document.file = file;
  if (const auto root = reader.Load(text))
    reading.document = FixtureParser(reader, now).Parse(*root);
  reading.problems = reader.TakeDiagnostics();
  return reading;
}

Result<RunSpec, Diagnostics> ParseRunDocument(std::string_view text, const std::string& file,
                                              TimestampMs now) {
  YamlReader reader(file);
  const auto root = reader.Load(text);
  std::optional<RunSpec> run;
  if (root) run = FixtureParser(reader, now).ParseRun(*root);
  if (reader.HasErrors() || !run) return reader.TakeDiagnostics();
  return std::move(*run);
}

Result<FixtureDocument, Diagnostics> ParseFixture(std::string_view text, const std::string& file,
                                                  TimestampMs now) {
  FixtureReading reading = ReadFixture(text, file, now);
  if (!reading.problems.empty()) return std::move(reading.problems);
  return std::move(reading.document);
}

FixtureReading ReadFixtureFile(const std::filesystem::path& path, LoadProgress* progress,
                               TimestampMs now) {
  auto text = ReadInputFile(path);
  if (!text.ok())
    return FixtureReading{FixtureDocument{path.string(), {}}, std::move(text).error()};
  if (progress) progress->OnFileRead(path, text.value().size());
  FixtureReading reading = ReadFixture(text.value(), path.string(), now);
  if (progress && reading.problems.empty()) progress->OnRuns(CountRuns(reading.document));
  return reading;
}

Result<FixtureDocument, Diagnostics> LoadFixtureFile(const std::filesystem::path& path,
                                                     LoadProgress* progress, TimestampMs now) {
  FixtureReading reading = ReadFixtureFile(path, progress, now);
  if (!reading.problems.empty()) return std::move(reading.problems);
  return std::move(reading.document);
}

FixtureLoad ReadFixturePaths(const std::vector<std::filesystem::path>& paths,
                             LoadProgress* progress, TimestampMs now) {
  FixtureLoad load;
  auto files = ExpandYamlPaths(paths);
  if (!files.ok()) {
    load.problems = std::move(files).error();
    return load;
  }
  for (const auto& file : files.value()) {
    FixtureReading reading = ReadFixtureFile(file, progress, now);
    load.documents.push_back(std::move(reading.document));
    for (auto& d : reading.problems) load.problems.push_back(std::move(d));
  }
  return load;
}

Result<std::vector<FixtureDocument>, Diagnostics> LoadFixturePaths(
    const std::vector<std::filesystem::path>& paths, LoadProgress* progress, TimestampMs now) {
  FixtureLoad load = ReadFixturePaths(paths, progress, now);
  if (!load.problems.empty()) return std::move(load.problems);
  return std::move(load.documents);
}

}  // namespace datazone_mock
