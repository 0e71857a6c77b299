#include "api/mock_service.h"

#include "api/aws_errors.h"
#include "api/http_date.h"
#include "api/json_writer.h"
#include "api/list_job_runs.h"
#include "api/list_job_runs_request.h"
#include "api/query_string.h"

namespace datazone_mock {

MockService::MockService(std::shared_ptr<StoreSnapshot> store,
                         std::shared_ptr<const PageTokenCodec> tokens,
                         std::shared_ptr<const Clock> clock, std::shared_ptr<RandomSource> random)
    : store_(std::move(store)),
      tokens_(std::move(tokens)),
      clock_(std::move(clock)),
      random_(std::move(random)) {}

HttpResponse MockService::NewResponse(int status) const {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"},
                      {"x-amzn-RequestId", MakeRequestId(*random_)},
                      {"Date", FormatHttpDate(clock_->Now())}};
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
  const auto call = RouteListJobRuns(request.method, request.target);
  if (!call)
    return ErrorResponse(UnknownOperation(request.method, SplitTarget(request.target).path));

  auto input = ValidateListJobRuns(*call);
  if (!input.ok()) return ErrorResponse(input.error());

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->Now().time_since_epoch()).count();
  auto output = ListJobRuns(input.value(), store_->Get(), *tokens_, now);
  if (!output.ok()) return ErrorResponse(output.error());

  HttpResponse response = NewResponse(200);
  response.body = SerializeListJobRunsOutput(output.value());
  return response;
}

}  // namespace datazone_mock
