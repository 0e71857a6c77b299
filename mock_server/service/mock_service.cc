#include "service/mock_service.h"

#include "api/aws_errors.h"
#include "api/json_writer.h"
#include "api/list_job_runs.h"
#include "api/list_job_runs_request.h"
#include "api/query_string.h"
#include "core/time_format.h"

namespace datazone_mock {
namespace {

std::int64_t EpochSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::string Describe(const FaultDecision& decision) {
  return decision.rule == kNoRule
             ? "scenario " + decision.scenario + ": rate limit"
             : "scenario " + decision.scenario + " rule " + std::to_string(decision.rule);
}

}  // namespace

MockService::MockService(MockServiceParts parts) : parts_(std::move(parts)) {}

HttpResponse MockService::NewResponse(int status) const {
  HttpResponse response;
  response.status = status;
  response.headers.reserve(4);
  response.headers.emplace_back("Content-Type", "application/json");
  response.headers.emplace_back("x-amzn-RequestId", MakeRequestId(*parts_.random));
  response.headers.emplace_back("Date", FormatHttpDate(parts_.clock->Now()));
  return response;
}

HttpResponse MockService::ErrorResponse(const AwsError& error) const {
  HttpResponse response = NewResponse(error.http_status);
  response.headers.emplace_back("x-amzn-ErrorType", error.error_type_header);
  response.body = JsonMessageBody(error.message);
  response.error_type = error.type;
  response.reason = error.reason;
  return response;
}

HttpResponse MockService::Handle(const HttpRequest& request) const {
  auto caller = Authenticate(request, parts_.auth_mode, parts_.credentials, parts_.clock->Now());
  if (!caller.ok()) {
    HttpResponse refused = ErrorResponse(caller.error());
    refused.caller = AccessKeyIdOf(request);
    return refused;
  }
  HttpResponse response = Route(request, caller.value());
  response.caller = caller.value();
  return response;
}

HttpResponse MockService::Route(const HttpRequest& request, const std::string& caller) const {
  const auto call = RouteListJobRuns(request.method, request.target);
  if (!call) {
    return ErrorResponse(UnknownOperation(request.method, SplitTarget(request.target).path));
  }

  if (parts_.faults) {
    const std::string* token = call->query.Find("nextToken");
    const FaultRequest fault_request{call->domain_identifier,
                                     call->job_identifier,
                                     caller,
                                     call->query.Find("status"),
                                     token != nullptr,
                                     [this, token]() { return PageNumberOf(token); }};
    if (const auto decision = parts_.faults->Decide(fault_request)) {
      if (decision->delay.count() > 0) parts_.clock->SleepFor(decision->delay);
      HttpResponse response = decision->error || decision->fault
                                  ? Inject(*decision, *call, caller)
                                  : Answer(*call, caller, decision->page.value_or(PageShape{}));
      if (decision->page && response.status == 200) {
        response.reason = Describe(*decision) + ": page shaped";
      }
      response.scenario = decision->scenario;
      response.rule = decision->rule;
      return response;
    }
  }
  return Answer(*call, caller);
}

std::optional<std::uint32_t> MockService::PageNumberOf(const std::string* token) const {
  if (!token) return 1;
  auto claims = parts_.tokens->Decode(*token, EpochSeconds(parts_.clock->Now()));
  if (!claims.ok()) return std::nullopt;
  return PageAfter(claims.value().page);
}

HttpResponse MockService::Answer(const ListJobRunsCall& call, std::string_view caller,
                                 const PageShape& shape) const {
  auto input = ValidateListJobRuns(call);
  if (!input.ok()) return ErrorResponse(input.error());

  const auto now = parts_.clock->Now();
  const TimestampMs data_now =
      parts_.data_clock
          ? parts_.data_clock->Now()
          : std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto output = ListJobRuns(input.value(), parts_.store->Get(), *parts_.tokens, EpochSeconds(now),
                            caller, data_now, shape);
  if (!output.ok()) return ErrorResponse(output.error());

  HttpResponse response = NewResponse(200);
  response.body = SerializeListJobRunsOutput(output.value());
  return response;
}

HttpResponse MockService::Inject(const FaultDecision& decision, const ListJobRunsCall& call,
                                 std::string_view caller) const {
  if (decision.error) {
    AwsError error = *decision.error;
    error.reason = Describe(decision);
    return ErrorResponse(error);
  }
  HttpResponse response;
  switch (*decision.fault) {
    case TransportFault::kTruncate:
      // The real answer, cut short on the wire by the server layer.
      response = Answer(call, caller);
      break;
    case TransportFault::kMalformedJson:
      response = NewResponse(200);
      response.body = R"({"items":[{"runId":"malformed)";
      break;
    default:
      response = NewResponse(200);
      break;
  }
  response.transport_fault = *decision.fault;
  response.reason = Describe(decision) + ": " + std::string(ToString(*decision.fault));
  return response;
}

}  // namespace datazone_mock
