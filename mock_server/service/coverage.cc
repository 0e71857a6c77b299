#include "service/coverage.h"

#include <algorithm>

#include "api/list_job_runs_request.h"
#include "journal/verify.h"

namespace datazone_mock {
namespace {

// Whether the entry's explanation says its nextToken was refused. Without a trace (--trace off)
// a 400 ValidationException to a request with a token is taken for one.
bool TokenRefused(const JournalEntry& entry) {
  if (!entry.trace.empty()) {
    return std::any_of(entry.trace.begin(), entry.trace.end(), [](const TraceStep& step) {
      return step.step == "nextToken" && step.outcome == "refused";
    });
  }
  return entry.status == 400 && entry.error_type == "ValidationException";
}

}  // namespace

CoverageReport BuildCoverage(const std::vector<JournalEntry>& entries,
                             const std::vector<ScenarioStatus>& scenarios, const Store& store) {
  CoverageReport report;
  std::map<std::pair<std::string, std::string>, std::uint32_t> deepest;
  for (const JournalEntry& entry : entries) {
    const auto [domain, job] = DomainAndJobOf(entry.path);
    if (domain.empty()) continue;  // not a ListJobRuns call
    ++report.requests;
    const auto query = DecodedQuery(entry);
    const auto find = [&](std::string_view name) -> const std::string* {
      for (const auto& [key, value] : query) {
        if (key == name) return &value;
      }
      return nullptr;
    };
    for (const auto& [key, value] : query) ++report.members_sent[key];
    if (const std::string* status = find("status")) ++report.status_filters[*status];
    const std::string* sort = find("sortOrder");
    ++report.sort_orders[sort ? *sort : "(default)"];
    if (const std::string* max = find("maxResults")) {
      const auto value = ParseInt32(*max);
      if (value && *value >= kMinMaxResults && *value <= kMaxMaxResults) {
        report.max_results.min =
            std::min<std::int64_t>(report.max_results.min.value_or(*value), *value);
        report.max_results.max =
            std::max<std::int64_t>(report.max_results.max.value_or(*value), *value);
      } else {
        ++report.max_results.refused;
      }
    } else {
      ++report.max_results.defaulted;
    }
    if (!find("nextToken")) {
      ++report.tokens.without;
    } else if (TokenRefused(entry)) {
      ++report.tokens.refused;
    } else if (entry.status == 200) {
      ++report.tokens.with;
    }
    if (entry.status == 200 && entry.error_type.empty()) {
      ++report.answers["200"];
    } else {
      ++report.answers[entry.error_type.empty() ? std::to_string(entry.status) : entry.error_type];
    }
    if (entry.page > 0) {
      std::uint32_t& page = deepest[{domain, job}];
      page = std::max(page, entry.page);
    }
  }
  for (const ScenarioStatus& status : scenarios) {
    for (std::size_t i = 0; i < status.rules.size(); ++i) {
      report.rules.push_back(CoverageReport::Rule{status.scenario->name,
                                                  static_cast<RuleNumber>(i + 1),
                                                  status.rules[i].decided, status.active});
    }
  }
  for (const auto& [domain_id, domain] : store.domains) {
    for (const auto& [job_id, job] : domain.jobs) {
      const auto found = deepest.find({domain_id, job_id});
      report.jobs.push_back(
          CoverageReport::Job{domain_id, job_id, found == deepest.end() ? 0 : found->second});
    }
  }
  return report;
}

}  // namespace datazone_mock
