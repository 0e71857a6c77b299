#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "faults/fault_engine.h"
#include "journal/journal.h"
#include "store/store.h"

namespace datazone_mock {

// What the traffic since the last reset exercised (GET /_mock/coverage, README "Coverage"):
// the input members and the values or value classes seen, the answers, the scenario rules that
// decided, how deep each job was paged, and the jobs never listed. The request side is read from
// the journal, so it covers the last --journal-size requests.
struct CoverageReport {
  std::uint64_t requests = 0;  // ListJobRuns calls in the journal
  // Each input member: how many requests sent it.
  std::map<std::string, std::uint64_t> members_sent;
  std::map<std::string, std::uint64_t> status_filters;  // status values as sent
  std::map<std::string, std::uint64_t> sort_orders;     // as sent; "(default)" when absent
  struct MaxResults {
    std::optional<std::int64_t> min;  // of the values that passed validation
    std::optional<std::int64_t> max;
    std::uint64_t defaulted = 0;  // requests without maxResults
    std::uint64_t refused = 0;    // values validation refused
  } max_results;
  struct Tokens {
    std::uint64_t without = 0;  // page 1
    std::uint64_t with = 0;     // accepted
    std::uint64_t refused = 0;  // "The nextToken provided is invalid."
  } tokens;
  std::map<std::string, std::uint64_t> answers;  // "200", "ThrottlingException", "fault:reset"
  struct Rule {
    std::string scenario;
    RuleNumber rule = kNoRule;
    std::uint64_t decided = 0;
    bool active = false;
  };
  std::vector<Rule> rules;  // every rule of every scenario
  struct Job {
    std::string domain;
    std::string job;
    std::uint32_t deepest_page = 0;  // 0: never listed
  };
  std::vector<Job> jobs;  // every job of the shared store, in order
};

CoverageReport BuildCoverage(const std::vector<JournalEntry>& entries,
                             const std::vector<ScenarioStatus>& scenarios, const Store& store);

}  // namespace datazone_mock
