// Fuzzes the fixture loader with YAML bytes (store/fixture.h): a file a person wrote, so any
// bytes at all. The loader must never crash and must either accept the file or explain why not;
// an accepted file is then built into a store and served, as at start-up.
//
// Properties checked beyond "no crash, no sanitizer report, no input over the time limit":
// - a refused file gets 1 to kMaxDiagnostics diagnostics, each naming the file with a line and
//   column inside it and a message, in file order (CheckDiagnostics);
// - an accepted file's runs survive the trip to JSON: the page body is valid JSON, and every
//   run's strings and timestamps read back exactly;
// - timestamps print in forms ParseTimestamp reads back as the same instant.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/list_job_runs.h"
#include "api/page_token.h"
#include "core/time_format.h"
#include "fuzz_support.h"
#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock::fuzz {
namespace {

constexpr const char* kFile = "fuzz.yaml";
// Generated runs are legitimate up to 10 million a job; building that many is slow by design,
// not a bug, so larger specs are only parsed.
constexpr std::uint64_t kMaxRunsToBuild = 5000;
// Pages served per accepted file: enough to reach every job of a small file.
constexpr std::size_t kMaxJobsToServe = 16;

// The JSON number `value` is the timestamp `ms`, read as SDKs read it (epoch seconds).
void CheckJsonTimestamp(const nlohmann::json& value, TimestampMs ms) {
  FUZZ_CHECK(value.is_number(), value.dump());
  // Beyond 2^50 ms a double no longer holds every millisecond; no fixture date comes near.
  if (std::llabs(ms) > (std::int64_t{1} << 50)) return;
  const double seconds = value.get<double>();
  FUZZ_CHECK(std::llround(seconds * 1000.0) == ms, value.dump() + " != " + std::to_string(ms));
}

void CheckTimestampForms(TimestampMs ms) {
  const std::string epoch = FormatEpochSeconds(ms);
  if (const auto parsed = ParseTimestamp(epoch)) FUZZ_CHECK(*parsed == ms, epoch);
  const std::string rfc3339 = FormatRfc3339(ms);
  if (const auto parsed = ParseTimestamp(rfc3339)) FUZZ_CHECK(*parsed == ms, rfc3339);
}

void CheckRun(const nlohmann::json& item, const JobRun& run) {
  const std::string context = item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  FUZZ_CHECK(item.value("runId", std::string()) == run.run_id, context);
  CheckJsonTimestamp(item.at("createdAt"), run.created_at);
  CheckTimestampForms(run.created_at);
  FUZZ_CHECK(item.contains("createdBy") == run.created_by.has_value(), context);
  if (run.created_by) FUZZ_CHECK(item.at("createdBy") == *run.created_by, context);
  FUZZ_CHECK(item.contains("error") == run.error_message.has_value(), context);
  if (run.error_message) FUZZ_CHECK(item.at("error").at("message") == *run.error_message, context);
  if (run.start_time) CheckJsonTimestamp(item.at("startTime"), *run.start_time);
  if (run.end_time) CheckJsonTimestamp(item.at("endTime"), *run.end_time);
  FUZZ_CHECK(item.at("status") == std::string(ToString(run.status)), context);
}

// Serves the first page of each job (both orders) from the store the file builds.
void ServeStore(std::shared_ptr<const Store> store) {
  static const PageTokenCodec tokens("fuzz-token-secret");
  std::size_t served = 0;
  for (const auto& [domain_id, domain] : store->domains) {
    for (const auto& [job_id, job] : domain.jobs) {
      if (++served > kMaxJobsToServe) return;
      for (const SortOrder order : kAllSortOrders) {
        ListJobRunsInput input;
        input.domain_identifier = domain_id;
        input.job_identifier = job_id;
        input.sort_order = order;
        // The caller an access list allows, if the domain has one.
        const std::string caller =
            domain.allowed_access_key_ids && !domain.allowed_access_key_ids->empty()
                ? domain.allowed_access_key_ids->front()
                : std::string();
        auto output = ListJobRuns(input, store, tokens, kFuzzNowSeconds, caller);
        FUZZ_CHECK(output.ok(), output.error().reason);
        const std::string body = SerializeListJobRunsOutput(output.value());
        const nlohmann::json page = nlohmann::json::parse(body, nullptr, false);
        FUZZ_CHECK(!page.is_discarded(), body);
        const nlohmann::json& items = page.at("items");
        FUZZ_CHECK(items.size() == output.value().items.size(), body);
        for (std::size_t i = 0; i < items.size(); ++i) {
          CheckRun(items[i], *output.value().items[i]);
        }
      }
    }
  }
}

void FuzzFixture(std::string_view text) {
  auto parsed = ParseFixture(text, kFile);
  if (!parsed.ok()) {
    CheckDiagnostics(parsed.error(), text, kFile);
    return;
  }
  const FixtureDocument& document = parsed.value();
  FUZZ_CHECK(document.file == kFile, document.file);

  std::uint64_t runs = 0;
  for (const DomainSpec& domain : document.domains) {
    for (const JobSpec& job : domain.jobs) {
      runs += job.runs.size() + (job.generate ? job.generate->count : 0);
    }
  }
  if (runs > kMaxRunsToBuild) return;

  auto store = BuildStore({document});
  if (!store.ok()) {
    FUZZ_CHECK(!store.error().empty() && store.error().size() <= kMaxDiagnostics,
               FormatDiagnostics(store.error()));
    return;
  }
  ServeStore(std::make_shared<const Store>(std::move(store).value()));
}

}  // namespace
}  // namespace datazone_mock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  datazone_mock::fuzz::FuzzFixture(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
