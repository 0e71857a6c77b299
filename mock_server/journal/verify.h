#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "journal/journal.h"

namespace datazone_mock {

// Which journal entries a verification counts (README, "Verify"): every member given must hold.
struct RequestPattern {
  std::optional<std::string> access_key_id;
  std::optional<std::string> invocation_id;
  std::optional<int> status;  // the HTTP status answered
  std::optional<std::string> error_type;
  std::optional<std::string> domain;  // from the path, decoded
  std::optional<std::string> job;
  std::optional<std::string> scenario;
  std::optional<RuleNumber> rule;
  // Query members as sent (decoded), each compared exactly; a member given as nullopt must be
  // absent from the request.
  std::vector<std::pair<std::string, std::optional<std::string>>> query;
};

// How many matching entries make the verification hold.
struct CountExpectation {
  enum class Kind { kExactly, kAtLeast, kAtMost };
  Kind kind = Kind::kAtLeast;
  std::uint64_t count = 1;

  bool Holds(std::uint64_t actual) const;
};

// An entry that does not match, and the members in which it differs.
struct NearMiss {
  JournalEntry entry;
  std::vector<std::string> differs;  // "status", "accessKeyId", "query.sortOrder", ...
};

struct VerifyResult {
  bool ok = false;
  std::uint64_t count = 0;
  CountExpectation expected;
  // When not ok: up to kMaxNearMisses entries that differ in the fewest members (newest first
  // among equals). Where there are none, the verification failed by too many matches.
  std::vector<NearMiss> near_misses;
};

inline constexpr std::size_t kMaxNearMisses = 5;

// The members of `pattern` that `entry` does not satisfy, in the order of RequestPattern.
std::vector<std::string> Differences(const RequestPattern& pattern, const JournalEntry& entry);

VerifyResult Verify(const std::vector<JournalEntry>& entries, const RequestPattern& pattern,
                    const CountExpectation& expected);

// The domain and job of a ListJobRuns path ("/v2/domains/D/jobs/J/runs"), decoded; empty
// strings for another path.
std::pair<std::string, std::string> DomainAndJobOf(std::string_view path);

}  // namespace datazone_mock
