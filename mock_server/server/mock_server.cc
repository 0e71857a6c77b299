#include "server/mock_server.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "api/query_string.h"
#include "core/text.h"
#include "faults/scenario_loader.h"
#include "server/bundled_data.h"
#include "server/file_recorder.h"
#include "server/request_log.h"
#include "server/upstream.h"
#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

std::vector<std::filesystem::path> Paths(const std::vector<std::string>& names) {
  return std::vector<std::filesystem::path>(names.begin(), names.end());
}

// The outcome label of a response for metrics: ok, an error type, or fault:<name>.
std::string Outcome(const HttpResponse& response) {
  if (response.transport_fault != TransportFault::kNone) {
    return "fault:" + std::string(ToString(response.transport_fault));
  }
  return response.error_type;
}

bool IsConsoleRequest(const HttpRequest& request) {
  return request.method == "GET" && SplitTarget(request.target).path == "/_mock/ui";
}

// The console (README, "The console"): one self-contained page, open like /_mock/health (it holds
// no data; the admin calls it makes carry the admin token when one is set).
HttpResponse ConsolePage() {
  HttpResponse page;
  page.status = 200;
  page.headers = {{"Content-Type", "text/html; charset=utf-8"},
                  {"Cache-Control", "no-store"},
                  {"Content-Security-Policy",
                   "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                   "img-src data:"}};
  page.body = std::string(BundledConsoleFiles().front().content);
  return page;
}

}  // namespace

Result<std::vector<Scenario>, Diagnostics> LoadScenarios(const Options& options) {
  std::vector<Scenario> scenarios;
  for (const EmbeddedFile& file : BundledScenarioFiles()) {
    auto scenario = ParseScenario(file.content, std::string(file.name), ScenarioNameOf(file.name));
    if (!scenario.ok()) return std::move(scenario).error();
    scenarios.push_back(std::move(scenario).value());
  }
  if (options.scenario_paths.empty()) return scenarios;
  auto loaded = LoadScenarioPaths(Paths(options.scenario_paths));
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

Result<Store, Diagnostics> LoadStore(const Options& options, LoadProgress* progress,
                                     TimestampMs now) {
  if (options.record) return Store();  // every call goes to the upstream
  std::vector<FixtureDocument> documents;
  if (!options.fixtures.empty()) {
    FixtureLoad loaded = ReadFixturePaths(Paths(options.fixtures), progress, now);
    if (!loaded.problems.empty()) {
      // Every problem in one pass: what the readable parts say together (a runId given twice)
      // joins what each file could not say, in file order.
      Diagnostics problems = std::move(loaded.problems);
      auto merged = BuildStore(loaded.documents);
      if (!merged.ok()) {
        problems.insert(problems.end(), merged.error().begin(), merged.error().end());
      }
      std::vector<std::string> files;
      for (const FixtureDocument& document : loaded.documents) files.push_back(document.file);
      SortInFileOrder(problems, files, kMaxDiagnostics);
      return problems;
    }
    documents = std::move(loaded.documents);
  } else {
    for (const EmbeddedFile& file : BundledFixtureFiles()) {
      auto document = ParseFixture(file.content, std::string(file.name), now);
      if (!document.ok()) return std::move(document).error();
      documents.push_back(std::move(document).value());
    }
  }
  return BuildStore(documents, progress);
}

namespace {

// The upstream of record mode, signing with the one credential of --credentials or else the
// environment's (ParseOptions read it).
Result<std::shared_ptr<const Upstream>, StartupError> ConnectUpstream(const Options& options) {
  UpstreamOptions upstream;
  upstream.url = *options.upstream;
  upstream.region = options.region ? *options.region : RegionOfUpstream(upstream.url);
  if (options.credentials) {
    auto credentials = LoadCredentialsFile(*options.credentials);
    if (!credentials.ok()) return StartupError{FormatDiagnostics(credentials.error())};
    if (credentials.value().size() != 1) {
      return StartupError{"--credentials " + *options.credentials + " holds " +
                          std::to_string(credentials.value().size()) +
                          " credentials; the upstream needs exactly one\n"};
    }
    upstream.credential = credentials.value().begin()->second;
  } else if (options.upstream_credential) {
    upstream.credential = *options.upstream_credential;
  }
  auto connected = Upstream::Create(std::move(upstream));
  if (!connected.ok()) return StartupError{connected.error() + "\n"};
  return std::shared_ptr<const Upstream>(std::move(connected).value());
}

}  // namespace

Result<std::unique_ptr<MockServer>, StartupError> MockServer::Create(
    const Options& options, std::FILE* log, std::shared_ptr<const Clock> clock,
    std::shared_ptr<RandomSource> random, LoadProgress* progress) {
  if (!clock) clock = std::make_shared<SystemClock>();
  if (!random) random = std::make_shared<SystemRandomSource>();

  auto data_clock = std::make_shared<DataClock>(clock, options.clock);
  auto store = LoadStore(options, progress, data_clock->Now());
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

  std::unique_ptr<MockServer> server(new MockServer());
  MockServer* self = server.get();
  MockServiceParts parts;
  if (options.auth == AuthMode::kVerify) {
    auto credentials = LoadCredentialsFile(*options.credentials);
    if (!credentials.ok()) return StartupError{FormatDiagnostics(credentials.error())};
    parts.credentials = std::move(credentials).value();
  }
  if (options.record || options.record_missing) {
    auto upstream = ConnectUpstream(options);
    if (!upstream.ok()) return std::move(upstream).error();
    FileRecorder::KeepFn keep;
    if (options.record_missing) {
      keep = [self](std::string_view domain_id, std::string_view job_id,
                    std::string_view fixture_text) -> Result<bool, std::string> {
        // Requests for one missing job that arrive together each fetch it; the first keeps it
        // and the others find it kept (seeding it again would repeat its runIds).
        const std::shared_ptr<const Store> serving = self->service_->store().Get();
        const Domain* domain = serving->FindDomain(domain_id);
        if (domain && FindJob(*domain, job_id)) return true;
        auto seeded = self->Seed(fixture_text);
        if (!seeded.ok()) return FormatDiagnostics(seeded.error());
        return true;
      };
    }
    auto recorder = FileRecorder::Open(*options.out, options.redact, std::move(keep));
    if (!recorder.ok()) return StartupError{recorder.error() + "\n"};
    parts.upstream = std::move(upstream).value();
    parts.recorder = std::move(recorder).value();
    parts.upstream_use = options.record ? UpstreamUse::kRecord : UpstreamUse::kRecordMissing;
  }
  parts.auth_mode = options.auth;
  parts.store =
      std::make_shared<StoreSnapshot>(std::make_shared<const Store>(std::move(store).value()));
  parts.tokens = std::make_shared<const PageTokenCodec>(
      options.token_secret ? *options.token_secret : SecureRandomBytes(32), options.token_ttl);
  parts.clock = clock;
  parts.data_clock = data_clock;
  parts.random = std::move(random);
  parts.faults = std::move(faults);
  parts.caller_stores = std::make_shared<CallerStores>();
  parts.in_flight = std::make_shared<InFlightRequests>();
  parts.trace = options.trace;
  auto in_flight = parts.in_flight;

  server->options_ = options;
  server->clock_ = clock;
  server->data_clock_ = data_clock;
  server->started_ = clock->Monotonic();
  server->log_ = log;
  server->journal_ = std::make_unique<Journal>(options.journal_size);
  server->in_flight_ = std::move(in_flight);
  server->service_ = std::make_unique<MockService>(std::move(parts));
  server->admin_ = std::make_unique<AdminService>(*server, options.admin_token);
  server->cors_ = std::make_unique<CorsPolicy>(options.cors);

  HttpServerOptions http;
  http.host = options.host;
  http.port = options.port;
  http.max_connections = options.max_connections;
  http.read_timeout = options.read_timeout;
  http.tls_cert = options.tls_cert;
  http.tls_key = options.tls_key;
  const bool admin = options.admin;
  server->http_ = std::make_unique<HttpServer>(
      http,
      [self, admin](const HttpRequest& request) {
        // /_mock/ is routed before authentication and never as an AWS call (docs/decisions.md);
        // with --admin off it is an unknown path like any other.
        if (admin && IsAdminTarget(request.target)) {
          if (IsConsoleRequest(request)) return ConsolePage();
          return self->admin_->Handle(request);
        }
        if (auto preflight = self->cors_->Preflight(request)) return std::move(*preflight);
        HttpResponse response = self->service_->Handle(request);
        self->cors_->Decorate(request, response);
        return response;
      },
      [self](const AwsError& error) { return self->service_->ErrorResponse(error); },
      [self](const HttpRequest& request, const HttpResponse& response,
             std::chrono::microseconds latency) { self->Record(request, response, latency); },
      // Admin calls may take a while (a reload, a seed of many runs): never on an event loop.
      [self, admin](std::string_view target) {
        return (admin && IsAdminTarget(target)) || self->service_->MayWait();
      });
  auto port = server->http_->Bind();
  if (!port.ok()) return StartupError{port.error() + "\n"};
  server->port_ = port.value();
  if (options.watch) server->watcher_ = std::thread([self] { self->Watch(); });
  return server;
}

MockServer::~MockServer() { Stop(); }

std::string MockServer::endpoint() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  return (http_->tls() ? "https://" : "http://") +
         (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port_);
}

void MockServer::Run() { http_->Run(); }

void MockServer::Start() {
  background_ = std::thread([this] { http_->Run(); });
}

void MockServer::Stop() {
  stopping_ = true;
  if (http_) http_->Stop();
  if (background_.joinable()) background_.join();
  if (watcher_.joinable()) watcher_.join();
}

void MockServer::SetObserver(RequestObserver* observer) { observer_ = observer; }

void MockServer::Record(const HttpRequest& request, const HttpResponse& response,
                        std::chrono::microseconds latency) {
  if (log_) RequestLog(options_.log_format, log_).Write(request, response, latency);
  // Admin calls and CORS preflights are not AWS calls: logged, never journaled or counted.
  if ((options_.admin && IsAdminTarget(request.target)) || response.preflight) return;

  if (response.error_type.empty() && response.transport_fault == TransportFault::kNone) {
    metrics_.RecordOk(latency);  // the common case takes no lock
  } else {
    metrics_.Record(Outcome(response), latency);
  }
  const TargetParts target = SplitTarget(request.target);
  // Every field but the id, assigned into what `entry` holds: in the journal's slot that
  // reuses its buffers, so a request allocates nothing to be journaled (Journal::AppendWith).
  const auto fill = [&](JournalEntry& entry) {
    entry.time = clock_->Now();
    entry.method = request.method;
    entry.path.assign(target.path);
    entry.query.assign(target.query);
    entry.access_key_id = response.caller;
    entry.invocation_id.assign(request.Header("amz-sdk-invocation-id"));
    entry.attempt = AttemptOf(request.Header("amz-sdk-request"));
    entry.scenario = response.scenario;
    entry.rule = response.rule;
    entry.status = response.status;
    entry.error_type = response.error_type;
    entry.reason = response.reason;
    entry.request_id.assign(response.Header("x-amzn-RequestId"));
    entry.latency = latency;
    entry.page = response.page;
    entry.in_flight = false;
    entry.delivered = response.delivered;
    entry.trace = response.trace;
  };
  RequestObserver* const observer = observer_.load();
  if (!observer) {
    journal_->AppendWith(fill);
    return;
  }
  JournalEntry entry;
  fill(entry);
  entry.id = journal_->Append(entry);
  observer->OnRequest(entry);
}

HealthInfo MockServer::Health() const {
  HealthInfo health;
  health.version = kVersion;
  health.uptime_seconds = std::chrono::duration<double>(clock_->Monotonic() - started_).count();
  health.counts = service_->store().Get()->Count(data_clock_->Now());
  health.active_scenarios = ActiveScenarios();
  std::lock_guard lock(reload_status_mutex_);
  health.last_reload_ok = last_reload_error_.empty();
  health.last_reload_error = last_reload_error_;
  return health;
}

DataClock::State MockServer::ClockState() const { return data_clock_->Get(); }

Result<DataClock::State, std::string> MockServer::AdvanceClock(std::int64_t duration_ms) {
  return data_clock_->Advance(duration_ms);
}

Result<DataClock::State, std::string> MockServer::SetClock(TimestampMs at) {
  return data_clock_->Set(at);
}

DataClock::State MockServer::FreezeClock(bool frozen) { return data_clock_->Freeze(frozen); }

std::vector<ScenarioStatus> MockServer::Scenarios(const CallerKey& caller) const {
  return service_->faults()->Status(caller);
}

std::vector<std::string> MockServer::ActiveScenarios(const CallerKey& caller) const {
  return service_->faults()->ActiveNames(caller);
}

Result<std::vector<std::string>, std::string> MockServer::ActivateScenarios(
    const std::vector<std::string>& names, const CallerKey& caller) {
  return service_->faults()->Activate(names, caller);
}

void MockServer::ResetScenarios(const CallerKey& caller) {
  if (caller) {
    service_->faults()->ResetCaller(*caller);
  } else {
    service_->faults()->Reset();
  }
}

Result<AddedScenario, Diagnostics> MockServer::AddScenario(std::string_view scenario_text,
                                                           const CallerKey& caller) {
  auto scenario = ParseScenario(scenario_text, "request", "");
  if (!scenario.ok()) return std::move(scenario).error();
  if (scenario.value().name.empty()) {
    return Diagnostics{Diagnostic{"request", 1, 1, "a scenario added at run time needs a name"}};
  }
  AddedScenario added{scenario.value().name, false};
  added.replaced = service_->faults()->AddScenario(std::move(scenario).value(), caller);
  return added;
}

Result<bool, FaultEngine::RemoveProblem> MockServer::RemoveScenario(std::string_view name,
                                                                    const CallerKey& caller) {
  return service_->faults()->RemoveScenario(name, caller);
}

std::vector<JournalEntry> MockServer::Requests(const JournalFilter& filter) const {
  return journal_->Query(filter);
}

std::optional<JournalEntry> MockServer::Request(std::string_view id) const {
  JournalFilter filter;
  if (const auto number = ParseNumber<std::uint64_t>(id)) {
    filter.id = *number;
  } else {
    filter.request_id = std::string(id);
  }
  auto found = journal_->Query(filter);
  if (!found.empty()) return std::move(found.back());
  for (JournalEntry& waiting : in_flight_->Snapshot()) {
    if (waiting.request_id == id) return std::move(waiting);
  }
  return std::nullopt;
}

std::vector<JournalEntry> MockServer::InFlight() const { return in_flight_->Snapshot(); }

void MockServer::ClearRequests() { journal_->Clear(); }

VerifyResult MockServer::Verify(const RequestPattern& where,
                                const CountExpectation& expected) const {
  JournalFilter filter;
  filter.access_key_id = where.access_key_id;  // narrows the copy; Verify checks it again
  return datazone_mock::Verify(journal_->Query(filter), where, expected);
}

CoverageReport MockServer::Coverage() const {
  // Rules count what they decided in every namespace: callers' own activations added in.
  std::vector<ScenarioStatus> scenarios = service_->faults()->Status();
  for (const std::string& caller : service_->faults()->Callers()) {
    for (const ScenarioStatus& own : service_->faults()->Status(caller)) {
      if (!own.active) continue;
      for (ScenarioStatus& total : scenarios) {
        if (total.scenario->name != own.scenario->name || total.rules.size() != own.rules.size()) {
          continue;
        }
        for (std::size_t i = 0; i < own.rules.size(); ++i) {
          total.rules[i].decided += own.rules[i].decided;
        }
        total.active = true;
      }
    }
  }
  return BuildCoverage(journal_->Query({}), scenarios, *service_->store().Get());
}

Result<Store::Counts, Diagnostics> MockServer::Seed(std::string_view fixture_text,
                                                    const CallerKey& caller) {
  auto document = ParseFixture(fixture_text, "request", data_clock_->Now());
  if (!document.ok()) return std::move(document).error();
  std::lock_guard lock(data_mutex_);
  StoreSnapshot& snapshot = service_->store();
  if (caller) {
    auto view =
        service_->caller_stores()->Seed(*caller, std::move(document).value(), snapshot.Get());
    if (!view.ok()) return std::move(view).error();
    return view.value()->Count(data_clock_->Now());
  }
  auto merged = MergeIntoStore(*snapshot.Get(), document.value());
  if (!merged.ok()) return std::move(merged).error();
  auto store = std::make_shared<const Store>(std::move(merged).value());
  const Store::Counts counts = store->Count(data_clock_->Now());
  snapshot.Replace(std::move(store));
  return counts;
}

bool MockServer::DeleteRun(std::string_view domain_id, std::string_view job_id,
                           std::string_view run_id) {
  std::lock_guard lock(data_mutex_);
  StoreSnapshot& snapshot = service_->store();
  auto changed = WithRun(*snapshot.Get(), domain_id, job_id, run_id, std::nullopt);
  if (!changed) return false;
  snapshot.Replace(std::make_shared<const Store>(std::move(*changed)));
  return true;
}

Result<bool, PutRunProblem> MockServer::PutRun(std::string_view domain_id, std::string_view job_id,
                                               std::string_view run_id, std::string_view run_text) {
  auto run = ParseRunDocument(run_text, "request", data_clock_->Now());
  if (!run.ok()) return PutRunProblem{false, {}, std::move(run).error()};
  if (run.value().run.run_id != run_id) {
    return PutRunProblem{false,
                         "runId '" + run.value().run.run_id + "' in the body is not '" +
                             std::string(run_id) + "' of the path",
                         {}};
  }
  std::lock_guard lock(data_mutex_);
  StoreSnapshot& snapshot = service_->store();
  const std::shared_ptr<const Store> current = snapshot.Get();
  const Domain* domain = current->FindDomain(domain_id);
  const Job* job = domain ? FindJob(*domain, job_id) : nullptr;
  if (!job) {
    return PutRunProblem{
        true,
        domain ? "No job " + std::string(job_id) + " in domain " + std::string(domain_id)
               : "No domain " + std::string(domain_id),
        {}};
  }
  bool exists = std::any_of(job->runs.runs().begin(), job->runs.runs().end(),
                            [&](const JobRun& r) { return r.run_id == run_id; });
  if (job->live) {
    exists = exists || std::any_of(job->live->begin(), job->live->end(),
                                   [&](const LiveRun& r) { return r.run.run_id == run_id; });
  }
  auto changed = WithRun(*current, domain_id, job_id, run_id, run.value());
  snapshot.Replace(std::make_shared<const Store>(std::move(*changed)));
  return !exists;
}

std::vector<JobSummary> MockServer::Jobs() const {
  std::vector<JobSummary> jobs;
  const auto store = service_->store().Get();
  const TimestampMs now = data_clock_->Now();
  for (const auto& [domain_id, domain] : store->domains) {
    for (const auto& [job_id, job] : domain.jobs) {
      jobs.push_back(
          JobSummary{domain_id, job_id, std::string(ToString(job.type)), job.RunCount(now)});
    }
  }
  return jobs;
}

void MockServer::ClearData() {
  std::lock_guard lock(data_mutex_);
  service_->store().Replace(std::make_shared<const Store>());
}

Result<Store::Counts, std::string> MockServer::Reload() {
  std::lock_guard lock(data_mutex_);
  // Load everything first: a broken file changes nothing (the old data keeps serving).
  auto store = LoadStore(options_, nullptr, data_clock_->Now());
  auto scenarios = LoadScenarios(options_);
  std::string problems;
  if (!store.ok()) problems += FormatDiagnostics(store.error());
  if (!scenarios.ok()) problems += FormatDiagnostics(scenarios.error());
  if (!problems.empty()) {
    std::lock_guard status_lock(reload_status_mutex_);
    last_reload_error_ = problems;
    if (log_)
      std::fprintf(log_, "datazone-mock: reload failed; still serving the old data:\n%s",
                   problems.c_str());
    return problems;
  }
  auto loaded = std::make_shared<const Store>(std::move(store).value());
  const Store::Counts counts = loaded->Count(data_clock_->Now());
  service_->store().Replace(std::move(loaded));
  const auto dropped = service_->faults()->ReplaceScenarios(std::move(scenarios).value());
  {
    std::lock_guard status_lock(reload_status_mutex_);
    last_reload_error_.clear();
  }
  if (log_) {
    std::fprintf(log_, "datazone-mock: reloaded %zu domains, %zu jobs, %zu runs\n", counts.domains,
                 counts.jobs, counts.runs);
    for (const auto& name : dropped) {
      std::fprintf(log_, "datazone-mock: active scenario '%s' is gone after the reload\n",
                   name.c_str());
    }
  }
  return counts;
}

Result<Store::Counts, std::string> MockServer::Reset() {
  // The clock first: the files' relative times then mean what they meant at start, and the
  // reloaded store starts its afterCalls counts from zero.
  data_clock_->Reset();
  auto reloaded = Reload();
  if (!reloaded.ok()) return reloaded;
  journal_->Clear();
  service_->caller_stores()->DropAll();
  service_->faults()->DropRunTimeState();
  service_->faults()->Reset();
  // The start-up names loaded once, so they still exist unless a reload removed them.
  if (auto activated = service_->faults()->Activate(options_.scenarios); !activated.ok()) {
    return activated.error();
  }
  return reloaded;
}

void MockServer::ResetCaller(const std::string& caller) {
  service_->caller_stores()->Drop(caller);
  service_->faults()->DropCaller(caller);
  journal_->ClearCaller(caller);
}

std::string MockServer::Metrics() const {
  const Store::Counts counts = service_->store().Get()->Count();
  return metrics_.Prometheus(counts.domains, counts.jobs, counts.runs);
}

std::string MockServer::WatchedFilesSignature() const {
  std::string signature;
  std::vector<std::string> roots = options_.fixtures;
  roots.insert(roots.end(), options_.scenario_paths.begin(), options_.scenario_paths.end());
  auto files = ExpandYamlPaths(Paths(roots));
  if (!files.ok()) return "unreadable";
  for (const auto& file : files.value()) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) continue;
    signature += file.string() + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                 std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_size) + ";";
  }
  return signature;
}

void MockServer::Watch() {
  // Polling, not inotify: simple, portable, and cheap at this rate for a handful of files.
  std::string seen = WatchedFilesSignature();
  while (!stopping_) {
    for (int i = 0; i < 5 && !stopping_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string now = WatchedFilesSignature();
    if (now == seen) continue;
    seen = now;
    (void)Reload();  // success and failure are both logged and shown in /_mock/health
  }
}

}  // namespace datazone_mock
