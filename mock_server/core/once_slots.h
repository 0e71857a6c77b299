#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace datazone_mock {

// A fixed number of slots, each filled at most once and then read without a lock: for things
// made on first need by whichever thread gets there first. The first object kept in a slot stays
// for the container's life; a later Keep gets that one back and its own object is freed. Owns
// what it holds. Thread-safe.
template <class T>
class OnceSlots {
 public:
  explicit OnceSlots(std::size_t count) : count_(count), slots_(new std::atomic<T*>[count]()) {}
  ~OnceSlots() {
    for (std::size_t i = 0; i < count_; ++i) delete slots_[i].load(std::memory_order_relaxed);
  }
  OnceSlots(const OnceSlots&) = delete;
  OnceSlots& operator=(const OnceSlots&) = delete;

  std::size_t size() const { return count_; }
  // What slot `i` holds, or nullptr if nothing was kept there yet.
  T* Find(std::size_t i) const { return slots_[i].load(std::memory_order_acquire); }
  // Keeps `made` in slot `i` unless the slot holds something already; returns what it holds.
  T* Keep(std::size_t i, std::unique_ptr<T> made) {
    T* expected = nullptr;
    if (slots_[i].compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel)) {
      return made.release();
    }
    return expected;  // another thread kept one first; `made` is freed
  }

 private:
  std::size_t count_;
  std::unique_ptr<std::atomic<T*>[]> slots_;
};

}  // namespace datazone_mock
