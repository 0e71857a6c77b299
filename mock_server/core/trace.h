#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datazone_mock {

// One step of the explanation of an answer (README, "Why did it answer that?"): what was
// checked, how it came out, and the detail a person needs, e.g.
// {"scenario", "skipped", "throttle rule 1: calls 3 not in 1-2"}.
struct TraceStep {
  std::string_view step;     // a literal: authentication, routing, scenario, validation, ...
  std::string_view outcome;  // a literal: ok, refused, decided, skipped, found, not found, ...
  std::string detail;

  bool operator==(const TraceStep&) const = default;
};

// The steps of one request, in the order they decided the answer. A null Trace* everywhere
// means "not traced" (--trace off), and costs one branch per step.
class Trace {
 public:
  void Add(std::string_view step, std::string_view outcome, std::string detail = {}) {
    steps_.push_back(TraceStep{step, outcome, std::move(detail)});
  }
  const std::vector<TraceStep>& steps() const { return steps_; }
  std::vector<TraceStep> Take() { return std::move(steps_); }

 private:
  std::vector<TraceStep> steps_;
};

// Adds a step when tracing; the detail is built only then.
template <class Detail>
void TraceIf(Trace* trace, std::string_view step, std::string_view outcome, Detail&& detail) {
  if (trace) trace->Add(step, outcome, std::string(std::forward<Detail>(detail)()));
}

}  // namespace datazone_mock
