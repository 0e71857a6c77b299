#include "store/store_snapshot.h"

namespace datazone_mock {
namespace {

std::uint64_t NextGeneration() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

// What this thread last read. A weak_ptr, so an idle thread never keeps a replaced store's
// runs alive; lock() is a lock-free compare-and-swap on the reference count.
struct RememberedStore {
  std::uint64_t generation = 0;
  std::weak_ptr<const Store> store;
};
thread_local RememberedStore remembered;

}  // namespace

StoreSnapshot::StoreSnapshot(std::shared_ptr<const Store> store)
    : store_(std::move(store)), generation_(NextGeneration()) {}

std::shared_ptr<const Store> StoreSnapshot::Get() const {
  if (remembered.generation == generation_.load(std::memory_order_acquire)) {
    // Still current unless a Replace() ran since the load above; then this request sees the
    // store of a moment ago, as if it had arrived a moment earlier.
    if (auto store = remembered.store.lock()) return store;
  }
  std::lock_guard lock(mutex_);
  remembered.generation = generation_.load(std::memory_order_relaxed);
  remembered.store = store_;
  return store_;
}

void StoreSnapshot::Replace(std::shared_ptr<const Store> store) {
  {
    std::lock_guard lock(mutex_);
    store_.swap(store);
    generation_.store(NextGeneration(), std::memory_order_release);
  }
  // The old store (now in `store`) is freed here, outside the lock, or by its last reader.
}

}  // namespace datazone_mock
