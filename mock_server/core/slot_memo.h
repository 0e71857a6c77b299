#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <utility>

namespace datazone_mock {

// A small cache for the request path: `kSlots` slots, each holding the last entry kept there,
// an entry living in the slot its key's hash picks. The newest entry wins its slot; there is no
// other eviction, so a lookup is one short lock and one comparison, and a miss costs only the
// work it would have cost without the cache. What makes an entry match is the caller's: the
// memo never compares keys itself. Thread-safe.
template <class Entry, std::size_t kSlots>
class SlotMemo {
 public:
  // `read(const Entry&)` on the slot `hash` picks, under the lock; returns what it returns (so
  // a hit copies out what it needs, never a reference into the slot).
  template <class Reader>
  auto Read(std::size_t hash, const Reader& read) const {
    std::lock_guard lock(mutex_);
    return read(slots_[hash % kSlots]);
  }

  // Puts `entry` in the slot `hash` picks, in place of what was there.
  void Keep(std::size_t hash, Entry entry) {
    {
      std::lock_guard lock(mutex_);
      std::swap(slots_[hash % kSlots], entry);
    }
    // `entry` now holds the one replaced: freed here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;  // guards slots_
  std::array<Entry, kSlots> slots_{};
};

}  // namespace datazone_mock
