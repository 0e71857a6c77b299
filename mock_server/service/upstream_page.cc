#include "service/upstream_page.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace datazone_mock {
namespace {

using nlohmann::json;

// Epoch seconds (a JSON number) to milliseconds, rounded: 1754316014.155 -> 1754316014155.
std::optional<TimestampMs> Millis(const json& value) {
  if (!value.is_number()) return std::nullopt;
  const double seconds = value.get<double>();
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e13) return std::nullopt;
  return static_cast<TimestampMs>(std::llround(seconds * 1000.0));
}

}  // namespace

Result<UpstreamPage, std::string> ReadUpstreamPage(std::string_view body) {
  const json page = json::parse(body, nullptr, false);
  if (page.is_discarded() || !page.is_object()) return std::string("the body is not a JSON object");
  const auto items = page.find("items");
  if (items == page.end() || !items->is_array()) return std::string("no items array");
  UpstreamPage out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const json& item = (*items)[i];
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!item.is_object()) return where + " is not an object";
    const auto text = [&](const char* name) -> std::optional<std::string> {
      const auto member = item.find(name);
      if (member == item.end() || !member->is_string()) return std::nullopt;
      return member->get<std::string>();
    };
    UpstreamPage::Item read;
    const auto domain = text("domainId");
    const auto job = text("jobId");
    const auto run_id = text("runId");
    const auto status = text("status");
    const auto job_type = text("jobType");
    if (!domain || !job || !run_id || !status || !job_type) {
      return where + " lacks one of domainId, jobId, runId, status, jobType";
    }
    read.domain_id = *domain;
    read.job_id = *job;
    const auto type = ParseJobType(*job_type);
    const auto run_status = ParseJobRunStatus(*status);
    if (!type) return where + ".jobType '" + *job_type + "' is not a job type";
    if (!run_status) return where + ".status '" + *status + "' is not a job run status";
    read.job_type = *type;
    read.run.run_id = *run_id;
    read.run.status = *run_status;
    const auto created_at = item.find("createdAt");
    const auto created_ms = created_at == item.end() ? std::nullopt : Millis(*created_at);
    if (!created_ms) return where + ".createdAt is not a time in epoch seconds";
    read.run.created_at = *created_ms;
    for (const auto& [name, slot] :
         {std::pair<const char*, std::optional<TimestampMs>*>{"startTime", &read.run.start_time},
          {"endTime", &read.run.end_time}}) {
      const auto member = item.find(name);
      if (member == item.end()) continue;
      *slot = Millis(*member);
      if (!*slot) return where + "." + name + " is not a time in epoch seconds";
    }
    if (const auto mode = text("runMode")) {
      read.run.run_mode = ParseJobRunMode(*mode);
      if (!read.run.run_mode) return where + ".runMode '" + *mode + "' is not a run mode";
    }
    read.run.created_by = text("createdBy");
    if (const auto error = item.find("error"); error != item.end()) {
      if (!error->is_object() || !error->contains("message") || !(*error)["message"].is_string()) {
        return where + ".error has no message";
      }
      read.run.error_message = (*error)["message"].get<std::string>();
    }
    out.items.push_back(std::move(read));
  }
  if (const auto token = page.find("nextToken"); token != page.end() && token->is_string()) {
    out.next_token = token->get<std::string>();
  }
  return out;
}

}  // namespace datazone_mock
