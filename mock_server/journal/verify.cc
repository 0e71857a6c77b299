#include "journal/verify.h"

#include <algorithm>

#include "api/list_job_runs_request.h"

namespace datazone_mock {

bool CountExpectation::Holds(std::uint64_t actual) const {
  switch (kind) {
    case Kind::kExactly:
      return actual == count;
    case Kind::kAtLeast:
      return actual >= count;
    case Kind::kAtMost:
      return actual <= count;
  }
  return false;
}

std::pair<std::string, std::string> DomainAndJobOf(std::string_view path) {
  const auto call = RouteListJobRuns("GET", path);
  if (!call) return {};
  return {call->domain_identifier, call->job_identifier};
}

std::vector<std::string> Differences(const RequestPattern& pattern, const JournalEntry& entry) {
  std::vector<std::string> differs;
  const auto check = [&](const char* name, const auto& want, const auto& got) {
    if (want && *want != got) differs.emplace_back(name);
  };
  check("accessKeyId", pattern.access_key_id, entry.access_key_id);
  check("invocationId", pattern.invocation_id, entry.invocation_id);
  check("status", pattern.status, entry.status);
  check("errorType", pattern.error_type, entry.error_type);
  if (pattern.domain || pattern.job) {
    const auto [domain, job] = DomainAndJobOf(entry.path);
    check("domain", pattern.domain, domain);
    check("job", pattern.job, job);
  }
  check("scenario", pattern.scenario, entry.scenario);
  check("rule", pattern.rule, entry.rule);
  if (!pattern.query.empty()) {
    const auto query = DecodedQuery(entry);
    for (const auto& member_wanted : pattern.query) {
      // Not a structured binding: clang 14 cannot capture one in a lambda (C++20 allows it).
      const std::string& name = member_wanted.first;
      const std::optional<std::string>& want = member_wanted.second;
      const auto sent = std::find_if(query.begin(), query.end(),
                                     [&](const auto& member) { return member.first == name; });
      const bool same = want ? sent != query.end() && sent->second == *want : sent == query.end();
      if (!same) differs.push_back("query." + name);
    }
  }
  return differs;
}

VerifyResult Verify(const std::vector<JournalEntry>& entries, const RequestPattern& pattern,
                    const CountExpectation& expected) {
  VerifyResult result;
  result.expected = expected;
  std::vector<NearMiss> misses;
  for (const JournalEntry& entry : entries) {
    std::vector<std::string> differs = Differences(pattern, entry);
    if (differs.empty()) {
      ++result.count;
    } else {
      misses.push_back(NearMiss{entry, std::move(differs)});
    }
  }
  result.ok = expected.Holds(result.count);
  if (!result.ok) {
    // Fewest differences first; among equals the newest, which a test most likely meant.
    std::stable_sort(misses.begin(), misses.end(), [](const NearMiss& a, const NearMiss& b) {
      if (a.differs.size() != b.differs.size()) return a.differs.size() < b.differs.size();
      return a.entry.id > b.entry.id;
    });
    if (misses.size() > kMaxNearMisses) misses.resize(kMaxNearMisses);
    result.near_misses = std::move(misses);
  }
  return result;
}

}  // namespace datazone_mock
