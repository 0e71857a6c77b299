#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/http_message.h"
#include "core/random_source.h"
#include "core/result.h"
#include "faults/scenario.h"
#include "faults/token_bucket.h"

namespace datazone_mock {

// What the fault engine looks at in a request (docs/wire.md: faults come after routing and before
// validation, so these are the values as sent).
struct FaultRequest {
  std::string_view domain;
  std::string_view job;
  std::string_view access_key_id;       // "" for an unsigned caller
  const std::string* status = nullptr;  // the status filter as sent, or none
  bool has_token = false;               // a nextToken was sent
  // The request's page number (1 without a token), or none when its token cannot be read.
  // Asked only when a rule reached has a `page:` condition, at most once per request: reading
  // it means decrypting the token.
  std::function<std::optional<std::uint32_t>()> page_number;
};

// The fault chosen for a request.
struct FaultDecision {
  std::string scenario;
  RuleNumber rule = kNoRule;  // the deciding rule of `scenario`; kNoRule: its rate limit
  std::optional<AwsError> error;
  std::chrono::milliseconds delay{0};
  std::optional<TransportFault> fault;
  std::optional<PageShape> page;
};

// Counters of one rule, for the admin API.
struct RuleStats {
  std::uint64_t matched = 0;  // requests that reached it and met its non-random conditions
  std::uint64_t decided = 0;  // requests it answered
};

struct ScenarioStatus {
  std::shared_ptr<const Scenario> scenario;  // kept alive across a reload
  bool active = false;
  std::vector<RuleStats> rules;
  std::uint64_t throttled = 0;  // requests its rate limit refused
};

// Chooses injected faults: the active scenarios' rate limits first (every one takes a token),
// then their rules in order; the first rule whose conditions hold decides (docs/decisions.md,
// "Scenarios", "Rule counting"). Counters, buckets and random draws are per rule/scenario.
// Thread-safe: counters are atomic (so `calls: 1-2` matches exactly two requests under any
// concurrency), buckets and the active list are guarded by mutexes.
class FaultEngine {
 public:
  FaultEngine(std::vector<Scenario> scenarios, std::shared_ptr<const Clock> clock,
              std::shared_ptr<RandomSource> random);
  ~FaultEngine();

  // Makes `names` the active scenarios, tried in that order. An unknown name changes nothing:
  // the error lists the known names.
  Result<std::vector<std::string>, std::string> Activate(const std::vector<std::string>& names);
  std::vector<std::string> ActiveNames() const;

  std::optional<FaultDecision> Decide(const FaultRequest& request);

  // Zeroes every counter and refills every bucket.
  void Reset();

  // Swaps in reloaded scenarios. Active names stay active (a vanished one is dropped and
  // returned); a scenario that keeps its name keeps its rules' counters and its buckets.
  std::vector<std::string> ReplaceScenarios(std::vector<Scenario> scenarios);

  std::vector<ScenarioStatus> Status() const;
  // "a, b, c": the loaded scenario names, for messages.
  std::string KnownNames() const;

 private:
  struct State;
  using StateList = std::vector<std::shared_ptr<State>>;

  std::shared_ptr<const StateList> Active() const;
  std::shared_ptr<const StateList> All() const;
  double Draw();

  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<RandomSource> random_;
  // Readers copy these pointers and work on the lists without the lock; a State lives as long
  // as any list (or in-flight request) holds it.
  mutable std::mutex mutex_;                 // guards states_ and active_
  std::shared_ptr<const StateList> states_;  // every loaded scenario
  std::shared_ptr<const StateList> active_;  // in the order tried
  // Whether any scenario is active, read without the lock: the common case (none) must not
  // make every request take a mutex.
  std::atomic<bool> any_active_{false};
};

}  // namespace datazone_mock
