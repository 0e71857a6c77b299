#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/aws_error.h"
#include "core/http_message.h"
#include "core/result.h"

namespace datazone_mock {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  // Connections served at once; a connection beyond it is answered 503 and closed rather than
  // left waiting (docs/decisions.md: 256 busy ones must be served).
  std::size_t max_connections = 1024;
  // A request must arrive in full within it (so a slow or silent client cannot hold a worker),
  // an idle keep-alive connection is closed after it, and a blocked write gives up after it.
  std::chrono::seconds read_timeout{5};
  int listen_backlog = 1024;
  // PEM files: both set serve HTTPS.
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
};

// Answers a request; may run on many threads at once.
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;
// Answers an error raised by the HTTP layer itself (bad request line, URI too long).
using ErrorResponder = std::function<HttpResponse(const AwsError&)>;
// Whether the answer to a request for `target` may have to wait (an injected delay, an upstream
// call, admin work): such requests are answered on worker threads, never on an event loop.
using WaitPredicate = std::function<bool(std::string_view target)>;
// Sees every request once it is answered.
using RequestLogger =
    std::function<void(const HttpRequest&, const HttpResponse&, std::chrono::microseconds latency)>;

// The HTTP/1.1 server: the one place that knows cpp-httplib. It owns sockets, keep-alive, event
// loops and worker threads; everything else is the handler's. Bind, then Run on one thread,
// Stop from any.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, ErrorResponder errors,
             RequestLogger logger, WaitPredicate may_wait = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS files if any, binds and listens; returns the port (useful with port 0) or why
  // it could not.
  Result<int, std::string> Bind();
  // Serves until Stop(); in-flight requests finish before it returns.
  void Run();
  // Stops accepting and ends idle keep-alive connections; requests in flight are answered
  // (with `Connection: close`). Thread-safe; callable before Run.
  void Stop();
  bool tls() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datazone_mock
