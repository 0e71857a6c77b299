#include "store/recording.h"

#include <algorithm>

#include "core/time_format.h"

namespace datazone_mock {
namespace {

// A YAML double-quoted scalar: JSON's escapes, which YAML reads the same way.
void AppendQuoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

bool Before(const JobRun* a, const JobRun* b) {
  return RunBefore(a->created_at, a->run_id, b->created_at, b->run_id);
}

}  // namespace

Result<Recording, std::string> Recording::Create(std::vector<std::string> redact) {
  for (const std::string& member : redact) {
    if (std::find(std::begin(kRedactableMembers), std::end(kRedactableMembers), member) ==
        std::end(kRedactableMembers)) {
      return "--redact " + member + ": only createdBy and error can be redacted";
    }
  }
  Recording recording;
  recording.redact_ = std::move(redact);
  return recording;
}

std::string Recording::Placeholder(std::string_view member, const std::string& value) {
  auto& known = placeholders_[std::string(member)];
  const auto found = known.find(value);
  if (found != known.end()) return found->second;
  const std::string placeholder = std::string(member) + "-" + std::to_string(known.size() + 1);
  known.emplace(value, placeholder);
  return placeholder;
}

bool Recording::Redacts(std::string_view member) const {
  return std::find(redact_.begin(), redact_.end(), member) != redact_.end();
}

Result<bool, std::string> Recording::Resume(const FixtureDocument& document) {
  const auto refuse = [&](const SourceLocation& where, std::string_view what) {
    return where.ToString() + ": " + std::string(what) +
           " is not something record writes; record to another file";
  };
  // A placeholder an earlier session gave ("createdBy-3") stands for itself from now on, so
  // that new values are numbered after it.
  const auto keep_placeholder = [&](std::string_view member,
                                    const std::optional<std::string>& value) {
    if (!value || !Redacts(member)) return;
    const std::string prefix = std::string(member) + "-";
    const std::string_view number =
        std::string_view(*value).substr(std::min(value->size(), prefix.size()));
    if (value->rfind(prefix, 0) == 0 && !number.empty() &&
        number.find_first_not_of("0123456789") == std::string_view::npos) {
      placeholders_[std::string(member)].emplace(*value, *value);
    }
  };
  for (const DomainSpec& domain : document.domains) {
    if (domain.allowed_access_key_ids)
      return refuse(domain.allowed_location, "allowedAccessKeyIds");
    for (const JobSpec& job : domain.jobs) {
      if (job.generate) return refuse(job.generate_location, "generate");
      if (job.schedule) return refuse(job.schedule_location, "schedule");
      std::vector<JobRun> runs;
      for (const RunSpec& spec : job.runs) {
        if (spec.lifecycle) return refuse(spec.location, "a lifecycle");
        keep_placeholder("createdBy", spec.run.created_by);
        keep_placeholder("error", spec.run.error_message);
        runs.push_back(spec.run);
      }
      Add(domain.id, job.id, job.type, runs);
    }
  }
  return true;
}

void Recording::Add(std::string_view domain_id, std::string_view job_id, JobType job_type,
                    const std::vector<JobRun>& runs) {
  Job& job = domains_[std::string(domain_id)][std::string(job_id)];
  job.type = job_type;
  for (JobRun run : runs) {
    if (run.created_by && Redacts("createdBy")) {
      run.created_by = Placeholder("createdBy", *run.created_by);
    }
    if (run.error_message && Redacts("error")) {
      run.error_message = Placeholder("error", *run.error_message);
    }
    job.runs.insert_or_assign(run.run_id, std::move(run));
  }
}

std::size_t Recording::run_count() const {
  std::size_t count = 0;
  for (const auto& [domain_id, jobs] : domains_) {
    for (const auto& [job_id, job] : jobs) count += job.runs.size();
  }
  return count;
}

std::string Recording::ToYaml() const {
  std::string out = "# Recorded by datazone-mock from an upstream; the fixture schema (README).\n";
  out += "domains:";
  if (domains_.empty()) out += " {}";
  out += '\n';
  for (const auto& [domain_id, jobs] : domains_) {
    out += "  ";
    AppendQuoted(out, domain_id);
    out += ":\n    jobs:\n";
    for (const auto& [job_id, job] : jobs) {
      out += "      ";
      AppendQuoted(out, job_id);
      out += ":\n        jobType: " + std::string(ToString(job.type)) + "\n        runs:";
      std::vector<const JobRun*> ordered;
      for (const auto& [run_id, run] : job.runs) ordered.push_back(&run);
      std::sort(ordered.begin(), ordered.end(), Before);
      if (ordered.empty()) out += " []";
      out += '\n';
      for (const JobRun* run : ordered) {
        out += "          - runId: ";
        AppendQuoted(out, run->run_id);
        out += "\n            status: " + std::string(ToString(run->status));
        out += "\n            createdAt: " + FormatRfc3339(run->created_at);
        if (run->run_mode) out += "\n            runMode: " + std::string(ToString(*run->run_mode));
        if (run->created_by) {
          out += "\n            createdBy: ";
          AppendQuoted(out, *run->created_by);
        }
        if (run->start_time) out += "\n            startTime: " + FormatRfc3339(*run->start_time);
        if (run->end_time) out += "\n            endTime: " + FormatRfc3339(*run->end_time);
        if (run->error_message) {
          out += "\n            error: {message: ";
          AppendQuoted(out, *run->error_message);
          out += "}";
        }
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace datazone_mock
