// The only file that includes httplib.h. cpp-httplib parses HTTP and runs the worker pool; this
// file adds what Debian's compiled 0.11.4 cannot be configured to do: an unbounded keep-alive
// loop that notices Stop(), a larger listen backlog, no compression or ranges, and AWS-shaped
// bodies on the library's own errors (decisions.md, "HTTP layer limits").
#include "server/http_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "api/aws_errors.h"

namespace datazone_mock {
namespace {

using Micros = std::chrono::microseconds;

bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  int result;
  do {
    result = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (result < 0 && errno == EINTR);
  return result > 0;
}

void AddressOf(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  const int result = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                          : ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (result != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

// A transport fault chosen for the response being written on this connection.
struct ConnectionFault {
  TransportFault fault = TransportFault::kNone;
  std::size_t body_budget = 0;  // kTruncate: body bytes still to send
  bool headers_written = false;
};

// The connection served by this worker thread. httplib gives handlers no access to the
// socket; each connection is served start to end on one worker thread, so the handler finds
// its connection's fault slot here.
thread_local ConnectionFault* current_connection_fault = nullptr;

// A buffered socket stream: httplib reads request lines a byte at a time, so reads are served
// from a 4 KiB buffer rather than one system call per byte. Writes honour an injected fault.
class SocketStream final : public httplib::Stream {
 public:
  SocketStream(int fd, std::chrono::milliseconds read_timeout,
               std::chrono::milliseconds write_timeout, ConnectionFault& fault)
      : fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout), fault_(fault) {}

  bool is_readable() const override {
    return buffered() > 0 || WaitFor(fd_, POLLIN, read_timeout_);
  }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, write_timeout_); }

  ssize_t read(char* out, size_t size) override {
    if (buffered() == 0) {
      // Try first, wait only if nothing is there: the keep-alive loop has usually just seen
      // the socket readable, and a poll per read would double the system calls.
      ssize_t received = Receive(MSG_DONTWAIT);
      if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!WaitFor(fd_, POLLIN, read_timeout_)) return -1;
        received = Receive(0);
      }
      if (received <= 0) return received;
      begin_ = 0;
      end_ = static_cast<std::size_t>(received);
    }
    const std::size_t count = std::min(size, buffered());
    std::memcpy(out, buffer_.data() + begin_, count);
    begin_ += count;
    return static_cast<ssize_t>(count);
  }

  // Sends everything (httplib does not retry a short write of a body) unless a fault says
  // otherwise: reset/close send nothing, truncate sends the headers and part of the body.
  ssize_t write(const char* data, size_t size) override {
    switch (fault_.fault) {
      case TransportFault::kReset:
      case TransportFault::kClose:
        return -1;
      case TransportFault::kTruncate:
        // httplib writes the status line and headers in one call, then the body.
        if (fault_.headers_written) {
          const std::size_t allowed = std::min(size, fault_.body_budget);
          fault_.body_budget -= allowed;
          if (allowed > 0) SendAll(data, allowed);
          return -1;
        }
        fault_.headers_written = true;
        return SendAll(data, size) ? static_cast<ssize_t>(size) : -1;
      default:
        break;
    }
    // httplib writes the status line and headers in one call and the body in the next. Holding
    // the headers until the body comes sends a response in one segment and one system call.
    const std::string_view chunk(data, size);
    if (pending_.empty() && chunk.rfind("HTTP/1.", 0) == 0 && chunk.size() >= 4 &&
        chunk.substr(chunk.size() - 4) == "\r\n\r\n") {
      pending_.assign(chunk);
      return static_cast<ssize_t>(size);
    }
    if (!pending_.empty()) {
      pending_.append(chunk);
      const bool sent = Flush();
      return sent ? static_cast<ssize_t>(size) : -1;
    }
    return SendAll(data, size) ? static_cast<ssize_t>(size) : -1;
  }

  // Sends held headers (a response without a body, e.g. to HEAD). Called after each request.
  bool Flush() {
    if (pending_.empty()) return true;
    const bool sent = SendAll(pending_.data(), pending_.size());
    pending_.clear();
    return sent;
  }

  // httplib asks for both addresses on every request; they cannot change on a connection.
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (remote_port_ < 0) AddressOf(fd_, true, remote_ip_, remote_port_);
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (local_port_ < 0) AddressOf(fd_, false, local_ip_, local_port_);
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

  // Bytes of a pipelined next request already read from the socket.
  std::size_t buffered() const { return end_ - begin_; }

 private:
  ssize_t Receive(int flags) {
    ssize_t received;
    do {
      received = ::recv(fd_, buffer_.data(), buffer_.size(), flags);
    } while (received < 0 && errno == EINTR);
    return received;
  }

  // Sends without waiting first; only a full socket buffer makes it wait (up to the timeout).
  bool SendAll(const char* data, std::size_t size) const {
    while (size > 0) {
      const ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && errno == EINTR) continue;
      if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!is_writable()) return false;
        continue;
      }
      if (sent <= 0) return false;
      data += sent;
      size -= static_cast<std::size_t>(sent);
    }
    return true;
  }

  int fd_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  ConnectionFault& fault_;
  std::string pending_;  // headers waiting for their body
  mutable std::string remote_ip_;
  mutable int remote_port_ = -1;
  mutable std::string local_ip_;
  mutable int local_port_ = -1;
};

// httplib's task queue, growing on demand: httplib serves each keep-alive connection on one
// worker for its whole life, so up to `max_threads` are needed under load, but starting them
// all up front would cost start-up time and memory that an idle mock does not need.
class GrowingThreadPool final : public httplib::TaskQueue {
 public:
  explicit GrowingThreadPool(std::size_t max_threads) : max_threads_(max_threads) {}
  ~GrowingThreadPool() override = default;

  void enqueue(std::function<void()> task) override {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    if (idle_ < tasks_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { Work(); });
    } else {
      ready_.notify_one();
    }
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& thread : threads_) thread.join();  // threads_ no longer grows
  }

 private:
  void Work() {
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

  const std::size_t max_threads_;
  std::mutex mutex_;  // guards everything below
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

HttpRequest ToHttpRequest(const httplib::Request& request) {
  HttpRequest out;
  out.method = request.method;
  out.target = request.target;
  out.body = request.body;
  out.headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    // httplib adds these itself; they were not sent by the client.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT") {
      continue;
    }
    std::string lower = name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // ASCII: no locale call
    }
    out.headers.emplace_back(std::move(lower), value);
  }
  return out;
}

// Copies status and headers; moves the body (the log and the journal never read it).
void Apply(HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  if (!from.headers.empty() && from.Header("Content-Type").empty()) {
    to.set_header("Content-Type", "application/json");
  }
  to.body = std::move(from.body);
}

AwsError LibraryError(int status) {
  switch (status) {
    case 414:
      return RequestUriTooLong();
    case 404:
      return UnknownOperation("", "");
    default: {
      AwsError error = BadRequest();
      error.http_status = status;
      return error;
    }
  }
}

}  // namespace

class HttpServer::Impl final : public httplib::Server {
 public:
  Impl(HttpServerOptions options, RequestHandler handler, ErrorResponder errors,
       RequestLogger logger)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        errors_(std::move(errors)),
        logger_(std::move(logger)) {
    const std::size_t threads = options_.worker_threads;
    new_task_queue = [threads] { return new GrowingThreadPool(threads); };
    // Without TCP_NODELAY each response stalls ~40 ms on Nagle + delayed ACK.
    set_tcp_nodelay(true);
    // SO_REUSEADDR only: SO_REUSEPORT would let two servers share a port silently.
    set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    set_read_timeout(options_.read_timeout.count());
    set_keep_alive_timeout(options_.keep_alive_timeout.count());
    set_keep_alive_max_count(kKeepAliveMaxRequests);

    // Requests without a body are answered before routing (the fast path); any other request
    // falls through to catch-all handlers, which httplib calls after it has read the body.
    set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
      if (request.has_header("Content-Length") || request.has_header("Transfer-Encoding")) {
        return HandlerResponse::Unhandled;
      }
      Dispatch(request, response);
      return HandlerResponse::Handled;
    });
    const auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
      Dispatch(request, response);
    };
    Get(".*", dispatch);
    Post(".*", dispatch);
    Put(".*", dispatch);
    Patch(".*", dispatch);
    Delete(".*", dispatch);
    Options(".*", dispatch);

    // The library's own errors (bad request line, URI too long, unknown method) get the same
    // JSON shape and headers as ours.
    set_error_handler(
        HandlerWithResponse([this](const httplib::Request& request, httplib::Response& response) {
          // Our own answers always have a body; the library's errors never do.
          if (!response.body.empty()) return HandlerResponse::Unhandled;
          HttpResponse answer = errors_(LibraryError(response.status));
          Apply(answer, response);
          logger_(ToHttpRequest(request), answer, Micros{0});
          return HandlerResponse::Handled;
        }));
    set_exception_handler(
        [this](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
          HttpResponse answer = errors_(InternalServerError("unhandled exception"));
          Apply(answer, response);
          logger_(ToHttpRequest(request), answer, Micros{0});
        });
  }

  Result<int, std::string> Bind() {
    int port = options_.port;
    if (port == 0) {
      port = bind_to_any_port(options_.host);
      if (port < 0) return "cannot listen on " + options_.host + ": " + std::strerror(errno);
    } else if (!bind_to_port(options_.host, port)) {
      return "cannot listen on " + options_.host + ":" + std::to_string(port) + ": " +
             std::strerror(errno);
    }
    // The compiled-in backlog is 5: a burst of new connections would be refused or delayed.
    ::listen(svr_sock_, options_.listen_backlog);
    return port;
  }

  bool Serve() { return listen_after_bind(); }

  void Shutdown() {
    stopping_ = true;
    stop();
  }

 private:
  static constexpr std::size_t kKeepAliveMaxRequests = 1'000'000;

  void Dispatch(const httplib::Request& request, httplib::Response& response) {
    const auto start = std::chrono::steady_clock::now();
    const HttpRequest in = ToHttpRequest(request);
    HttpResponse out = handler_(in);
    // Faults the socket must carry out; `empty` and `malformed-json` are ordinary responses.
    const TransportFault fault = out.transport_fault;
    if (current_connection_fault &&
        (fault == TransportFault::kReset || fault == TransportFault::kClose ||
         fault == TransportFault::kTruncate)) {
      current_connection_fault->fault = out.transport_fault;
      current_connection_fault->body_budget = out.body.size() / 2;
    }
    Apply(out, response);
    logger_(in, out, std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start));
  }

  // Waits for the next request on a keep-alive connection; false when idle too long, closed by
  // the peer, or the server is stopping.
  bool WaitForRequest(const SocketStream& stream, int fd) const {
    if (stream.buffered() > 0) return true;
    const auto deadline = std::chrono::steady_clock::now() + options_.keep_alive_timeout;
    while (!stopping_) {
      if (WaitFor(fd, POLLIN, std::chrono::milliseconds(100))) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
    return false;
  }

  bool process_and_close_socket(socket_t sock) override {
    ConnectionFault fault;
    current_connection_fault = &fault;
    SocketStream stream(sock, options_.read_timeout, options_.read_timeout, fault);
    bool ok = true;
    for (std::size_t served = 0; ok && WaitForRequest(stream, sock); ++served) {
      bool connection_closed = false;
      const bool last = stopping_ || served + 1 >= kKeepAliveMaxRequests;
      ok = process_request(stream, last, connection_closed, [](httplib::Request& request) {
        // No compression and no ranges: the same 200 body whatever the client asks
        // (decisions.md, "HTTP details").
        request.ranges.clear();
        request.headers.erase("Accept-Encoding");
      });
      ok = stream.Flush() && ok;
      if (connection_closed || last || fault.fault != TransportFault::kNone) break;
    }
    current_connection_fault = nullptr;
    if (fault.fault == TransportFault::kReset) {
      // Linger 0: close() sends a TCP RST instead of a FIN.
      linger abort{1, 0};
      ::setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    } else {
      ::shutdown(sock, SHUT_RDWR);
    }
    ::close(sock);
    return ok;
  }

  HttpServerOptions options_;
  RequestHandler handler_;
  ErrorResponder errors_;
  RequestLogger logger_;
  std::atomic<bool> stopping_{false};
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, ErrorResponder errors,
                       RequestLogger logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(errors),
                                   std::move(logger))) {}

HttpServer::~HttpServer() = default;

Result<int, std::string> HttpServer::Bind() { return impl_->Bind(); }

void HttpServer::Run() { impl_->Serve(); }

void HttpServer::Stop() { impl_->Shutdown(); }

}  // namespace datazone_mock
