#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace datazone_mock {

// One answered AWS call, as a test wants to assert on it.
struct JournalEntry {
  std::uint64_t id = 0;  // 1, 2, 3, ... in arrival order
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string path;           // raw, as sent
  std::string query;          // raw, as sent (decoded when read: recording stays cheap)
  std::string access_key_id;  // "" when unsigned
  std::string invocation_id;  // amz-sdk-invocation-id
  int attempt = 0;            // from amz-sdk-request; 0 when absent
  std::string scenario;       // the scenario that decided, if any
  int rule = 0;               // 1-based rule; 0: none (or rate limit)
  int status = 0;
  std::string error_type;  // "" on success
  std::string reason;      // e.g. why a nextToken was refused
  std::string request_id;  // x-amzn-RequestId sent back
  std::chrono::microseconds latency{0};
};

// The entry's query parameters, decoded, in the order sent.
std::vector<std::pair<std::string, std::string>> DecodedQuery(const JournalEntry& entry);

struct JournalFilter {
  std::optional<std::string> access_key_id;
  std::optional<int> status;
  std::optional<std::string> error_type;
  std::optional<std::uint64_t> since;  // entries with a larger id
};

// The last `capacity` requests, oldest first: a bounded ring, so memory stays flat under load.
// Thread-safe.
class Journal {
 public:
  explicit Journal(std::size_t capacity) : capacity_(capacity) {
    entries_.reserve(capacity);  // address space only: pages are touched as entries arrive
  }

  // Stores the entry with the next id and returns that id.
  std::uint64_t Append(JournalEntry entry);
  std::vector<JournalEntry> Query(const JournalFilter& filter) const;
  void Clear();

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const;

 private:
  // Entries oldest first: entries_[oldest_ ..] then entries_[.. oldest_).
  const std::size_t capacity_;
  mutable std::mutex mutex_;  // guards entries_, oldest_ and next_id_
  std::vector<JournalEntry> entries_;
  std::size_t oldest_ = 0;
  std::uint64_t next_id_ = 1;
};

// The attempt number of an `amz-sdk-request` header ("ttl=...; attempt=2; max=3" -> 2), or 0.
int AttemptOf(std::string_view amz_sdk_request);

}  // namespace datazone_mock
