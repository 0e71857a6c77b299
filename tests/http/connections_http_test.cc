// How connections are served (docs/architecture.md, "Connections"): event loops answer plain
// requests; what they cannot answer without waiting (part of a head, a body, an answer that may
// be delayed) goes to a worker, and never holds the loop's other connections.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/mock_server.h"

namespace datazone_mock {
namespace {

using nlohmann::json;

constexpr const char* kSlowJob = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs";
constexpr const char* kOtherJob = "/v2/domains/dzd_demo01/jobs/hourly-sync/runs";

std::string Get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

// A client socket, closed when it goes.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  void Send(std::string_view bytes) { ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  // Whether bytes (or the end) are there to read within `timeout_ms`.
  bool Readable(int timeout_ms) {
    pollfd entry{fd_, POLLIN, 0};
    return ::poll(&entry, 1, timeout_ms) > 0;
  }

  // Reads until `responses` whole responses (head and Content-Length body) have come, or
  // nothing comes for 10 s. Returns their bodies.
  std::vector<std::string> ReadResponses(std::size_t responses) {
    std::vector<std::string> bodies;
    while (bodies.size() < responses) {
      const std::size_t head_end = received_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::string head = received_.substr(0, head_end);
        const std::size_t length_at = head.find("Content-Length: ");
        const std::size_t length =
            length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 16));
        if (received_.size() >= head_end + 4 + length) {
          statuses_.push_back(head.substr(0, head.find("\r\n")));
          bodies.push_back(received_.substr(head_end + 4, length));
          received_.erase(0, head_end + 4 + length);
          continue;
        }
      }
      if (!Readable(10'000)) break;
      char buffer[16 * 1024];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received_.append(buffer, static_cast<std::size_t>(n));
    }
    return bodies;
  }

  // True once the server has closed the connection (end of stream within 10 s).
  bool ClosedByServer() {
    char byte;
    return Readable(10'000) && ::recv(fd_, &byte, 1, 0) == 0;
  }

  const std::vector<std::string>& statuses() const { return statuses_; }

 private:
  int fd_;
  bool connected_ = false;
  std::string received_;
  std::vector<std::string> statuses_;
};

class ConnectionsHttpTest : public testing::Test {
 protected:
  void Start(Options options = {}) {
    options.port = 0;
    auto server = MockServer::Create(options, nullptr);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
    server_->Start();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  int port() const { return server_->port(); }

  std::unique_ptr<MockServer> server_;
};

TEST_F(ConnectionsHttpTest, AHeadThatArrivesInPiecesIsAnswered) {
  Start();
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  const std::string request = Get(std::string(kSlowJob) + "?maxResults=2");
  connection.Send(request.substr(0, 20));
  // Not a timing assertion: the pause only makes the two parts two segments.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  connection.Send(request.substr(20));
  const auto bodies = connection.ReadResponses(1);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(connection.statuses()[0], "HTTP/1.1 200 OK");
  EXPECT_EQ(json::parse(bodies[0])["items"].size(), 2u);
}

TEST_F(ConnectionsHttpTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  std::string requests;
  for (int size : {1, 2, 3})
    requests += Get(kSlowJob + std::string("?maxResults=") + std::to_string(size));
  connection.Send(requests);
  const auto bodies = connection.ReadResponses(3);
  ASSERT_EQ(bodies.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(json::parse(bodies[i])["items"].size(), i + 1);
  }
}

TEST_F(ConnectionsHttpTest, ADelayedAnswerHoldsOnlyItsOwnConnection) {
  Start();
  httplib::Client admin("127.0.0.1", port());
  const auto added = admin.Post(
      "/_mock/scenarios",
      "name: slow-nightly\nrules:\n  - when: {job: nightly-lineage}\n    respond: {delay: 4s}\n",
      "application/yaml");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;
  ASSERT_EQ(
      admin.Put("/_mock/scenarios/active", R"({"active":["slow-nightly"]})", "application/json")
          ->status,
      200);

  RawConnection slow(port());
  ASSERT_TRUE(slow.connected());
  slow.Send(Get(kSlowJob));
  // Connections are dealt to the event loops in turn (at most 16 loops): of 17 more, at least
  // one shares the slow connection's loop. Each is answered while the slow one still waits.
  std::vector<std::unique_ptr<RawConnection>> others;
  for (int i = 0; i < 17; ++i) {
    others.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_TRUE(others.back()->connected());
  }
  for (auto& other : others) {
    other->Send(Get(kOtherJob));
    ASSERT_EQ(other->ReadResponses(1).size(), 1u);
    EXPECT_EQ(other->statuses()[0], "HTTP/1.1 200 OK");
  }
  EXPECT_FALSE(slow.Readable(0)) << "the delayed answer came before the others were answered";
  const auto bodies = slow.ReadResponses(1);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(slow.statuses()[0], "HTTP/1.1 200 OK");
}

TEST_F(ConnectionsHttpTest, AnIdleKeepAliveConnectionIsClosed) {
  Options options;
  options.read_timeout = std::chrono::seconds(1);
  Start(options);
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  connection.Send(Get(kSlowJob));
  ASSERT_EQ(connection.ReadResponses(1).size(), 1u);
  EXPECT_TRUE(connection.ClosedByServer());
}

TEST_F(ConnectionsHttpTest, StoppingClosesIdleKeepAliveConnections) {
  Start();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<RawConnection>(port()));
    idle.back()->Send(Get(kSlowJob));
    ASSERT_EQ(idle.back()->ReadResponses(1).size(), 1u);
  }
  server_->Stop();
  for (auto& connection : idle) EXPECT_TRUE(connection->ClosedByServer());
}

}  // namespace
}  // namespace datazone_mock
