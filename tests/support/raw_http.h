#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>

namespace datazone_mock {

// Sends raw bytes to 127.0.0.1:port and returns everything received until the server closes
// the connection or `idle_ms` pass without data. For requests an HTTP client refuses to send.
inline std::string RawExchange(int port, const std::string& bytes, int idle_ms = 2000) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    char buffer[4096];
    pollfd entry{fd, POLLIN, 0};
    while (::poll(&entry, 1, idle_ms) > 0) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return received;
}

// How a connection ended, as the client saw it.
struct RawOutcome {
  std::string bytes;    // everything received
  bool reset = false;   // recv failed with ECONNRESET (the server sent a TCP RST)
  bool closed = false;  // orderly end of stream (the server sent a FIN)
};

// Like RawExchange, but tells a reset from an orderly close.
inline RawOutcome RawExchangeOutcome(int port, const std::string& bytes, int idle_ms = 2000) {
  RawOutcome outcome;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    char buffer[4096];
    pollfd entry{fd, POLLIN, 0};
    while (::poll(&entry, 1, idle_ms) > 0) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n < 0) {
        outcome.reset = errno == ECONNRESET;
        break;
      }
      if (n == 0) {
        outcome.closed = true;
        break;
      }
      outcome.bytes.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return outcome;
}

}  // namespace datazone_mock
