// Fuzzes a ListJobRuns request target (path and query, raw bytes as a client sends them) through
// the parsing layer on its own and then through the whole MockService over the bundled demo data:
// routing, query parsing, validation, the store, nextToken verification and the JSON writer.
//
// Properties checked beyond "no crash, no sanitizer report":
// - the parsing functions agree with each other and with the service's answer;
// - every answer is an AWS-shaped response whose body is valid JSON;
// - a page's runs are in strict (createdAt, runId) order, and a nextToken the service issued is
//   accepted for the same query and leads strictly past the page it came from.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/list_job_runs_request.h"
#include "api/page_token.h"
#include "api/query_string.h"
#include "core/http_message.h"
#include "fuzz_support.h"
#include "service/mock_service.h"

namespace datazone_mock::fuzz {
namespace {

// A fresh service per input (cheap: it shares the store), so that request ids and everything
// else an input sees start from the same state every time it runs.
MockService MakeService() {
  MockServiceParts parts;
  parts.store = std::make_shared<StoreSnapshot>(DemoStore());
  // A fixed secret keeps tokens, and so the paths an input takes, the same on every run.
  parts.tokens = std::make_shared<PageTokenCodec>("fuzz-token-secret");
  parts.clock = std::make_shared<FakeClock>();
  parts.random = std::make_shared<SequenceRandomSource>();
  return MockService(std::move(parts));
}

HttpResponse Get(const MockService& service, std::string target) {
  return service.Handle(HttpRequest{"GET", std::move(target), {}, ""});
}

// Where a run stands in a page: (createdAt, runId), as the body says.
using Position = std::pair<double, std::string>;

// The response as AWS would shape it; returns the parsed body.
nlohmann::json CheckResponse(const HttpResponse& response, std::string_view target) {
  const std::string context = "target: " + std::string(target) + "\nbody: " + response.body;
  FUZZ_CHECK(response.status == 200 || response.status == 400 || response.status == 404, context);
  FUZZ_CHECK(response.Header("Content-Type") == "application/json", context);
  FUZZ_CHECK(!response.Header("x-amzn-RequestId").empty(), context);
  FUZZ_CHECK(!response.Header("Date").empty(), context);
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!body.is_discarded() && body.is_object(), context);
  if (response.status == 200) {
    FUZZ_CHECK(response.error_type.empty(), context);
    FUZZ_CHECK(body.contains("items") && body.at("items").is_array(), context);
  } else {
    FUZZ_CHECK(!response.error_type.empty(), context);
    FUZZ_CHECK(response.Header("x-amzn-ErrorType").starts_with(response.error_type), context);
    FUZZ_CHECK(body.contains("message") && body.at("message").is_string(), context);
  }
  return body;
}

// The runs of a page in order, checked to be strictly ordered as `order` says.
std::vector<Position> PagePositions(const nlohmann::json& body, SortOrder order,
                                    std::string_view target) {
  std::vector<Position> positions;
  for (const nlohmann::json& item : body.at("items")) {
    FUZZ_CHECK(item.contains("createdAt") && item.at("createdAt").is_number(), item.dump());
    FUZZ_CHECK(item.contains("runId") && item.at("runId").is_string(), item.dump());
    positions.emplace_back(item.at("createdAt").get<double>(), item.at("runId").get<std::string>());
  }
  for (std::size_t i = 1; i < positions.size(); ++i) {
    const bool in_order = order == SortOrder::kAscending ? positions[i - 1] < positions[i]
                                                         : positions[i] < positions[i - 1];
    FUZZ_CHECK(in_order, "runs out of order for " + std::string(target));
  }
  return positions;
}

// The target of the page after `token`, for the query `input` describes. The identifiers are
// valid (so need no encoding) and tokens are URL-safe by design.
std::string NextPageTarget(const ListJobRunsInput& input, const std::string& token) {
  std::string target = "/v2/domains/" + input.domain_identifier + "/jobs/" + input.job_identifier +
                       "/runs?maxResults=" + std::to_string(input.max_results) +
                       "&sortOrder=" + std::string(ToString(input.sort_order));
  if (input.status) target += "&status=" + std::string(ToString(*input.status));
  return target + "&nextToken=" + token;
}

void CheckParsingLayer(std::string_view target) {
  const TargetParts parts = SplitTarget(target);
  const bool has_query = parts.path.size() < target.size();
  FUZZ_CHECK(std::string(parts.path) + (has_query ? "?" : "") + std::string(parts.query) == target,
             target);
  FUZZ_CHECK(parts.path.find('?') == std::string_view::npos, target);

  const QueryParams params = QueryParams::Parse(parts.query);
  for (const auto& [name, value] : params.entries()) {
    const std::string* found = params.Find(name);
    FUZZ_CHECK(found != nullptr, name);
    // The first entry of a name wins (docs/wire.md).
    for (const auto& [first_name, first_value] : params.entries()) {
      if (first_name == name) {
        FUZZ_CHECK(*found == first_value, name);
        break;
      }
    }
  }
  for (const bool plus_is_space : {false, true}) {
    if (const auto decoded = PercentDecode(target, plus_is_space)) {
      FUZZ_CHECK(decoded->size() <= target.size(), target);
    }
  }
}

void FuzzRequest(std::string_view target) {
  CheckParsingLayer(target);

  const std::optional<ListJobRunsCall> call = RouteListJobRuns("GET", target);
  std::optional<Result<ListJobRunsInput, AwsError>> validated;
  if (call) {
    validated.emplace(ValidateListJobRuns(*call));
    if (validated->ok()) {
      const ListJobRunsInput& input = validated->value();
      FUZZ_CHECK(input.domain_identifier == call->domain_identifier, target);
      FUZZ_CHECK(input.job_identifier == call->job_identifier, target);
      FUZZ_CHECK(input.max_results >= kMinMaxResults && input.max_results <= kMaxMaxResults,
                 target);
      FUZZ_CHECK(!input.next_token || (!input.next_token->empty() &&
                                       input.next_token->size() <= kMaxNextTokenLength),
                 target);
    } else {
      const AwsError& error = validated->error();
      FUZZ_CHECK(error.http_status == 400, target);
      FUZZ_CHECK(error.type == "ValidationException" || error.type == "SerializationException",
                 error.type);
      FUZZ_CHECK(!error.message.empty(), target);
    }
  }

  const MockService service = MakeService();
  const HttpResponse response = Get(service, std::string(target));
  const nlohmann::json body = CheckResponse(response, target);

  // The service answers exactly as its parts decide.
  if (!call) {
    FUZZ_CHECK(response.status == 404 && response.error_type == "UnknownOperationException",
               target);
    return;
  }
  if (!validated->ok()) {
    FUZZ_CHECK(response.error_type == validated->error().type, target);
    FUZZ_CHECK(body.at("message") == validated->error().message, target);
    return;
  }
  if (response.status != 200) {
    FUZZ_CHECK(response.error_type == "ResourceNotFoundException" ||
                   response.error_type == "ValidationException",
               response.error_type);
    return;
  }

  // Follow a few pages: every token the service hands out must be good for the same query and
  // lead strictly past the page it came from (no run repeated, none out of order).
  const ListJobRunsInput& input = validated->value();
  nlohmann::json page = body;
  std::vector<Position> positions = PagePositions(page, input.sort_order, target);
  FUZZ_CHECK(positions.size() <= static_cast<std::size_t>(input.max_results), target);
  for (int followed = 0; followed < 3 && page.contains("nextToken"); ++followed) {
    FUZZ_CHECK(page.at("nextToken").is_string() && !positions.empty(), page.dump());
    const std::string next_target = NextPageTarget(input, page.at("nextToken").get<std::string>());
    const HttpResponse next = Get(service, next_target);
    page = CheckResponse(next, next_target);
    FUZZ_CHECK(next.status == 200, next_target + " -> " + next.body);
    const std::vector<Position> next_positions = PagePositions(page, input.sort_order, next_target);
    // docs/decisions.md: no token ever leads to an empty page.
    FUZZ_CHECK(!next_positions.empty(), next_target);
    const bool past = input.sort_order == SortOrder::kAscending
                          ? positions.back() < next_positions.front()
                          : next_positions.front() < positions.back();
    FUZZ_CHECK(past, "page after " + next_target + " does not continue the previous one");
    positions = next_positions;
  }
}

}  // namespace
}  // namespace datazone_mock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  datazone_mock::fuzz::FuzzRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
