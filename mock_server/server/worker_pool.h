#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace datazone_mock {

// Threads for work that may block: connections a worker serves start to end (TLS, bodies,
// answers that wait). Grows on demand up to `max_threads`, so that every such connection has
// a thread of its own.
//
// `warm_threads` are started at once, off the caller's thread (bench/README.md, "256
// connections"): created one by one as a burst of connections arrived, they kept the listening
// thread from accepting, and requests waited over 2 s. Workers run as SCHED_BATCH, so that one
// woken by its connection does not preempt the thread that is accepting or answering.
class WorkerPool {
 public:
  WorkerPool(std::size_t max_threads, std::size_t warm_threads);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Enqueue(std::function<void()> task);
  // Runs every task already queued, then joins the threads. Idempotent.
  void Shutdown();

 private:
  void Warm(std::size_t count);
  void Work();

  const std::size_t max_threads_;
  std::mutex mutex_;  // guards everything below
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::thread warmer_;  // last: it starts once everything above is ready
};

}  // namespace datazone_mock
