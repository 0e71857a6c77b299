#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/http_message.h"

// OpenSSL's own name, declared here so users of this header need not include OpenSSL.
struct ssl_st;

namespace datazone_mock {

using SteadyTime = std::chrono::steady_clock::time_point;

// Waits until `fd` has one of `events`; false on timeout.
bool WaitFor(int fd, short events, std::chrono::milliseconds timeout);

// Whether the peer has closed its side (or reset): an answer sent now would reach nobody. Only
// asked after an injected delay, when a client may well have given up.
bool PeerGone(int fd);

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

// A buffered socket stream, over TLS when given a session: httplib reads request lines a byte
// at a time, so reads are served from a 4 KiB buffer rather than one system call per byte.
// Reads stop at the request's deadline and at too many header bytes; writes honour an
// injected fault.
class SocketStream final : public httplib::Stream {
 public:
  SocketStream(int fd, std::chrono::milliseconds timeout, ConnectionState& state)
      : fd_(fd), timeout_(timeout), state_(state) {}

  // From now on, reads and writes go through this TLS session.
  void UseTls(ssl_st* tls) { tls_ = tls; }

  // Starts a new request: it must arrive in full by `deadline`, and its header lines may not
  // exceed kMaxRequestHeaderBytes.
  void BeginRequest(SteadyTime deadline);

  // Reads what has arrived, without waiting, after the bytes already buffered (the event
  // loop's read). Bytes read, 0 at end of stream, -1 with errno (EAGAIN: nothing yet, or the
  // buffer is full). Plain TCP only.
  ssize_t ReadAvailable();
  // The bytes read and not yet parsed.
  std::string_view Buffered() const { return {buffer_.data() + begin_, buffered()}; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* out, size_t size) override;
  // Sends everything (httplib does not retry a short write of a body) unless a fault says
  // otherwise: reset/close send nothing, truncate sends the headers and part of the body.
  ssize_t write(const char* data, size_t size) override;

  // Sends held headers (a response without a body, e.g. to HEAD). Called after each request.
  bool Flush();

  // httplib asks for both addresses on every request; they cannot change on a connection.
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // Bytes of a pipelined next request already read (and decrypted), not yet parsed.
  bool HasPendingInput() const { return buffered() > 0 || TlsPending(); }

 private:
  std::size_t buffered() const { return end_ - begin_; }
  bool TlsPending() const;
  ssize_t Fill();
  ssize_t ReceiveNow();
  ssize_t Receive();
  ssize_t Recv(int flags);
  bool CountHeaderBytes(const char* data, std::size_t size);
  bool SendAll(const char* data, std::size_t size) const;
  bool SendHeldWith(std::string_view body);

  int fd_;
  ssl_st* tls_ = nullptr;  // nullptr: plain TCP
  std::chrono::milliseconds timeout_;
  ConnectionState& state_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  SteadyTime deadline_ = SteadyTime::max();
  std::size_t header_bytes_ = 0;
  bool in_headers_ = false;
  bool line_has_content_ = false;
  std::string pending_;  // headers waiting for their body
  mutable std::string remote_ip_;
  mutable int remote_port_ = -1;
  mutable std::string local_ip_;
  mutable int local_port_ = -1;
};

// One accepted connection, from accept to close: served by an event loop while its requests
// are plain and quick, by a worker thread of its own otherwise (docs/architecture.md).
struct Connection {
  Connection(int socket, std::chrono::milliseconds timeout)
      : fd(socket), stream(socket, timeout, state) {
    state.fd = socket;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd;
  ssl_st* tls = nullptr;  // the TLS session, once the handshake is done
  ConnectionState state;
  SocketStream stream;  // after `state`, which it refers to
  std::size_t served = 0;
  SteadyTime last_active{};  // the event loop's idle clock
};

}  // namespace datazone_mock
