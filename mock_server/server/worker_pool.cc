#include "server/worker_pool.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>

namespace datazone_mock {

WorkerPool::WorkerPool(std::size_t max_threads, std::size_t warm_threads)
    : max_threads_(max_threads),
      warmer_([this, count = std::min(warm_threads, max_threads)] { Warm(count); }) {}

WorkerPool::~WorkerPool() { Shutdown(); }

void WorkerPool::Enqueue(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  if (stopping_) {  // the threads may be gone: run it here rather than never
    lock.unlock();
    task();
    return;
  }
  tasks_.push_back(std::move(task));
  if (idle_ < tasks_.size() && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { Work(); });
  } else {
    ready_.notify_one();
  }
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (warmer_.joinable()) warmer_.join();  // it adds no thread once stopping
  ready_.notify_all();
  // threads_ no longer grows: a task queued now runs on a thread already there.
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::Warm(std::size_t count) {
  for (;;) {
    std::lock_guard lock(mutex_);  // taken per thread: Enqueue never waits for them all
    if (stopping_ || threads_.size() >= count) return;
    threads_.emplace_back([this] { Work(); });
  }
}

void WorkerPool::Work() {
  // Batch: no wakeup preemption (see the class comment). Allowed to any user; if refused, the
  // worker runs as it was started.
  sched_param normal{};
  (void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &normal);
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) return;  // stopping, and nothing left to do
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace datazone_mock
