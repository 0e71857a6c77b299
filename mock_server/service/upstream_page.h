#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/job_run.h"

namespace datazone_mock {

// One ListJobRuns page as an upstream (the real service, or another mock) answered it, read back
// into the model for recording (issue 17's record mode builds on this).
struct UpstreamPage {
  struct Item {
    std::string domain_id;
    std::string job_id;
    JobType job_type = JobType::kLineage;
    JobRun run;
  };
  std::vector<Item> items;
  std::optional<std::string> next_token;
};

// Reads the JSON body of a 200 answer: {"items":[{...JobRunSummary...}],"nextToken":"..."} with
// timestamps in epoch seconds (a fraction for milliseconds). Strict about what the fixture schema
// needs (runId, status, createdAt, domainId, jobId, jobType; known enum names); members the
// model does not have are ignored, as an SDK would. The error names the item and member.
Result<UpstreamPage, std::string> ReadUpstreamPage(std::string_view body);

}  // namespace datazone_mock
