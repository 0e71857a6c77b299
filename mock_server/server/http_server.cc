// The server side of cpp-httplib (its client serves remote_commands.cc and upstream.cc). The
// library parses HTTP; this file owns the connections and adds what Debian's compiled 0.11.4
// cannot be configured to do: event loops that answer plain requests without a thread switch,
// worker threads for the rest, a larger listen backlog, no compression or ranges, AWS-shaped
// bodies on the library's own errors (docs/decisions.md, "HTTP layer limits"), a deadline per
// request, a cap on header bytes and on connections, and TLS on the worker path.
#include "server/http_server.h"

#include <httplib.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/aws_errors.h"
#include "core/time_format.h"
#include "server/connection.h"
#include "server/event_loop.h"
#include "server/request_head.h"
#include "server/tls_context.h"
#include "server/worker_pool.h"

namespace datazone_mock {
namespace {

using Micros = std::chrono::microseconds;
using Clock = std::chrono::steady_clock;

// The connection being answered on this thread. httplib gives handlers no access to the
// socket; a request is read and answered start to end on one thread (a loop's or a worker's),
// so the handlers find their connection's state here.
thread_local ConnectionState* current_connection = nullptr;

// httplib hands each accepted socket to its task queue. This one runs the task at once, on the
// listening thread: the server's own process_and_close_socket only gives the socket to an
// event loop or a worker, which takes no time.
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> task) override { task(); }
  void shutdown() override {}
};

// The CPUs this process may run on (taskset, cgroups), at least one.
std::size_t UsableCpus() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (::sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
  const int count = CPU_COUNT(&cpus);
  return count > 0 ? static_cast<std::size_t>(count) : 1;
}

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
       RequestLogger logger, WaitPredicate may_wait)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        errors_(std::move(errors)),
        logger_(std::move(logger)),
        may_wait_(std::move(may_wait)),
        // Workers beyond the cap only answer 503 and close, so a few suffice for bursts of them.
        workers_(options_.max_connections + kOverflowWorkers, kWarmWorkers) {
    new_task_queue = [] { return new InlineTaskQueue; };
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
    StartLoops();
    const bool ok = listen_after_bind();
    served_ = true;
    // The listener is closed: no connection arrives any more. The loops close theirs (each
    // between requests), then the workers finish theirs.
    for (auto& loop : loops_) loop->Stop();
    workers_.Shutdown();
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
  // Workers started with the server (WorkerPool). Plain connections go to the event loops, so
  // workers serve only TLS, bodies and answers that may wait; more are made on demand. Starting
  // 256, as when every connection had a worker, delayed the first answer by about 20 ms on one
  // core (bench/README.md).
  static constexpr std::size_t kWarmWorkers = 32;
  // The most event loops, whatever the CPU count: each holds a thread and an epoll set.
  static constexpr std::size_t kMaxEventLoops = 16;

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

  // Called by the listening thread for each accepted socket (InlineTaskQueue): gives it to an
  // event loop, or to a worker when it must be served by one from the start.
  bool process_and_close_socket(socket_t sock) override {
    auto connection = std::make_unique<Connection>(sock, options_.read_timeout);
    // Counted on accepting, so the cap is what is served.
    connection->state.over_capacity = active_connections_.fetch_add(1) >= options_.max_connections;
    if (tls_ || connection->state.over_capacity || loops_.empty()) {
      HandOff(std::move(connection));
    } else {
      loops_[next_loop_++ % loops_.size()]->Adopt(std::move(connection));
    }
    return true;
  }

  void StartLoops() {
    // One per CPU the process may run on (docs/architecture.md, "Connections").
    std::size_t count = std::min(UsableCpus(), kMaxEventLoops);
    if (tls_) count = 0;  // TLS connections are served by workers
    for (std::size_t i = 0; i < count; ++i) {
      auto loop = std::make_unique<EventLoop>(
          EventLoop::Callbacks{
              [this](Connection& connection) { return OnReadable(connection); },
              [this](std::unique_ptr<Connection> connection) {
                CloseFromLoop(std::move(connection));
              },
              [this](std::unique_ptr<Connection> connection) { HandOff(std::move(connection)); }},
          options_.read_timeout);
      // Without a loop the workers serve every connection, as they can.
      if (!loop->Start().ok()) break;
      loops_.push_back(std::move(loop));
    }
  }

  // An event loop's connection has bytes (or an end): answers every whole request that came, as
  // long as none of them could make the loop wait.
  EventLoop::Next OnReadable(Connection& connection) {
    const ssize_t received = connection.stream.ReadAvailable();
    if (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return EventLoop::Next::kClose;
    const bool ended = received == 0;
    while (!connection.stream.Buffered().empty()) {
      const BufferedHead head = InspectHead(connection.stream.Buffered());
      // Part of a request (a worker reads the rest with a deadline), a body to read, or an
      // answer that may wait: not for the loop.
      if (head.kind != BufferedHead::Kind::kBodyless || (may_wait_ && may_wait_(head.target))) {
        return EventLoop::Next::kHandOff;
      }
      if (!ServeRequest(connection)) return EventLoop::Next::kClose;
    }
    return ended || stopping_ ? EventLoop::Next::kClose : EventLoop::Next::kKeep;
  }

  // Reads and answers one request; whether the connection stays open for another.
  bool ServeRequest(Connection& connection) {
    ConnectionState& state = connection.state;
    bool connection_closed = false;
    const bool last =
        stopping_ || state.over_capacity || connection.served + 1 >= kKeepAliveMaxRequests;
    connection.stream.BeginRequest(Clock::now() + options_.read_timeout);
    current_connection = &state;
    bool ok =
        process_request(connection.stream, last, connection_closed, [](httplib::Request& request) {
          // No compression and no ranges: the same 200 body whatever the client asks
          // (docs/decisions.md, "HTTP details").
          request.ranges.clear();
          request.headers.erase("Accept-Encoding");
        });
    current_connection = nullptr;
    ok = connection.stream.Flush() && ok;
    ++connection.served;
    // After a refused read the rest of the bytes cannot be trusted as a next request.
    if (state.headers_too_large || state.timed_out || state.body_refused) return false;
    return ok && !connection_closed && !last && state.fault == TransportFault::kNone;
  }

  // A worker serves the connection from now to its end: TLS, bodies, answers that may wait,
  // and what the loop saw only part of.
  void HandOff(std::unique_ptr<Connection> connection) {
    // std::function needs a copyable task: the pointer travels bare and is owned again inside.
    workers_.Enqueue(
        [this, raw = connection.release()] { ServeOnWorker(std::unique_ptr<Connection>(raw)); });
  }

  void ServeOnWorker(std::unique_ptr<Connection> connection) {
    if (tls_ && !connection->tls) {
      connection->tls = AcceptTls(connection->fd);
      if (!connection->tls) {
        Close(std::move(connection));
        return;
      }
      connection->stream.UseTls(connection->tls);
    }
    while (WaitForRequest(connection->stream, connection->fd) && ServeRequest(*connection)) {
    }
    Close(std::move(connection));
  }

  // Closing may have to drain unread bytes for a while (DiscardUnread): not on a loop's thread.
  void CloseFromLoop(std::unique_ptr<Connection> connection) {
    const ConnectionState& state = connection->state;
    if (state.headers_too_large || state.body_refused) {
      workers_.Enqueue(
          [this, raw = connection.release()] { Close(std::unique_ptr<Connection>(raw)); });
      return;
    }
    Close(std::move(connection));
  }

  void Close(std::unique_ptr<Connection> connection) {
    const ConnectionState& state = connection->state;
    const int sock = connection->fd;
    SSL* tls = connection->tls;
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
  }

  HttpServerOptions options_;
  RequestHandler handler_;
  ErrorResponder errors_;
  RequestLogger logger_;
  WaitPredicate may_wait_;
  std::atomic<bool> stopping_{false};
  std::mutex serve_mutex_;            // orders Serve's start against Shutdown
  std::atomic<bool> serving_{false};  // Serve was entered and will listen
  std::atomic<bool> served_{false};   // its listening loop has returned
  std::atomic<std::size_t> active_connections_{0};
  std::unique_ptr<TlsContext> tls_;  // set by Bind() when serving HTTPS
  WorkerPool workers_;
  std::vector<std::unique_ptr<EventLoop>> loops_;  // set by Serve, before any connection
  std::size_t next_loop_ = 0;                      // the listening thread's own
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, ErrorResponder errors,
                       RequestLogger logger, WaitPredicate may_wait)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(errors),
                                   std::move(logger), std::move(may_wait))) {}

HttpServer::~HttpServer() = default;

Result<int, std::string> HttpServer::Bind() { return impl_->Bind(); }

void HttpServer::Run() { impl_->Serve(); }

void HttpServer::Stop() { impl_->Shutdown(); }

bool HttpServer::tls() const { return impl_->tls(); }

}  // namespace datazone_mock
