#pragma once

#include <memory>

#include "api/list_job_runs_request.h"
#include "api/page_token.h"
#include "api/rendered_pages.h"
#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/aws_error.h"
#include "core/clock.h"
#include "core/data_clock.h"
#include "core/http_message.h"
#include "core/random_source.h"
#include "faults/fault_engine.h"
#include "journal/journal.h"
#include "service/record_mode.h"
#include "store/caller_stores.h"
#include "store/store.h"
#include "store/store_snapshot.h"

namespace datazone_mock {

// What a MockService works with. Clock and randomness are injected so tests are deterministic.
struct MockServiceParts {
  std::shared_ptr<StoreSnapshot> store;
  std::shared_ptr<const PageTokenCodec> tokens;
  std::shared_ptr<const Clock> clock;
  // The clock the data lives by (lifecycles, schedules); null: `clock`'s real time.
  std::shared_ptr<const DataClock> data_clock;
  std::shared_ptr<RandomSource> random;  // request ids
  std::shared_ptr<FaultEngine> faults;   // may be null: no fault injection
  AuthMode auth_mode = AuthMode::kOff;
  CredentialSet credentials;  // for AuthMode::kVerify
  // Runs seeded for one caller only; null: none can be.
  std::shared_ptr<CallerStores> caller_stores;
  // Where requests held by a delay are shown while they wait; null: nowhere.
  std::shared_ptr<InFlightRequests> in_flight;
  // Whether each answer carries its explanation (HttpResponse::trace); --trace.
  bool trace = true;
  // Record mode: whether calls may go to `upstream`, and where what it answers is kept.
  UpstreamUse upstream_use = UpstreamUse::kNone;
  std::shared_ptr<const UpstreamClient> upstream;  // set unless upstream_use is kNone
  std::shared_ptr<RunRecorder> recorder;           // set unless upstream_use is kNone
};

// The AWS side of the mock: turns an HttpRequest into the HttpResponse AWS would give, in
// docs/wire.md's order of checks: authentication, routing, injected faults, validation, the domain,
// the caller's access, the job, the token, the answer. Knows nothing of sockets.
// Thread-safe: what it reads is immutable or guarded by its owner.
class MockService {
 public:
  explicit MockService(MockServiceParts parts);

  HttpResponse Handle(const HttpRequest& request) const;
  // Whether an answer may have to wait: an active scenario that delays, or an upstream to ask.
  // The HTTP layer answers such requests on threads of their own, off its event loops.
  bool MayWait() const {
    return parts_.upstream_use != UpstreamUse::kNone ||
           (parts_.faults && parts_.faults->MayDelay());
  }

  // The response for an error: status, x-amzn-ErrorType, JSON body and the common headers.
  HttpResponse ErrorResponse(const AwsError& error) const;

  StoreSnapshot& store() const { return *parts_.store; }
  CallerStores* caller_stores() const { return parts_.caller_stores.get(); }
  FaultEngine* faults() const { return parts_.faults.get(); }
  const Clock& clock() const { return *parts_.clock; }

 private:
  // Headers on every response: Content-Type, x-amzn-RequestId, Date.
  HttpResponse NewResponse(int status) const;
  // Everything after authentication, for `caller`.
  HttpResponse Route(const HttpRequest& request, const std::string& caller, Trace* trace) const;
  // The answer when no fault intervenes: validation, then the operation.
  // `target`: the request's, for record mode to forward as it came.
  HttpResponse Answer(const ListJobRunsCall& call, std::string_view target, std::string_view caller,
                      Trace* trace, const PageShape& shape = {}) const;
  // Record mode: the upstream's answer to `target`, passed on; the runs of a 200 recorded.
  HttpResponse Forward(const ListJobRunsInput& input, std::string_view target, Trace* trace) const;
  // The page of a 200 upstream answer, to record; nullopt when `answer` is to be passed on as
  // it is (an upstream error, or a body that is not a page: `answer.reason` then says so), the
  // explanation told why. `during` prefixes the explanation's detail.
  std::optional<UpstreamPage> PageToRecord(HttpResponse& answer, std::string_view during,
                                           Trace* trace) const;
  // --record-missing: fetches every page of the job `input` names from the upstream and records
  // them. nullopt once recorded (the store now has the job); otherwise the answer to pass on:
  // the upstream's error.
  std::optional<HttpResponse> FetchMissing(const ListJobRunsInput& input, Trace* trace) const;
  // Sleeps for an injected delay, shown meanwhile among the requests in flight.
  void Delay(const HttpRequest& request, const std::string& caller, const FaultDecision& decision,
             const std::string& request_id, const Trace* trace) const;
  // The page a request asks for: 1 without a nextToken, none when its token cannot be read.
  std::optional<std::uint32_t> PageNumberOf(const std::string* token) const;
  // A chosen fault as the client will see it (delays are served before).
  HttpResponse Inject(const FaultDecision& decision, const ListJobRunsCall& call,
                      std::string_view target, std::string_view caller, Trace* trace) const;

  MockServiceParts parts_;
  // Items of pages answered lately, rendered once (a cache: the answers do not change).
  std::unique_ptr<RenderedPages> rendered_pages_ = std::make_unique<RenderedPages>();
};

}  // namespace datazone_mock
