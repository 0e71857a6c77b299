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

  explicit State(Scenario s)
      : scenario(std::move(s)), counters(std::make_shared<Counters>(scenario.rules.size())) {}

  Scenario scenario;
  std::shared_ptr<Counters> counters;
};

namespace {

bool Holds(const std::optional<std::string>& pattern, std::string_view value) {
  return !pattern || GlobMatch(*pattern, value);
}

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

// The conditions that do not depend on chance or on counting.
bool MeetsFixedConditions(const RuleCondition& when, const FaultRequest& request,
                          LazyPageNumber& page) {
  if (!Holds(when.domain, request.domain) || !Holds(when.job, request.job) ||
      !Holds(when.access_key_id, request.access_key_id)) {
    return false;
  }
  if (when.status && (!request.status || *request.status != *when.status)) return false;
  if (when.token && request.has_token != (*when.token == TokenCondition::kPresent)) return false;
  if (when.page) {
    const auto number = page.Get();
    if (!number || !when.page->Matches(*number)) return false;
  }
  return true;
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

Result<std::vector<std::string>, std::string> FaultEngine::Activate(
    const std::vector<std::string>& names) {
  const auto all = All();
  auto list = std::make_shared<StateList>();
  for (const std::string& name : names) {
    std::shared_ptr<State> found;
    for (const auto& state : *all) {
      if (state->scenario.name == name) found = state;
    }
    if (!found) return "unknown scenario '" + name + "'; known scenarios: " + KnownNames();
    list->push_back(std::move(found));
  }
  std::lock_guard lock(mutex_);
  any_active_ = !list->empty();
  active_ = std::move(list);
  return names;
}

std::vector<std::string> FaultEngine::ReplaceScenarios(std::vector<Scenario> scenarios) {
  std::lock_guard lock(mutex_);
  auto states = std::make_shared<StateList>();
  for (Scenario& scenario : scenarios) {
    auto state = std::make_shared<State>(std::move(scenario));
    for (const auto& old : *states_) {
      if (old->scenario.name != state->scenario.name) continue;
      if (old->counters->rules.size() == state->counters->rules.size()) {
        state->counters = old->counters;
        continue;
      }
      // Other rules: their counts carry over by position, as well as they can.
      auto& now = *state->counters;
      auto& before = *old->counters;
      for (std::size_t i = 0; i < now.rules.size() && i < before.rules.size(); ++i) {
        now.rules[i].matched = before.rules[i].matched.load();
        now.rules[i].decided = before.rules[i].decided.load();
      }
      now.throttled = before.throttled.load();
      std::lock_guard buckets_lock(before.buckets_mutex);
      now.buckets = before.buckets;
    }
    states->push_back(std::move(state));
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
  any_active_ = !active->empty();
  active_ = std::move(active);
  return dropped;
}

std::vector<std::string> FaultEngine::ActiveNames() const {
  std::vector<std::string> names;
  // The list is held in a local: in `for (... : *Active())` the shared_ptr is a temporary that
  // dies before the loop runs (C++20), and a concurrent Activate or reload would free the list
  // being iterated. Reset and KnownNames hold theirs for the same reason.
  const auto active = Active();
  for (const auto& state : *active) names.push_back(state->scenario.name);
  return names;
}

double FaultEngine::Draw() {
  // 53 random bits: a uniform double in [0, 1).
  return static_cast<double>(random_->NextU64() >> 11) * 0x1.0p-53;
}

std::optional<FaultDecision> FaultEngine::Decide(const FaultRequest& request) {
  if (!any_active_.load(std::memory_order_acquire)) return std::nullopt;
  const auto active = Active();
  if (active->empty()) return std::nullopt;

  // Rate limits first; every active scenario's bucket takes a token.
  const auto now = clock_->Monotonic();
  const State* throttled_by = nullptr;
  for (const auto& state : *active) {
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
    if (!bucket->second.TryTake(now) && !throttled_by) {
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

  LazyPageNumber page(request);
  for (const auto& state : *active) {
    const std::vector<Rule>& rules = state->scenario.rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const RuleCondition& when = rules[i].when;
      if (!MeetsFixedConditions(when, request, page)) continue;
      const std::uint64_t call = state->counters->rules[i].matched.fetch_add(1) + 1;
      if (when.calls && !when.calls->Matches(call)) continue;
      if (when.probability && Draw() >= *when.probability) continue;
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
      return decision;
    }
  }
  return std::nullopt;
}

void FaultEngine::Reset() {
  const auto all = All();
  for (const auto& state : *all) {
    for (auto& counters : state->counters->rules) {
      counters.matched = 0;
      counters.decided = 0;
    }
    state->counters->throttled = 0;
    std::lock_guard lock(state->counters->buckets_mutex);
    state->counters->buckets.clear();  // buckets start full again when next used
  }
}

std::vector<ScenarioStatus> FaultEngine::Status() const {
  const auto active = Active();
  const auto all = All();
  std::vector<ScenarioStatus> statuses;
  for (const auto& state : *all) {
    ScenarioStatus status;
    status.scenario = std::shared_ptr<const Scenario>(state, &state->scenario);
    for (const auto& on : *active) status.active = status.active || on == state;
    for (const auto& counters : state->counters->rules) {
      status.rules.push_back(RuleStats{counters.matched.load(), counters.decided.load()});
    }
    status.throttled = state->counters->throttled.load();
    statuses.push_back(std::move(status));
  }
  return statuses;
}

std::string FaultEngine::KnownNames() const {
  std::string names;
  const auto all = All();
  for (const auto& state : *all) {
    if (!names.empty()) names += ", ";
    names += state->scenario.name;
  }
  return names.empty() ? "(none)" : names;
}

}  // namespace datazone_mock
