#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/http_message.h"
#include "core/once_slots.h"
#include "core/trace.h"

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
  std::uint32_t page = 0;  // the page answered (1 without a token); 0: no page was answered
  // Still held by an injected delay (only in the in-flight list, never in the journal).
  bool in_flight = false;
  // False when the client was gone before the answer (it disconnected or timed out first).
  bool delivered = true;
  std::vector<TraceStep> trace;  // why it answered that (empty with --trace off)
};

// The entry's query parameters, decoded, in the order sent.
std::vector<std::pair<std::string, std::string>> DecodedQuery(const JournalEntry& entry);

struct JournalFilter {
  std::optional<std::string> access_key_id;
  std::optional<int> status;
  std::optional<std::string> error_type;
  std::optional<std::uint64_t> since;     // entries with a larger id
  std::optional<std::string> request_id;  // x-amzn-RequestId, exactly
  std::optional<std::uint64_t> id;
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
  std::uint64_t Append(const JournalEntry& entry);
  // Append without building an entry first: `fill(JournalEntry&)` writes every field but `id`
  // into the ring's slot, under its lock, assigning into the strings and trace the slot already
  // holds, so that once the ring is warm a request allocates nothing here. Returns the id.
  template <typename Fill>
  std::uint64_t AppendWith(Fill&& fill);
  // Entries in id order. An entry still being written ends the answer there, so a caller
  // polling with `since` never skips one.
  std::vector<JournalEntry> Query(const JournalFilter& filter) const;
  // Forgets every entry; ids keep counting.
  void Clear();
  // Forgets the entries of one caller (by access key id); ids keep counting.
  void ClearCaller(std::string_view access_key_id);
  std::size_t capacity() const { return capacity_; }
  std::size_t size() const;

 private:
  struct Slot {
    mutable std::mutex mutex;  // guards entry and forgotten
    JournalEntry entry;        // entry.id == 0: never written
    bool forgotten = false;    // cleared for its caller: skipped by Query
  };
  // The ring is made in blocks, each on the first write into it: a ring of 10,000 slots built
  // whole took a quarter of start-up (bench/README.md), and a short test run needs one block.
  static constexpr std::size_t kSlotsPerBlock = 256;
  using Block = std::array<Slot, kSlotsPerBlock>;
  // The ids a Query may return: from the first not evicted nor cleared to the newest.
  std::pair<std::uint64_t, std::uint64_t> Window() const;
  // Where id `id` lives (slot id % capacity_), its block made if need be.
  Slot& SlotFor(std::uint64_t id);
  // The same, or nullptr while its block is not made (nothing was written there yet).
  const Slot* WrittenSlot(std::uint64_t id) const;

  const std::size_t capacity_;
  OnceSlots<Block> blocks_;  // slot index i in blocks_[i / kSlotsPerBlock]
  std::atomic<std::uint64_t> next_id_{1};
  std::atomic<std::uint64_t> first_kept_{1};  // ids below it were cleared
};

template <typename Fill>
std::uint64_t Journal::AppendWith(Fill&& fill) {
  const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
  if (capacity_ == 0) return id;
  Slot& slot = SlotFor(id);
  std::lock_guard lock(slot.mutex);
  // Two laps of the ring apart, a slower writer must not overwrite a newer entry.
  if (slot.entry.id > id) return id;
  fill(slot.entry);
  slot.entry.id = id;
  slot.forgotten = false;
  return id;
}

// Requests still held by an injected delay, so that a test can see what is waiting (GET
// /_mock/requests lists them apart from the journal). Thread-safe; only delayed requests come
// here, so the common path never touches it.
class InFlightRequests {
 public:
  // Registers `entry` until Remove(ticket).
  std::uint64_t Add(JournalEntry entry);
  void Remove(std::uint64_t ticket);
  std::vector<JournalEntry> Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ticket_ = 1;
  std::map<std::uint64_t, JournalEntry> entries_;
};

// The attempt number of an `amz-sdk-request` header ("ttl=...; attempt=2; max=3" -> 2), or 0.
int AttemptOf(std::string_view amz_sdk_request);

}  // namespace datazone_mock
