#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/http_message.h"

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
  RuleNumber rule = kNoRule;  // the rule of `scenario` that decided, 1-based; kNoRule: none
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
//
// Each slot has its own lock and ids come from an atomic counter, so concurrent requests only
// meet when they land on the same slot. One lock for the whole ring was taken by every request;
// with hundreds of worker threads on few cores its holder was sometimes preempted, and every
// other request then slept behind it.
class Journal {
 public:
  explicit Journal(std::size_t capacity);

  // Stores the entry with the next id and returns that id.
  std::uint64_t Append(JournalEntry entry);
  // Entries in id order. An entry still being written ends the answer there, so a caller
  // polling with `since` never skips one.
  std::vector<JournalEntry> Query(const JournalFilter& filter) const;
  // Forgets every entry; ids keep counting.
  void Clear();
  std::size_t capacity() const { return capacity_; }
  std::size_t size() const;

 private:
  struct Slot {
    mutable std::mutex mutex;  // guards entry
    JournalEntry entry;        // entry.id == 0: never written
  };
  // The ids a Query may return: from the first not evicted nor cleared to the newest.
  std::pair<std::uint64_t, std::uint64_t> Window() const;

  const std::size_t capacity_;
  std::unique_ptr<Slot[]> slots_;  // id N lives in slots_[N % capacity_]
  std::atomic<std::uint64_t> next_id_{1};
  std::atomic<std::uint64_t> first_kept_{1};  // ids below it were cleared
};

// The attempt number of an `amz-sdk-request` header ("ttl=...; attempt=2; max=3" -> 2), or 0.
int AttemptOf(std::string_view amz_sdk_request);

}  // namespace datazone_mock
