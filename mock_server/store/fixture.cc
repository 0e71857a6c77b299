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
  explicit FixtureParser(YamlReader& reader) : reader_(reader) {}

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
        node, "job", {"jobType", "runs", "generate"},
        [&](const std::string& key, const YamlNode& key_node, const YamlNode& value) {
          if (key == "generate") {
            job.generate_location = reader_.Location(key_node);
            job.generate = ParseGenerate(value);
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
  std::optional<RunSpec> ParseRun(const YamlNode& node) {
    const std::size_t errors_before = reader_.ErrorCount();
    RunSpec spec;
    spec.location = reader_.Location(node);
    JobRun& run = spec.run;
    // Missing members are reported at the run's start, so before its members' problems.
    reader_.RequireMembers(node, "run", {"runId", "status", "createdAt"});
    const bool is_map = reader_.ForEachMember(
        node, "run",
        {"runId", "status", "createdAt", "runMode", "createdBy", "startTime", "endTime", "error"},
        [&](const std::string& key, const YamlNode&, const YamlNode& value) {
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
          }
        });
    if (reader_.ErrorCount() != errors_before || !is_map) return std::nullopt;
    return spec;
  }

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
    auto value = ParseTimestamp(*text);
    if (!value) {
      reader_.Error(node, "invalid " + std::string(what) + " " + Quoted(*text) +
                              ": expected an RFC 3339 timestamp such as 2025-06-01T02:00:00Z "
                              "or epoch seconds");
    }
    return value;
  }

  YamlReader& reader_;
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

FixtureReading ReadFixture(std::string_view text, const std::string& file) {
  YamlReader reader(file);
  FixtureReading reading;
  reading.document.file = file;
  if (const auto root = reader.Load(text)) reading.document = FixtureParser(reader).Parse(*root);
  reading.problems = reader.TakeDiagnostics();
  return reading;
}

Result<FixtureDocument, Diagnostics> ParseFixture(std::string_view text, const std::string& file) {
  FixtureReading reading = ReadFixture(text, file);
  if (!reading.problems.empty()) return std::move(reading.problems);
  return std::move(reading.document);
}

FixtureReading ReadFixtureFile(const std::filesystem::path& path, LoadProgress* progress) {
  auto text = ReadInputFile(path);
  if (!text.ok())
    return FixtureReading{FixtureDocument{path.string(), {}}, std::move(text).error()};
  if (progress) progress->OnFileRead(path, text.value().size());
  FixtureReading reading = ReadFixture(text.value(), path.string());
  if (progress && reading.problems.empty()) progress->OnRuns(CountRuns(reading.document));
  return reading;
}

Result<FixtureDocument, Diagnostics> LoadFixtureFile(const std::filesystem::path& path,
                                                     LoadProgress* progress) {
  FixtureReading reading = ReadFixtureFile(path, progress);
  if (!reading.problems.empty()) return std::move(reading.problems);
  return std::move(reading.document);
}

FixtureLoad ReadFixturePaths(const std::vector<std::filesystem::path>& paths,
                             LoadProgress* progress) {
  FixtureLoad load;
  auto files = ExpandYamlPaths(paths);
  if (!files.ok()) {
    load.problems = std::move(files).error();
    return load;
  }
  for (const auto& file : files.value()) {
    FixtureReading reading = ReadFixtureFile(file, progress);
    load.documents.push_back(std::move(reading.document));
    for (auto& d : reading.problems) load.problems.push_back(std::move(d));
  }
  return load;
}

Result<std::vector<FixtureDocument>, Diagnostics> LoadFixturePaths(
    const std::vector<std::filesystem::path>& paths, LoadProgress* progress) {
  FixtureLoad load = ReadFixturePaths(paths, progress);
  if (!load.problems.empty()) return std::move(load.problems);
  return std::move(load.documents);
}

}  // namespace datazone_mock
