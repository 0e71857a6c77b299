// Starts the installed library's server in-process, lists runs over a socket, checks the
// journal saw it. Exit 0 on success.
#include <arpa/inet.h>
#include <datazone_mock.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

int main() {
  auto server = datazone_mock::StartServer();
  if (!server.ok()) {
    std::fprintf(stderr, "start failed: %s\n", server.error().message.c_str());
    return 1;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server.value()->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 1;
  const std::string request =
      "GET /v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=1 HTTP/1.1\r\n"
      "Host: localhost\r\nConnection: close\r\n\r\n";
  ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
  ::close(fd);
  const auto journal = server.value()->Requests();
  const bool ok = response.rfind("HTTP/1.1 200 OK", 0) == 0 &&
                  response.find("\"runId\":\"run-0130\"") != std::string::npos &&
                  journal.size() == 1 && journal[0].status == 200;
  std::printf("%s: %s, %zu journal entries\n", ok ? "ok" : "FAILED",
              server.value()->endpoint().c_str(), journal.size());
  return ok ? 0 : 1;
}
