// The server side of cpp-httplib (its client serves remote_commands.cc and upstream.cc). The
// library parses HTTP and runs the worker pool; this file adds what Debian's compiled 0.11.4
// cannot be configured to do: an unbounded keep-alive loop that notices Stop(), a larger listen
// backlog, no compression or ranges, AWS-shaped bodies on the library's own errors
// (docs/decisions.md, "HTTP layer limits"), a deadline per request, a cap on header bytes and on
// connections, and TLS on the same code path.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "api/aws_errors.h"
#include "core/time_format.h"
#include "server/tls_context.h"

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

using Clock = std::chrono::steady_clock;

// What the handlers must know of the connection they answer on.
struct ConnectionState {
  // A transport fault chosen for the response being written.
  TransportFault fault = TransportFault::kNone;
  std::size_t body_budget = 0;  // kTruncate: body bytes still to send
  bool headers_written = false;
  // Accepted beyond the connection cap: answered 503, then closed.
  bool over_capacity = false;
  // Why reading the current request failed, for the answer to it.
  bool headers_too_large = false;
  bool timed_out = false;
  // A body refused unread: what follows on the connection is not a request.
  bool body_refused = false;
  int fd = -1;  // the connection's socket
};

// Whether the peer has closed its side (or reset): an answer sent now would reach nobody. Only
// asked after an injected delay, when a client may well have given up.
bool PeerGone(int fd) {
  pollfd watch{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&watch, 1, 0) <= 0) return false;
  if (watch.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
  char byte = 0;
  // Readable: a next request already sent (pipelined) is not a goodbye; end of stream is.
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

// The connection served by this worker thread. httplib gives handlers no access to the
// socket; each connection is served start to end on one worker thread, so the handlers find
// their connection's state here.
thread_local ConnectionState* current_connection = nullptr;

// A buffered socket stream, over TLS when given a session: httplib reads request lines a byte
// at a time, so reads are served from a 4 KiB buffer rather than one system call per byte.
// Reads stop at the request's deadline and at too many header bytes; writes honour an
// injected fault.
class SocketStream final : public httplib::Stream {
 public:
  SocketStream(int fd, SSL* tls, std::chrono::milliseconds timeout, ConnectionState& state)
      : fd_(fd), tls_(tls), timeout_(timeout), state_(state) {}

  // Starts a new request: it must arrive in full by `deadline`, and its header lines may not
  // exceed kMaxRequestHeaderBytes.
  void BeginRequest(Clock::time_point deadline) {
    deadline_ = deadline;
    header_bytes_ = 0;
    in_headers_ = true;
    line_has_content_ = false;
    CountHeaderBytes(buffer_.data() + begin_, buffered());
  }

  bool is_readable() const override {
    return buffered() > 0 || TlsPending() || WaitFor(fd_, POLLIN, timeout_);
  }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, timeout_); }

  ssize_t read(char* out, size_t size) override {
    if (state_.headers_too_large) return -1;
    if (buffered() == 0) {
      const ssize_t received = Fill();
      if (received <= 0) return received;
      if (in_headers_ && !CountHeaderBytes(buffer_.data(), buffered())) return -1;
    }
    const std::size_t count = std::min(size, buffered());
    std::memcpy(out, buffer_.data() + begin_, count);
    begin_ += count;
    return static_cast<ssize_t>(count);
  }

  // Sends everything (httplib does not retry a short write of a body) unless a fault says
  // otherwise: reset/close send nothing, truncate sends the headers and part of the body.
  ssize_t write(const char* data, size_t size) override {
    switch (state_.fault) {
      case TransportFault::kReset:
      case TransportFault::kClose:
        return -1;
      case TransportFault::kTruncate:
        // httplib writes the status line and headers in one call, then the body.
        if (state_.headers_written) {
          const std::size_t allowed = std::min(size, state_.body_budget);
          state_.body_budget -= allowed;
          if (allowed > 0) SendAll(data, allowed);
          return -1;
        }
        state_.headers_written = true;
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

  // Bytes of a pipelined next request already read (and decrypted), not yet parsed.
  bool HasPendingInput() const { return buffered() > 0 || TlsPending(); }

 private:
  std::size_t buffered() const { return end_ - begin_; }
  bool TlsPending() const { return tls_ && SSL_pending(tls_) > 0; }

  // Refills the empty buffer: what is there at once, else waits until the request's deadline.
  ssize_t Fill() {
    // Try first, wait only if nothing is there: the keep-alive loop has usually just seen the
    // socket readable, and a poll per read would double the system calls.
    ssize_t received = TlsPending() ? Receive() : ReceiveNow();
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0 || !WaitFor(fd_, POLLIN, std::min(left, timeout_))) {
        state_.timed_out = true;
        return -1;
      }
      received = Receive();
    }
    if (received <= 0) return received;
    begin_ = 0;
    end_ = static_cast<std::size_t>(received);
    return received;
  }

  // Reads what is available without blocking; -1 with EAGAIN when nothing is.
  ssize_t ReceiveNow() {
    if (!tls_) return Recv(MSG_DONTWAIT);
    if (!WaitFor(fd_, POLLIN, std::chrono::milliseconds(0))) {
      errno = EAGAIN;
      return -1;
    }
    return Receive();
  }

  // Reads once the socket is readable. Over TLS a partial record may still block; the socket's
  // receive timeout bounds that.
  ssize_t Receive() {
    if (!tls_) return Recv(0);
    const int received = SSL_read(tls_, buffer_.data(), static_cast<int>(buffer_.size()));
    if (received > 0) return received;
    const int error = SSL_get_error(tls_, received);
    if (error == SSL_ERROR_ZERO_RETURN) return 0;
    return -1;
  }

  ssize_t Recv(int flags) {
    ssize_t received;
    do {
      received = ::recv(fd_, buffer_.data(), buffer_.size(), flags);
    } while (received < 0 && errno == EINTR);
    return received;
  }

  // Counts header bytes up to the blank line that ends them; false once over the limit. httplib
  // bounds each line but not how many there are.
  bool CountHeaderBytes(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size && in_headers_; ++i) {
      ++header_bytes_;
      const char c = data[i];
      if (c == '\n') {
        if (!line_has_content_) in_headers_ = false;
        line_has_content_ = false;
      } else if (c != '\r') {
        line_has_content_ = true;
      }
    }
    if (header_bytes_ > kMaxRequestHeaderBytes) state_.headers_too_large = true;
    return !state_.headers_too_large;
  }

  // Sends without waiting first; only a full socket buffer makes it wait (up to the timeout).
  bool SendAll(const char* data, std::size_t size) const {
    if (tls_) {
      // The socket's send timeout bounds a blocked write.
      while (size > 0) {
        const int sent = SSL_write(
            tls_, data,
            static_cast<int>(std::min<std::size_t>(size, std::numeric_limits<int>::max())));
        if (sent <= 0) return false;
        data += sent;
        size -= static_cast<std::size_t>(sent);
      }
      return true;
    }
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
  SSL* tls_;  // nullptr: plain TCP
  std::chrono::milliseconds timeout_;
  ConnectionState& state_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  std::size_t header_bytes_ = 0;
  bool in_headers_ = false;
  bool line_has_content_ = false;
  std::string pending_;  // headers waiting for their body
  mutable std::string remote_ip_;
  mutable int remote_port_ = -1;
  mutable std::string local_ip_;
  mutable int local_port_ = -1;
};

// httplib's task queue, growing on demand: httplib serves each keep-alive connection on one
// worker for its whole life, so up to `max_threads` are needed under load, but starting them
// all up front would cost start-up time and memory that an idle mock does not need.
//
// `warm_threads` are started at once, off the listening thread (bench/README.md, "256
// connections"): created one by one in the listening thread, as a burst of connections arrived,
// they kept it from accepting, and a fresh server's first burst of 256 connections saw requests
// wait over 2 s. Workers run as SCHED_BATCH, so that one woken by its connection does not
// preempt the thread that is accepting or answering.
class GrowingThreadPool final : public httplib::TaskQueue {
 public:
  GrowingThreadPool(std::size_t max_threads, std::size_t warm_threads)
      : max_threads_(max_threads),
        warmer_([this, count = std::min(warm_threads, max_threads)] { Warm(count); }) {}
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
    warmer_.join();  // it adds no thread once stopping
    ready_.notify_all();
    for (std::thread& thread : threads_) thread.join();  // threads_ no longer grows
  }

 private:
  void Warm(std::size_t count) {
    for (;;) {
      std::lock_guard lock(mutex_);  // taken per thread: enqueue never waits for them all
      if (stopping_ || threads_.size() >= count) return;
      threads_.emplace_back([this] { Work(); });
    }
  }

  void Work() {
    // Batch: no wakeup preemption (see the class comment). Allowed to any user; if refused,
    // the worker runs as it was started.
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

  const std::size_t max_threads_;
  std::mutex mutex_;  // guards everything below
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::thread warmer_;  // last: it starts once everything above is ready
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
  // Every answer has a Date: SDKs correct their clock skew with it (docs/decisions.md).
  if (from.Header("Date").empty()) {
    to.set_header("Date", FormatHttpDate(std::chrono::system_clock::now()));
  }
  if (!from.headers.empty() && from.Header("Content-Type").empty()) {
    to.set_header("Content-Type", "application/json");
  }
  to.body = std::move(from.body);
}

// The answer to a request the library refused before any handler ran.
AwsError LibraryError(int status, const ConnectionState* connection) {
  // Reading failed for a reason the library cannot know: it answers 400 either way.
  if (connection && connection->headers_too_large) return RequestHeaderFieldsTooLarge();
  if (connection && connection->timed_out) return RequestTimeout();
  switch (status) {
    case 414:
      return RequestUriTooLong();
    case 413:
      return PayloadTooLarge();
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
    // Workers beyond the cap only answer 503 and close, so a few suffice for bursts of them.
    const std::size_t threads = options_.max_connections + kOverflowWorkers;
    new_task_queue = [threads] { return new GrowingThreadPool(threads, kWarmWorkers); };
    // Without TCP_NODELAY each response stalls ~40 ms on Nagle + delayed ACK.
    set_tcp_nodelay(true);
    // SO_REUSEADDR only: SO_REUSEPORT would let two servers share a port silently.
    set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    set_read_timeout(options_.read_timeout.count());
    set_write_timeout(options_.read_timeout.count());
    set_keep_alive_timeout(options_.read_timeout.count());
    set_keep_alive_max_count(kKeepAliveMaxRequests);
    set_payload_max_length(kMaxRequestBodyBytes);

    // Requests without a body are answered before routing (the fast path); any other request
    // falls through to catch-all handlers, which httplib calls after it has read the body.
    set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
      if (request.has_header("Content-Length") || request.has_header("Transfer-Encoding")) {
        // Refused before it is read: httplib would read (and discard) all of it first.
        if (request.get_header_value<std::uint64_t>("Content-Length") > kMaxRequestBodyBytes) {
          if (current_connection) current_connection->body_refused = true;
          HttpResponse answer = errors_(PayloadTooLarge());
          Apply(answer, response);
          logger_(ToHttpRequest(request), answer, Micros{0});
          return HandlerResponse::Handled;
        }
        return HandlerResponse::Unhandled;
      }
      Dispatch(request, response);
      return HandlerResponse::Handled;
    });
    const auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
      Dispatch(request, response);
    };
    // Bodies are read through a content reader: the library's own reading would refuse an
    // application/x-www-form-urlencoded body over 8 KiB (curl's default type for -d, so a
    // fixture posted with `curl -d @file`) with a bare 413, and parse it as a form besides.
    const auto dispatch_with_body = [this](const httplib::Request& request,
                                           httplib::Response& response,
                                           const httplib::ContentReader& read) {
      std::string body;
      const bool complete =
          request.is_multipart_form_data()
              // No route takes multipart; its parts are dropped, as the library did.
              ? read([](const httplib::MultipartFormData&) { return true; },
                     [](const char*, std::size_t) { return true; })
              : read([&body](const char* data, std::size_t length) {
                  body.append(data, length);
                  return true;
                });
      if (!complete) {
        // The library set the status (413, 400); the error handler gives it our shape.
        if (response.status < 400) response.status = 400;
        return;
      }
      Dispatch(request, response, std::move(body));
    };
    Get(".*", dispatch);
    Post(".*", dispatch_with_body);
    Put(".*", dispatch_with_body);
    Patch(".*", dispatch_with_body);
    Delete(".*", dispatch_with_body);
    Options(".*", dispatch);

    // The library's own errors (bad request line, URI too long, unknown method) get the same
    // JSON shape and headers as ours.
    set_error_handler(
        HandlerWithResponse([this](const httplib::Request& request, httplib::Response& response) {
          // Our own answers always have a body; the library's errors never do.
          if (!response.body.empty()) return HandlerResponse::Unhandled;
          HttpResponse answer = errors_(LibraryError(response.status, current_connection));
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
    if (options_.tls_cert && options_.tls_key) {
      auto tls = TlsContext::FromPemFiles(*options_.tls_cert, *options_.tls_key);
      if (!tls.ok()) return std::move(tls).error();
      tls_ = std::move(tls).value();
    }
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

  bool Serve() {
    {
      std::lock_guard lock(serve_mutex_);
      if (stopping_) return false;  // stopped before it started
      serving_ = true;
    }
    const bool ok = listen_after_bind();
    served_ = true;
    return ok;
  }

  void Shutdown() {
    {
      std::lock_guard lock(serve_mutex_);
      stopping_ = true;
    }
    // The library's stop() only stops a loop already running: a Shutdown right after Serve was
    // entered, before the loop began, would leave it running (and a destructor joining it
    // forever). So wait for the loop to begin, or to have ended, first.
    while (serving_ && !served_ && !is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop();
  }

  bool tls() const { return tls_ != nullptr; }

 private:
  static constexpr std::size_t kKeepAliveMaxRequests = 1'000'000;
  static constexpr std::size_t kOverflowWorkers = 64;
  // Workers started with the server (GrowingThreadPool): enough for the 256 connections the
  // benchmark holds; about 4 MB of stacks touched.
  static constexpr std::size_t kWarmWorkers = 256;

  // `body`: the body read through a content reader, for the methods that use one.
  void Dispatch(const httplib::Request& request, httplib::Response& response,
                std::optional<std::string> body = std::nullopt) {
    const auto start = std::chrono::steady_clock::now();
    HttpRequest in = ToHttpRequest(request);
    if (body) in.body = std::move(*body);
    HttpResponse out =
        current_connection && current_connection->over_capacity
            ? errors_(ServiceUnavailable("connection limit reached (--max-connections " +
                                         std::to_string(options_.max_connections) + ")"))
            : handler_(in);
    if (out.delayed && current_connection && current_connection->fd >= 0) {
      out.delivered = !PeerGone(current_connection->fd);
    }
    // Faults the socket must carry out; `empty` and `malformed-json` are ordinary responses.
    const TransportFault fault = out.transport_fault;
    if (current_connection && (fault == TransportFault::kReset || fault == TransportFault::kClose ||
                               fault == TransportFault::kTruncate)) {
      current_connection->fault = out.transport_fault;
      current_connection->body_budget = out.body.size() / 2;
    }
    Apply(out, response);
    logger_(in, out, std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start));
  }

  // Waits for the next request on a keep-alive connection; false when idle too long, closed by
  // the peer, or the server is stopping.
  bool WaitForRequest(const SocketStream& stream, int fd) const {
    if (stream.HasPendingInput()) return true;
    const auto deadline = Clock::now() + options_.read_timeout;
    while (!stopping_) {
      if (WaitFor(fd, POLLIN, std::chrono::milliseconds(100))) return true;
      if (Clock::now() >= deadline) return false;
    }
    return false;
  }

  // After refusing a request whose rest is still arriving: closing with unread bytes would send
  // a reset, which can destroy the answer before the client reads it. So stop sending, and read
  // and drop what comes, for a short while.
  void DiscardUnread(int fd) const {
    ::shutdown(fd, SHUT_WR);
    const auto until = Clock::now() + std::chrono::seconds(1);
    std::array<char, 16 * 1024> sink;
    std::size_t discarded = 0;
    while (discarded < kMaxRequestBodyBytes && Clock::now() < until &&
           WaitFor(fd, POLLIN, std::chrono::milliseconds(100))) {
      const ssize_t received = ::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT);
      if (received == 0 || (received < 0 && errno != EAGAIN && errno != EINTR)) return;
      if (received > 0) discarded += static_cast<std::size_t>(received);
    }
  }

  // The TLS handshake, bounded like a request. Blocking calls on the socket are bounded by its
  // timeouts from here on, since OpenSSL may wait for the rest of a record.
  SSL* AcceptTls(int fd) const {
    timeval timeout{static_cast<time_t>(options_.read_timeout.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    SSL* session = tls_->NewSession(fd);
    if (session && SSL_accept(session) == 1) return session;
    SSL_free(session);
    return nullptr;
  }

  bool process_and_close_socket(socket_t sock) override {
    ConnectionState state;
    state.fd = sock;
    // Counted from the moment a worker takes the connection, so the cap is what is served.
    state.over_capacity = active_connections_.fetch_add(1) >= options_.max_connections;
    SSL* tls = tls_ ? AcceptTls(sock) : nullptr;
    bool ok = !tls_ || tls != nullptr;
    current_connection = &state;
    SocketStream stream(sock, tls, options_.read_timeout, state);
    for (std::size_t served = 0; ok && WaitForRequest(stream, sock); ++served) {
      bool connection_closed = false;
      const bool last = stopping_ || state.over_capacity || served + 1 >= kKeepAliveMaxRequests;
      stream.BeginRequest(Clock::now() + options_.read_timeout);
      ok = process_request(stream, last, connection_closed, [](httplib::Request& request) {
        // No compression and no ranges: the same 200 body whatever the client asks
        // (docs/decisions.md, "HTTP details").
        request.ranges.clear();
        request.headers.erase("Accept-Encoding");
      });
      ok = stream.Flush() && ok;
      // After a refused read the rest of the bytes cannot be trusted as a next request.
      if (state.headers_too_large || state.timed_out || state.body_refused) break;
      if (connection_closed || last || state.fault != TransportFault::kNone) break;
    }
    current_connection = nullptr;
    if (state.fault == TransportFault::kReset) {
      // Linger 0: close() sends a TCP RST instead of a FIN.
      linger abort{1, 0};
      ::setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    } else {
      if (tls && state.fault == TransportFault::kNone) SSL_shutdown(tls);  // close_notify
      if (state.headers_too_large || state.body_refused) DiscardUnread(sock);
      ::shutdown(sock, SHUT_RDWR);
    }
    SSL_free(tls);
    ::close(sock);
    active_connections_.fetch_sub(1);
    return ok;
  }

  HttpServerOptions options_;
  RequestHandler handler_;
  ErrorResponder errors_;
  RequestLogger logger_;
  std::atomic<bool> stopping_{false};
  std::mutex serve_mutex_;            // orders Serve's start against Shutdown
  std::atomic<bool> serving_{false};  // Serve was entered and will listen
  std::atomic<bool> served_{false};   // its listening loop has returned
  std::atomic<std::size_t> active_connections_{0};
  std::unique_ptr<TlsContext> tls_;  // set by Bind() when serving HTTPS
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, ErrorResponder errors,
                       RequestLogger logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(errors),
                                   std::move(logger))) {}

HttpServer::~HttpServer() = default;

Result<int, std::string> HttpServer::Bind() { return impl_->Bind(); }

void HttpServer::Run() { impl_->Serve(); }

void HttpServer::Stop() { impl_->Shutdown(); }

bool HttpServer::tls() const { return impl_->tls(); }

}  // namespace datazone_mock
