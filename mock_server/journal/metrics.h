#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace datazone_mock {

// Counters for GET /_mock/metrics: requests by outcome ("ok", an error type, or
// "fault:<name>") and a latency histogram. Thread-safe.
class Metrics {
 public:
  void Record(const std::string& outcome, std::chrono::microseconds latency);
  // Record("ok", latency) without a lock: the common case.
  void RecordOk(std::chrono::microseconds latency);

  // The Prometheus text exposition format, with the store's size as gauges.
  std::string Prometheus(std::size_t domains, std::size_t jobs, std::size_t runs) const;

 private:
  void RecordLatency(std::chrono::microseconds latency);

  static constexpr std::array<double, 13> kBucketSeconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

  mutable std::mutex mutex_;                       // guards outcomes_
  std::map<std::string, std::uint64_t> outcomes_;  // all but "ok"
  std::atomic<std::uint64_t> ok_{0};
  std::array<std::atomic<std::uint64_t>, kBucketSeconds.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_microseconds_{0};
};

}  // namespace datazone_mock
