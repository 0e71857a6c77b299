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
#include "core/trace.h"
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

// The request's page number, read at most once (it decrypts the token).
class LazyPageNumber {
 public:
  explicit LazyPageNumber(const FaultRequest& request) : request_(request) {}
  std::optional<std::uint32_t> Get() {
    if (!read_) {
      read_ = true;
      if (request_.page_number) page_ = request_.page_number();
    }
    return page_;
  }

 private:
  const FaultRequest& request_;
  bool read_ = false;
  std::optional<std::uint32_t> page_;
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
  bool added_at_run_time = false;  // by POST /_mock/scenarios, not from a file
  std::vector<RuleStats> rules;
  std::uint64_t throttled = 0;  // requests its rate limit refused
};

// A namespace of the engine: the global one (nullopt), shared by every caller, or one caller's,
// named by its access key id (README, "Sharing one mock").
using CallerKey = std::optional<std::string>;

// Chooses injected faults: the active scenarios' rate limits first (every one takes a token),
// then their rules in order; the first rule whose conditions hold decides (docs/decisions.md,
// "Scenarios", "Rule counting"). Counters, buckets and random draws are per rule/scenario.
//
// A caller may have scenarios of its own (added at run time for it) and an activation of its
// own, whose counters and buckets are its own: its requests try its own active scenarios first,
// then the global ones. Nobody else's requests see them.
//
// Thread-safe: counters are atomic (so `calls: 1-2` matches exactly two requests under any
// concurrency), buckets and the lists are guarded by mutexes.
class FaultEngine {
 public:
  FaultEngine(std::vector<Scenario> scenarios, std::shared_ptr<const Clock> clock,
              std::shared_ptr<RandomSource> random);
  ~FaultEngine();

  // Makes `names` the active scenarios of `caller`'s namespace, tried in that order. A name is
  // looked up among the caller's own scenarios, then the global ones. An unknown name changes
  // nothing: the error lists the known names.
  Result<std::vector<std::string>, std::string> Activate(const std::vector<std::string>& names,
                                                         const CallerKey& caller = {});
  std::vector<std::string> ActiveNames(const CallerKey& caller = {}) const;
  // Whether an active scenario of any namespace has a rule that delays its answer: the HTTP
  // layer serves requests that may wait on threads of their own. Lock-free.
  bool MayDelay() const { return any_active_delay_; }

  // `trace`, when given, hears each rate limit and each rule reached, and why it held or not.
  std::optional<FaultDecision> Decide(const FaultRequest& request, Trace* trace = nullptr);

  // Zeroes every counter and refills every bucket (of every namespace).
  void Reset();
  // Zeroes the counters and refills the buckets of `caller`'s own activation.
  void ResetCaller(const std::string& caller);
  // Forgets `caller`'s namespace: its activation, counters, buckets and scenarios.
  void DropCaller(const std::string& caller);
  // Forgets every caller's namespace and every scenario added at run time (a global reset).
  void DropRunTimeState();

  // Adds a scenario at run time, to the global namespace or to `caller`'s; one of the same name
  // there is replaced (true), its counters kept when its rules are as many.
  bool AddScenario(Scenario scenario, const CallerKey& caller = {});
  // Removes a scenario added at run time; an error says why not (unknown, or from a file), and
  // whether it was found at all (404 vs 400).
  struct RemoveProblem {
    bool not_found = false;
    std::string message;
  };
  Result<bool, RemoveProblem> RemoveScenario(std::string_view name, const CallerKey& caller = {});

  // Swaps in reloaded file scenarios; scenarios added at run time stay, and shadow a file
  // scenario of the same name. Active names stay active (a vanished one is dropped and
  // returned); a scenario that keeps its name keeps its rules' counters and its buckets.
  std::vector<std::string> ReplaceScenarios(std::vector<Scenario> scenarios);

  // What `caller` sees: the global scenarios and its own, with its own counters for those it
  // activated itself.
  std::vector<ScenarioStatus> Status(const CallerKey& caller = {}) const;
  // The callers with a namespace of their own.
  std::vector<std::string> Callers() const;
  // "a, b, c": the scenario names `caller` can activate, for messages.
  std::string KnownNames(const CallerKey& caller = {}) const;

 private:
  struct State;
  using StateList = std::vector<std::shared_ptr<State>>;
  struct CallerSpace {
    StateList scenarios;                      // its own, added at run time
    std::shared_ptr<const StateList> active;  // its activation, with its own counters
  };

  std::shared_ptr<const StateList> Active() const;
  std::shared_ptr<const StateList> All() const;
  std::shared_ptr<const StateList> ActiveOf(const std::string& caller) const;
  // The scenario `name` as `caller` sees it; null if unknown. Needs mutex_.
  std::shared_ptr<State> FindLocked(std::string_view name, const CallerKey& caller) const;
  std::string KnownNamesLocked(const CallerKey& caller) const;
  void RebindCallersLocked();
  void UpdateAnyActiveLocked();
  double Draw();
  std::optional<FaultDecision> DecideIn(const StateList& active, const FaultRequest& request,
                                        Trace* trace, LazyPageNumber& page);

  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<RandomSource> random_;
  // Readers copy these pointers and work on the lists without the lock; a State lives as long
  // as any list (or in-flight request) holds it.
  mutable std::mutex mutex_;                 // guards states_, active_ and callers_
  std::shared_ptr<const StateList> states_;  // every global scenario: the files' and run time's
  std::shared_ptr<const StateList> active_;  // in the order tried
  std::map<std::string, CallerSpace, std::less<>> callers_;
  // Whether any scenario is active anywhere, and whether any caller has an activation, read
  // without the lock: the common case (none) must not make every request take a mutex.
  std::atomic<bool> any_active_{false};
  std::atomic<bool> any_caller_active_{false};
  std::atomic<bool> any_active_delay_{false};
};

}  // namespace datazone_mock
