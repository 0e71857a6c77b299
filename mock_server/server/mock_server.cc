#include "server/mock_server.h"

#include <algorithm>
#include <filesystem>

#include "faults/scenario_loader.h"
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

std::string FileStem(std::string_view name) {
  return std::filesystem::path(std::string(name)).stem().string();
}

}  // namespace

Result<std::vector<Scenario>, Diagnostics> LoadScenarios(const Options& options) {
  std::vector<Scenario> scenarios;
  for (const EmbeddedFile& file : BundledScenarioFiles()) {
    auto scenario = ParseScenario(file.content, std::string(file.name), FileStem(file.name));
    if (!scenario.ok()) return std::move(scenario).error();
    scenarios.push_back(std::move(scenario).value());
  }
  if (options.scenario_paths.empty()) return scenarios;
  std::vector<std::filesystem::path> paths(options.scenario_paths.begin(),
                                           options.scenario_paths.end());
  auto loaded = LoadScenarioPaths(paths);
  if (!loaded.ok()) return std::move(loaded).error();
  for (Scenario& scenario : loaded.value()) {
    auto same = std::find_if(scenarios.begin(), scenarios.end(),
                             [&](const Scenario& s) { return s.name == scenario.name; });
    if (same != scenarios.end()) {
      *same = std::move(scenario);
    } else {
      scenarios.push_back(std::move(scenario));
    }
  }
  return scenarios;
}

Result<std::unique_ptr<MockServer>, StartupError> MockServer::Create(
    const Options& options, std::FILE* log, std::shared_ptr<const Clock> clock,
    std::shared_ptr<RandomSource> random) {
  if (!clock) clock = std::make_shared<SystemClock>();
  if (!random) random = std::make_shared<SystemRandomSource>();

  auto documents = LoadFixtures(options);
  if (!documents.ok()) return StartupError{FormatDiagnostics(documents.error())};
  auto store = BuildStore(documents.value());
  if (!store.ok()) return StartupError{FormatDiagnostics(store.error())};

  auto scenarios = LoadScenarios(options);
  if (!scenarios.ok()) return StartupError{FormatDiagnostics(scenarios.error())};
  std::shared_ptr<RandomSource> fault_random =
      options.seed
          ? std::shared_ptr<RandomSource>(std::make_shared<SeededRandomSource>(*options.seed))
          : random;
  auto faults = std::make_shared<FaultEngine>(std::move(scenarios).value(), clock, fault_random);
  if (auto activated = faults->Activate(options.scenarios); !activated.ok()) {
    return StartupError{activated.error() + "\n"};
  }

  MockServiceParts parts;
  if (options.auth == AuthSetting::kVerify) {
    auto credentials = LoadCredentialsFile(*options.credentials);
    if (!credentials.ok()) return StartupError{FormatDiagnostics(credentials.error())};
    parts.credentials = std::move(credentials).value();
  }
  parts.auth_mode = options.auth == AuthSetting::kVerify     ? AuthMode::kVerify
                    : options.auth == AuthSetting::kRequired ? AuthMode::kRequired
                                                             : AuthMode::kOff;
  parts.store =
      std::make_shared<StoreSnapshot>(std::make_shared<const Store>(std::move(store).value()));
  parts.tokens = std::make_shared<const PageTokenCodec>(
      options.token_secret ? *options.token_secret : SecureRandomBytes(32));
  parts.clock = std::move(clock);
  parts.random = std::move(random);
  parts.faults = std::move(faults);

  std::unique_ptr<MockServer> server(new MockServer());
  server->options_ = options;
  server->service_ = std::make_unique<MockService>(std::move(parts));
  server->admin_ = std::make_unique<AdminService>(*server->service_, options.scenarios, kVersion);

  HttpServerOptions http;
  http.host = options.host;
  http.port = options.port;
  const MockService* service = server->service_.get();
  const AdminService* admin = server->admin_.get();
  auto request_log = log ? std::make_shared<RequestLog>(options.log_format, log) : nullptr;
  server->http_ = std::make_unique<HttpServer>(
      http,
      [service, admin](const HttpRequest& request) {
        // /_mock/ is routed before authentication and never as an AWS call (decisions.md).
        return IsAdminTarget(request.target) ? admin->Handle(request) : service->Handle(request);
      },
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
