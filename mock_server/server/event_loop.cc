#include "server/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace datazone_mock {

EventLoop::EventLoop(Callbacks callbacks, std::chrono::milliseconds idle_timeout)
    : callbacks_(std::move(callbacks)), idle_timeout_(idle_timeout) {}

EventLoop::~EventLoop() {
  Stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Result<bool, std::string> EventLoop::Start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return std::string("epoll_create1: ") + std::strerror(errno);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return std::string("eventfd: ") + std::strerror(errno);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.ptr = nullptr;  // the one entry that is not a connection
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake) != 0) {
    return std::string("epoll_ctl: ") + std::strerror(errno);
  }
  thread_ = std::thread([this] { Run(); });
  return true;
}

void EventLoop::Adopt(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(adopted_mutex_);
    adopted_.push_back(std::move(connection));
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

void EventLoop::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  thread_.join();
}

void EventLoop::Run() {
  // Often enough to close idle connections close to their time and to see Stop.
  constexpr int kTurnMillis = 250;
  std::array<epoll_event, 64> events;
  while (!stopping_) {
    const int ready =
        ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), kTurnMillis);
    if (ready < 0 && errno != EINTR) break;
    const SteadyTime now = std::chrono::steady_clock::now();
    const std::size_t count = ready > 0 ? static_cast<std::size_t>(ready) : 0;
    for (std::size_t i = 0; i < count && !stopping_; ++i) {
      auto* connection = static_cast<Connection*>(events[i].data.ptr);
      if (!connection) {
        TakeAdopted();
        continue;
      }
      connection->last_active = now;
      switch (callbacks_.readable(*connection)) {
        case Next::kKeep:
          break;
        case Next::kClose:
          callbacks_.close(Release(connection));
          break;
        case Next::kHandOff:
          callbacks_.hand_off(Release(connection));
          break;
      }
    }
    CloseIdle(now);
  }
  TakeAdopted();  // adopted while stopping: closed with the rest
  for (auto& [key, connection] : connections_) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, key->fd, nullptr);
    callbacks_.close(std::move(connection));
  }
  connections_.clear();
}

void EventLoop::TakeAdopted() {
  std::uint64_t count = 0;
  (void)!::read(wake_fd_, &count, sizeof count);
  std::vector<std::unique_ptr<Connection>> adopted;
  {
    std::lock_guard lock(adopted_mutex_);
    adopted.swap(adopted_);
  }
  const SteadyTime now = std::chrono::steady_clock::now();
  for (auto& connection : adopted) {
    epoll_event watch{};
    // Level-triggered: a connection with bytes left unread is reported again next turn.
    watch.events = EPOLLIN | EPOLLRDHUP;
    watch.data.ptr = connection.get();
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection->fd, &watch) != 0) {
      callbacks_.hand_off(std::move(connection));  // a worker can still serve it
      continue;
    }
    connection->last_active = now;
    Connection* key = connection.get();
    connections_.emplace(key, std::move(connection));
  }
}

std::unique_ptr<Connection> EventLoop::Release(Connection* connection) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection->fd, nullptr);
  auto found = connections_.find(connection);
  std::unique_ptr<Connection> owned = std::move(found->second);
  connections_.erase(found);
  return owned;
}

void EventLoop::CloseIdle(SteadyTime now) {
  // Checked once a second: a keep-alive connection may outstay its timeout by that much.
  if (now < next_idle_check_) return;
  next_idle_check_ = now + std::chrono::seconds(1);
  std::vector<Connection*> idle;
  for (const auto& [key, connection] : connections_) {
    if (now - key->last_active >= idle_timeout_) idle.push_back(key);
  }
  for (Connection* connection : idle) callbacks_.close(Release(connection));
}

}  // namespace datazone_mock
