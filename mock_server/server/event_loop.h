#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "server/connection.h"

namespace datazone_mock {

// One thread that serves many keep-alive connections (epoll): it waits for any of them to be
// readable and answers on the spot, so a request costs no thread switch (bench/README.md,
// "Where the time goes"). What it cannot answer without waiting it hands off.
//
// The loop owns its connections. Adopt() is thread-safe; everything else runs on the loop's
// thread.
class EventLoop {
 public:
  enum class Next {
    kKeep,     // wait for its next request
    kClose,    // done with it
    kHandOff,  // a worker thread serves it from now on
  };
  struct Callbacks {
    // The connection is readable: read and answer what arrived.
    std::function<Next(Connection&)> readable;
    // Ends a connection the loop is done with (closed by the peer, idle, or at Stop).
    std::function<void(std::unique_ptr<Connection>)> close;
    // Gives a connection to a worker thread.
    std::function<void(std::unique_ptr<Connection>)> hand_off;
  };

  // Connections idle longer than `idle_timeout` are closed.
  EventLoop(Callbacks callbacks, std::chrono::milliseconds idle_timeout);
  ~EventLoop();  // Stop()
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts the loop's thread; or why it cannot (no epoll or eventfd).
  Result<bool, std::string> Start();
  // Takes a new connection; the loop watches it from its next turn.
  void Adopt(std::unique_ptr<Connection> connection);
  // Closes every connection it holds (each between requests: the loop answers one request at
  // a time, start to end) and joins the thread. Idempotent.
  void Stop();

 private:
  void Run();
  void TakeAdopted();
  std::unique_ptr<Connection> Release(Connection* connection);
  void CloseIdle(SteadyTime now);

  Callbacks callbacks_;
  std::chrono::milliseconds idle_timeout_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: Adopt and Stop wake the loop with it
  std::atomic<bool> stopping_{false};
  std::mutex adopted_mutex_;  // guards adopted_
  std::vector<std::unique_ptr<Connection>> adopted_;
  // The loop thread's own: every connection it watches.
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  SteadyTime next_idle_check_{};
  std::thread thread_;
};

}  // namespace datazone_mock
