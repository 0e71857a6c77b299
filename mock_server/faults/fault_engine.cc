#include "faults/fault_engine.h"

#include "api/aws_errors.h"
#include "faults/glob.h"

namespace datazone_mock {

struct FaultEngine::State {
  struct RuleCounters {
    std::atomic<std::uint64_t> matched{0};
    std::atomic<std::uint64_t> decided{0};
  };
  // What a scenario has counted. Shared, not copied, by the State of a reload that keeps the
  // scenario: a request still deciding on the old State then counts where the new one reads.
  struct Counters {
    explicit Counters(std::size_t rule_count) : rules(rule_count) {}
    std::vector<RuleCounters> rules;
    std::atomic<std::uint64_t> throttled{0};
    std::mutex buckets_mutex;                                 // guards buckets
    std::map<std::string, TokenBucket, std::less<>> buckets;  // by scope key
  };

  explicit State(Scenario s, bool from_run_time = false)
      : scenario(std::move(s)),
        counters(std::make_shared<Counters>(scenario.rules.size())),
        added_at_run_time(from_run_time) {}

  // Counts carried over from `old`, a former version of the same scenario: shared when the
  // rules are as many, else copied by position, as well as they can.
  void KeepCountsOf(const State& old) {
    if (old.counters->rules.size() == counters->rules.size()) {
      counters = old.counters;
      return;
    }
    auto& now = *counters;
    auto& before = *old.counters;
    for (std::size_t i = 0; i < now.rules.size() && i < before.rules.size(); ++i) {
      now.rules[i].matched = before.rules[i].matched.load();
      now.rules[i].decided = before.rules[i].decided.load();
    }
    now.throttled = before.throttled.load();
    std::lock_guard buckets_lock(before.buckets_mutex);
    now.buckets = before.buckets;
  }

  void ResetCounts() {
    for (auto& rule : counters->rules) {
      rule.matched = 0;
      rule.decided = 0;
    }
    counters->throttled = 0;
    std::lock_guard lock(counters->buckets_mutex);
    counters->buckets.clear();  // buckets start full again when next used
  }

  Scenario scenario;
  std::shared_ptr<Counters> counters;
  bool added_at_run_time = false;
};

namespace {

bool Holds(const std::optional<std::string>& pattern, std::string_view value) {
  return !pattern || GlobMatch(*pattern, value);
}

// The conditions that do not depend on chance or on counting, in the order they are checked.
enum class Unmet { kNone, kDomain, kJob, kAccessKeyId, kStatus, kToken, kPage };

Unmet FirstUnmetFixedCondition(const RuleCondition& when, const FaultRequest& request,
                               LazyPageNumber& page) {
  if (!Holds(when.domain, request.domain)) return Unmet::kDomain;
  if (!Holds(when.job, request.job)) return Unmet::kJob;
  if (!Holds(when.access_key_id, request.access_key_id)) return Unmet::kAccessKeyId;
  if (when.status && (!request.status || *request.status != *when.status)) return Unmet::kStatus;
  if (when.token && request.has_token != (*when.token == TokenCondition::kPresent)) {
    return Unmet::kToken;
  }
  if (when.page) {
    const auto number = page.Get();
    if (!number || !when.page->Matches(*number)) return Unmet::kPage;
  }
  return Unmet::kNone;
}

std::string Quote(std::string_view value) {
  return value.empty() ? std::string("\"\"") : std::string(value);
}

// "accessKeyId AKID1 does not match AKIDX*": why a rule did not hold, for the explanation.
std::string DescribeUnmet(Unmet unmet, const RuleCondition& when, const FaultRequest& request,
                          LazyPageNumber& page) {
  switch (unmet) {
    case Unmet::kDomain:
      return "domain " + Quote(request.domain) + " does not match " + *when.domain;
    case Unmet::kJob:
      return "job " + Quote(request.job) + " does not match " + *when.job;
    case Unmet::kAccessKeyId:
      return "accessKeyId " + Quote(request.access_key_id) + " does not match " +
             *when.access_key_id;
    case Unmet::kStatus:
      return (request.status ? "status " + Quote(*request.status) : std::string("no status")) +
             " is not " + *when.status;
    case Unmet::kToken:
      return std::string(request.has_token ? "a nextToken was sent" : "no nextToken was sent") +
             ", token " + (*when.token == TokenCondition::kPresent ? "present" : "absent") +
             " wanted";
    case Unmet::kPage: {
      const auto number = page.Get();
      return number ? "page " + std::to_string(*number) + " not in " + ToString(*when.page)
                    : "the nextToken cannot be read, so it has no page for page " +
                          ToString(*when.page);
    }
    case Unmet::kNone:
      break;
  }
  return {};
}

std::string RuleName(const Scenario& scenario, std::size_t index) {
  return scenario.name + " rule " + std::to_string(index + 1);
}

std::string_view BucketKey(RateLimitScope scope, const FaultRequest& request) {
  switch (scope) {
    case RateLimitScope::kGlobal:
      return {};
    case RateLimitScope::kAccessKeyId:
      return request.access_key_id;
    case RateLimitScope::kDomain:
      return request.domain;
  }
  return {};
}

}  // namespace

FaultEngine::FaultEngine(std::vector<Scenario> scenarios, std::shared_ptr<const Clock> clock,
                         std::shared_ptr<RandomSource> random)
    : clock_(std::move(clock)),
      random_(std::move(random)),
      active_(std::make_shared<const StateList>()) {
  auto states = std::make_shared<StateList>();
  for (Scenario& scenario : scenarios) {
    states->push_back(std::make_shared<State>(std::move(scenario)));
  }
  states_ = std::move(states);
}

FaultEngine::~FaultEngine() = default;

std::shared_ptr<const FaultEngine::StateList> FaultEngine::Active() const {
  std::lock_guard lock(mutex_);
  return active_;
}

std::shared_ptr<const FaultEngine::StateList> FaultEngine::All() const {
  std::lock_guard lock(mutex_);
  return states_;
}

std::shared_ptr<const FaultEngine::StateList> FaultEngine::ActiveOf(
    const std::string& caller) const {
  std::lock_guard lock(mutex_);
  const auto it = callers_.find(caller);
  if (it == callers_.end() || !it->second.active) return nullptr;
  return it->second.active;
}

std::shared_ptr<FaultEngine::State> FaultEngine::FindLocked(std::string_view name,
                                                            const CallerKey& caller) const {
  if (caller) {
    const auto space = callers_.find(*caller);
    if (space != callers_.end()) {
      for (const auto& state : space->second.scenarios) {
        if (state->scenario.name == name) return state;
      }
    }
  }
  for (const auto& state : *states_) {
    if (state->scenario.name == name) return state;
  }
  return nullptr;
}

void FaultEngine::RebindCallersLocked() {
  // Each caller's activation takes the version of each scenario it now sees (its own first),
  // keeping its own counts; a scenario no longer there leaves the activation.
  for (auto& [key, space] : callers_) {
    if (!space.active) continue;
    auto rebound = std::make_shared<StateList>();
    for (const auto& own : *space.active) {
      const std::shared_ptr<State> current = FindLocked(own->scenario.name, key);
      if (!current) continue;
      auto copy = std::make_shared<State>(current->scenario, current->added_at_run_time);
      copy->KeepCountsOf(*own);
      rebound->push_back(std::move(copy));
    }
    space.active = std::move(rebound);
  }
}

void FaultEngine::UpdateAnyActiveLocked() {
  const auto delays = [](const std::shared_ptr<const StateList>& states) {
    if (!states) return false;
    for (const auto& state : *states) {
      for (const Rule& rule : state->scenario.rules) {
        if (rule.respond.delay) return true;
      }
    }
    return false;
  };
  bool any_caller = false;
  bool any_delay = delays(active_);
  for (const auto& [key, space] : callers_) {
    any_caller = any_caller || (space.active && !space.active->empty());
    any_delay = any_delay || delays(space.active);
  }
  any_caller_active_ = any_caller;
  any_active_ = any_caller || !active_->empty();
  any_active_delay_ = any_delay;
}

Result<std::vector<std::string>, std::string> FaultEngine::Activate(
    const std::vector<std::string>& names, const CallerKey& caller) {
  std::lock_guard lock(mutex_);
  auto list = std::make_shared<StateList>();
  const StateList* before = nullptr;
  if (caller) {
    const auto space = callers_.find(*caller);
    if (space != callers_.end() && space->second.active) before = space->second.active.get();
  }
  for (const std::string& name : names) {
    std::shared_ptr<State> found = FindLocked(name, caller);
    if (!found)
      return "unknown scenario '" + name + "'; known scenarios: " + KnownNamesLocked(caller);
    if (caller) {
      // The caller's own copy, with its own counters; one it already had keeps them.
      std::shared_ptr<State> own;
      if (before) {
        for (const auto& state : *before) {
          if (state->scenario.name == name) own = state;
        }
      }
      if (!own) own = std::make_shared<State>(found->scenario, found->added_at_run_time);
      found = std::move(own);
    }
    list->push_back(std::move(found));
  }
  if (caller) {
    callers_[*caller].active = std::move(list);
  } else {
    active_ = std::move(list);
  }
  UpdateAnyActiveLocked();
  return names;
}

std::vector<std::string> FaultEngine::ActiveNames(const CallerKey& caller) const {
  std::vector<std::string> names;
  // The list is held in a local: in `for (... : *Active())` the shared_ptr is a temporary that
  // dies before the loop runs (C++20), and a concurrent Activate or reload would free the list
  // being iterated. Reset and KnownNames hold theirs for the same reason.
  const auto active = caller ? ActiveOf(*caller) : Active();
  if (!active) return names;
  for (const auto& state : *active) names.push_back(state->scenario.name);
  return names;
}

bool FaultEngine::AddScenario(Scenario scenario, const CallerKey& caller) {
  std::lock_guard lock(mutex_);
  auto added = std::make_shared<State>(std::move(scenario), true);
  const std::string& name = added->scenario.name;
  if (caller) {
    StateList& list = callers_[*caller].scenarios;
    bool replaced = false;
    for (auto& state : list) {
      if (state->scenario.name != name) continue;
      added->KeepCountsOf(*state);
      state = added;
      replaced = true;
    }
    if (!replaced) list.push_back(added);
    RebindCallersLocked();
    UpdateAnyActiveLocked();  // an active scenario replaced may now delay, or no longer
    return replaced;
  }
  auto states = std::make_shared<StateList>(*states_);
  bool replaced = false;
  for (auto& state : *states) {
    if (state->scenario.name != name) continue;
    added->KeepCountsOf(*state);
    state = added;
    replaced = true;
  }
  if (!replaced) states->push_back(added);
  // An active scenario of that name now answers with the new rules.
  auto active = std::make_shared<StateList>(*active_);
  for (auto& state : *active) {
    if (state->scenario.name == name) state = added;
  }
  states_ = std::move(states);
  active_ = std::move(active);
  RebindCallersLocked();
  UpdateAnyActiveLocked();
  return replaced;
}

Result<bool, FaultEngine::RemoveProblem> FaultEngine::RemoveScenario(std::string_view name,
                                                                     const CallerKey& caller) {
  std::lock_guard lock(mutex_);
  const std::string where = caller ? " for access key " + *caller : std::string();
  if (caller) {
    const auto space = callers_.find(*caller);
    if (space != callers_.end()) {
      auto& own = space->second.scenarios;
      const auto it = std::find_if(own.begin(), own.end(),
                                   [&](const auto& state) { return state->scenario.name == name; });
      if (it != own.end()) {
        own.erase(it);
        RebindCallersLocked();  // its activation of the name now means the global one, if any
        UpdateAnyActiveLocked();
        return true;
      }
    }
    return RemoveProblem{true,
                         "No scenario '" + std::string(name) + "' was added at run time" + where};
  }
  const auto it = std::find_if(states_->begin(), states_->end(),
                               [&](const auto& state) { return state->scenario.name == name; });
  if (it == states_->end()) {
    return RemoveProblem{true, "No scenario '" + std::string(name) + "'"};
  }
  if (!(*it)->added_at_run_time) {
    return RemoveProblem{false, "Scenario '" + std::string(name) + "' comes from " +
                                    (*it)->scenario.file +
                                    "; only scenarios added at run time can be removed"};
  }
  auto states = std::make_shared<StateList>(*states_);
  std::erase_if(*states, [&](const auto& state) { return state->scenario.name == name; });
  auto active = std::make_shared<StateList>(*active_);
  std::erase_if(*active, [&](const auto& state) { return state->scenario.name == name; });
  states_ = std::move(states);
  active_ = std::move(active);
  RebindCallersLocked();
  UpdateAnyActiveLocked();
  return true;
}

std::vector<std::string> FaultEngine::ReplaceScenarios(std::vector<Scenario> scenarios) {
  std::lock_guard lock(mutex_);
  auto states = std::make_shared<StateList>();
  for (Scenario& scenario : scenarios) {
    auto state = std::make_shared<State>(std::move(scenario));
    const bool shadowed = std::any_of(states_->begin(), states_->end(), [&](const auto& old) {
      return old->added_at_run_time && old->scenario.name == state->scenario.name;
    });
    if (shadowed) continue;  // the run-time version stays
    for (const auto& old : *states_) {
      if (old->scenario.name == state->scenario.name) state->KeepCountsOf(*old);
    }
    states->push_back(std::move(state));
  }
  for (const auto& old : *states_) {
    if (old->added_at_run_time) states->push_back(old);
  }
  auto active = std::make_shared<StateList>();
  std::vector<std::string> dropped;
  for (const auto& old : *active_) {
    std::shared_ptr<State> found;
    for (const auto& state : *states) {
      if (state->scenario.name == old->scenario.name) found = state;
    }
    if (found) {
      active->push_back(std::move(found));
    } else {
      dropped.push_back(old->scenario.name);
    }
  }
  states_ = std::move(states);
  active_ = std::move(active);
  RebindCallersLocked();
  UpdateAnyActiveLocked();
  return dropped;
}

double FaultEngine::Draw() {
  // 53 random bits: a uniform double in [0, 1).
  return static_cast<double>(random_->NextU64() >> 11) * 0x1.0p-53;
}

std::optional<FaultDecision> FaultEngine::Decide(const FaultRequest& request, Trace* trace) {
  if (!any_active_.load(std::memory_order_acquire)) {
    if (trace) trace->Add("scenarios", "none active");
    return std::nullopt;
  }
  std::shared_ptr<const StateList> own;
  if (any_caller_active_.load(std::memory_order_acquire) && !request.access_key_id.empty()) {
    own = ActiveOf(std::string(request.access_key_id));
  }
  const auto global = Active();
  LazyPageNumber page(request);
  // The caller's own scenarios first: their rate limits and rules, then the global ones. Both
  // lists' rate limits take a token before any rule is tried.
  StateList tried;
  if (own) tried.insert(tried.end(), own->begin(), own->end());
  tried.insert(tried.end(), global->begin(), global->end());
  if (tried.empty()) {
    if (trace) trace->Add("scenarios", "none active");
    return std::nullopt;
  }
  return DecideIn(tried, request, trace, page);
}

std::optional<FaultDecision> FaultEngine::DecideIn(const StateList& active,
                                                   const FaultRequest& request, Trace* trace,
                                                   LazyPageNumber& page) {
  // Rate limits first; every active scenario's bucket takes a token.
  const auto now = clock_->Monotonic();
  const State* throttled_by = nullptr;
  for (const auto& state : active) {
    const auto& limit = state->scenario.rate_limit;
    if (!limit) continue;
    const std::string_view key = BucketKey(limit->scope, request);
    std::lock_guard lock(state->counters->buckets_mutex);
    auto bucket = state->counters->buckets.find(key);
    if (bucket == state->counters->buckets.end()) {
      bucket = state->counters->buckets
                   .emplace(std::string(key), TokenBucket(limit->per_second, limit->burst, now))
                   .first;
    }
    const bool taken = bucket->second.TryTake(now);
    TraceIf(trace, "rate limit", taken ? "token taken" : "throttled", [&] {
      return state->scenario.name + ": " + std::string(ToString(limit->scope)) + " bucket" +
             (key.empty() ? std::string() : " " + std::string(key));
    });
    if (!taken && !throttled_by) {
      throttled_by = state.get();
      state->counters->throttled.fetch_add(1);
    }
  }
  if (throttled_by) {
    FaultDecision decision;
    decision.scenario = throttled_by->scenario.name;
    decision.error = ErrorByType("ThrottlingException");
    decision.error->reason = "rate limit of scenario " + throttled_by->scenario.name;
    return decision;
  }

  for (const auto& state : active) {
    const std::vector<Rule>& rules = state->scenario.rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const RuleCondition& when = rules[i].when;
      const Unmet unmet = FirstUnmetFixedCondition(when, request, page);
      if (unmet != Unmet::kNone) {
        TraceIf(trace, "scenario", "skipped", [&] {
          return RuleName(state->scenario, i) + ": " + DescribeUnmet(unmet, when, request, page);
        });
        continue;
      }
      const std::uint64_t call = state->counters->rules[i].matched.fetch_add(1) + 1;
      if (when.calls && !when.calls->Matches(call)) {
        TraceIf(trace, "scenario", "skipped", [&] {
          return RuleName(state->scenario, i) + ": calls " + std::to_string(call) + " not in " +
                 ToString(*when.calls);
        });
        continue;
      }
      if (when.probability) {
        const double draw = Draw();
        if (draw >= *when.probability) {
          TraceIf(trace, "scenario", "skipped", [&] {
            return RuleName(state->scenario, i) + ": drew " + std::to_string(draw) +
                   ", not below probability " + std::to_string(*when.probability);
          });
          continue;
        }
      }
      state->counters->rules[i].decided.fetch_add(1);

      const RuleResponse& respond = rules[i].respond;
      FaultDecision decision;
      decision.scenario = state->scenario.name;
      decision.rule = static_cast<RuleNumber>(i + 1);
      decision.error = respond.error;
      decision.fault = respond.fault;
      decision.page = respond.page;
      if (respond.delay) {
        const auto span =
            static_cast<std::uint64_t>((respond.delay->max - respond.delay->min).count());
        decision.delay = respond.delay->min +
                         std::chrono::milliseconds(span == 0 ? 0 : random_->NextU64() % (span + 1));
      }
      TraceIf(trace, "scenario", "decided", [&] {
        std::string what = RuleName(state->scenario, i) + ":";
        if (decision.error) what += " error " + decision.error->type;
        if (decision.fault) what += " fault " + std::string(ToString(*decision.fault));
        if (decision.delay.count() > 0) {
          what += " delay " + std::to_string(decision.delay.count()) + "ms";
        }
        if (decision.page) what += " page shaped";
        if (when.calls) what += " (call " + std::to_string(call) + ")";
        return what;
      });
      return decision;
    }
  }
  if (trace) trace->Add("scenarios", "none decided");
  return std::nullopt;
}

void FaultEngine::Reset() {
  std::lock_guard lock(mutex_);
  for (const auto& state : *states_) state->ResetCounts();
  for (auto& [key, space] : callers_) {
    if (!space.active) continue;
    for (const auto& state : *space.active) state->ResetCounts();
  }
}

void FaultEngine::ResetCaller(const std::string& caller) {
  const auto own = ActiveOf(caller);
  if (!own) return;
  for (const auto& state : *own) state->ResetCounts();
}

void FaultEngine::DropCaller(const std::string& caller) {
  std::lock_guard lock(mutex_);
  callers_.erase(caller);
  UpdateAnyActiveLocked();
}

void FaultEngine::DropRunTimeState() {
  std::lock_guard lock(mutex_);
  callers_.clear();
  auto states = std::make_shared<StateList>(*states_);
  std::erase_if(*states, [](const auto& state) { return state->added_at_run_time; });
  auto active = std::make_shared<StateList>(*active_);
  std::erase_if(*active, [](const auto& state) { return state->added_at_run_time; });
  states_ = std::move(states);
  active_ = std::move(active);
  UpdateAnyActiveLocked();
}

std::vector<ScenarioStatus> FaultEngine::Status(const CallerKey& caller) const {
  std::lock_guard lock(mutex_);
  const StateList* own_active = nullptr;
  const StateList* own_scenarios = nullptr;
  if (caller) {
    const auto space = callers_.find(*caller);
    if (space != callers_.end()) {
      own_scenarios = &space->second.scenarios;
      if (space->second.active) own_active = space->second.active.get();
    }
  }
  const auto describe = [&](const std::shared_ptr<State>& state) {
    ScenarioStatus status;
    status.scenario = std::shared_ptr<const Scenario>(state, &state->scenario);
    status.added_at_run_time = state->added_at_run_time;
    const State* counted = state.get();
    if (caller) {
      if (own_active) {
        for (const auto& own : *own_active) {
          if (own->scenario.name == state->scenario.name) {
            status.active = true;
            counted = own.get();
          }
        }
      }
    } else {
      for (const auto& on : *active_) status.active = status.active || on == state;
    }
    for (const auto& counters : counted->counters->rules) {
      status.rules.push_back(RuleStats{counters.matched.load(), counters.decided.load()});
    }
    status.throttled = counted->counters->throttled.load();
    return status;
  };
  std::vector<ScenarioStatus> statuses;
  for (const auto& state : *states_) {
    const bool shadowed =
        own_scenarios &&
        std::any_of(own_scenarios->begin(), own_scenarios->end(),
                    [&](const auto& own) { return own->scenario.name == state->scenario.name; });
    if (!shadowed) statuses.push_back(describe(state));
  }
  if (own_scenarios) {
    for (const auto& state : *own_scenarios) statuses.push_back(describe(state));
  }
  return statuses;
}

std::vector<std::string> FaultEngine::Callers() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [key, space] : callers_) keys.push_back(key);
  return keys;
}

std::string FaultEngine::KnownNames(const CallerKey& caller) const {
  std::lock_guard lock(mutex_);
  return KnownNamesLocked(caller);
}

std::string FaultEngine::KnownNamesLocked(const CallerKey& caller) const {
  std::string names;
  const auto add = [&](const StateList& list) {
    for (const auto& state : list) {
      if (!names.empty()) names += ", ";
      names += state->scenario.name;
    }
  };
  add(*states_);
  if (caller) {
    const auto space = callers_.find(*caller);
    if (space != callers_.end()) add(space->second.scenarios);
  }
  return names.empty() ? "(none)" : names;
}

}  // namespace datazone_mock
