#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/list_job_runs_request.h"
#include "api/page_shape.h"
#include "api/page_token.h"
#include "core/aws_error.h"
#include "core/result.h"
#include "core/trace.h"
#include "store/job_page.h"
#include "store/store.h"

namespace datazone_mock {

// One page of ListJobRuns. Holds the store it was read from, so its pointers stay valid even if
// a reload swaps the store meanwhile.
struct ListJobRunsOutput {
  std::shared_ptr<const Store> store;
  const Domain* domain = nullptr;
  const Job* job = nullptr;
  std::vector<const JobRun*> items;
  std::optional<std::string> next_token;
  std::vector<JobRun> evaluated;  // a schedule's runs, made for this page: some items point here
  std::uint32_t page = 1;         // this page's number: 1 without a token
};

// The operation itself, after validation (docs/wire.md "Order of checks", steps 5 and 6): the
// domain exists, then `caller` (an access key id) may list it, then the job exists, then the
// nextToken verifies and belongs to this query; then the page, with the job's runs as they stand
// at `data_now` (the data clock's reading), bent into `shape` when a scenario asks for one. A
// page answered counts as a listing of the job. `trace`, when given, hears each check (the
// domain, the caller's access, the job, the token), with the nearest names for an unknown
// domain or job.
Result<ListJobRunsOutput, AwsError> ListJobRuns(
    const ListJobRunsInput& input, std::shared_ptr<const Store> store, const PageTokenCodec& tokens,
    std::int64_t now_seconds, std::string_view caller = {}, TimestampMs data_now = 0,
    const PageShape& shape = {}, Trace* trace = nullptr);

// The response body: {"items":[...],"nextToken":"..."} with members in the model's JSON names,
// absent members omitted and timestamps as epoch seconds (docs/wire.md "Success response").
std::string SerializeListJobRunsOutput(const ListJobRunsOutput& output);
// The same body in two parts, so that the first can be kept (api/rendered_pages.h): the items,
// `{"items":[...]`, and then what ends the body, the nextToken member if any and `}`.
std::string SerializeListJobRunsItems(const ListJobRunsOutput& output);
void AppendListJobRunsEnd(std::string& body, const ListJobRunsOutput& output);

}  // namespace datazone_mock
