#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "store/store.h"

namespace datazone_mock {

// The store currently served. Readers take a shared_ptr for the whole request, so a swap never
// changes data under a request: it sees the old store or the new one, never a mix.
// Thread-safe.
//
// Get() takes no lock in the common case. With hundreds of worker threads on few cores, a
// mutex taken on every request is sometimes held by a thread the scheduler has just preempted;
// every other request then sleeps until that thread runs again, which showed up as a
// second-long latency tail at 256 connections. Each thread instead remembers the store it saw
// last with its generation, and takes the lock only when a Replace() has made that stale.
class StoreSnapshot {
 public:
  explicit StoreSnapshot(std::shared_ptr<const Store> store);

  std::shared_ptr<const Store> Get() const;
  void Replace(std::shared_ptr<const Store> store);

 private:
  mutable std::mutex mutex_;  // guards store_ (not std::atomic<shared_ptr>: TSan on GCC 12)
  std::shared_ptr<const Store> store_;
  // Unique across all snapshots in the process, so a thread's remembered generation can only
  // match the snapshot and the Replace() it was read from.
  std::atomic<std::uint64_t> generation_;
};

}  // namespace datazone_mock
