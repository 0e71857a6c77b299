// The socket side of a connection: a buffered stream that httplib parses from and writes to,
// with the request deadline, the header cap and injected transport faults.
#include "server/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "api/aws_errors.h"

namespace datazone_mock {
namespace {

using Clock = std::chrono::steady_clock;

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

}  // namespace

bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  int result;
  do {
    result = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (result < 0 && errno == EINTR);
  return result > 0;
}

bool PeerGone(int fd) {
  pollfd watch{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&watch, 1, 0) <= 0) return false;
  if (watch.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
  char byte = 0;
  // Readable: a next request already sent (pipelined) is not a goodbye; end of stream is.
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

void SocketStream::BeginRequest(SteadyTime deadline) {
  deadline_ = deadline;
  header_bytes_ = 0;
  in_headers_ = true;
  line_has_content_ = false;
  CountHeaderBytes(buffer_.data() + begin_, buffered());
}

ssize_t SocketStream::ReadAvailable() {
  if (begin_ > 0) {  // keep what is unparsed at the front, to make room after it
    std::memmove(buffer_.data(), buffer_.data() + begin_, buffered());
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) {
    errno = EAGAIN;
    return -1;
  }
  ssize_t received;
  do {
    received = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, MSG_DONTWAIT);
  } while (received < 0 && errno == EINTR);
  if (received > 0) end_ += static_cast<std::size_t>(received);
  return received;
}

bool SocketStream::is_readable() const {
  return buffered() > 0 || TlsPending() || WaitFor(fd_, POLLIN, timeout_);
}

bool SocketStream::is_writable() const { return WaitFor(fd_, POLLOUT, timeout_); }

ssize_t SocketStream::read(char* out, size_t size) {
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

ssize_t SocketStream::write(const char* data, size_t size) {
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
    const bool sent = SendHeldWith(chunk);
    return sent ? static_cast<ssize_t>(size) : -1;
  }
  return SendAll(data, size) ? static_cast<ssize_t>(size) : -1;
}

// The held headers and the body in one system call, the body not copied behind the headers.
bool SocketStream::SendHeldWith(std::string_view body) {
  if (tls_) {  // one TLS record for both, as one write
    pending_.append(body);
    return Flush();
  }
  std::string_view head = pending_;
  iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = 2;
  ssize_t sent;
  do {
    sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    pending_.clear();
    return false;
  }
  // What did not fit in the socket buffer goes the usual way.
  const std::size_t done = sent > 0 ? static_cast<std::size_t>(sent) : 0;
  const std::size_t head_done = std::min(done, head.size());
  head.remove_prefix(head_done);
  body.remove_prefix(done - head_done);
  const bool ok = SendAll(head.data(), head.size()) && SendAll(body.data(), body.size());
  pending_.clear();
  return ok;
}

bool SocketStream::Flush() {
  if (pending_.empty()) return true;
  const bool sent = SendAll(pending_.data(), pending_.size());
  pending_.clear();
  return sent;
}

void SocketStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (remote_port_ < 0) AddressOf(fd_, true, remote_ip_, remote_port_);
  ip = remote_ip_;
  port = remote_port_;
}

void SocketStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (local_port_ < 0) AddressOf(fd_, false, local_ip_, local_port_);
  ip = local_ip_;
  port = local_port_;
}

bool SocketStream::TlsPending() const { return tls_ && SSL_pending(tls_) > 0; }

// Refills the empty buffer: what is there at once, else waits until the request's deadline.
ssize_t SocketStream::Fill() {
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
ssize_t SocketStream::ReceiveNow() {
  if (!tls_) return Recv(MSG_DONTWAIT);
  if (!WaitFor(fd_, POLLIN, std::chrono::milliseconds(0))) {
    errno = EAGAIN;
    return -1;
  }
  return Receive();
}

// Reads once the socket is readable. Over TLS a partial record may still block; the socket's
// receive timeout bounds that.
ssize_t SocketStream::Receive() {
  if (!tls_) return Recv(0);
  const int received = SSL_read(tls_, buffer_.data(), static_cast<int>(buffer_.size()));
  if (received > 0) return received;
  const int error = SSL_get_error(tls_, received);
  if (error == SSL_ERROR_ZERO_RETURN) return 0;
  return -1;
}

ssize_t SocketStream::Recv(int flags) {
  ssize_t received;
  do {
    received = ::recv(fd_, buffer_.data(), buffer_.size(), flags);
  } while (received < 0 && errno == EINTR);
  return received;
}

// Counts header bytes up to the blank line that ends them; false once over the limit. httplib
// bounds each line but not how many there are.
bool SocketStream::CountHeaderBytes(const char* data, std::size_t size) {
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
bool SocketStream::SendAll(const char* data, std::size_t size) const {
  if (tls_) {
    // The socket's send timeout bounds a blocked write.
    while (size > 0) {
      const int sent =
          SSL_write(tls_, data,
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

}  // namespace datazone_mock
