#include "journal/metrics.h"

#include <cstdio>

namespace datazone_mock {

void Metrics::Record(const std::string& outcome, std::chrono::microseconds latency) {
  if (outcome == "ok") {
    RecordOk(latency);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    ++outcomes_[outcome];
  }
  RecordLatency(latency);
}

void Metrics::RecordOk(std::chrono::microseconds latency) {
  ok_.fetch_add(1, std::memory_order_relaxed);
  RecordLatency(latency);
}

void Metrics::RecordLatency(std::chrono::microseconds latency) {
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  std::size_t bucket = 0;
  while (bucket < kBucketSeconds.size() && seconds > kBucketSeconds[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1);
  count_.fetch_add(1);
  sum_microseconds_.fetch_add(static_cast<std::uint64_t>(latency.count()));
}

std::string Metrics::Prometheus(std::size_t domains, std::size_t jobs, std::size_t runs) const {
  std::string out =
      "# HELP datazone_mock_requests_total AWS calls answered, by outcome (ok, error type, "
      "or fault:<name>).\n# TYPE datazone_mock_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::uint64_t> outcomes = outcomes_;
    if (const std::uint64_t ok = ok_.load(); ok > 0) outcomes["ok"] = ok;
    for (const auto& [outcome, count] : outcomes) {
      out += "datazone_mock_requests_total{outcome=\"" + outcome + "\"} " + std::to_string(count) +
             "\n";
    }
  }
  out +=
      "# HELP datazone_mock_request_duration_seconds Time to answer an AWS call.\n"
      "# TYPE datazone_mock_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  char number[32];
  for (std::size_t i = 0; i <= kBucketSeconds.size(); ++i) {
    cumulative += buckets_[i].load();
    if (i < kBucketSeconds.size()) {
      std::snprintf(number, sizeof number, "%g", kBucketSeconds[i]);
    } else {
      std::snprintf(number, sizeof number, "+Inf");
    }
    out += "datazone_mock_request_duration_seconds_bucket{le=\"" + std::string(number) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  std::snprintf(number, sizeof number, "%.6f", static_cast<double>(sum_microseconds_.load()) / 1e6);
  out += "datazone_mock_request_duration_seconds_sum " + std::string(number) + "\n";
  out += "datazone_mock_request_duration_seconds_count " + std::to_string(count_.load()) + "\n";
  out +=
      "# HELP datazone_mock_store_runs Job runs stored.\n# TYPE datazone_mock_store_runs gauge\n";
  out += "datazone_mock_store_runs " + std::to_string(runs) + "\n";
  out += "# HELP datazone_mock_store_jobs Jobs stored.\n# TYPE datazone_mock_store_jobs gauge\n";
  out += "datazone_mock_store_jobs " + std::to_string(jobs) + "\n";
  out +=
      "# HELP datazone_mock_store_domains Domains stored.\n# TYPE datazone_mock_store_domains "
      "gauge\n";
  out += "datazone_mock_store_domains " + std::to_string(domains) + "\n";
  return out;
}

}  // namespace datazone_mock
