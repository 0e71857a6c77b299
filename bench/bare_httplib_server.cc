// The library's ceiling: a minimal cpp-httplib server answering every GET with precomputed
// bytes, configured like datazone-mock (TCP_NODELAY, the same worker count, no keep-alive cap).
// Usage: bare_httplib_server PORT BODY_FILE
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bare_httplib_server PORT BODY_FILE\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const std::string body = content.str();

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(320); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1'000'000);
  server.Get(".*", [&body](const httplib::Request&, httplib::Response& response) {
    response.set_content(body, "application/json");
  });
  std::cout << "listening" << std::endl;
  return server.listen("127.0.0.1", std::stoi(argv[1])) ? 0 : 1;
}
