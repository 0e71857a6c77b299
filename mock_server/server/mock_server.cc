#include "server/mock_server.h"

#include <filesystem>

#include "server/bundled_data.h"
#include "server/request_log.h"
#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

Result<std::vector<FixtureDocument>, Diagnostics> LoadFixtures(const Options& options) {
  if (!options.fixtures.empty()) {
    std::vector<std::filesystem::path> paths(options.fixtures.begin(), options.fixtures.end());
    return LoadFixturePaths(paths);
  }
  std::vector<FixtureDocument> documents;
  for (const EmbeddedFile& file : BundledFixtureFiles()) {
    auto document = ParseFixture(file.content, std::string(file.name));
    if (!document.ok()) return std::move(document).error();
    documents.push_back(std::move(document).value());
  }
  return documents;
}

}  // namespace

Result<std::unique_ptr<MockServer>, StartupError> MockServer::Create(
    const Options& options, std::FILE* log, std::shared_ptr<const Clock> clock,
    std::shared_ptr<RandomSource> random) {
  if (!clock) clock = std::make_shared<SystemClock>();
  if (!random) random = std::make_shared<SystemRandomSource>();

  auto documents = LoadFixtures(options);
  if (!documents.ok()) return StartupError{FormatDiagnostics(documents.error())};
  auto store = BuildStore(documents.value());
  if (!store.ok()) return StartupError{FormatDiagnostics(store.error())};

  std::unique_ptr<MockServer> server(new MockServer());
  server->options_ = options;
  auto tokens = std::make_shared<const PageTokenCodec>(
      options.token_secret ? *options.token_secret : SecureRandomBytes(32));
  server->service_ = std::make_unique<MockService>(
      std::make_shared<StoreSnapshot>(std::make_shared<const Store>(std::move(store).value())),
      std::move(tokens), std::move(clock), std::move(random));

  HttpServerOptions http;
  http.host = options.host;
  http.port = options.port;
  const MockService* service = server->service_.get();
  auto request_log = log ? std::make_shared<RequestLog>(options.log_format, log) : nullptr;
  server->http_ = std::make_unique<HttpServer>(
      http, [service](const HttpRequest& request) { return service->Handle(request); },
      [service](const AwsError& error) { return service->ErrorResponse(error); },
      [request_log](const HttpRequest& request, const HttpResponse& response,
                    std::chrono::microseconds latency) {
        if (request_log) request_log->Write(request, response, latency);
      });
  auto port = server->http_->Bind();
  if (!port.ok()) return StartupError{port.error() + "\n"};
  server->port_ = port.value();
  return server;
}

MockServer::~MockServer() { Stop(); }

std::string MockServer::endpoint() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" +
         std::to_string(port_);
}

void MockServer::Run() { http_->Run(); }

void MockServer::Start() {
  background_ = std::thread([this] { http_->Run(); });
}

void MockServer::Stop() {
  if (http_) http_->Stop();
  if (background_.joinable()) background_.join();
}

}  // namespace datazone_mock
