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
  Trace trace;
  Trace* const traced = parts_.trace ? &trace : nullptr;
  auto caller = Authenticate(request, parts_.auth_mode, parts_.credentials, parts_.clock->Now());
  if (!caller.ok()) {
    HttpResponse refused = ErrorResponse(caller.error());
    refused.caller = AccessKeyIdOf(request);
    if (traced) {
      trace.Add("authentication", "refused",
                std::string(ToString(parts_.auth_mode)) + " mode: " + caller.error().type +
                    (caller.error().reason.empty() ? "" : ": " + caller.error().reason));
      trace.Add("answer", "error", std::to_string(refused.status) + " " + refused.error_type);
      refused.trace = trace.Take();
    }
    return refused;
  }
  TraceIf(traced, "authentication", "ok", [&] {
    return std::string(ToString(parts_.auth_mode)) + " mode, " +
           (caller.value().empty() ? std::string("unsigned caller")
                                   : "access key " + caller.value());
  });
  HttpResponse response = Route(request, caller.value(), traced);
  response.caller = caller.value();
  if (traced) {
    std::string answer = std::to_string(response.status);
    if (response.transport_fault != TransportFault::kNone) {
      trace.Add("answer", "fault",
                answer + ", then " + std::string(ToString(response.transport_fault)));
    } else if (!response.error_type.empty()) {
      trace.Add("answer", "error", answer + " " + response.error_type);
    } else if (response.page == 0) {
      trace.Add("answer", "ok", answer + " from the upstream");
    } else {
      trace.Add("answer", "ok", answer + ", page " + std::to_string(response.page));
    }
    response.trace = trace.Take();
  }
  return response;
}

HttpResponse MockService::Route(const HttpRequest& request, const std::string& caller,
                                Trace* trace) const {
  const auto call = RouteListJobRuns(request.method, request.target);
  if (!call) {
    const std::string_view path = SplitTarget(request.target).path;
    TraceIf(trace, "routing", "unknown operation",
            [&] { return request.method + " " + std::string(path); });
    return ErrorResponse(UnknownOperation(request.method, path));
  }
  TraceIf(trace, "routing", "ListJobRuns",
          [&] { return "domain " + call->domain_identifier + ", job " + call->job_identifier; });

  if (parts_.faults) {
    const std::string* token = call->query.Find("nextToken");
    const FaultRequest fault_request{call->domain_identifier,
                                     call->job_identifier,
                                     caller,
                                     call->query.Find("status"),
                                     token != nullptr,
                                     [this, token]() { return PageNumberOf(token); }};
    if (const auto decision = parts_.faults->Decide(fault_request, trace)) {
      std::string request_id;
      if (decision->delay.count() > 0) {
        request_id = MakeRequestId(*parts_.random);
        Delay(request, caller, *decision, request_id, trace);
      }
      HttpResponse response =
          decision->error || decision->fault
              ? Inject(*decision, *call, request.target, caller, trace)
              : Answer(*call, request.target, caller, trace, decision->page.value_or(PageShape{}));
      if (decision->page && response.status == 200) {
        response.reason = Describe(*decision) + ": page shaped";
      }
      if (!request_id.empty()) {
        // The id shown while the request waited is the one it is answered with.
        for (auto& [name, value] : response.headers) {
          if (name == "x-amzn-RequestId") value = request_id;
        }
        response.delayed = true;
      }
      response.scenario = decision->scenario;
      response.rule = decision->rule;
      return response;
    }
  }
  return Answer(*call, request.target, caller, trace);
}

void MockService::Delay(const HttpRequest& request, const std::string& caller,
                        const FaultDecision& decision, const std::string& request_id,
                        const Trace* trace) const {
  std::uint64_t ticket = 0;
  if (parts_.in_flight) {
    const TargetParts target = SplitTarget(request.target);
    JournalEntry waiting;
    waiting.time = parts_.clock->Now();
    waiting.method = request.method;
    waiting.path = std::string(target.path);
    waiting.query = std::string(target.query);
    waiting.access_key_id = caller;
    waiting.scenario = decision.scenario;
    waiting.rule = decision.rule;
    waiting.request_id = request_id;
    if (trace) waiting.trace = trace->steps();
    ticket = parts_.in_flight->Add(std::move(waiting));
  }
  parts_.clock->SleepFor(decision.delay);
  if (parts_.in_flight) parts_.in_flight->Remove(ticket);
}

std::optional<std::uint32_t> MockService::PageNumberOf(const std::string* token) const {
  if (!token) return 1;
  auto claims = parts_.tokens->Decode(*token, EpochSeconds(parts_.clock->Now()));
  if (!claims.ok()) return std::nullopt;
  return PageAfter(claims.value().page);
}

HttpResponse MockService::Answer(const ListJobRunsCall& call, std::string_view target,
                                 std::string_view caller, Trace* trace,
                                 const PageShape& shape) const {
  auto input = ValidateListJobRuns(call);
  if (!input.ok()) {
    TraceIf(trace, "validation", "refused", [&] { return input.error().message; });
    return ErrorResponse(input.error());
  }
  TraceIf(trace, "validation", "ok", [&] {
    return "maxResults " + std::to_string(input.value().max_results) + ", sortOrder " +
           std::string(ToString(input.value().sort_order)) +
           (input.value().status ? ", status " + std::string(ToString(*input.value().status))
                                 : std::string());
  });

  if (parts_.upstream_use == UpstreamUse::kRecord) return Forward(input.value(), target, trace);

  const auto now = parts_.clock->Now();
  const TimestampMs data_now =
      parts_.data_clock
          ? parts_.data_clock->Now()
          : std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const auto list = [&] {
    std::shared_ptr<const Store> store = parts_.store->Get();
    if (parts_.caller_stores) store = parts_.caller_stores->ViewFor(caller, store);
    return ListJobRuns(input.value(), std::move(store), *parts_.tokens, EpochSeconds(now), caller,
                       data_now, shape, trace);
  };
  auto output = list();
  if (!output.ok() && parts_.upstream_use == UpstreamUse::kRecordMissing &&
      output.error().type == "ResourceNotFoundException") {
    if (auto passed_on = FetchMissing(input.value(), trace)) return std::move(*passed_on);
    output = list();
  }
  if (!output.ok()) return ErrorResponse(output.error());

  HttpResponse response = NewResponse(200);
  response.body = rendered_pages_->Body(output.value());
  response.page = output.value().page;
  TraceIf(trace, "page", "served", [&] {
    return std::to_string(output.value().items.size()) + " runs" +
           (output.value().next_token ? ", with a nextToken" : ", no nextToken (last page)");
  });
  return response;
}

std::optional<UpstreamPage> MockService::PageToRecord(HttpResponse& answer, std::string_view during,
                                                      Trace* trace) const {
  if (answer.status != 200) {
    TraceIf(trace, "upstream", "passed on", [&] {
      return std::string(during) + std::to_string(answer.status) + " " + answer.error_type +
             ", nothing recorded";
    });
    return std::nullopt;
  }
  auto page = ReadUpstreamPage(answer.body);
  if (!page.ok()) {
    answer.reason = "not recorded: " + page.error();
    TraceIf(trace, "upstream", "not recorded", [&] { return page.error(); });
    return std::nullopt;
  }
  return std::move(page).value();
}

HttpResponse MockService::Forward(const ListJobRunsInput& input, std::string_view target,
                                  Trace* trace) const {
  HttpResponse response = parts_.upstream->Forward(target);
  auto page = PageToRecord(response, {}, trace);
  if (!page) return response;
  auto recorded = parts_.recorder->Record(input.domain_identifier, input.job_identifier, *page);
  if (!recorded.ok()) response.reason = "not recorded: " + recorded.error();
  TraceIf(trace, "upstream", recorded.ok() ? "recorded" : "not recorded",
          [&] { return recorded.ok() ? recorded.value().summary : recorded.error(); });
  return response;
}

std::optional<HttpResponse> MockService::FetchMissing(const ListJobRunsInput& input,
                                                      Trace* trace) const {
  // A job of 50,000 runs is far beyond any fixture; an upstream that keeps giving tokens past it
  // (or gives the same one again) is not followed further.
  constexpr int kMaxPages = 1000;
  const std::string runs_path = "/v2/domains/" + PercentEncode(input.domain_identifier) + "/jobs/" +
                                PercentEncode(input.job_identifier) + "/runs?maxResults=50";
  UpstreamPage job;
  std::optional<std::string> token;
  HttpResponse answer;
  for (int pages = 1;; ++pages) {
    answer = parts_.upstream->Forward(token ? runs_path + "&nextToken=" + PercentEncode(*token)
                                            : runs_path);
    auto page = PageToRecord(
        answer, "fetching the missing job, page " + std::to_string(pages) + ": ", trace);
    if (!page) return answer;
    for (auto& item : page->items) job.items.push_back(std::move(item));
    if (!page->next_token || page->next_token == token || pages == kMaxPages) break;
    token = std::move(page->next_token);
  }
  auto recorded = parts_.recorder->Record(input.domain_identifier, input.job_identifier, job);
  if (!recorded.ok()) {
    TraceIf(trace, "upstream", "not recorded", [&] { return recorded.error(); });
    return ErrorResponse(InternalServerError("recording failed: " + recorded.error()));
  }
  TraceIf(trace, "upstream", "recorded",
          [&] { return "missing job fetched: " + recorded.value().summary; });
  return std::nullopt;
}

HttpResponse MockService::Inject(const FaultDecision& decision, const ListJobRunsCall& call,
                                 std::string_view target, std::string_view caller,
                                 Trace* trace) const {
  if (decision.error) {
    AwsError error = *decision.error;
    error.reason = Describe(decision);
    return ErrorResponse(error);
  }
  HttpResponse response;
  switch (*decision.fault) {
    case TransportFault::kTruncate:
      // The real answer, cut short on the wire by the server layer.
      response = Answer(call, target, caller, trace);
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
